"""The assessment's signal: completed, sent after the commit through the
real form; a completion refused for missing answers sends nothing."""
from portal.extensions import db
from tests.assessment.conftest import SENSITIVE
from tests.assessment.test_assessment_views import COMPLETE_FORM, edit_form, fresh
from tests.residents.test_residents_views import Page


def test_completing_through_the_form_sends_completed(client, login, started, case, received):
    auth = login(started.coordinator)
    page = client.get(f"/assessments/{started.id}/sensitive/edit")
    response = auth.post(f"/assessments/{started.id}/sensitive/edit",
                         {**SENSITIVE, "version": Page(page.text).values["version"]})
    assert response.status_code == 303
    assert received == []
    response = auth.post(f"/assessments/{started.id}/edit",
                         edit_form(auth.token, fresh(started.id).version, action="complete", **COMPLETE_FORM))
    assert response.status_code == 303, response.text[:3000]
    assessment = fresh(started.id)
    assert assessment.status == "completed"
    assert received == [("assessment_completed", {
        "assessment_id": assessment.id, "number": assessment.number, "request_id": case.request.id,
        "coordinator_id": started.coordinator_id, "actor_id": started.coordinator_id})]


def test_a_completion_with_answers_missing_sends_nothing(client, login, started, received):
    auth = login(started.coordinator)
    response = auth.post(f"/assessments/{started.id}/edit",
                         edit_form(auth.token, started.version, action="complete", problems="Samotność"))
    assert response.status_code == 422
    db.session.expire_all()
    assert fresh(started.id).problems == "Samotność"  # the draft was saved and committed
    assert received == []
