"""Recording a contract in real Chromium under the production CSP: the list
(axe-core), the form (axe-core) filled and saved, the contract's page with
its services and amounts in Polish (axe-core)."""
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser import staff
from tests.browser.conftest import assert_accessible
from tests.contracts.contracts_fixtures import frozen, rows, world  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_contract_is_recorded_through_the_form(page, app, world):  # noqa: F811
    world.contract(world.coop, [(world.care, 6000)], number="CUS.526.2.2026", amount="875408.40")
    world.contract(world.company, [(world.transport, 40)], number="CUS.526.7.2026", mode="simplified",
                   starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 20), amount="9600.00")
    staff.login(page, world.organiser)
    page.get_by_role("link", name="Umowy", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Umowy z realizatorami")
    expect(page.locator("#contracts-count")).to_have_text("2 umowy — łącznie 885 008,40 zł")
    expect(page.get_by_text("Umowa kończy się za 36 dni (20.11.2026).")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nowa umowa").click()
    expect(page.locator("h1")).to_have_text("Nowa umowa")
    assert_accessible(page)
    page.fill("#number", "CUS.526.1.2026")
    page.select_option("#provider_id", label="Stowarzyszenie Rozwoju Gminy Wojcieszków")
    page.select_option("#mode", label="Otwarty konkurs ofert (ustawa o działalności pożytku publicznego)")
    page.fill("#reference", "Otwarty konkurs ofert nr 1/2026")
    page.fill("#starts_on", "2026-01-01")
    page.fill("#ends_on", "2027-12-31")
    page.fill("#amount", "1 146 520,00")
    page.select_option("#lines-0-service_id",
                       label="Klub Seniora w Bęczkowie (Stowarzyszenie Rozwoju Gminy Wojcieszków)")
    page.fill("#lines-0-volume", "208")
    page.get_by_role("button", name="Zapisz umowę").click()

    expect(page.locator(".flash")).to_contain_text("Zapisano umowę.")
    expect(page.locator("h1")).to_have_text("Umowa CUS.526.1.2026")
    expect(page.locator("main")).to_contain_text("1 146 520,00 zł")
    expect(page.locator("main")).to_contain_text("208 spotkań")
    assert_accessible(page)
