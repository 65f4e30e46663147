"""The residents pages in real Chromium under the production CSP: search as
you type, the same search without JavaScript, the "same person?" prompt, the
conflict screen of two people editing at once, and axe-core on every page."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible  # noqa: F401
from tests.browser.staff import login, submit
from tests.residents.test_residents_services import (  # noqa: F401  (fixtures)
    VALID,
    assign,
    director,
    make_person,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def jan(make_person, make_village):
    return make_person("Jan", "Kowalski", pesel=VALID, phone="601 234 567", village_id=make_village("Bęczków").id)


def test_search_as_you_type_and_open_the_person(page, desk_user, jan):
    login(page, desk_user)
    page.goto("/residents/")
    assert_accessible(page, "search page")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("kowal ja", delay=20)
    expect(page.locator("#resident-results")).to_contain_text("Kowalski Jan")
    expect(page).to_have_url(re.compile(r"/residents/$"))  # nothing typed went into the address
    assert_accessible(page, "search results")
    page.get_by_role("link", name="Kowalski Jan").click()
    expect(page.locator("h1")).to_contain_text("Jan Kowalski")
    assert VALID not in page.url
    assert_accessible(page, "person page (desk)")


def test_pesel_search_and_search_without_javascript(no_js_page, desk_user, jan):
    page = no_js_page
    login(page, desk_user)
    page.goto("/residents/")
    page.fill("#q", "601 234 567")
    page.press("#q", "Enter")
    expect(page.locator("#resident-results")).to_contain_text("Kowalski Jan")
    page.fill("#pesel", VALID)
    page.get_by_role("button", name="Znajdź po PESEL").click()
    expect(page).to_have_url(re.compile(rf"/residents/{jan.id}$"))
    page.goto("/residents/")
    page.fill("#pesel", "02211307589")
    page.get_by_role("button", name="Znajdź po PESEL").click()
    expect(page.get_by_role("alert")).to_contain_text("Nie znaleziono osoby o tym numerze PESEL")
    page.get_by_role("button", name="Zarejestruj nową osobę z tym numerem").click()
    expect(page.locator("#pesel")).to_have_value("02211307589")
    assert "02211307589" not in page.url


def test_duplicate_prompt_then_confirm(page, desk_user, make_person):
    make_person("Józef", "Nowak", birth_date=date(1950, 3, 7))
    login(page, desk_user)
    page.goto("/residents/new")
    assert_accessible(page, "new person")
    submit(page, "Zapisz osobę", first_name="Jozef", last_name="Nowak", no_pesel_reason="Brak dokumentu",
           birth_date="07.03.1950")
    expect(page.locator("#duplicates")).to_contain_text("Czy to ta sama osoba?")
    expect(page.locator("#first_name")).to_have_value("Jozef")
    assert_accessible(page, "duplicate prompt")
    page.get_by_role("button", name="To inna osoba — zapisz nową").click()
    expect(page.locator(".flash-success")).to_contain_text("Dodano osobę do rejestru")


def test_invalid_form_keeps_input_and_is_accessible(page, desk_user):
    login(page, desk_user)
    page.goto("/residents/new")
    submit(page, "Zapisz osobę", first_name="Zdzisław", last_name="Wójcik", pesel="44051401358")
    expect(page.locator("#pesel-error")).to_contain_text("cyfra kontrolna")
    expect(page.locator("#pesel")).to_have_value("44051401358")
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page, "new person with errors")


def test_two_people_editing_get_the_conflict_screen(browser, live_server, page, desk_user, director, jan):
    login(page, desk_user)
    page.goto(f"/residents/{jan.id}/edit")
    assert_accessible(page, "edit")

    other = browser.new_context(base_url=live_server, locale="pl-PL")
    try:
        second = other.new_page()
        login(second, director)
        second.goto(f"/residents/{jan.id}/edit")
        second.fill("#phone", "605 555 666")
        second.get_by_role("button", name="Zapisz zmiany").click()
        expect(second.locator(".flash-success")).to_contain_text("Zapisano zmiany")
    finally:
        other.close()

    page.fill("#phone", "603 333 444")
    page.get_by_role("button", name="Zapisz zmiany").click()
    conflict = page.locator("#conflict")
    expect(conflict).to_contain_text("Ktoś inny zmienił dane tej osoby w międzyczasie")
    expect(conflict.locator("tr", has_text="Telefon")).to_contain_text("605 555 666")
    expect(conflict.locator("tr", has_text="Telefon")).to_contain_text("603 333 444")
    expect(page.locator("#phone")).to_have_value("603 333 444")
    assert_accessible(page, "conflict screen")
    page.get_by_role("button", name="Zapisz zmiany").click()
    expect(page.locator(".flash-success")).to_contain_text("Zapisano zmiany")
    expect(page.locator("main")).to_contain_text("603 333 444")


def test_director_pages_are_accessible(page, director, jan, make_person):
    make_person("Jan", "Kowalski", birth_date=date(1944, 5, 14))
    login(page, director)
    page.goto(f"/residents/{jan.id}")
    expect(page.locator("main")).to_contain_text("Kto przeglądał dane")
    assert_accessible(page, "person page (director)")
    page.get_by_role("button", name=re.compile(r"Zapisz zgodę\s*:\s*SMS")).click()
    expect(page.locator(".flash-success")).to_contain_text("Zapisano zgodę")
    page.goto(f"/residents/{jan.id}/merge")
    assert_accessible(page, "merge")
    page.get_by_role("button", name=re.compile(r"Wybierz")).first.click()
    expect(page.locator("main")).to_contain_text("Potwierdź scalenie")
    assert_accessible(page, "merge confirm")
    page.fill("#reason", "Zarejestrowany dwa razy")
    page.get_by_role("button", name="Scal rekordy").click()
    expect(page.locator(".flash-success")).to_contain_text("Scalono rekordy")
    page.goto(f"/residents/{jan.id}/access-report")
    expect(page.locator("main")).to_contain_text("Kto i kiedy korzystał z danych")
    assert_accessible(page, "access report")
