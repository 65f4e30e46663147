"""A case handed to another coordinator (security review, issue 9, HIGH).

When the desk reassigns a request, the whole case goes with it: every
document of the case (the assessment, the plan and its versions, the PDFs,
the signature scans, grants, waiting lists, the monitoring card, the
closure) follows the request's current coordinator; the former coordinator
is refused everywhere, the new one gets everything, the director still sees
all. The denormalised coordinator of the request's assessments and plans
moves in the same transaction (each move in the audit log), and the case's
history shows the handover with who and when.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.assessment.models import Assessment
from portal.audit.models import AuditEvent
from portal.desk import services as desk
from portal.extensions import db
from portal.plans import grants, waiting
from portal.plans import services as ops
from portal.plans.models import Plan
from tests.helpers import png, switch
from tests.plans.fixtures import TODAY


def _second_assessment(case):
    """Another completed assessment of the same request with no plan drawn
    from it yet (where /plans/new/<assessment> leads)."""
    spare = Assessment(request=case.request, resident=case.resident, coordinator_id=case.coordinator.id,
                       status="completed", assessed_on=TODAY, completed_at=case.assessment.completed_at)
    db.session.add(spare)
    db.session.commit()
    return spare


@pytest.fixture
def handed_over(app, tmp_path, people, make_case, plans):
    """Anna (coordinator) drafts the plan; the desk hands the case to Beata,
    who takes it to signatures with a scan, starts an update, grants a single
    service and puts the person on a waiting list."""
    app.config["PLAN_SCAN_DIR"] = str(tmp_path / "scans")
    anna, beata = people.coordinator, people.other_coordinator
    case = make_case()
    spare = _second_assessment(case)
    plan = plans.draft(case)
    assert plan.coordinator_id == anna.id

    desk.assign(db.session, case.request, beata, actor=people.desk)
    db.session.commit()

    plans.submit(plan, actor=beata)
    plans.approve(plan)
    plans.sign_both(plan, actor=beata, scan=png(), directory=app.config["PLAN_SCAN_DIR"])
    version = plan.versions[0]
    ops.start_update(db.session, plan, actor=beata, expected_version=plan.version, today=TODAY)
    grant = grants.grant_service(db.session, case.request, {
        "service_id": case.services[1].id, "quantity": 2, "period_from": TODAY,
        "period_to": TODAY + timedelta(days=30)}, actor=beata, today=TODAY)
    entry = waiting.add_to_waiting_list(db.session, {"service_id": case.services[0].id, "resident_id": case.resident.id,
                                                     "plan_id": plan.id, "request_id": case.request.id}, actor=beata)
    db.session.commit()
    signature = next(s for s in version.signatures if s.scan_file)
    return case, plan, spare, signature, grant, entry


def _case_pages(case, plan, spare, signature):
    a = case.assessment.id
    return [
        f"/plans/new/{spare.id}",
        f"/plans/{plan.id}",
        f"/plans/{plan.id}/versions/0",
        f"/plans/{plan.id}/versions/1",
        f"/plans/{plan.id}/edit",
        f"/plans/{plan.id}/versions/0/pdf",
        f"/plans/{plan.id}/versions/0/sign",
        f"/plans/signatures/{signature.id}/scan",
        f"/plans/requests/{case.request.id}/grant",
        f"/cases/plans/{plan.id}/monitoring",
        f"/cases/plans/{plan.id}/monitoring/card.pdf",
        f"/cases/plans/{plan.id}/closure",
        f"/cases/plans/{plan.id}/closure.pdf",
        f"/assessments/{a}",
        f"/assessments/{a}/pdf",
        f"/assessments/{a}/sensitive",
    ]


def test_the_former_coordinator_is_refused_on_every_document_of_the_case(client, auth, handed_over):
    case, plan, spare, signature, grant, entry = handed_over
    switch(auth, "koordynator")
    refused = {url: client.get(url).status_code for url in _case_pages(case, plan, spare, signature)}
    assert refused == {url: 403 for url in refused}
    # Nor any change to the plan, the grant or the waiting list.
    lock = str(db.session.get(Plan, plan.id).version)
    for url, data in ((f"/plans/{plan.id}/cancel", {"cancel-version": lock, "cancel-reason": "x"}),
                      (f"/plans/{plan.id}/submit", {"submit-version": lock}),
                      (f"/plans/{plan.id}/versions/0/sign", {"version": lock, "signer_role": "representative",
                                                             "signer_name": "X", "signed_on": "12.05.2026"}),
                      (f"/plans/grants/{grant.id}/cancel", {}),
                      (f"/plans/waiting/{entry.id}/status", {"status": "withdrawn"}),
                      (f"/plans/new/{spare.id}", {"action": "save"})):
        assert auth.post(url, data).status_code == 403, url
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).status == "active"


def test_the_former_coordinator_sees_the_case_in_no_list(client, auth, handed_over):
    case, plan, spare, signature, grant, entry = handed_over
    name = case.resident.full_name
    switch(auth, "koordynator")
    for url in ("/plans/", "/plans/grants", f"/plans/waiting?service={entry.service_id}", "/cases/",
                "/assessments/"):
        page = client.get(url)
        assert page.status_code == 200 and name not in page.text, url
    assert "osoba z innej sprawy" in client.get(f"/plans/waiting?service={entry.service_id}").text


def test_the_new_coordinator_gets_the_whole_case(client, auth, handed_over):
    case, plan, spare, signature, grant, entry = handed_over
    name = case.resident.full_name
    switch(auth, "koordynator2")
    opened = {url: client.get(url).status_code for url in _case_pages(case, plan, spare, signature)}
    assert opened == {url: 200 for url in opened}
    for url in ("/plans/", "/plans/grants", f"/plans/waiting?service={entry.service_id}", "/cases/",
                "/assessments/"):
        assert name in client.get(url).text, url


def test_the_director_still_sees_all(client, auth, handed_over):
    case, plan, spare, signature, grant, entry = handed_over
    switch(auth, "dyrektor")
    opened = {url: client.get(url).status_code for url in _case_pages(case, plan, spare, signature)}
    assert opened == {url: 200 for url in opened}
    # The director's list filtered by coordinator goes by the case, too.
    only_list = {"HX-Request": "true", "HX-Target": "plan-list"}
    page = client.get(f"/plans/?coordinator={case.request.coordinator_id}", headers=only_list)
    assert case.resident.full_name in page.text
    page = client.get(f"/plans/?coordinator={case.coordinator.id}", headers=only_list)
    assert case.resident.full_name not in page.text


def test_the_reassignment_moves_the_case_documents_and_records_each(app, people, handed_over):
    case, plan, spare, signature, grant, entry = handed_over
    anna, beata = people.coordinator, people.other_coordinator
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).coordinator_id == beata.id
    assert {a.coordinator_id for a in db.session.scalars(
        select(Assessment).where(Assessment.request_id == case.request.id))} == {beata.id}
    moved = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type.in_(("plan", "assessment")), AuditEvent.actor_id == people.desk.id)).all()
    assert sorted((e.object_type, e.object_id) for e in moved) == sorted(
        [("plan", plan.id), ("assessment", case.assessment.id), ("assessment", spare.id)])
    assert all(e.changes["coordinator_id"] == [anna.id, beata.id] for e in moved)
    request_event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "request", AuditEvent.object_id == case.request.id,
        AuditEvent.actor_id == people.desk.id).order_by(AuditEvent.id)).all()[-1]
    assert request_event.changes["coordinator_id"] == [anna.id, beata.id]
    assert request_event.changes["handed_over"] == {"assessments": sorted([case.assessment.id, spare.id]),
                                                    "plans": [plan.id]}


def test_a_failed_reassignment_moves_nothing(app, people, make_case, plans):
    case = make_case()
    plan = plans.draft(case)
    desk.change_status(db.session, case.request, "withdrawn", actor=people.desk)
    db.session.commit()
    with pytest.raises(desk.TransitionError):
        desk.assign(db.session, case.request, people.other_coordinator, actor=people.desk)
    db.session.rollback()
    assert db.session.get(Plan, plan.id).coordinator_id == people.coordinator.id


def test_the_history_shows_the_handover(client, auth, people, handed_over):
    case, plan, spare, signature, grant, entry = handed_over
    switch(auth, "recepcja")
    page = client.get(f"/desk/requests/{case.request.id}")
    assert "Przekazano sprawę" in page.text and "Anna Koordynator → Beata Inna" in page.text
    switch(auth, "koordynator2")
    page = client.get(f"/plans/{plan.id}")
    text = page.text
    assert "Przekazano sprawę" in text and "Anna Koordynator → Beata Inna" in text
    assert "Ewa Recepcja" in text and "12.05.2026 10:00" in text
    # The plan names its coordinator now: Beata.
    assert "<dt>Koordynator</dt><dd>Beata Inna</dd>" in text


def test_access_follows_the_request_even_where_the_stored_coordinator_lags(client, auth, people, make_case,
                                                                             plans):
    """Rows reassigned before the handover moved them (or written by any other
    path) still name the former coordinator: the request decides."""
    case = make_case()
    spare = _second_assessment(case)
    plan = plans.draft(case)
    case.request.coordinator_id = people.other_coordinator.id
    db.session.commit()
    switch(auth, "koordynator")
    for url in (f"/plans/new/{spare.id}", f"/plans/{plan.id}", f"/plans/{plan.id}/edit",
                f"/plans/{plan.id}/versions/0/pdf", f"/assessments/{spare.id}"):
        assert client.get(url).status_code == 403, url
    for url in ("/plans/", "/assessments/"):
        assert case.resident.full_name not in client.get(url).text, url
    switch(auth, "koordynator2")
    assert case.resident.full_name in client.get("/plans/").text
    for url in (f"/plans/new/{spare.id}", f"/plans/{plan.id}", f"/plans/{plan.id}/edit"):
        assert client.get(url).status_code == 200, url


def test_a_new_plan_names_the_requests_current_coordinator(app, people, make_case, plans):
    case = make_case()
    case.request.coordinator_id = people.other_coordinator.id  # the assessment still names Anna
    db.session.commit()
    with pytest.raises(ops.NotAllowed):
        ops.create_plan(db.session, case.assessment, plans.data(case), actor=people.coordinator)
    db.session.rollback()
    by_director = ops.create_plan(db.session, case.assessment, plans.data(case), actor=people.director)
    db.session.commit()
    assert by_director.coordinator_id == people.other_coordinator.id


def test_a_plan_without_a_request_stays_with_its_own_coordinator(client, auth, people, make_case, plans):
    case = make_case()
    plan = plans.draft(case)
    plan.request_id = None
    case.assessment.request_id = None
    db.session.commit()
    switch(auth, "koordynator")
    assert client.get(f"/plans/{plan.id}").status_code == 200
    assert case.resident.full_name in client.get("/plans/").text
    switch(auth, "koordynator2")
    assert client.get(f"/plans/{plan.id}").status_code == 403



def test_the_director_hands_over_a_running_plan(client, auth, people, make_case, plans):
    """A coordinator who leaves or falls ill: the request is closed at the desk
    (handed to a plan) but the plan runs; the director hands the case over
    from the request's page, the front desk cannot."""
    case = make_case()
    plan = plans.active(case)
    db.session.refresh(case.request)
    assert case.request.status == "handed_to_plan"
    switch(auth, "recepcja")
    page = client.get(f"/desk/requests/{case.request.id}")
    assert 'name="assign-coordinator_id"' not in page.text
    refused = auth.post(f"/desk/requests/{case.request.id}/assign",
                        {"assign-coordinator_id": str(people.other_coordinator.id),
                         "assign-version": str(case.request.version)})
    assert refused.status_code == 422 and "Zamkniętego zgłoszenia nie można przydzielić." in refused.text
    switch(auth, "dyrektor")
    page = client.get(f"/desk/requests/{case.request.id}")
    assert 'name="assign-coordinator_id"' in page.text
    done = auth.post(f"/desk/requests/{case.request.id}/assign",
                     {"assign-coordinator_id": str(people.other_coordinator.id),
                      "assign-version": str(db.session.get(type(case.request), case.request.id).version)})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).coordinator_id == people.other_coordinator.id
    switch(auth, "koordynator")
    assert client.get(f"/plans/{plan.id}").status_code == 403
    switch(auth, "koordynator2")
    assert "Beata Inna" in client.get(f"/plans/{plan.id}").text
    assert client.get(f"/cases/plans/{plan.id}/monitoring").status_code == 200


def test_a_closed_case_is_not_handed_over(app, people, make_case, plans):
    case = make_case()
    plan = plans.active(case)
    plan.status = "closed"
    db.session.commit()
    with pytest.raises(desk.TransitionError):
        desk.assign(db.session, case.request, people.other_coordinator, actor=people.director)
    db.session.rollback()
