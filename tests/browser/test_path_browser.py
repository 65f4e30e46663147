"""The whole path of a resident in real Chromium, as the people at the centre
click it, under the production CSP (a console error or a CSP violation
fails the test), with axe-core on the coordinator's desk at each stage:

front desk registers an application → assigns a coordinator → the
coordinator records and completes the needs assessment → drafts the plan
from it → submits it → the director approves → both signatures recorded →
a monitoring contact → the closure; the request ends closed, with every
step in its history."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from tests.browser.conftest import assert_accessible
from tests.browser.staff import approve_plan, login, logout, sign_for_the_director
from tests.casework.fixtures import fresh_desk_regions  # noqa: F401  (fixtures)
from tests.plans.fixtures import frozen, make_case, people, plans  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def nav(page, name):
    page.get_by_label("Menu główne").get_by_role("link", name=name).click()


def the_request():
    from portal.desk.models import Request

    db.session.expire_all()
    return db.session.scalar(select(Request))


def the_plan():
    from portal.plans.models import Plan

    db.session.expire_all()
    return db.session.scalar(select(Plan))


@pytest.fixture
def centre(people, frozen, make_service, make_village):
    """The register and the catalogue before the person calls (Tuesday 12 May 2026)."""
    from portal.catalogue.search import fold
    from portal.residents.models import Resident

    make_service("Klub Seniora w Bęczkowie", unit="person", places=["Świetlica w Bęczkowie"],
                 schedule_description="wtorki 10:00–12:00")
    person = Resident(first_name="Janina", last_name="Kowalska", search_first="janina",
                      search_last=fold("Kowalska"), pesel="44051401359", phone="+48601234567",
                      village=make_village("Bęczków"))
    db.session.add(person)
    db.session.commit()
    return person


def test_the_whole_path_from_the_desk_to_closure(page, centre, people):
    # 1. The front desk registers the application (a phone call), without a coordinator yet.
    login(page, "recepcja")
    page.goto("/desk/requests/new")
    page.fill("#q", "kowal")
    page.keyboard.press("Enter")
    expect(page.locator("#person .person-card")).to_contain_text("Janina Kowalska")
    page.check("#kind-application")
    page.fill("#needs_description", "Mieszkam sama, chciałabym wychodzić do ludzi.")
    page.get_by_role("button", name="Zapisz zgłoszenie").click()
    expect(page.locator(".flash-success")).to_contain_text("Zapisano zgłoszenie")
    request = the_request()
    assert (request.kind, request.status, request.coordinator_id) == ("application", "new", None)

    # 2. ... and assigns it to a coordinator on the request's page.
    page.goto(f"/desk/requests/{request.id}")
    page.select_option("#assign-coordinator_id", str(people.coordinator.id))
    page.get_by_role("button", name="Przydziel").click()
    expect(page.locator("main")).to_contain_text("Anna Koordynator")
    assert the_request().status == "assigned"
    logout(page)

    # 3. The coordinator finds the case on her desk, with the 30-day deadline.
    login(page, "koordynator")
    nav(page, "Moje sprawy")
    row = page.locator("#cases table.cases tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Janina Kowalska")
    expect(row).to_contain_text("sporządzenie planu: 11.06.2026")
    assert_accessible(page, "my cases: before the assessment")
    row.get_by_role("link", name="Janina Kowalska").click()

    # 4. The needs assessment, started from the request and completed.
    page.get_by_role("button", name="Rozpocznij diagnozę potrzeb").click()
    expect(page.locator("h1")).to_have_text("Indywidualna diagnoza potrzeb")
    page.get_by_label("w miejscu zamieszkania osoby").check()
    page.get_by_label("Wykształcenie").select_option("primary")
    page.get_by_label("Sytuacja na rynku pracy").select_option("inactive")
    page.get_by_label("Stan cywilny").select_option("widowed")
    page.fill("#household_size", "1")
    page.fill("#income_source", "emerytura")
    page.fill("#problems", "Samotność, rzadkie wyjścia z domu.")
    page.get_by_label("gotowa(-y) do zmiany").check()
    page.fill("#conclusions", "Klub Seniora w Bęczkowie dwa razy w tygodniu.")
    page.get_by_role("button", name="Zapisz szkic i przejdź do danych szczególnych").click()
    page.get_by_role("group", name="Przynależność do mniejszości narodowej lub etnicznej").get_by_label("nie").check()
    page.get_by_role("group", name="Niepełnosprawność", exact=True).get_by_label("nie").check()
    page.get_by_role("button", name="Zapisz i wróć do diagnozy").click()
    page.get_by_role("button", name="Zakończ diagnozę").click()
    expect(page.locator(".flash-success")).to_contain_text("Zakończono diagnozę")
    assert the_request().status == "in_assessment"

    # 5. The plan, drafted from the assessment, and submitted.
    nav(page, "Plany (IPUS)")
    page.get_by_role("link", name="Sporządź plan").click()
    page.select_option("#add_service_id", label="Klub Seniora w Bęczkowie")
    page.get_by_role("button", name="Dodaj usługę", exact=True).click()
    expect(page.locator("#items-0-place")).to_have_value("Świetlica w Bęczkowie")
    page.fill("#expected_effects", "Pani Janina wychodzi z domu dwa razy w tygodniu.")
    page.get_by_role("button", name="Zapisz projekt").click()
    expect(page.locator("h1")).to_contain_text("Projekt planu nr")
    page.get_by_role("button", name="Przekaż do zatwierdzenia").click()
    expect(page.locator(".flash-success")).to_contain_text("Plan przekazano do zatwierdzenia.")
    nav(page, "Moje sprawy")
    expect(page.locator("#cases table.cases tbody tr")).to_contain_text("przekazany do zatwierdzenia")
    logout(page)

    # 6. The director approves it; the case now waits for signatures.
    login(page, "dyrektor")
    page.goto("/plans/approvals")
    page.get_by_role("link", name=re.compile("Projekt planu nr")).click()
    approve_plan(page, "IPUS/1/2026")
    nav(page, "Sprawy koordynatorów")
    row = page.locator("#cases table.cases tbody tr")
    expect(row).to_contain_text("brak podpisów pod planem: 26.05.2026")
    expect(row).to_contain_text("Anna Koordynator")
    assert_accessible(page, "director's view: awaiting signatures")
    assert the_request().status == "handed_to_plan"
    logout(page)

    # 7. Both signatures recorded: the plan runs, the next deadline is the quarterly contact.
    login(page, "koordynator")
    plan = the_plan()
    page.goto(f"/plans/{plan.id}")
    page.get_by_role("link", name="Zapisz podpis").click()
    page.get_by_role("button", name="Zapisz podpis").click()
    expect(page.locator(".flash-success")).to_contain_text("Zapisano podpis.")
    sign_for_the_director(page)
    expect(page.locator(".badge").first).to_have_text("podpisany — w realizacji")
    expect(page.locator(".casework-panel")).to_contain_text("Następny kontakt monitorujący do 12 sierpnia 2026.")

    # 8. A monitoring contact.
    page.locator(".casework-panel").get_by_role("link", name="Karta monitoringu").click()
    page.get_by_label("wizyta w miejscu zamieszkania").check()
    page.fill("#items-0-scope_delivered", "Pierwsze dwa spotkania w klubie.")
    page.get_by_role("group", name="Zadowolenie uczestnika (1–5)").get_by_label("4 — zadowolony(-a)").check()
    page.get_by_role("button", name="Zapisz kontakt").click()
    expect(page.locator(".flash-success")).to_have_text("Zapisano kontakt monitorujący.")
    expect(page.locator("table.monitoring")).to_contain_text("Pierwsze dwa spotkania w klubie.")
    nav(page, "Moje sprawy")
    expect(page.locator("#cases table.cases tbody tr")).to_contain_text("kontakt monitorujący: 12.08.2026")
    assert_accessible(page, "my cases: plan running")

    # 9. The closure after the summary conversation.
    page.goto(f"/cases/plans/{plan.id}/closure")
    expect(page.locator("#course")).to_contain_text("Klub Seniora w Bęczkowie")
    page.fill("#effects", "Pani Janina poznała nowe osoby i wychodzi z domu.")
    page.get_by_role("group", name="Czy usługi odpowiadały Pani/Pana potrzebom?").get_by_label(
        "5 — zdecydowanie tak / bardzo dobrze").check()
    page.get_by_role("group", name="Jak ocenia Pani/Pan współpracę z koordynatorem?").get_by_label(
        "4 — raczej tak / dobrze").check()
    page.fill("#survey_comment", "Dziękuję.")
    page.get_by_role("button", name="Zamknij plan…").click()
    page.get_by_role("button", name="Zamknij plan", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Zgłoszenie zostało zamknięte razem z nim.")

    # The request ends closed, every step in its history; the desk is empty.
    request = the_request()
    assert request.status == "closed_plan" and request.closed_at is not None
    assert [c.to_status for c in request.history] == [
        "new", "assigned", "in_assessment", "handed_to_plan", "closed_plan"]
    page.goto(f"/desk/requests/{request.id}")
    expect(page.locator("main")).to_contain_text("zamknięte — plan zakończony")
    nav(page, "Moje sprawy")
    expect(page.locator("#cases")).to_contain_text("Brak otwartych spraw dla tych filtrów.")
    assert the_plan().status == "closed"
