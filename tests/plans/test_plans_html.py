"""Every plan page, in its main states, is valid HTML for the Nu HTML Checker
(one vnu.jar run per database backend, shared by the per-page tests)."""
import re

import pytest

from portal.auth.models import Role
from tests.plans.test_plans_views import plan_form
from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = ["index", "new", "new-errors", "items-region-page", "detail-draft", "edit", "edit-conflict",
         "detail-submitted-director", "approvals", "detail-approved", "sign", "sign-errors", "detail-active",
         "version-0", "edit-update", "delegations", "delegations-errors", "grant", "grant-full", "grants",
         "waiting", "waiting-organiser", "waiting-errors"]
_RUNS = {}


def _render(client, auth, make_case, make_service, plans, people):
    from portal.extensions import db
    from portal.plans import delegations, grants, waiting
    from portal.plans import services as ops

    pages = Pages()
    keep = pages.keep

    bed = make_service("Łóżko rehabilitacyjne", unit="loan", capacity_maximum=1)
    case = make_case(representative="Maria Nowak")
    waiting_case = make_case()
    auth.login(Role.COORDINATOR, "koordynator")
    keep("index", auth.client.get("/plans/"))
    keep("new", auth.client.get(f"/plans/new/{case.assessment.id}"))
    values = plans.data(case)
    keep("new-errors", auth.client.post(f"/plans/new/{case.assessment.id}",
                                        data=plan_form(auth.token, values, valid_until="12.05.2030",
                                                       **{"items-0-quantity": "x"})))
    keep("items-region-page", auth.client.post(f"/plans/new/{case.assessment.id}",
                                               data=plan_form(auth.token, values, action="add_item",
                                                              add_service_id=str(bed.id))))
    plan = plans.draft(case)
    keep("detail-draft", auth.client.get(f"/plans/{plan.id}"))
    edit = auth.client.get(f"/plans/{plan.id}/edit")
    keep("edit", edit)
    seen = re.search(r'name="version" type="hidden" value="(\d+)"', edit.text).group(1)
    auth.client.post(f"/plans/{plan.id}/edit", data=plan_form(auth.token, values | {"expected_effects": "A"},
                                                              version=seen))
    keep("edit-conflict", auth.client.post(f"/plans/{plan.id}/edit",
                                           data=plan_form(auth.token, values | {"expected_effects": "B"},
                                                          version=seen)))
    plans.submit(db.session.get(type(plan), plan.id))
    grant_case = make_case([bed])
    keep("grant", auth.client.get(f"/plans/requests/{grant_case.request.id}/grant"))
    grants.grant_service(db.session, waiting_case.request, {"service_id": bed.id, "quantity": 1,
                                                            "period_from": values["valid_from"],
                                                            "period_to": values["valid_until"]},
                         actor=people.coordinator, today=values["valid_from"])
    db.session.commit()
    keep("grant-full", auth.client.post(f"/plans/requests/{grant_case.request.id}/grant", data={
        "csrf_token": auth.token, "service_id": str(bed.id), "quantity": "1", "period_from": "12.05.2026",
        "period_to": "30.06.2026", "action": "save"}))
    keep("grants", auth.client.get("/plans/grants"))
    keep("waiting", auth.client.get(f"/plans/waiting?service={bed.id}&resident={grant_case.resident.id}"))
    keep("waiting-errors", auth.client.post("/plans/waiting/add", data={"csrf_token": auth.token,
                                                                        "service_id": "", "quantity": "zero"}))
    waiting.add_to_waiting_list(db.session, {"service_id": bed.id, "resident_id": grant_case.resident.id},
                                actor=people.coordinator)
    db.session.commit()
    auth.logout()

    auth.login(Role.DIRECTOR, "dyrektor")
    keep("detail-submitted-director", auth.client.get(f"/plans/{plan.id}"))
    keep("approvals", auth.client.get("/plans/approvals"))
    keep("delegations", auth.client.get("/plans/delegations"))
    keep("delegations-errors", auth.client.post("/plans/delegations", data={
        "csrf_token": auth.token, "organiser_id": "", "valid_until": "wczoraj"}))
    delegations.grant_delegation(db.session, people.organiser.id, actor=people.director, today=values["valid_from"])
    db.session.commit()
    plan = plans.approve(db.session.get(type(plan), plan.id))
    keep("detail-approved", auth.client.get(f"/plans/{plan.id}"))
    auth.logout()

    auth.login(Role.COORDINATOR, "koordynator")
    keep("sign", auth.client.get(f"/plans/{plan.id}/versions/0/sign"))
    keep("sign-errors", auth.client.post(f"/plans/{plan.id}/versions/0/sign", data={
        "csrf_token": auth.token, "signer_role": "", "signer_name": "", "signed_on": "32.13.2026"}))
    plans.sign_both(db.session.get(type(plan), plan.id))
    keep("detail-active", auth.client.get(f"/plans/{plan.id}"))
    plan = db.session.get(type(plan), plan.id)
    ops.start_update(db.session, plan, actor=people.coordinator, expected_version=None, today=values["valid_from"])
    db.session.commit()
    keep("version-0", auth.client.get(f"/plans/{plan.id}/versions/0"))
    keep("edit-update", auth.client.get(f"/plans/{plan.id}/edit"))
    auth.logout()

    auth.login(Role.SERVICES_ORGANISER, "organizator")
    keep("waiting-organiser", auth.client.get(f"/plans/waiting?service={bed.id}"))
    return pages


@pytest.fixture
def plan_pages(app, client, auth, make_case, make_service, plans, people, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(client, auth, make_case, make_service, plans, people))


EXPECTED = {"new-errors": 422, "edit-conflict": 409, "sign-errors": 422, "delegations-errors": 422,
            "grant-full": 409, "waiting-errors": 422}


@pytest.mark.parametrize("page_id", PAGES)
def test_plan_page_is_valid_html(plan_pages, page_id):
    assert_valid_page(plan_pages, page_id, EXPECTED.get(page_id, 200))
