"""Plans in real Chromium: a plan drafted from a completed assessment (items
added and removed by htmx without a reload), submitted, approved by the
director and signed; the same drafting without JavaScript; axe-core on
every plan page. Runs under the production CSP: a console error or a CSP
violation fails the test."""
import re

import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from tests.browser.conftest import assert_accessible
from tests.browser.staff import approve_plan, login, logout, sign_for_the_director
from tests.plans.fixtures import frozen, make_case, people, plans  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def saved_plan():
    from portal.extensions import db
    from portal.plans.models import Plan

    db.session.expire_all()
    return db.session.scalar(db.select(Plan))


def test_draft_submit_approve_and_sign_in_the_browser(page, make_case, make_service, plans, people):
    case = make_case()
    club, care = case.services
    transport = make_service("Transport door-to-door", unit="trip")
    login(page, "koordynator")
    page.goto("/plans/")
    assert_accessible(page, "plans list")
    page.get_by_role("link", name="Sporządź plan").click()
    expect(page.locator("#items-0-place")).to_have_value("Świetlica")
    assert_accessible(page, "new plan")

    # htmx: the items region changes, the page does not reload.
    page.evaluate("window.__samePage = true")
    page.select_option("#add_service_id", label="Transport door-to-door")
    page.get_by_role("button", name="Dodaj usługę", exact=True).click()
    expect(page.locator("#plan-items fieldset.plan-item")).to_have_count(3)
    expect(page.locator("#items-2-service_id")).to_have_value(str(transport.id))
    assert page.evaluate("window.__samePage === true")
    assert_accessible(page, "item added")
    page.get_by_role("button", name="Usuń usługę 3").click()
    expect(page.locator("#plan-items fieldset.plan-item")).to_have_count(2)
    assert page.evaluate("window.__samePage === true")

    page.fill("#expected_effects", "Pan Jan wychodzi z domu dwa razy w tygodniu.")
    page.fill("#items-1-quantity", "8")
    page.check("#items-0-supports_volunteers")
    page.get_by_role("button", name="Zapisz projekt").click()
    expect(page.locator("h1")).to_contain_text("Projekt planu nr")
    assert_accessible(page, "plan page (draft)")
    page.get_by_role("link", name="Edytuj projekt").click()
    expect(page.locator("#items-1-quantity")).to_have_value("8")
    assert_accessible(page, "edit plan")
    page.goto(f"/plans/{saved_plan().id}")
    page.get_by_role("button", name="Przekaż do zatwierdzenia").click()
    expect(page.locator(".flash-success")).to_contain_text("Plan przekazano do zatwierdzenia.")
    logout(page)

    login(page, "dyrektor")
    page.goto("/plans/approvals")
    assert_accessible(page, "approval queue")
    page.get_by_role("link", name=re.compile("Projekt planu nr")).click()
    # axe on the page it opens, not on the queue still being left behind.
    expect(page.locator("h1")).to_contain_text("Projekt planu nr")
    assert_accessible(page, "plan page (approver)")
    approve_plan(page, "IPUS/1/2026")
    page.goto("/plans/delegations")
    assert_accessible(page, "delegations")
    logout(page)

    login(page, "koordynator")
    plan = saved_plan()
    page.goto(f"/plans/{plan.id}")
    page.get_by_role("link", name="Zapisz podpis").click()
    expect(page.locator("#signer_name")).to_have_value(case.resident.full_name)
    assert_accessible(page, "signature form")
    page.get_by_role("button", name="Zapisz podpis").click()
    expect(page.locator(".flash-success")).to_contain_text("Zapisano podpis.")
    sign_for_the_director(page)
    expect(page.locator(".badge").first).to_have_text("podpisany — w realizacji")
    assert_accessible(page, "plan page (active)")
    plan = saved_plan()
    assert plan.status == "active" and plan.number == "IPUS/1/2026"
    assert [i.quantity for i in plan.versions[0].items] == [1, 8]
    assert plan.versions[0].items[0].supports_volunteers is True

    page.get_by_role("button", name="Rozpocznij aktualizację").click()
    expect(page.locator("h1")).to_contain_text("Aktualizacja nr 1 planu IPUS/1/2026")
    assert_accessible(page, "plan update")
    page.goto(f"/plans/{plan.id}/versions/0")
    assert_accessible(page, "original version")


def test_drafting_without_javascript(no_js_page, make_case, make_service, plans, people):
    page = no_js_page
    case = make_case()
    make_service("Transport door-to-door", unit="trip")
    login(page, "koordynator")
    page.goto(f"/plans/new/{case.assessment.id}")
    page.select_option("#add_service_id", label="Transport door-to-door")
    page.get_by_role("button", name="Dodaj usługę", exact=True).click()
    expect(page.locator("fieldset.plan-item")).to_have_count(3)
    page.get_by_role("button", name="Usuń usługę 1").click()
    expect(page.locator("fieldset.plan-item")).to_have_count(2)
    page.fill("#valid_until", "12.05.2027")  # a year and a day
    page.get_by_role("button", name="Zapisz projekt").click()
    expect(page.locator("#valid_until-error")).to_contain_text("Plan obowiązuje najwyżej rok")
    expect(page.locator("#valid_until")).to_have_value("12.05.2027")
    page.fill("#valid_until", "11.05.2027")
    page.get_by_role("button", name="Zapisz projekt").click()
    expect(page.locator("h1")).to_contain_text("Projekt planu nr")
    plan = saved_plan()
    assert [i.service.name for i in plan.versions[0].items] == [case.services[1].name, "Transport door-to-door"]


def test_other_plan_pages_are_accessible(page, make_case, make_service, plans, people):
    from portal.extensions import db
    from portal.plans import delegations, waiting
    from tests.plans.fixtures import TODAY

    bed = make_service("Łóżko rehabilitacyjne", unit="loan", capacity_maximum=1)
    case = make_case([bed])
    delegations.grant_delegation(db.session, people.organiser.id, actor=people.director, today=TODAY)
    waiting.add_to_waiting_list(db.session, {"service_id": bed.id, "resident_id": case.resident.id},
                                actor=people.coordinator)
    db.session.commit()
    login(page, "koordynator")
    page.goto(f"/plans/requests/{case.request.id}/grant")
    assert_accessible(page, "grant form")
    page.select_option("#service_id", label="Łóżko rehabilitacyjne ★")
    page.get_by_role("button", name="Sprawdź wolne miejsca").click()
    expect(page.locator("#grant-capacity")).to_contain_text("Wolne miejsca")
    page.get_by_role("button", name="Przyznaj usługę").click()
    expect(page.locator(".flash-success")).to_contain_text("Przyznano usługę.")
    assert_accessible(page, "grants")
    page.goto(f"/plans/waiting?service={bed.id}")
    assert_accessible(page, "waiting list (coordinator)")
    logout(page)
    login(page, "organizator")
    page.goto(f"/plans/waiting?service={bed.id}")
    expect(page.get_by_text("osoba z innej sprawy")).to_be_visible()
    assert_accessible(page, "waiting list (organiser)")
    page.goto("/plans/approvals")
    assert_accessible(page, "approval queue (organiser)")
    assert Role.SERVICES_ORGANISER  # the organiser reached the queue through the delegation
