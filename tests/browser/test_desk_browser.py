"""The desk in real Chromium: the keyboard-only phone path (key presses
counted), the same path without JavaScript, the board updating by itself,
and axe-core on every desk page. Runs under the production CSP: a console
error or a CSP violation fails the test."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible  # noqa: F401
from tests.browser.staff import login
from tests.desk.test_desk_services import (  # noqa: F401  (fixtures)
    coordinator,
    make_resident,
    register,
)

pytestmark = pytest.mark.browser


class Keys:
    """Presses keys on the focused element and counts them (a chord counts once)."""

    def __init__(self, page):
        self.page = page
        self.count = 0
        self.log = []

    def type(self, text):
        self.page.keyboard.type(text, delay=20)
        self.count += len(text)
        self.log.append(f"type {text!r} ({len(text)})")

    def press(self, key):
        self.page.keyboard.press(key)
        self.count += 1
        self.log.append(key)


@pytest.fixture
def people(make_resident, make_village, coordinator):
    from portal.desk.models import VillageCoordinator
    from portal.extensions import db

    village = make_village("Bęczków")
    db.session.add(VillageCoordinator(village_id=village.id, user_id=coordinator.id))
    db.session.commit()
    person = make_resident("Janina", "Kowalska", village=village, phone="+48601234567")
    make_resident("Jan", "Nowak")
    return person


def saved_requests():
    from portal.desk.models import Request
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalars(db.select(Request).order_by(Request.id)).all()


def test_phone_information_request_by_keyboard_only(page, desk_user, people):
    login(page, desk_user)
    page.goto("/desk/requests/new")
    expect(page.locator("#q")).to_be_focused()  # focus on arrival
    assert_accessible(page, "new request")
    keys = Keys(page)
    keys.type("kowal")
    keys.press("Enter")  # picks the first match, even while the search is still on its way
    expect(page.locator("#person .person-card")).to_contain_text("Janina Kowalska")
    expect(page.locator("#kind-information")).to_be_focused()
    assert_accessible(page, "person picked")
    keys.press("Tab")
    expect(page.locator("#question")).to_be_focused()
    keys.type("Kiedy działa klub seniora?")
    keys.press("Tab")
    keys.type("We wtorki 10-12 w świetlicy.")
    keys.press("Control+Enter")
    expect(page.locator(".flash-success")).to_contain_text("Zapisano zgłoszenie Z/")
    expect(page.locator("#q")).to_be_focused()  # ready for the next call
    [item] = saved_requests()
    assert (item.channel, item.kind, item.status, item.resident_id) == (
        "phone", "information", "closed_information", people.id)
    assert item.question == "Kiedy działa klub seniora?"
    control = keys.count - len("kowal") - len("Kiedy działa klub seniora?") - len("We wtorki 10-12 w świetlicy.")
    print(f"\nKEY PRESSES (information): {keys.count} in all, {control} besides typing: {keys.log}")
    assert control == 4


def test_phone_application_by_keyboard_only(page, desk_user, people, coordinator):
    login(page, desk_user)
    page.goto("/desk/requests/new")
    keys = Keys(page)
    keys.type("kowal")
    keys.press("Enter")
    expect(page.locator("#kind-information")).to_be_focused()
    keys.press("ArrowRight")  # kind: application; its fields appear, the information ones hide
    expect(page.locator("#needs_description")).to_be_visible()
    expect(page.locator("#question")).to_be_hidden()
    expect(page.locator("#coordinator_id")).to_have_value(str(coordinator.id))  # the village rule
    keys.press("Tab")
    expect(page.locator("#needs_description")).to_be_focused()
    keys.type("Potrzebuję pomocy przy zakupach.")
    keys.press("Control+Enter")
    expect(page.locator(".flash-success")).to_contain_text("Zapisano zgłoszenie")
    [item] = saved_requests()
    assert (item.kind, item.status, item.coordinator_id, item.channel) == (
        "application", "assigned", coordinator.id, "phone")
    control = keys.count - len("kowal") - len("Potrzebuję pomocy przy zakupach.")
    print(f"\nKEY PRESSES (application): {keys.count} in all, {control} besides typing: {keys.log}")
    assert control == 4


def test_enter_adds_the_first_service_and_shows_hints(page, desk_user, people, make_service):
    make_service("Świetlica dla młodzieży", maximum_age=18)
    login(page, desk_user)
    page.goto("/desk/requests/new")
    page.keyboard.type("kowal")
    page.keyboard.press("Enter")
    expect(page.locator("#kind-information")).to_be_focused()
    page.locator("#service_q").focus()
    page.keyboard.type("swietl")
    page.keyboard.press("Enter")
    expect(page.locator("#picked")).to_contain_text("Świetlica dla młodzieży")
    expect(page.locator("#picked")).to_contain_text("a usługa jest do 18 lat")
    expect(page.locator("#service_q")).to_have_value("")
    expect(page.locator("#service_q")).to_be_focused()
    assert_accessible(page, "service picked")


def test_nobody_found_enter_opens_the_new_person_form(page, desk_user, make_village):
    make_village("Burzec")
    login(page, desk_user)
    page.goto("/desk/requests/new")
    page.keyboard.type("Zielińska Maria")
    page.keyboard.press("Enter")
    # The name typed into the search fills the new person (the register's order:
    # last name first); focus goes to the first field still empty.
    expect(page.locator("#new_pesel")).to_be_focused()
    expect(page.locator("#new_first_name")).to_have_value("Maria")
    expect(page.locator("#new_last_name")).to_have_value("Zielińska")
    page.keyboard.type("44051401359")
    page.locator("#question").fill("Czy jest transport do lekarza?")
    page.keyboard.press("Enter")  # Enter in a text box saves
    expect(page.locator(".flash-success")).to_contain_text("Zapisano zgłoszenie")
    [item] = saved_requests()
    assert (item.resident.first_name, item.resident.last_name) == ("Maria", "Zielińska")
    assert item.resident.pesel == "44051401359"


def test_enter_asks_which_of_two_people_with_the_same_name(page, desk_user, people, make_resident, make_village):
    """Issue 10, section 2: Enter picked the first Janina Kowalska silently."""
    from datetime import date

    twin = make_resident("Janina", "Kowalska", birth_date=date(1961, 5, 2), village=make_village("Glinne"),
                         address_1="Glinne 45")
    login(page, desk_user)
    page.goto("/desk/requests/new")
    page.keyboard.type("kowalska")
    page.keyboard.press("Enter")
    first = page.locator("#person-results [data-pick]").first
    expect(first).to_be_focused()  # nobody picked: the list asks
    expect(page.locator("#person .person-card")).to_have_count(0)
    expect(page.locator("#namesakes-note")).to_contain_text("Kilka osób o tym samym imieniu i nazwisku")
    expect(page.locator("#status")).to_contain_text("Kilka osób o tym samym imieniu i nazwisku")
    expect(page.locator("#person-results")).to_contain_text("ur. 1950, Bęczków")
    expect(page.locator("#person-results")).to_contain_text("ur. 1961, Glinne, Glinne 45")
    assert_accessible(page, "namesakes")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the second one, chosen
    expect(page.locator("#person .person-card")).to_contain_text("ur. 1961")
    expect(page.locator("#kind-information")).to_be_focused()
    assert page.locator('input[name="resident_id"]').input_value() == str(twin.id)


def test_without_javascript(no_js_page, desk_user, people):
    page = no_js_page
    login(page, desk_user)
    page.goto("/desk/requests/new")
    page.fill("#q", "kowal")
    page.press("#q", "Enter")  # the default button searches while the search box is filled
    page.get_by_role("button", name=re.compile(r"Wybierz\s*:\s*Janina Kowalska")).click()
    expect(page.locator("#person")).to_contain_text("Janina Kowalska")
    page.fill("#question", "Godziny otwarcia?")
    page.fill("#answer", "8-16")
    page.get_by_role("button", name="Zapisz zgłoszenie").click()
    expect(page.locator(".flash-success")).to_contain_text("Zapisano zgłoszenie")
    assert saved_requests()[0].resident_id == people.id
    page.goto("/desk/")
    page.select_option("#filter-status", "closed_information")
    page.get_by_role("button", name="Pokaż").click()
    expect(page).to_have_url(re.compile(r"status=closed_information"))
    expect(page.locator("#board")).to_contain_text("Janina Kowalska")


def test_board_updates_by_itself(page, desk_user, make_user, people):
    login(page, desk_user)
    page.goto("/desk/")
    assert_accessible(page, "board")
    expect(page.locator("#board")).to_contain_text("Brak zgłoszeń")
    colleague = make_user("front_desk", "desk-bogdan", "Bogdan Kolega")
    item = register({"kind": "application", "channel": "phone", "resident_id": people.id,
                     "needs_description": "x"}, colleague)
    expect(page.locator("#board")).to_contain_text(item.number, timeout=12_000)
    expect(page.locator("#board")).to_contain_text("za 30 dni")


def test_request_page_and_contact_are_accessible(page, desk_user, people, coordinator, make_service):
    service = make_service("Klub Seniora")
    item = register({"kind": "application", "channel": "phone", "resident_id": people.id,
                     "needs_description": "x", "coordinator_id": coordinator.id,
                     "service_ids": [service.id]}, desk_user)
    page.goto("/contact")
    assert_accessible(page, "contact")
    login(page, desk_user)
    page.goto(f"/desk/requests/{item.id}")
    assert_accessible(page, "request page")
    page.get_by_role("button", name="w diagnozie").click()
    expect(page.locator(".flash-success")).to_contain_text("w diagnozie")
    page.goto(f"/desk/handout?service={service.id}")
    assert_accessible(page, "handout")
    page.goto(f"/desk/requests/{item.id}/receipt")
    expect(page.locator("h1")).to_have_text("Potwierdzenie przyjęcia zgłoszenia")
    assert_accessible(page, "receipt")


def test_board_search_call_backs_and_period_are_accessible(page, desk_user, people):
    item = register({"kind": "application", "channel": "phone", "resident_id": people.id,
                     "needs_description": "x"}, desk_user)
    register({"kind": "information", "channel": "web_form", "contact_name": "Ewa Pytająca",
              "contact_phone": "+48601234567", "message": "?"}, None)
    login(page, desk_user)
    page.goto("/desk/")
    expect(page.locator("#board")).to_contain_text("Do oddzwonienia: formularz internetowy (1)")
    page.fill("#q", "kowalska")
    page.keyboard.press("Enter")  # POST by htmx: the results appear, the address stays /desk/
    expect(page.locator("#request-search-results")).to_contain_text(item.number)
    assert "kowalska" not in page.url.lower()
    assert_accessible(page, "board with call-backs and search results")
    page.select_option("#filter-status", "new")
    expect(page.locator("#board-heading")).to_contain_text("Zgłoszenia z całego rejestru · nowe · 2 zgłoszenia")
    expect(page).to_have_url(re.compile(r"status=new"))
    assert_accessible(page, "board filtered")
