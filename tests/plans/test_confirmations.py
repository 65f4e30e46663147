"""Irreversible plan actions ask on a confirmation page first (portal/confirm.py):
a post without the page's confirmation changes nothing and shows the question;
the page's own post does it."""
import re

from portal.auth.models import Role
from portal.extensions import db
from portal.plans import grants
from portal.plans.models import Plan, ServiceGrant
from tests.helpers import visible_text as text_of
from tests.plans.fixtures import TODAY


def reload(plan_id):
    db.session.expire_all()
    return db.session.get(Plan, plan_id)


def confirmation_fields(html):
    """The hidden fields the confirmation page posts again."""
    form = html[html.index('<input type="hidden" name="confirmed"') - 2000:]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_approval_asks_first(client, auth, make_case, plans):
    plan = plans.submit(plans.draft(make_case()))
    auth.login(Role.DIRECTOR, "dyrektor")
    page = client.get(f"/plans/{plan.id}").text
    assert "Zatwierdź plan…" in text_of(page)
    asked = auth.post(f"/plans/{plan.id}/approve", {"approve-version": str(plan.version)})
    assert asked.status_code == 200
    shown = text_of(asked.text)
    assert "Zatwierdzić plan?" in shown and "treść zostanie zamrożona" in shown
    assert reload(plan.id).status == "submitted" and reload(plan.id).number is None
    fields = confirmation_fields(asked.text)
    assert fields["confirmed"] == "yes" and fields["approve-version"] == str(plan.version)
    done = client.post(f"/plans/{plan.id}/approve", data=fields)
    assert done.status_code == 303
    assert reload(plan.id).number == "IPUS/1/2026"


def test_cancelling_a_draft_asks_first(client, auth, make_case, plans):
    plan = plans.draft(make_case())
    auth.login(Role.COORDINATOR, "koordynator")
    data = {"cancel-version": str(plan.version), "cancel-reason": "Osoba zrezygnowała."}
    asked = auth.post(f"/plans/{plan.id}/cancel", data)
    assert asked.status_code == 200 and "Anulować projekt planu?" in text_of(asked.text)
    assert "Osoba zrezygnowała." in asked.text
    assert reload(plan.id).working_version is not None
    done = auth.post(f"/plans/{plan.id}/cancel", {**data, "confirmed": "yes"})
    assert done.status_code == 303
    assert reload(plan.id).working_version is None


def test_cancelling_a_grant_asks_first(client, auth, make_case, people):
    case = make_case()
    grant = grants.grant_service(db.session, case.request, {"service_id": case.services[0].id, "quantity": 1,
                                                            "period_from": TODAY, "period_to": TODAY},
                                 actor=people.coordinator, today=TODAY)
    db.session.commit()
    auth.login(Role.COORDINATOR, "koordynator")
    assert "Anuluj…" in client.get("/plans/grants").text
    asked = auth.post(f"/plans/grants/{grant.id}/cancel")
    assert asked.status_code == 200 and "Anulować przyznaną usługę" in text_of(asked.text)
    db.session.expire_all()
    assert db.session.get(ServiceGrant, grant.id).status == "granted"
    assert auth.post(f"/plans/grants/{grant.id}/cancel", {"confirmed": "yes"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(ServiceGrant, grant.id).status == "cancelled"
