"""Demo monitoring and closures: monitoring cards for the signed demo plans,
closures with their survey, the requests closed with them, a reminder due
somewhere — written by the casework operations and seeded once."""
import pytest
from sqlalchemy import func, select

from portal.casework.models import MonitoringEntry, PlanClosure
from portal.extensions import db
from portal.plans.models import Plan
from portal.timeutil import local_now
from tests.helpers import seed_demo


@pytest.fixture
def seeded(app):
    return seed_demo(through="casework")


def test_demo_monitoring_and_closures(seeded, app):
    """One seeding (it takes seconds), the checks in turn."""
    assert seeded["contacts"] > 0 and seeded["closed"] >= 1
    assert app.config.get("FIXED_NOW") is None  # the seeding gave the clock back
    every_state_appears()
    every_request_status_appears()
    closures_are_consistent()
    monitoring_is_consistent()
    assert_seeding_twice_adds_nothing()


def every_state_appears():
    from portal.casework.desk import DeskFilters, desk

    states = set(db.session.scalars(select(Plan.status)))
    assert {"draft", "submitted", "returned", "approved", "active", "closed"} <= states
    today = local_now().date()
    result = desk(db.session, filters=DeskFilters(), today=today, with_coordinators=True)
    kinds = {row.next.kind for row in result.rows if row.next}
    assert {"plan_due", "contact"} <= kinds
    assert result.counts.total == sum(c.total for _u, c in result.by_coordinator)


def closures_are_consistent():
    closures = db.session.scalars(select(PlanClosure)).all()
    assert closures and any(c.survey_declined for c in closures) == (len(closures) > 1)
    assert any(c.survey_needs for c in closures)
    for closure in closures:
        plan = closure.plan
        assert plan.status == "closed" and plan.closed_on == closure.conversation_on
        assert plan.request.status == "closed_plan"
        assert closure.period_to <= closure.conversation_on
        assert {i.plan_item_id for i in closure.items} == {i.id for i in plan.version_in_force.items}
        entries = db.session.scalars(select(MonitoringEntry.contact_on).where(MonitoringEntry.plan_id == plan.id))
        assert all(day <= closure.conversation_on for day in entries)


def monitoring_is_consistent():
    today = local_now().date()
    for entry in db.session.scalars(select(MonitoringEntry)):
        plan = entry.plan
        assert plan.status in ("active", "closed")
        assert plan.original.drawn_up_on <= entry.contact_on <= today
        assert entry.scope_delivered and entry.satisfaction in (3, 4, 5)
    running = db.session.scalar(select(func.count(func.distinct(MonitoringEntry.plan_id)))
                                .join(Plan, Plan.id == MonitoringEntry.plan_id).where(Plan.status == "active"))
    assert running >= 5


def assert_seeding_twice_adds_nothing():
    from portal.demo.casework import seed_casework

    before = (db.session.scalar(select(func.count()).select_from(MonitoringEntry)),
              db.session.scalar(select(func.count()).select_from(PlanClosure)))
    assert seed_casework(db.session) is None
    db.session.commit()
    assert before == (db.session.scalar(select(func.count()).select_from(MonitoringEntry)),
                      db.session.scalar(select(func.count()).select_from(PlanClosure)))


def every_request_status_appears():
    """With the plans' demo on top of the desk's, requests are in every status."""
    from portal.desk.models import STATUSES, Request

    assert set(db.session.scalars(select(Request.status).distinct())) == set(STATUSES)
