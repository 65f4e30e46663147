"""Every assessment page, in its main states, is valid HTML for the Nu HTML
Checker (one vnu.jar run per database backend, shared by the per-page tests)."""
import pytest

from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = ["list", "form", "form-errors", "form-incomplete", "form-conflict", "view", "sensitive", "sensitive-form",
         "sensitive-errors", "request-with-panel"]
_RUNS = {}


def _render(client, login, started, people, case):
    pages = Pages()
    keep = pages.keep

    auth = login(people.coordinator)
    base = f"/assessments/{started.id}"
    keep("list", client.get("/assessments/"))
    keep("form", client.get(f"{base}/edit"))
    keep("form-errors", auth.post(f"{base}/edit", {"version": str(started.version), "household_size": "x",
                                                   "services-0-quantity": "-1", "services-0-name": "Zakupy"}))
    keep("form-incomplete", auth.post(f"{base}/edit", {"version": str(started.version), "action": "complete",
                                                       "problems": "Samotność"}))
    keep("form-conflict", auth.post(f"{base}/edit", {"version": "1", "problems": "Inna wersja"}))
    keep("view", client.get(base))
    keep("sensitive", client.get(f"{base}/sensitive"))
    keep("sensitive-form", client.get(f"{base}/sensitive/edit"))
    keep("sensitive-errors", auth.post(f"{base}/sensitive/edit", {"version": "1", "minority": "x"}))
    keep("request-with-panel", client.get(f"/desk/requests/{case.request.id}"))
    return pages


@pytest.fixture
def assessment_pages(app, client, login, started, people, case, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(client, login, started, people, case))


@pytest.mark.parametrize("page_id", PAGES)
def test_assessment_page_is_valid_html(assessment_pages, page_id):
    assert_valid_page(assessment_pages, page_id)
