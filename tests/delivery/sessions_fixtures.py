"""Fixtures of the group sessions' tests: a club with a weekly schedule and
people granted it (single grants: a commitment as commitments() reads it)."""
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from portal.auth.models import Role
from portal.timeutil import WARSAW

# Frozen "now": Tuesday 12 May 2026, 10:00 in Warsaw.
NOW = datetime(2026, 5, 12, 10, 0, tzinfo=WARSAW)

NAMES = [("Żaneta", "Zając"), ("Łucja", "Łukasik"), ("Adam", "Nowak"), ("Ewa", "Ćwik"), ("Jan", "Kowalski")]


@pytest.fixture
def frozen(app):
    app.config["FIXED_NOW"] = NOW
    return NOW


@pytest.fixture
def staff(app, make_user):
    return SimpleNamespace(
        organiser=make_user(Role.SERVICES_ORGANISER, "organizator", "Dariusz Organizator"),
        director=make_user(Role.DIRECTOR, "dyrektor", "Celina Dyrektor"),
        coordinator=make_user(Role.COORDINATOR, "koordynator", "Anna Koordynator"),
        community=make_user(Role.COMMUNITY_ORGANISER, "animator", "Filip Animator"),
    )


@pytest.fixture
def club(app, make_service):
    """Klub Seniora: Tuesdays and Thursdays 10:00–13:00 in the hall of Burzec."""
    from portal.catalogue.models import Place

    return make_service("Klub Seniora w Burzcu", unit="meeting", rules=[(1, "10:00", "13:00"), (3, "10:00", "13:00")],
                        places=[Place(name="Świetlica w Burzcu", address_1="Burzec 48")])


@pytest.fixture
def grant(app):
    """grant(service, first_name, last_name, start, end): a person granted the service for the period."""
    from portal.extensions import db
    from portal.plans.models import ServiceGrant
    from portal.residents.models import Resident

    def make(service, first_name, last_name, start=date(2026, 1, 1), end=date(2026, 12, 31), pesel=None):
        person = Resident(first_name=first_name, last_name=last_name, search_first=first_name.lower(),
                          search_last=last_name.lower(), pesel=pesel, birth_date=date(1950, 1, 1),
                          address_1="ul. Tajna 7", city="Burzec")
        db.session.add(person)
        db.session.flush()
        db.session.add(ServiceGrant(resident_id=person.id, service_id=service.id, quantity=1, unit=service.unit,
                                    period_from=start, period_to=end, status="granted"))
        db.session.commit()
        return person

    return make


@pytest.fixture
def members(club, grant):
    return [grant(club, first, last) for first, last in NAMES]
