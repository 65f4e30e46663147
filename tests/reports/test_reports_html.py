"""Every report page, in its main states, is valid HTML for the Nu HTML
Checker (one vnu.jar run per database backend, shared by the per-page tests)."""
import pytest

from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = {"index": 200, "quarterly": 200, "quarterly-invalid": 422, "services": 200, "services-invalid": 422,
         "services-empty": 200, "matrix": 200, "yearly": 200, "yearly-report": 200, "yearly-report-invalid": 422,
         "yearly-programme": 200}
_RUNS = {}


def _render(client, auth):
    pages = Pages()
    auth.login("director")
    pages.keep("index", client.get("/reports/"))
    pages.keep("quarterly", client.get("/reports/quarterly?year=2026"))
    pages.keep("quarterly-invalid", client.get("/reports/quarterly?year=abc"))
    pages.keep("services", client.get("/reports/services?year=2026"))
    pages.keep("services-invalid", client.get("/reports/services?from=31.02.2026&to=01.03.2026"))
    pages.keep("services-empty", client.get("/reports/services?year=2030"))
    pages.keep("matrix", client.get("/reports/matrix?year=2026"))
    pages.keep("yearly", client.get("/reports/yearly"))
    pages.keep("yearly-report", client.get("/reports/yearly/2026/report"))
    pages.keep("yearly-report-invalid", auth.post("/reports/yearly/2026/report",
                                                  {"version": "", "introduction": "x" * 20_001}))
    pages.keep("yearly-programme", client.get("/reports/yearly/2026/programme"))
    return pages


@pytest.fixture
def report_pages(client, auth, delivery, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(client, auth))


@pytest.mark.parametrize("page_id", PAGES)
def test_report_page_is_valid_html(report_pages, page_id):
    assert_valid_page(report_pages, page_id, PAGES[page_id])
