"""The demo queue: an informal group's and another public body's applications waiting, a rural housewives'
circle asked to complete its application, as the demo organiser reads them."""
from sqlalchemy import select

from portal.applications.models import ProviderApplication
from portal.extensions import db
from tests.applications.test_applications_public import visible
from tests.demo.conftest import demo  # noqa: F401  (the fixture)
from tests.demo.test_readme import signed_in


def test_the_demo_queue(app, demo):
    rows = db.session.scalars(select(ProviderApplication)).all()
    assert sorted((a.provider_type, a.status) for a in rows) == [
        ("informal_group", "new"), ("kgw", "more_info"), ("public_body", "new")]
    organiser = signed_in(app, "organizator")
    page = visible(organiser.get("/manage/applications").text)
    assert "2 zgłoszenia realizatorów" in page
    assert "Grupa sąsiedzka „Dobry Sąsiad” z Burzca" in page and "Powiatowa Biblioteka Publiczna w Łukowie" in page
    asked = visible(organiser.get("/manage/applications?state=more_info").text)
    assert "Koło Gospodyń Wiejskich w Zofiborze" in asked
    start = visible(organiser.get("/staff").text)
    assert "Czekają na rozpatrzenie 2" in start
