"""The demo's provider login `realizator` (issue 15 §1) sees its own
organisation on every page, and sessions and participants of its services
only."""
from tests.conftest import csrf_from
from tests.demo.conftest import demo  # noqa: F401  (fixture: `flask demo ensure`)
from tests.helpers import visible_text as text_of


def test_the_demo_provider_sees_only_its_organisation(app, client, demo):  # noqa: F811
    from portal.catalogue.models import Provider, Service
    from portal.delivery.models import GroupSession
    from portal.extensions import db

    page = client.get("/login")
    assert client.post("/login", data={"username": "realizator", "password": "demo-cus",
                                       "csrf_token": csrf_from(page.text)}).status_code == 303
    ours = db.session.scalar(db.select(Provider).filter_by(name="Stowarzyszenie Rozwoju Gminy Wojcieszków"))
    own = {s.name for s in ours.services if s.status != "archived"}
    others = set(db.session.scalars(db.select(Service.name).where(Service.provider_id != ours.id,
                                                                   Service.status != "archived"))) - own
    assert own and others
    assert "Stowarzyszenie Rozwoju Gminy Wojcieszków" in text_of(client.get("/provider/profile").text)
    services = text_of(client.get("/provider/services").text)
    assert all(name in services for name in own)
    assert not any(name in services for name in others)
    assert "Moja organizacja" in text_of(client.get("/staff").text)
    listed = text_of(client.get("/delivery/sessions").text)
    group_others = set(db.session.scalars(db.select(Service.name).where(
        Service.provider_id != ours.id, Service.delivery_mode == "group"))) - own
    assert not any(name in listed for name in group_others)
    theirs = db.session.scalar(db.select(GroupSession.id).join(Service).where(Service.provider_id != ours.id))
    assert client.get(f"/delivery/sessions/{theirs}").status_code == 404
    mine = db.session.scalar(db.select(GroupSession.id).join(Service).where(Service.provider_id == ours.id))
    assert client.get(f"/delivery/sessions/{mine}").status_code == 200
