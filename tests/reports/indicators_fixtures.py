"""Records for the indicators, providers, desk and catalogue-use reports' tests,
made directly as rows (the reports read rows; the plans' own tests drive the
services that make them)."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from portal.timeutil import WARSAW

# Frozen "now": Thursday 15 October 2026, 12:00 in Warsaw.
NOW = datetime(2026, 10, 15, 12, 0, tzinfo=WARSAW)
TODAY = NOW.date()
# The demo people's names that no export may hold.
NAMES = ("Zofia", "Wiśniewska", "Marek", "Kowalczyk")


def warsaw(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


@pytest.fixture
def frozen(app):
    app.config["FIXED_NOW"] = NOW
    return NOW


@pytest.fixture
def rows(app, make_user, make_service, make_provider, frozen):
    """A builder of rows, each committed."""
    from portal.assessment.models import Assessment
    from portal.delivery.models import Attendance, Consultation, DeliveryEntry, GroupSession
    from portal.desk.models import Request
    from portal.extensions import db
    from portal.plans.models import Plan, PlanVersion, ServiceGrant
    from portal.residents.models import Resident

    coordinator = make_user("coordinator", "koordynator-r", "Anna Koordynator")
    counter = {"n": 0}

    def person(first="Zofia", last="Wiśniewska"):
        counter["n"] += 1
        n = counter["n"]
        row = Resident(first_name=first, last_name=f"{last}{'' if n == 1 else n}", search_first=first.lower(),
                       search_last=last.lower(), birth_date=date(1950, 1, 1), city="Wojcieszków")
        db.session.add(row)
        db.session.commit()
        return row

    def request(received_at, *, channel="phone", kind="application", resident=None, services=()):
        row = Request(channel=channel, kind=kind, resident_id=resident.id if resident else None,
                      status="assigned", received_at=received_at, coordinator_id=coordinator.id)
        row.services = list(services)
        db.session.add(row)
        db.session.commit()
        return row

    def plan(resident, *, request=None, submitted_on=None, signed_at=None, status="active", valid_from=None,
             number=0):
        assessment = Assessment(request_id=request.id if request else None, resident_id=resident.id,
                                coordinator_id=coordinator.id, status="completed")
        db.session.add(assessment)
        db.session.flush()
        row = Plan(resident_id=resident.id, request_id=request.id if request else None,
                   assessment_id=assessment.id, coordinator_id=coordinator.id, status=status,
                   first_submitted_on=submitted_on)
        start = valid_from or submitted_on or TODAY
        row.versions.append(PlanVersion(number=number, status="signed" if signed_at else "approved",
                                        drawn_up_on=start, valid_from=start,
                                        valid_until=start + timedelta(days=300), signed_at=signed_at))
        db.session.add(row)
        db.session.commit()
        return row

    def grant(resident, service, granted_at, status="granted"):
        row = ServiceGrant(resident_id=resident.id, service_id=service.id, quantity=1, unit=service.unit,
                           period_from=granted_at.date(), period_to=granted_at.date() + timedelta(days=30),
                           status=status, granted_at=granted_at)
        db.session.add(row)
        db.session.commit()
        return row

    def entry(service, resident, day, quantity, provider=None):
        db.session.add(DeliveryEntry(service_id=service.id, resident_id=resident.id,
                                     provider_id=(provider or service.provider).id, delivered_on=day,
                                     quantity=Decimal(quantity), unit=service.unit, delivered_by="Opiekunka"))
        db.session.commit()

    def session(service, day, *, attendees=(), status="held", starts="10:00", ends="12:00", others=0,
                provider=None):
        row = GroupSession(service_id=service.id, provider_id=(provider or service.provider).id, held_on=day,
                           starts=time.fromisoformat(starts), ends=time.fromisoformat(ends), status=status,
                           other_participants=others)
        row.attendances = [Attendance(resident_id=p.id) for p in attendees]
        db.session.add(row)
        db.session.commit()
        return row

    def consultation(service, day, minutes=60, resident=None, provider=None):
        db.session.add(Consultation(service_id=service.id, resident_id=resident.id if resident else None,
                                    provider_id=(provider or service.provider).id, given_on=day, minutes=minutes,
                                    kind="legal", given_by="Prawnik"))
        db.session.commit()

    return SimpleNamespace(person=person, request=request, plan=plan, grant=grant, entry=entry, session=session,
                           consultation=consultation, coordinator=coordinator, make_service=make_service,
                           make_provider=make_provider)
