"""The indicators, providers, desk and catalogue-use reports in real Chromium:
the services organiser reads each (axe-core, WCAG 2.1 AA), enters an
indicator's value with its evidence, is refused a bad one at the field, and
sees the value against the target."""
import pytest
from playwright.sync_api import expect

from tests.browser.staff import login
from tests.reports.indicators_fixtures import frozen, rows  # noqa: F401
from tests.reports.test_indicators_views import Q3, world  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_organiser_reads_the_reports_and_enters_a_value(page, world, rows, assert_accessible, make_user):
    organiser = make_user("services_organiser", "organizator-r", "Dariusz Organizator")
    login(page, organiser)
    page.goto("/reports/indicators" + Q3)
    expect(page.locator("h1")).to_have_text("Wskaźniki: III kw. 2026")
    assert_accessible(page, "the indicators report")
    page.get_by_role("link", name="Wpisz wartość").click()
    expect(page.locator("h1")).to_have_text("Wartość wskaźnika: III kw. 2026")
    page.get_by_label("Wartość osiągnięta w okresie").fill("dużo")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_role("heading", name="Popraw zaznaczone pola")).to_be_visible()
    expect(page.get_by_label("Wartość osiągnięta w okresie")).to_have_value("dużo")
    assert_accessible(page, "the value form's errors")
    page.get_by_label("Wartość osiągnięta w okresie").fill("31")
    page.get_by_label("Dokument potwierdzający", exact=True).fill("ankiety, teczka 3/2026")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator("h1")).to_have_text("Wskaźniki: III kw. 2026")
    expect(page.get_by_role("row", name="Klub Seniora: liczba osób deklarujących poprawę (osoba) 30 31 103 —")) \
        .to_be_visible()
    for path, heading in (("/reports/providers", "Realizatorzy usług: III kw. 2026"),
                          ("/reports/desk", "Zgłoszenia i terminy: III kw. 2026"),
                          ("/reports/catalogue-use", "Korzystanie z katalogu: III kw. 2026")):
        page.goto(path + Q3)
        expect(page.locator("h1")).to_have_text(heading)
        assert_accessible(page, path)
