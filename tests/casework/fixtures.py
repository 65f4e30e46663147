"""Fixtures of the casework tests (importable by the browser tests too)."""
from datetime import date, datetime, timezone

import pytest

from portal.auth.models import Role


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def contact(app, people):
    """Record a monitoring contact through the operation: contact(plan, day, scope=..., satisfaction=...)."""
    from portal.casework import services as ops
    from portal.extensions import db

    def record(plan, day, *, scope="Zrealizowano zgodnie z planem.", satisfaction=4, kind="phone", actor=None,
               today=None):
        db.session.refresh(plan)
        items = plan.version_in_force.items
        entries = ops.record_contact(db.session, plan, {
            "contact_on": day, "contact_kind": kind,
            "items": [{"plan_item_id": item.id, "scope_delivered": scope, "remarks": None,
                       "satisfaction": satisfaction} for item in items]},
            actor=actor or plan.coordinator, today=today or max(day, date.today()))
        db.session.commit()
        return entries

    return record


@pytest.fixture
def case_rows(app, people, make_case):
    """Cases with exactly chosen dates, written straight into the tables (no
    operation can put a plan at an arbitrary point in its life): a request
    received at an instant, and optionally its plan with the version in force.

        case_rows(received=utc(...), plan="active", approved_at=utc(...),
                  valid_from=date(...), valid_until=date(...), frequency="quarterly",
                  contacts=[date(...)], first_submitted_on=date(...))
    """
    from portal.casework.models import MonitoringEntry
    from portal.extensions import db
    from portal.plans.models import Plan, PlanItem, PlanVersion

    def make(*, received=utc(2026, 5, 4, 7, 0), services=None, plan=None, version_status=None, approved_at=None,
             valid_from=date(2026, 5, 1), valid_until=date(2027, 4, 30), frequency="quarterly", contacts=(),
             first_submitted_on=None, coordinator=None, name=None, request_status=None, with_request=True):
        case = make_case(services, received=received.astimezone(timezone.utc), coordinator=coordinator)
        if name:
            from portal.catalogue.search import fold

            case.resident.last_name = name
            case.resident.search_last = fold(name)
        request = case.request
        if not with_request:
            request.status = "withdrawn"
        elif request_status:
            request.status = request_status
        if plan is None:
            db.session.commit()
            return case
        if with_request and not request_status:
            request.status = {"approved": "handed_to_plan", "active": "handed_to_plan",
                              "closed": "closed_plan"}.get(plan, request.status)
        row = Plan(resident_id=case.resident.id, request_id=request.id if with_request else None,
                   assessment_id=case.assessment.id, coordinator_id=case.coordinator.id, status=plan,
                   first_submitted_on=first_submitted_on or (valid_from if plan != "draft" else None))
        if plan in ("approved", "active"):
            # Numbers far above the counter's, so plans approved by the operations never collide.
            row.number_year, row.number_seq = valid_from.year, 9000 + case.assessment.id
        status = version_status or {"draft": "draft", "submitted": "submitted", "returned": "returned",
                                    "approved": "approved", "active": "signed", "closed": "signed"}[plan]
        version = PlanVersion(number=0, status=status, drawn_up_on=valid_from, valid_from=valid_from,
                              valid_until=valid_until, check_frequency=frequency,
                              approved_at=approved_at or (utc(valid_from.year, valid_from.month, valid_from.day, 9)
                                                          if status in ("approved", "signed") else None))
        version.items = [PlanItem(service_id=service.id, provider_id=service.provider_id, period_from=valid_from,
                                  period_to=valid_until, quantity=1, unit=service.unit, position=i)
                         for i, service in enumerate(case.services)]
        row.versions.append(version)
        db.session.add(row)
        db.session.flush()
        for day in contacts:
            item = version.items[0]
            db.session.add(MonitoringEntry(plan_id=row.id, plan_item_id=item.id, service_id=item.service_id,
                                           contact_on=day, contact_kind="phone", scope_delivered="Rozmowa",
                                           satisfaction=5))
        db.session.commit()
        case.plan = row
        return case

    return make


@pytest.fixture
def coordinator_client(client, auth, people):
    auth.login(Role.COORDINATOR, "koordynator")
    return auth


@pytest.fixture
def director_client(client, auth, people):
    auth.login(Role.DIRECTOR, "dyrektor")
    return auth


@pytest.fixture(autouse=True)
def fresh_desk_regions(app):
    """Each test starts with no rendered desk kept: the test databases are
    emptied between tests, so the data version can come round again."""
    app.extensions.pop("casework_desk_regions", None)
