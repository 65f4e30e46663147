"""What a services organiser authorised to approve plans may see (security
review, issue 9, LOW): only the plans waiting for their decision (a version
"submitted"), and of those only what the decision needs — the plan's page
and the submitted version's page; never another version, a PDF, a signature
scan, the monitoring card, the closure or grants (portal/plans/access.py)."""
import pytest

from portal.casework import services as casework
from portal.extensions import db
from portal.plans import delegations
from portal.plans import services as ops
from portal.plans.models import Plan
from tests.helpers import png, switch
from tests.plans.fixtures import TODAY


@pytest.fixture
def delegation(app, people):
    granted = delegations.grant_delegation(db.session, people.organiser.id, actor=people.director, today=TODAY)
    db.session.commit()
    return granted


@pytest.fixture
def signed_with_scan(app, tmp_path, people, make_case, plans):
    """A plan approved and signed by both sides, the person's signature with a scan."""
    app.config["PLAN_SCAN_DIR"] = str(tmp_path / "scans")
    plan = plans.approve(plans.submit(plans.draft(make_case())))
    plans.sign_both(plan, actor=people.coordinator, scan=png(), directory=app.config["PLAN_SCAN_DIR"])
    return plan, next(s for s in plan.versions[0].signatures if s.scan_file)


def _approve(auth, plan):
    db.session.expire_all()  # the pages change plans in their own sessions
    return auth.post(f"/plans/{plan.id}/approve", {"approve-version": str(db.session.get(Plan, plan.id).version),
                                                     "confirmed": "yes"})


def test_an_authorised_organiser_sees_a_submitted_plan_but_not_its_pdf(client, auth, delegation, make_case, plans):
    case = make_case()
    plan = plans.submit(plans.draft(case))
    switch(auth, "organizator")
    assert case.resident.full_name in client.get("/plans/approvals").text
    page = client.get(f"/plans/{plan.id}")
    assert page.status_code == 200
    assert case.services[0].name in page.text and "Zatwierdź plan" in page.text
    assert "Drukuj (PDF)" not in page.text and "/pdf" not in page.text
    assert client.get(f"/plans/{plan.id}/versions/0").status_code == 200
    assert client.get(f"/plans/{plan.id}/versions/0/pdf").status_code == 403
    for url in ("/plans/", "/plans/grants", f"/plans/requests/{case.request.id}/grant"):
        assert client.get(url).status_code == 403, url


def test_after_the_decision_the_plan_leaves_the_organiser(client, auth, delegation, make_case, plans):
    approved = plans.submit(plans.draft(make_case()))
    returned = plans.submit(plans.draft(make_case()))
    switch(auth, "organizator")
    done = _approve(auth, approved)
    assert done.status_code == 303 and done.headers["Location"].endswith("/plans/approvals")
    assert "Zatwierdzono plan IPUS/1/2026." in client.get("/plans/approvals").text
    assert client.get(f"/plans/{approved.id}").status_code == 403
    back = auth.post(f"/plans/{returned.id}/return", {"return-version": str(returned.version),
                                                      "return-comment": "Brak harmonogramu."})
    assert back.status_code == 303 and back.headers["Location"].endswith("/plans/approvals")
    assert client.get(f"/plans/{returned.id}").status_code == 403
    # A decision on a plan no longer waiting for one: back to the queue, nothing shown, nothing changed.
    again = _approve(auth, returned)
    assert again.status_code == 303 and again.headers["Location"].endswith("/plans/approvals")
    assert "Ten plan nie czeka na zatwierdzenie." in client.get("/plans/approvals").text
    db.session.expire_all()
    assert db.session.get(Plan, returned.id).status == "returned"


def test_an_authorised_organiser_is_refused_on_a_signed_plan_and_its_scans(client, auth, delegation,
                                                                           signed_with_scan):
    plan, signature = signed_with_scan
    switch(auth, "organizator")
    for url in (f"/plans/{plan.id}", f"/plans/{plan.id}/versions/0", f"/plans/{plan.id}/versions/0/pdf",
                f"/plans/signatures/{signature.id}/scan", f"/cases/plans/{plan.id}/monitoring",
                f"/cases/plans/{plan.id}/closure", f"/cases/plans/{plan.id}/closure.pdf"):
        assert client.get(url).status_code == 403, url


def test_an_update_waiting_for_a_decision_shows_only_that_version(client, auth, people, delegation, plans,
                                                                 signed_with_scan):
    plan, signature = signed_with_scan
    ops.start_update(db.session, plan, actor=people.coordinator, expected_version=plan.version, today=TODAY)
    version = plan.versions[1]
    version.update_reason = "Nowa usługa w ofercie."
    db.session.commit()
    plans.submit(plan)
    switch(auth, "organizator")
    page = client.get(f"/plans/{plan.id}")
    assert page.status_code == 200 and "Nowa usługa w ofercie." in page.text
    assert f"/plans/{plan.id}/versions/0" not in page.text and "Pobierz skan" not in page.text
    assert client.get(f"/plans/{plan.id}/versions/1").status_code == 200
    for url in (f"/plans/{plan.id}/versions/0", f"/plans/{plan.id}/versions/0/pdf",
                f"/plans/{plan.id}/versions/1/pdf", f"/plans/signatures/{signature.id}/scan",
                f"/cases/plans/{plan.id}/monitoring"):
        assert client.get(url).status_code == 403, url
    # The coordinator and the director still see every version and the scan.
    for username in ("koordynator", "dyrektor"):
        switch(auth, username)
        for url in (f"/plans/{plan.id}/versions/0", f"/plans/signatures/{signature.id}/scan"):
            assert client.get(url).status_code == 200, (username, url)


def test_an_authorised_organiser_is_refused_on_a_closed_plan(client, auth, people, delegation, signed_with_scan):
    plan, _signature = signed_with_scan
    db.session.refresh(plan)
    data = casework.closure_defaults(plan, TODAY)
    data.update(effects="Osoba wychodzi z domu.", survey_declined=True)
    casework.close_plan(db.session, plan, data, actor=people.coordinator, expected_version=plan.version,
                        today=TODAY)
    db.session.commit()
    switch(auth, "organizator")
    for url in (f"/plans/{plan.id}", f"/plans/{plan.id}/versions/0", f"/plans/{plan.id}/versions/0/pdf",
                f"/cases/plans/{plan.id}/closure", f"/cases/plans/{plan.id}/closure.pdf"):
        assert client.get(url).status_code == 403, url
    switch(auth, "dyrektor")
    assert client.get(f"/plans/{plan.id}").status_code == 200


def test_an_organiser_without_authorisation_sees_no_plan(client, auth, make_case, plans):
    plan = plans.submit(plans.draft(make_case()))
    switch(auth, "organizator")
    assert client.get(f"/plans/{plan.id}").status_code == 403
    assert client.get(f"/plans/{plan.id}/versions/0").status_code == 403
