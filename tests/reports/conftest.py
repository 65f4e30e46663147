"""Records for the reports' tests, written straight into the tables with the
exact moments a counting rule reads (plans/services.py drives the same
records through approval and signatures; test_reports_quarterly.py has one
test that goes that way too)."""
from datetime import date, datetime, time
from decimal import Decimal
from types import SimpleNamespace

import pytest

from portal.auth.models import Role
from portal.timeutil import WARSAW


def local(*parts):
    """An aware moment in Warsaw: local(2026, 3, 31, 23, 30)."""
    return datetime(*parts, tzinfo=WARSAW)


@pytest.fixture
def records(app, make_user, make_service):
    from portal.assessment.models import Assessment
    from portal.extensions import db
    from portal.plans.models import Plan, PlanItem, PlanVersion, ServiceGrant
    from portal.reports.history import HistoryImport, HistoryRow
    from portal.residents.models import Resident

    coordinator = make_user(Role.COORDINATOR, "koordynator-r", "Anna Koordynator")
    counter = {"person": 0}

    class Records:
        def person(self, first_name="Jan", last_name=None, pesel=None):
            counter["person"] += 1
            person = Resident(first_name=first_name, last_name=last_name or f"Raportowy{counter['person']}",
                              search_first=first_name.lower(), search_last=(last_name or "raportowy").lower(),
                              pesel=pesel, birth_date=date(1950, 1, 1), address_1="ul. Tajna 7", city="Burzec")
            db.session.add(person)
            db.session.flush()
            return person

        def plan(self, versions, person=None, status=None):
            """versions: [(signed_at or None, [services]), ...] numbered 0, 1, ...;
            a version not signed is a cancelled draft when a later one exists."""
            person = person or self.person()
            assessment = Assessment(resident_id=person.id, coordinator_id=coordinator.id, status="completed")
            db.session.add(assessment)
            db.session.flush()
            plan = Plan(resident_id=person.id, assessment_id=assessment.id, coordinator_id=coordinator.id,
                        status=status or ("active" if versions[0][0] else "draft"))
            for number, (signed_at, services) in enumerate(versions):
                day = (signed_at or local(2026, 1, 1)).date()
                version = PlanVersion(number=number, status="signed" if signed_at else "cancelled",
                                      drawn_up_on=day, valid_from=day, valid_until=date(day.year + 1, 12, 31),
                                      signed_at=signed_at)
                for position, service in enumerate(services):
                    version.items.append(PlanItem(position=position, service_id=service.id, period_from=day,
                                                  period_to=date(day.year + 1, 12, 31), quantity=4,
                                                  unit=service.unit))
                plan.versions.append(version)
            db.session.add(plan)
            db.session.commit()
            return plan

        def grant(self, service, granted_at, person=None, status="granted"):
            person = person or self.person()
            grant = ServiceGrant(resident_id=person.id, service_id=service.id, quantity=2, unit=service.unit,
                                 period_from=granted_at.date(), period_to=granted_at.date().replace(month=12, day=31),
                                 status=status, granted_at=granted_at)
            db.session.add(grant)
            db.session.commit()
            return grant

        def history(self, rows):
            """rows: (kind, day, service or name or None, case_ref[, quantity])."""
            batch = HistoryImport(filename="historia.csv", row_count=len(rows))
            for kind, day, service, case_ref, *quantity in rows:
                batch.rows.append(HistoryRow(
                    kind=kind, day=day, case_ref=case_ref,
                    service_id=getattr(service, "id", None),
                    service_name=service if isinstance(service, str) else getattr(service, "name", None),
                    quantity=Decimal(quantity[0]) if quantity else None))
            db.session.add(batch)
            db.session.commit()
            return batch

    return Records()


@pytest.fixture
def services(make_service):
    return SimpleNamespace(
        club=make_service("Klub Seniora", unit="meeting"),
        care=make_service("Opieka w domu", unit="hour", slug="opieka-w-domu"),
        transport=make_service("Łatwy transport", unit="trip", slug="latwy-transport"),
    )


@pytest.fixture
def delivery(app, records, services):
    """A year of the three services' delivery, closures and surveys."""
    from portal.casework.models import ClosureItem, PlanClosure
    from portal.delivery.models import Attendance, Consultation, DeliveryEntry, GroupSession
    from portal.extensions import db
    from portal.quality.models import SurveyAnswer, SurveyScore

    anna = records.person("Zenobia", "Tajemnicza", pesel="44051401359")
    bogdan = records.person("Bogdan", "Ukryty")
    celina = records.person("Celina", "Niewidoczna")
    club, care, transport = services.club, services.care, services.transport

    def group(day, starts, ends, status="held", people=(), others=0):
        row = GroupSession(service_id=club.id, provider_id=club.provider_id, held_on=day, starts=starts, ends=ends,
                           status=status, other_participants=others)
        db.session.add(row)
        db.session.flush()
        for person in people:
            db.session.add(Attendance(session_id=row.id, resident_id=person.id))

    group(date(2026, 3, 3), time(10), time(12), people=(anna, bogdan), others=3)
    # The night the clocks go back: 01:00–04:00 on the face is four hours.
    group(date(2026, 10, 25), time(1), time(4), people=(anna,))
    group(date(2026, 5, 5), time(10), time(12), status="cancelled")
    group(date(2025, 12, 30), time(10), time(12), people=(celina,))  # the year before

    def entry(service, person, day, quantity):
        db.session.add(DeliveryEntry(service_id=service.id, resident_id=person.id, provider_id=service.provider_id,
                                     delivered_on=day, quantity=Decimal(quantity), unit=service.unit))

    entry(care, anna, date(2026, 1, 2), "1.5")
    entry(care, bogdan, date(2026, 1, 9), "2")
    entry(care, bogdan, date(2026, 2, 9), "2")
    entry(transport, celina, date(2026, 7, 1), "1")

    def consultation(service, person, day, minutes):
        db.session.add(Consultation(service_id=service.id, resident_id=getattr(person, "id", None),
                                    provider_id=service.provider_id, given_on=day, minutes=minutes))

    consultation(care, celina, date(2026, 2, 20), 90)
    consultation(care, None, date(2026, 2, 21), 30)  # anonymous
    consultation(transport, celina, date(2026, 7, 2), 45)

    # Granted: anna has club and care in a plan, bogdan care by a grant, a history row for care and a lost name.
    plan_anna = records.plan([(local(2026, 1, 5, 10), [club, care])], person=anna, status="closed")
    plan_bogdan = records.plan([(local(2026, 1, 6, 10), [care])], person=bogdan, status="closed")
    records.grant(care, local(2026, 2, 1, 10), person=celina)
    records.history([("service", date(2026, 3, 1), care, "H/1"), ("service", date(2026, 3, 2), care, "H/1"),
                     ("service", date(2026, 4, 1), "Dawna pralnia", "H/2")])

    def closure(plan, day, outcomes, change=None):
        row = PlanClosure(plan_id=plan.id, conversation_on=day, period_from=date(2026, 1, 5), period_to=day,
                          course="", reasons="", effects="", survey_change=change)
        version = plan.versions[0]
        for item, outcome in zip(version.items, outcomes, strict=True):
            row.items.append(ClosureItem(plan_item_id=item.id, service_id=item.service_id, period_from=item.period_from,
                                         period_to=day, outcome=outcome))
        db.session.add(row)

    closure(plan_anna, date(2026, 11, 30), ["attained", "not_attained"])  # club improved, care not
    closure(plan_bogdan, date(2026, 12, 1), ["not_attained"], change=5)  # care improved by the survey

    for scores in ((5, 4), (4, 4), (3, 5)):
        answer = SurveyAnswer(service_id=club.id, answered_on=date(2026, 6, 1), channel="paper")
        answer.scores = [SurveyScore(position=i, question=f"Pytanie {i}", score=s) for i, s in enumerate(scores)]
        db.session.add(answer)
    db.session.commit()
    return services
