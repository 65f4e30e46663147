"""Every casework page, in its main states, is valid HTML for the Nu HTML
Checker (one vnu.jar run per database backend, shared by the per-page tests)."""
from datetime import date, datetime

import pytest

from portal.auth.models import Role
from portal.timeutil import WARSAW
from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = ["mine", "mine-sorted", "mine-empty-filter", "overview", "monitoring", "monitoring-errors",
         "monitoring-draft", "closure-form", "closure-errors", "closure-summary", "closure-refused", "plan-panel"]
_RUNS = {}


def _render(app, client, auth, case_rows, make_case, plans, contact):
    from portal.casework import services as ops
    from portal.extensions import db

    case_rows(received=datetime(2026, 4, 1, 9, tzinfo=WARSAW), name="Łukasik")
    case_rows(plan="approved", name="Zając", valid_from=date(2026, 5, 1))
    running = plans.active(make_case())
    contact(running, date(2026, 5, 12), today=date(2026, 5, 12))
    closed = plans.active(make_case())
    data = ops.closure_defaults(closed, date(2026, 5, 12))
    data.update(effects="Poprawa.", survey_needs=5)
    ops.close_plan(db.session, closed, data, actor=closed.coordinator, expected_version=None, today=date(2026, 5, 12))
    db.session.commit()
    draft = plans.draft(make_case())
    pages = Pages()
    keep = pages.keep

    auth.login(Role.COORDINATOR, "koordynator")
    token = auth.token
    keep("mine", client.get("/cases/"))
    keep("mine-sorted", client.get("/cases/?sort=name&dir=desc"))
    keep("mine-empty-filter", client.get("/cases/?state=due_soon&sort=received"))
    keep("monitoring", client.get(f"/cases/plans/{running.id}/monitoring"))
    items = running.version_in_force.items
    bad = {"csrf_token": token, "contact_on": "wczoraj", "contact_kind": "",
           **{f"items-{i}-plan_item_id": str(item.id) for i, item in enumerate(items)},
           "items-0-remarks": "Bez zakresu", "items-1-satisfaction": "7"}
    keep("monitoring-errors", client.post(f"/cases/plans/{running.id}/monitoring", data=bad))
    keep("monitoring-draft", client.get(f"/cases/plans/{draft.id}/monitoring"))
    keep("closure-form", client.get(f"/cases/plans/{running.id}/closure"))
    keep("closure-errors", client.post(f"/cases/plans/{running.id}/closure", data={
        "csrf_token": token, "version": str(running.version), "conversation_on": "32.13.2026",
        "items-0-plan_item_id": str(items[0].id), "items-1-plan_item_id": str(items[1].id)}))
    keep("closure-summary", client.get(f"/cases/plans/{closed.id}/closure"))
    keep("closure-refused", client.get(f"/cases/plans/{draft.id}/closure"))
    keep("plan-panel", client.get(f"/plans/{running.id}"))
    auth.logout()
    auth.login(Role.DIRECTOR, "dyrektor")
    keep("overview", client.get("/cases/all"))
    return pages


@pytest.fixture
def casework_pages(app, client, auth, case_rows, make_case, plans, contact, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(app, client, auth, case_rows, make_case, plans, contact))


@pytest.mark.parametrize("page_id", PAGES)
def test_casework_page_is_valid_html(casework_pages, page_id):
    assert_valid_page(casework_pages, page_id)


def test_the_error_pages_answer_422(casework_pages):
    rendered, _errors = casework_pages
    assert rendered["monitoring-errors"][1] == 422 and rendered["closure-errors"][1] == 422
    assert "casework-panel" in rendered["plan-panel"][2]
