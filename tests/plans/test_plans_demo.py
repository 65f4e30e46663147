"""Demo plans: every state over the past year, consistent with the demo
requests and assessments, written by the plans' own operations."""
import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.plans.models import Plan, PlanVersion, ServiceGrant, WaitingListEntry
from tests.helpers import seed_demo


@pytest.fixture
def seeded(app):
    return seed_demo(through="plans")


def test_demo_plans(seeded, app):
    """One seeding (it takes seconds), three checks."""
    every_state_appears(app)
    plans_are_consistent_with_requests_and_the_law()
    seeding_twice_adds_nothing()


def every_state_appears(app):
    plan_states = set(db.session.scalars(select(Plan.status)))
    assert {"draft", "submitted", "returned", "approved", "active", "cancelled"} <= plan_states
    version_states = set(db.session.scalars(select(PlanVersion.status)))
    assert {"draft", "submitted", "returned", "approved", "signed", "superseded", "cancelled"} <= version_states
    assert db.session.scalar(select(func.count()).select_from(ServiceGrant)) >= 1
    assert db.session.scalar(select(func.count()).select_from(WaitingListEntry)) >= 1
    assert db.session.scalar(select(func.count()).select_from(PlanVersion)
                             .where(PlanVersion.delegation_id.is_not(None))) >= 1
    assert app.config.get("FIXED_NOW") is None  # the seeding gave the clock back


def plans_are_consistent_with_requests_and_the_law():
    from portal.core.deadlines import max_valid_until, plan_deadline

    plans = db.session.scalars(select(Plan)).all()
    numbers = [(p.number_year, p.number_seq) for p in plans if p.number_seq]
    assert len(numbers) == len(set(numbers))
    for plan in plans:
        assert plan.assessment.status == "completed" and plan.assessment.request_id == plan.request_id
        assert plan.coordinator_id == plan.request.coordinator_id
        if plan.status in ("approved", "active"):
            assert plan.request.status == "handed_to_plan" and plan.number
        for version in plan.versions:
            assert version.valid_until <= max_valid_until(version.valid_from)
            if version.status in ("approved", "signed", "superseded"):
                assert version.pdf.startswith(b"%PDF-") and version.content_hash
        if plan.first_submitted_on:
            deadline = plan_deadline(plan.request, plan.first_submitted_on, submitted_on=plan.first_submitted_on)
            assert (deadline.state == "late") == bool(plan.overdue_reason)


def seeding_twice_adds_nothing():
    from portal.demo.plans import seed_plans

    before = db.session.scalar(select(func.count()).select_from(Plan))
    assert seed_plans(db.session) is None
    assert db.session.scalar(select(func.count()).select_from(Plan)) == before
