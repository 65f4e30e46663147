"""The indicators, providers, desk and catalogue-use pages, and the value
form, are valid HTML for the Nu HTML Checker (one vnu.jar run per database
backend, shared by the per-page tests)."""
import pytest

from tests.reports.indicators_fixtures import frozen, rows  # noqa: F401
from tests.reports.test_indicators_views import Q3, world  # noqa: F401
from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = {"index": 200, "indicators": 200, "providers": 200, "desk": 200, "catalogue-use": 200,
         "value-form": 200, "value-form-errors": 422, "target-form": 200, "target-form-errors": 422,
         "indicators-bad-period": 422, "empty-year": 200}
_RUNS = {}


def _render(client, auth, world):
    auth.login("services_organiser")
    pages = Pages()
    keep = pages.keep
    keep("index", client.get("/reports/"))
    keep("indicators", client.get("/reports/indicators" + Q3))
    keep("providers", client.get("/reports/providers" + Q3))
    keep("desk", client.get("/reports/desk" + Q3))
    keep("catalogue-use", client.get("/reports/catalogue-use" + Q3))
    url = f"/reports/indicators/{world['improved'].id}/value{Q3}"
    keep("value-form", client.get(url))
    keep("value-form-errors", auth.post(url, {"measure": "entered", "value": "x", "evidence": ""}))
    keep("target-form", client.get("/reports/indicators/centre/new_users/target?year=2026"))
    keep("target-form-errors", auth.post("/reports/indicators/centre/new_users/target?year=2026", {"target": "x"}))
    keep("indicators-bad-period", client.get("/reports/indicators?year=20x6"))
    keep("empty-year", client.get("/reports/catalogue-use?year=2020"))
    return pages


@pytest.fixture
def report_pages(client, auth, world, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(client, auth, world))


@pytest.mark.parametrize("page_id", list(PAGES))
def test_report_page_is_valid_html(report_pages, page_id):
    assert_valid_page(report_pages, page_id, PAGES[page_id])
