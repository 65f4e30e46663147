"""Records for the reports' tests, written straight into the tables with the
exact moments a counting rule reads (plans/services.py drives the same
records through approval and signatures; test_reports_quarterly.py has one
test that goes that way too)."""
from datetime import date, datetime
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
