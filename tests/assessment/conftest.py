"""Fixtures of the assessment tests: a case (an application request assigned
to a coordinator, for a person with Polish diacritics in the name), the
people around it, and a complete set of answers."""
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from portal.timeutil import WARSAW

FIXED = datetime(2026, 3, 10, 10, 30, tzinfo=WARSAW)

# Everything the paper form asks, as services.save takes it.
COMPLETE = {
    "assessed_on": date(2026, 3, 9),
    "place": "home",
    "education": "secondary",
    "labour_status": "inactive",
    "occupation": "krawcowa",
    "marital_status": "widowed",
    "household_size": 1,
    "income_source": "emerytura",
    "social_assistance": "zasiłek okresowy w 2024 r.",
    "support_family": ["cash", "services"],
    "support_others": [],
    "support_ngo": ["in_kind"],
    "support_church": [],
    "support_institutions": [],
    "support_notes": "Córka odwiedza raz w tygodniu.",
    "social_engagement": "Koło Gospodyń Wiejskich",
    "services_used": "Wypożyczalnia sprzętu",
    "problems": "Samotność, trudności z poruszaniem się po schodach.",
    "needs": "Pomoc w zakupach, towarzystwo, rehabilitacja.",
    "readiness": "ready",
    "readiness_notes": "Chce wychodzić z domu.",
    "conclusions": "Rekomenduję Klub Seniora i rehabilitację w domu.",
}
SENSITIVE = {"minority": "no", "disability": "yes", "disability_degree": "moderate",
             "health": "Cukrzyca, po endoprotezie biodra.", "housing": "Dom jednorodzinny, piec na węgiel.",
             "family": "Wdowa, córka w Łukowie."}


@pytest.fixture
def people(app, make_user):
    from portal.auth.models import Role

    return SimpleNamespace(
        coordinator=make_user(Role.COORDINATOR, "koord-ewa", "Ewa Łączyńska"),
        other_coordinator=make_user(Role.COORDINATOR, "koord-piotr", "Piotr Inny"),
        director=make_user(Role.DIRECTOR, "dyr", "Dyrektor Zając"),
        desk=make_user(Role.FRONT_DESK, "recepcja", "Recepcja Nowak"),
        services_organiser=make_user(Role.SERVICES_ORGANISER, "ous", "Organizator Usług"),
        community_organiser=make_user(Role.COMMUNITY_ORGANISER, "osl", "Organizator Społeczności"),
        admin=make_user(Role.ADMIN, "admin", "Admin"),
    )


@pytest.fixture
def case(app, people, make_service, make_village):
    """An application request assigned to `people.coordinator` for Zdzisława Żółkiewska."""
    from portal.desk import services as desk
    from portal.extensions import db
    from portal.residents import services as residents

    app.config["FIXED_NOW"] = FIXED
    village = make_village("Bęczków")
    club = make_service("Klub Seniora w Bęczkowie", unit="meeting")
    rehab = make_service("Rehabilitacja w domu", unit="hour")
    resident = residents.create_resident(db.session, {
        "first_name": "Zdzisława", "last_name": "Żółkiewska", "pesel": "44051401359",
        "address_1": "ul. Źródlana 7", "postal_code": "21-407", "city": "Bęczków", "village_id": village.id,
        "phone": "601 234 567", "email": "zdzislawa@example.pl",
    }, actor=people.desk)
    request = desk.register_request(db.session, {
        "kind": "application", "channel": "phone", "resident_id": resident.id,
        "needs_description": "Potrzebuję pomocy w domu i towarzystwa.",
        "coordinator_id": people.coordinator.id, "service_ids": [club.id],
    }, actor=people.desk)
    db.session.commit()
    return SimpleNamespace(request=request, resident=resident, club=club, rehab=rehab, village=village)


@pytest.fixture
def login(client, auth):
    """login(user): through the real login form; returns the Auth helper (auth.post adds the CSRF token)."""

    def do(user):
        auth.login(user.role, user.username)
        return auth

    return do


@pytest.fixture
def started(case, people):
    """A draft assessment started for the case by its coordinator."""
    from portal.assessment import services as ops
    from portal.extensions import db

    assessment, _created = ops.start(db.session, actor=people.coordinator, request=case.request)
    db.session.commit()
    return assessment


@pytest.fixture
def completed(started, people, case):
    """The case's assessment with every answer, completed."""
    from portal.assessment import services as ops
    from portal.extensions import db

    ops.save_sensitive(db.session, started, SENSITIVE, actor=people.coordinator,
                       expected_version=ops.sensitive_of(db.session, started).version)
    ops.complete(db.session, started, COMPLETE, actor=people.coordinator, expected_version=started.version,
                 services=[{"service_id": case.club.id, "quantity": 8, "frequency": "raz w tygodniu"},
                           {"name": "Pomoc sąsiedzka przy zakupach", "unit": "visit", "quantity": 4,
                            "frequency": "co tydzień"}])
    db.session.commit()
    return started


def audit_actions(assessment_id, object_type="assessment"):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    db.session.expire_all()
    return [e.action for e in db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.object_type == object_type, AuditEvent.object_id == assessment_id)
        .order_by(AuditEvent.id))]
