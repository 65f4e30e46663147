"""The needs assessment in real Chromium under the production CSP: the
coordinator starts it from the request page, saves a draft, fills the
special-category page, is told what completion still needs, completes it
and opens the PDF; axe-core on the form, its error state, the view page and
both special-category pages; the same form works without JavaScript."""
import re

import pytest
from playwright.sync_api import expect

from tests.assessment.conftest import (  # noqa: F401  (fixtures)
    case,
    login,
    people,
    started,
)
from tests.browser.conftest import assert_accessible
from tests.browser.staff import login as sign_in

pytestmark = pytest.mark.browser


def test_assessment_from_request_to_completion(page, people, case):
    sign_in(page, people.coordinator)
    page.goto(f"/desk/requests/{case.request.id}")
    page.get_by_role("button", name="Rozpocznij diagnozę potrzeb").click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/edit$"))
    expect(page.locator("h1")).to_have_text("Indywidualna diagnoza potrzeb")
    expect(page.locator("#needs")).to_have_value("Potrzebuję pomocy w domu i towarzystwa.")
    assert_accessible(page, "assessment form")

    page.get_by_label("w miejscu zamieszkania osoby").check()
    page.get_by_label("Wykształcenie").select_option("secondary")
    page.fill("#problems", "Samotność po śmierci męża.")
    page.get_by_role("button", name="Zapisz szkic i przejdź do danych szczególnych").click()
    expect(page.locator("h1")).to_have_text("Dane szczególnych kategorii")
    assert_accessible(page, "special-category form")
    page.get_by_role("group", name="Przynależność do mniejszości narodowej lub etnicznej").get_by_label(
        "odmowa odpowiedzi").check()
    page.get_by_role("group", name="Niepełnosprawność", exact=True).get_by_label("tak").check()
    page.get_by_label("umiarkowany").check()
    page.fill("#health", "Po udarze, chodzi o kulach.")
    page.get_by_role("button", name="Zapisz i wróć do diagnozy").click()
    expect(page.locator("#problems")).to_have_value("Samotność po śmierci męża.")

    # Completion names what is missing, at the fields, and keeps the draft.
    page.get_by_role("button", name="Zakończ diagnozę").click()
    expect(page.locator("#error-summary")).to_contain_text("Wpisz wnioski i rekomendacje.")
    expect(page.locator("#conclusions-error")).to_have_text("Wpisz wnioski i rekomendacje.")
    assert_accessible(page, "assessment form with completion errors")

    page.get_by_label("Sytuacja na rynku pracy").select_option("inactive")
    page.get_by_label("Stan cywilny").select_option("widowed")
    page.fill("#household_size", "1")
    page.fill("#income_source", "emerytura")
    page.get_by_label("gotowa(-y) do zmiany").check()
    page.fill("#conclusions", "Klub Seniora, transport door-to-door.")
    page.get_by_role("button", name="Zakończ diagnozę").click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+$"))
    expect(page.locator(".flash-success")).to_contain_text("Zakończono diagnozę")
    expect(page.locator("main")).to_contain_text("Klub Seniora w Bęczkowie")
    expect(page.locator("main")).not_to_contain_text("Po udarze")
    assert_accessible(page, "assessment view page")

    page.get_by_role("link", name="Dane szczególnych kategorii").click()
    expect(page.locator("main")).to_contain_text("Po udarze, chodzi o kulach.")
    expect(page.locator("main")).to_contain_text("umiarkowany")
    assert_accessible(page, "special-category view page")

    page.go_back()
    with page.expect_response(re.compile(r"/pdf$")) as pdf:
        page.evaluate("url => fetch(url)", page.get_by_role("link", name="Wydruk do podpisu (PDF)")
                      .get_attribute("href"))
    assert pdf.value.status == 200 and pdf.value.headers["content-type"] == "application/pdf"


def test_the_form_works_without_javascript(no_js_page, people, started, case):
    page = no_js_page
    sign_in(page, people.coordinator)
    page.goto(f"/assessments/{started.id}/edit")
    page.get_by_role("button", name="Dodaj wiersz").click()
    expect(page.locator("#services-3-name")).to_be_visible()  # the pick, two blanks, one more
    page.fill("#services-3-name", "Pomoc przy zakupach")
    page.fill("#services-3-quantity", "dwa")
    page.get_by_role("button", name="Zapisz szkic", exact=True).click()
    expect(page.locator("#services-3-quantity-error")).to_have_text("Podaj liczbę od 1 do 100000.")
    expect(page.locator("#services-3-name")).to_have_value("Pomoc przy zakupach")
    page.fill("#services-3-quantity", "2")
    page.get_by_role("button", name="Zapisz szkic", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Zapisano szkic diagnozy.")
    expect(page.locator("#services-1-name")).to_have_value("Pomoc przy zakupach")
