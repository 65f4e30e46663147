"""Casework pages in real Chromium under the production CSP: axe-core on my
cases, the director's view, the monitoring card and the closure (form,
errors, summary); the desk sorts and filters through htmx, pushing the URL,
and the same without JavaScript; a contact recorded and a plan closed by
hand. A console error or a CSP violation fails the test."""
import re
from datetime import date, datetime

import pytest
from playwright.sync_api import expect

from portal.timeutil import WARSAW
from tests.browser.conftest import assert_accessible
from tests.browser.staff import login
from tests.casework.fixtures import case_rows, fresh_desk_regions  # noqa: F401  (fixtures)
from tests.plans.fixtures import frozen, make_case, people, plans  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def names_in_order(page):
    return page.locator("#cases table.cases tbody tr td:first-child").all_inner_texts()


@pytest.fixture
def desk_cases(case_rows, people, frozen):
    case_rows(received=datetime(2026, 5, 4, 9, tzinfo=WARSAW), name="Zając")       # plan due 3 June
    case_rows(received=datetime(2026, 4, 1, 9, tzinfo=WARSAW), name="Łukasik")     # overdue
    case_rows(plan="active", valid_from=date(2026, 2, 14), valid_until=date(2027, 2, 13), name="Ćwik")  # 14 May
    case_rows(received=datetime(2026, 5, 6, 9, tzinfo=WARSAW), name="Inny", coordinator=people.other_coordinator)


def test_my_cases_sort_and_filter_with_htmx(page, desk_cases):
    login(page, "koordynator")
    page.get_by_label("Menu główne").get_by_role("link", name="Moje sprawy").click()
    expect(page.locator("h1")).to_have_text("Moje sprawy")
    assert names_in_order(page) == ["Jan Łukasik", "Jan Ćwik", "Jan Zając"]  # by the next deadline
    assert_accessible(page, "my cases")
    page.evaluate("window.__samePage = true")
    page.locator("#cases thead").get_by_role("link", name=re.compile("Osoba")).click()
    expect(page).to_have_url(re.compile(r"/cases/\?sort=name$"))
    expect(page.locator("#cases th[aria-sort=ascending]")).to_contain_text("Osoba")
    assert names_in_order(page) == ["Jan Ćwik", "Jan Łukasik", "Jan Zając"]
    page.select_option("#filter-state", "overdue")
    expect(page).to_have_url(re.compile(r"state=overdue"))
    expect(page.locator("#cases table.cases tbody tr")).to_have_count(1)
    assert names_in_order(page) == ["Jan Łukasik"]
    assert page.evaluate("window.__samePage === true")  # htmx swapped the region only
    assert_accessible(page, "my cases, filtered")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/cases/\?sort=name$"))
    expect(page.locator("#cases table.cases tbody tr")).to_have_count(3)


def test_my_cases_without_javascript(no_js_page, desk_cases):
    page = no_js_page
    login(page, "koordynator")
    page.goto("/cases/")
    page.select_option("#filter-sort", "name")
    page.select_option("#filter-dir", "desc")
    page.get_by_role("button", name="Pokaż").click()
    expect(page).to_have_url(re.compile(r"sort=name&dir=desc"))
    assert names_in_order(page) == ["Jan Zając", "Jan Łukasik", "Jan Ćwik"]
    page.locator("#cases thead").get_by_role("link", name=re.compile("Najbliższy termin")).click()
    assert names_in_order(page) == ["Jan Łukasik", "Jan Ćwik", "Jan Zając"]


def test_the_directors_view(page, desk_cases, people):
    login(page, "dyrektor")
    page.get_by_label("Menu główne").get_by_role("link", name="Sprawy koordynatorów").click()
    expect(page.locator("#cases table.cases tbody tr")).to_have_count(4)
    assert_accessible(page, "director's view")
    page.select_option("#filter-coordinator", str(people.other_coordinator.id))
    expect(page.locator("#cases table.cases tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(rf"coordinator={people.other_coordinator.id}"))
    assert names_in_order(page) == ["Jan Inny"]


def test_record_a_contact_and_close_the_plan(page, make_case, plans):
    plan = plans.active(make_case())
    login(page, "koordynator")
    page.goto(f"/plans/{plan.id}")
    page.get_by_role("link", name="Karta monitoringu").click()
    expect(page.locator("h1")).to_have_text("Karta monitoringu")
    assert_accessible(page, "monitoring card")
    page.get_by_role("button", name="Zapisz kontakt").click()  # nothing filled in
    expect(page.locator("#error-summary")).to_contain_text("Wybierz rodzaj kontaktu.")
    assert_accessible(page, "monitoring card with errors")
    page.get_by_label("kontakt telefoniczny").check()
    page.fill("#items-0-scope_delivered", "Cztery spotkania w klubie.")
    satisfaction = page.get_by_role("group", name="Zadowolenie uczestnika (1–5)").first
    satisfaction.get_by_label("5 — bardzo zadowolony(-a)").check()
    page.get_by_role("button", name="Zapisz kontakt").click()
    expect(page.locator(".flash-success")).to_have_text("Zapisano kontakt monitorujący.")
    expect(page.locator("table.monitoring")).to_contain_text("Cztery spotkania w klubie.")
    assert_accessible(page, "monitoring card with an entry")

    page.get_by_role("link", name="Zamknięcie planu").click()
    expect(page.locator("#effects")).to_be_visible()  # the closure page, not the card being left
    assert_accessible(page, "closure form")
    page.fill("#effects", "")
    page.get_by_role("button", name="Zamknij plan…").click()
    expect(page.locator("#effects-error")).to_have_text("Opisz efekty wsparcia.")
    assert_accessible(page, "closure form with errors")
    page.fill("#effects", "Pan Jan wychodzi z domu.")
    page.get_by_role("group", name="Czy usługi odpowiadały Pani/Pana potrzebom?").get_by_label(
        "5 — zdecydowanie tak / bardzo dobrze").check()
    page.get_by_role("button", name="Zamknij plan…").click()
    expect(page.locator("h1")).to_contain_text("Zamknąć plan")
    assert_accessible(page, "closure confirmation")
    page.get_by_role("button", name="Zamknij plan", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Plan zamknięto.")
    expect(page.locator("h1")).to_have_text("Podsumowanie i zamknięcie planu")
    assert_accessible(page, "closure summary")
