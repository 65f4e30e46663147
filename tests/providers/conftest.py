"""Fixtures of the provider accounts' tests (importable by the browser test):
our provider (the test provider account's organisation) with a club and
home care, another provider with its own club, people granted each, a
planned session of each club, and a second provider's account."""
from datetime import date, datetime, time
from types import SimpleNamespace

import pytest

from portal.auth.models import Role
from portal.timeutil import WARSAW
from tests.conftest import Auth, provider_for
from tests.desk.test_desk_mail import smtp  # noqa: F401  (fixture: a real aiosmtpd server)

# Frozen "now": Tuesday 12 May 2026, 10:00 in Warsaw.
NOW = datetime(2026, 5, 12, 10, 0, tzinfo=WARSAW)
TODAY = date(2026, 5, 12)


def make_world(make_service):
    from portal.auth.services import create_user
    from portal.catalogue.models import Place, Provider
    from portal.delivery.models import GroupSession
    from portal.extensions import db
    from portal.plans.models import ServiceGrant
    from portal.residents.models import Resident

    ours = db.session.get(Provider, provider_for(Role.PROVIDER))
    ours.nip, ours.phone, ours.description = "5260250274", "+48257531001", "Kluby seniora w gminie."
    theirs = Provider(name="Fundacja Inna", slug="fundacja-inna", provider_type="foundation")
    db.session.add(theirs)
    db.session.flush()
    club = make_service("Klub Seniora w Burzcu", unit="meeting", provider=ours,
                        rules=[(1, "10:00", "13:00")], places=[Place(name="Świetlica w Burzcu")],
                        assured_date=date(2025, 10, 1))
    care = make_service("Opieka w domu", unit="hour", provider=ours, assured_date=date(2026, 4, 1))
    other_club = make_service("Klub Fundacji Innej", unit="meeting", provider=theirs, assured_date=date(2024, 1, 1))

    def person(first, last, services, pesel=None):
        resident = Resident(first_name=first, last_name=last, search_first=first.lower(), search_last=last.lower(),
                            birth_date=date(1950, 1, 1), pesel=pesel, address_1="ul. Tajna 7", city="Burzec")
        db.session.add(resident)
        db.session.flush()
        for service in services:
            db.session.add(ServiceGrant(resident_id=resident.id, service_id=service.id, quantity=10,
                                        unit=service.unit, period_from=date(2026, 1, 1), period_to=date(2026, 12, 31),
                                        status="granted"))
        return resident

    zajac = person("Żaneta", "Zając", [club, care], pesel="44051401359")
    nowak = person("Adam", "Nowak", [club])
    obcy = person("Olga", "Obca", [other_club])
    ours_session = GroupSession(service_id=club.id, provider_id=ours.id, held_on=TODAY, starts=time(10),
                                ends=time(13), place="Świetlica w Burzcu")
    their_session = GroupSession(service_id=other_club.id, provider_id=theirs.id, held_on=TODAY, starts=time(10),
                                 ends=time(12), place="Siedziba fundacji")
    db.session.add_all([ours_session, their_session])
    other_account = create_user("fundacja-inna", "Irena Inna", Role.PROVIDER, Auth.PASSWORD,
                                email="irena@fundacja-inna.example", provider_id=theirs.id)
    db.session.commit()
    return SimpleNamespace(ours=ours, theirs=theirs, club=club, care=care, other_club=other_club, zajac=zajac,
                           nowak=nowak, obcy=obcy, session=ours_session, their_session=their_session,
                           other_account=other_account)


@pytest.fixture
def world(app, make_service):
    app.config["FIXED_NOW"] = NOW
    return make_world(make_service)


@pytest.fixture
def provider(auth, world):
    """Logged in as our provider's account (Renata Realizatorka)."""
    from portal.extensions import db

    user = auth.login(Role.PROVIDER)
    user.full_name, user.email = "Renata Realizatorka", "renata@realizator.example"
    db.session.commit()
    return user


def audit(action=None, object_type=None):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    query = db.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    return list(db.session.scalars(query))
