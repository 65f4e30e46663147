"""Life situations and searches that find nothing, in real Chromium under the
production CSP: from the start page to a situation, an empty result typed
into the search box (htmx) and loaded without JavaScript, the organiser's
checklist filter with and without JavaScript; axe-core (WCAG 2.1 AA) on
each new page (with JavaScript on: axe is a script)."""
import re
from datetime import datetime, time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _close_and_check, _open_page, assert_accessible, serving
from tests.browser.staff import login

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(app):
    """The demo catalogue with its ten situations, the clock at 10:00 (Warsaw) today."""
    from portal.demo.catalogue import seed_catalogue
    from portal.extensions import db
    from portal.timeutil import WARSAW

    app.config["FIXED_NOW"] = datetime.combine(datetime.now(WARSAW).date(), time(10, 0), tzinfo=WARSAW)
    seed_catalogue(db.session)
    db.session.commit()


def test_from_the_start_page_to_a_situation(page, catalogue):
    page.goto("/")
    situations = page.locator("#results .situations")
    expect(situations.get_by_role("heading", name="Zacznij od swojej sytuacji")).to_be_visible()
    assert_accessible(page, "the start page with the situations")
    situations.get_by_role("link", name="Straciłem pracę").click()
    expect(page).to_have_url(re.compile(r"/situations/stracilem-prace$"))
    expect(page.locator("h1")).to_have_text("Straciłem pracę")
    expect(page.get_by_role("link", name="Doradztwo zawodowe i pośrednictwo pracy")).to_be_visible()
    expect(page.get_by_role("link", name="Napisz do nas przez formularz kontaktowy")).to_be_visible()
    assert_accessible(page, "a situation's page")


def test_an_empty_result_as_you_type_and_without_javascript(page, no_js_page, catalogue):
    page.goto("/")
    page.locator("#q").press_sequentially("psychoterapeutka", delay=20)
    results = page.locator("#results")
    expect(results.get_by_role("heading", name="Znaleziono 0 usług")).to_be_visible()
    expect(results.get_by_role("heading", name="Dziedziny najbliższe Twojemu pytaniu")).to_be_visible()
    expect(results.get_by_role("link", name="Promocja i ochrona zdrowia")).to_be_visible()
    expect(results.get_by_role("heading", name="Może pasuje któraś z tych sytuacji")).to_be_visible()
    # The situations of the start page went with the typing; the phone and the form are here.
    expect(results.get_by_role("heading", name="Zacznij od swojej sytuacji")).to_have_count(0)
    expect(results.get_by_role("link", name="25 753 10 01")).to_have_attribute("href", "tel:+48257531001")
    assert_accessible(page, "an empty result (htmx)")
    results.get_by_role("link", name="Napisz do nas przez formularz kontaktowy").click()
    expect(page).to_have_url(re.compile(r"/contact$"))

    no_js_page.goto("/services?q=xylofon")
    expect(no_js_page.get_by_role("heading", name="Dziedziny, w których jest najwięcej usług")).to_be_visible()
    no_js_page.get_by_role("link", name="Pomoc społeczna").click()
    expect(no_js_page).to_have_url(re.compile(r"area=social_assistance"))


@pytest.fixture
def organiser(make_user):
    from portal.auth.models import Role

    return make_user(Role.SERVICES_ORGANISER, "test-ous", "Olga Organizatorka")


def _browse(app, browser, user, javascript):
    from contextlib import ExitStack

    stack = ExitStack()
    url = stack.enter_context(serving(app))
    context, page, problems = _open_page(browser, url, java_script_enabled=javascript)
    stack.callback(_close_and_check, context, problems)
    login(page, user)
    return stack, page


def test_the_organiser_narrows_the_checklist_and_saves(app, browser, organiser, catalogue):
    stack, page = _browse(app, browser, organiser, javascript=True)
    with stack:
        page.goto("/manage/situations")
        assert_accessible(page, "the list of situations")
        page.get_by_role("link", name="Dodaj sytuację").click()
        assert_accessible(page, "a new situation's form")
        page.fill("#name", "Przeprowadzam się do gminy")
        page.fill("#description", "Gdzie zapisać dziecko, gdzie spotkać sąsiadów.")
        page.fill("#service_filter", "zlobek")  # no Polish letters typed
        page.keyboard.press("Enter")  # filters, does not post
        expect(page.locator("#service-options .check:visible")).to_have_count(1)
        expect(page).to_have_url(re.compile(r"/manage/situations/new$"))
        page.get_by_label(re.compile("Żłobek gminny")).check()
        # The button asks the server (as without JavaScript): the form comes back as typed.
        page.get_by_role("button", name="Pokaż pasujące").click()
        expect(page.locator("#service_filter-status")).to_have_text("Pasuje 0 usług spoza wybranych.")
        expect(page.locator("#name")).to_have_value("Przeprowadzam się do gminy")
        expect(page.get_by_label(re.compile("Żłobek gminny"))).to_be_checked()
        assert_accessible(page, "the form with the list narrowed by the server")
        total = page.locator("#service-options .check").count()  # the chosen one is listed above them now
        page.fill("#service_filter", "klub seniora")
        expect(page.locator("#service-options .check:visible")).to_have_count(6)
        page.fill("#service_filter", "")
        expect(page.locator("#service-options .check:visible")).to_have_count(total)
        page.get_by_role("button", name="Zapisz").click()
        expect(page.locator(".flash-success")).to_have_text("Dodano sytuację „Przeprowadzam się do gminy”.")
        row = page.locator("tr", has_text="Przeprowadzam się do gminy")
        expect(row).to_contain_text("1 usługa")
        row.get_by_role("button", name=re.compile("^Wyżej")).click()
        expect(page.locator("tbody tr").nth(9)).to_contain_text("Przeprowadzam się do gminy")
        assert_accessible(page, "the list after a move")


def test_the_checklist_filter_without_javascript(app, browser, organiser, catalogue):
    stack, page = _browse(app, browser, organiser, javascript=False)
    with stack:
        page.goto("/manage/situations")
        page.locator("tr", has_text="Samotność").get_by_role("link", name=re.compile("^Edytuj")).click()
        page.fill("#service_filter", "rehabilitac")
        page.get_by_role("button", name="Pokaż pasujące").click()
        expect(page.locator("#service_filter-status")).to_have_text("Pasują 4 usługi spoza wybranych.")
        expect(page.locator("#service-options .check:visible")).to_have_count(4)
        page.get_by_label(re.compile("^Łóżko rehabilitacyjne")).check()
        page.get_by_role("button", name="Zapisz").click()
        expect(page.locator(".flash-success")).to_have_text("Zapisano zmiany.")
        expect(page.get_by_text("Wybrano 8 usług")).to_be_visible()
