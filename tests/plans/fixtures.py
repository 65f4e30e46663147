"""Fixtures of the plan tests: the people of a case and a ready case (a
request assigned to the coordinator, a completed assessment wanting two
services), and a helper that drives a plan through the service layer."""
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from portal.auth.models import Role
from portal.timeutil import WARSAW

# Frozen "now": Tuesday 12 May 2026, 10:00 in Warsaw.
NOW = datetime(2026, 5, 12, 10, 0, tzinfo=WARSAW)
TODAY = NOW.date()


def fake_pdf(snapshot, *, draft, content_hash=None):
    """A stand-in renderer for service tests that do not look at the PDF:
    WeasyPrint takes a second per document. The PDF tests use the real one."""
    return b"%PDF-1.4 test " + (content_hash or "draft").encode()


@pytest.fixture
def people(app, make_user):
    return SimpleNamespace(
        coordinator=make_user(Role.COORDINATOR, "koordynator", "Anna Koordynator"),
        other_coordinator=make_user(Role.COORDINATOR, "koordynator2", "Beata Inna"),
        director=make_user(Role.DIRECTOR, "dyrektor", "Celina Dyrektor"),
        organiser=make_user(Role.SERVICES_ORGANISER, "organizator", "Dariusz Organizator"),
        desk=make_user(Role.FRONT_DESK, "recepcja", "Ewa Recepcja"),
        community=make_user(Role.COMMUNITY_ORGANISER, "animator", "Filip Animator"),
        admin=make_user(Role.ADMIN, "admin", "Grzegorz Admin"),
    )


@pytest.fixture
def make_case(app, people, make_service):
    """A request received on `received` (Warsaw), assigned to the coordinator,
    with a completed assessment that wants the given services."""
    from portal.assessment.models import Assessment, AssessmentService
    from portal.desk.models import Request
    from portal.extensions import db
    from portal.residents.models import Resident

    counter = {"n": 0}

    def make(services=None, *, received=datetime(2026, 5, 4, 9, 0, tzinfo=WARSAW), coordinator=None,
             representative=None):
        counter["n"] += 1
        n = counter["n"]
        coordinator = coordinator or people.coordinator
        if services is None:
            services = [make_service(f"Klub Seniora {n}", unit="person", capacity_maximum=2,
                                     schedule_description="wtorki i czwartki 10:00–13:00", places=["Świetlica"]),
                        make_service(f"Opieka w domu {n}", unit="hour", at_client_home=True)]
        person = Resident(first_name="Jan", last_name=f"Nowak{n}", search_first="jan", search_last=f"nowak{n}",
                          birth_date=date(1948, 3, 7), address_1="ul. Polna 3", postal_code="21-407",
                          city="Wojcieszków")
        if representative:
            person.representative_kind = "legal"
            person.representative_name = representative
            person.representative_phone = "+48601234567"
        request = Request(channel="phone", kind="application", resident=person, coordinator_id=coordinator.id,
                          status="in_assessment", needs_description="Pomoc w domu", received_at=received)
        request.services = list(services)
        assessment = Assessment(request=request, resident=person, coordinator_id=coordinator.id, status="completed",
                                assessed_on=received.date(), completed_at=received)
        for position, service in enumerate(services):
            assessment.services_wanted.append(AssessmentService(
                position=position, service_id=service.id, quantity=1 + position, frequency="raz w tygodniu"))
        assessment.services_wanted.append(AssessmentService(position=9, name="Pomoc prawna", quantity=1))
        db.session.add_all([person, request, assessment])
        db.session.commit()
        return SimpleNamespace(resident=person, request=request, assessment=assessment, services=list(services),
                               coordinator=coordinator)

    return make


@pytest.fixture
def frozen(app):
    app.config["FIXED_NOW"] = NOW
    return NOW


@pytest.fixture
def plans(app, people, frozen):
    """Drive plans through the service layer (each step committed)."""
    from portal.extensions import db
    from portal.plans import services as ops

    class Driver:
        def data(self, case, today=TODAY, **overrides):
            values = ops.draft_defaults(db.session, case.assessment, today)
            values["expected_effects"] = "Osoba wychodzi z domu dwa razy w tygodniu."
            values.update(overrides)
            return values

        def draft(self, case, first_item=None, **overrides):
            """The case's plan drafted by its coordinator; `first_item` changes fields of its first service."""
            data = self.data(case, **overrides)
            if first_item:
                data["items"][0].update(first_item)
            plan = ops.create_plan(db.session, case.assessment, data, actor=case.coordinator)
            db.session.commit()
            return plan

        def submit(self, plan, today=TODAY, reason=None, actor=None):
            db.session.refresh(plan)  # the pages may have changed it in their own sessions
            ops.submit(db.session, plan, actor=actor or plan.coordinator, expected_version=plan.version,
                       today=today, overdue_reason=reason)
            db.session.commit()
            return plan

        def approve(self, plan, actor=None, today=TODAY, render=fake_pdf):
            db.session.refresh(plan)
            ops.approve(db.session, plan, actor=actor or people.director, expected_version=plan.version,
                        today=today, render=render)
            db.session.commit()
            return plan

        def sign_both(self, plan, number=0, today=TODAY, actor=None, scan=None, directory=None):
            """The person's and the director's signatures on version `number`
            (the person's with the image `scan`, kept in `directory`)."""
            db.session.refresh(plan)
            version = next(v for v in plan.versions if v.number == number)
            for role, name, image in (("participant", plan.resident.full_name, scan),
                                      ("director", people.director.full_name, None)):
                ops.record_signature(db.session, plan, version, {"signer_role": role, "signer_name": name,
                                                                 "signed_on": today},
                                     actor=actor or plan.coordinator, expected_version=plan.version, today=today,
                                     scan=image, directory=directory)
                db.session.commit()
            return plan

        def active(self, case, **overrides):
            plan = self.draft(case, **overrides)
            self.submit(plan)
            self.approve(plan)
            return self.sign_both(plan)

    return Driver()
