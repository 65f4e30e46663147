"""Demo assessments: one per demo application in assessment or handed on to
a plan, completed ones complete by the same rules as the form, drafts too,
dates consistent with the requests, and a second run adds nothing."""
import pytest

from portal.assessment import services as ops
from portal.assessment.models import Assessment
from portal.desk.models import Request
from portal.extensions import db
from portal.timeutil import WARSAW
from tests.helpers import seed_demo


@pytest.fixture
def seeded(app):
    return seed_demo(through="assessments")


def test_every_assessed_request_has_one(seeded):
    requests = db.session.scalars(db.select(Request).where(
        Request.kind == "application", Request.status.in_(("in_assessment", "handed_to_plan")),
        Request.resident_id.is_not(None))).all()
    assessments = db.session.scalars(db.select(Assessment)).all()
    assert requests and len(assessments) == len(requests)
    by_request = {a.request_id: a for a in assessments}
    for request in requests:
        assessment = by_request[request.id]
        assert assessment.resident_id == request.resident_id
        assert assessment.coordinator_id == request.coordinator_id
        if request.status == "handed_to_plan":
            assert assessment.status == "completed"
        assert request.received_at.astimezone(WARSAW).date() <= assessment.assessed_on
    assert seeded["completed"] > 0 and seeded["draft"] > 0


def test_completed_demo_assessments_pass_the_completion_rules(seeded):
    for assessment in db.session.scalars(db.select(Assessment).where(Assessment.status == "completed")):
        errors, sensitive_errors = ops.missing(assessment, ops.sensitive_of(db.session, assessment))
        assert errors == {} and sensitive_errors == {}, assessment.id
        assert assessment.completed_at is not None and assessment.services_wanted


def test_seeding_again_adds_nothing(seeded):
    from portal.demo.assessments import seed_assessments

    before = db.session.scalar(db.select(db.func.count()).select_from(Assessment))
    assert seed_assessments(db.session) is None
    assert db.session.scalar(db.select(db.func.count()).select_from(Assessment)) == before
