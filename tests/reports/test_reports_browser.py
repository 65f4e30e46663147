"""One walk through a report in real Chromium under the production CSP:
the index, the report per service with its table and chart, another period
chosen with the form (no script needed), a wrong date refused at its field;
axe-core (WCAG 2.1 AA) on each page."""
import re

import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from tests.browser import staff
from tests.browser.conftest import assert_accessible, browser, live_server, page  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_report_per_service_in_a_browser(page, app, delivery, make_user):  # noqa: F811
    director = make_user(Role.DIRECTOR, "dyrektor-raporty", "Celina Dyrektor")
    staff.login(page, director)
    page.goto("/reports/")
    assert_accessible(page, "the reports' index")
    page.get_by_role("link", name="Usługi w okresie").click()
    page.get_by_label("Rok", exact=True).fill("2026")
    page.get_by_role("button", name="Pokaż").click()
    expect(page.get_by_role("heading", name="Usługi w okresie: 2026")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Usługi w okresie: 2026"))
    expect(table.get_by_role("row", name=re.compile("Klub Seniora"))).to_contain_text("4,17")
    expect(page.get_by_role("img", name="Osoby, którym przyznano usługę, i osoby korzystające")).to_be_visible()
    assert_accessible(page, "the report per service")
    page.get_by_label("Część roku").select_option(label="I kw.")
    page.get_by_role("button", name="Pokaż").click()
    expect(page.get_by_role("heading", name="Usługi w okresie: I kw. 2026")).to_be_visible()
    page.get_by_label("Od (DD.MM.RRRR)").fill("31.02.2026")
    page.get_by_label("Do (DD.MM.RRRR)").fill("31.03.2026")
    page.get_by_role("button", name="Pokaż").click()
    expect(page.get_by_role("heading", name="Popraw okres raportu")).to_be_visible()
    expect(page.get_by_label("Od (DD.MM.RRRR)")).to_have_value("31.02.2026")
    expect(page.get_by_label("Od (DD.MM.RRRR)")).to_have_accessible_description("Podaj datę w formacie DD.MM.RRRR.")
    assert_accessible(page, "a wrong date")
