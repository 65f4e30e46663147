"""The monthly grid of care hours in real Chromium: filled from the keyboard
(Tab from day to day, a Polish decimal comma), saved without JavaScript of
its own, read back with its totals; axe-core on the grid page."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.staff import login
from tests.delivery.entries_fixtures import delivery  # noqa: F401  (fixtures)
from tests.plans.fixtures import people  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_hours_grid_filled_by_keyboard(page, delivery):
    anna = delivery.anna.id
    login(page, "organizator")
    page.goto(f"/delivery/hours?service={delivery.care.id}&month=2026-04")
    expect(page.locator("h1")).to_contain_text("Miesięczna karta godzin: Opieka w domu")
    assert_accessible(page, "hours grid")
    # The grid stays a table (it scrolls in its own region; a list of blocks,
    # as portal.js makes of a wide data table, lost its columns) and the
    # page is no wider than the window.
    assert page.locator("table.hours-grid").get_attribute("data-stacked") is None
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    first = page.get_by_role("textbox", name="Zielińska Anna 1 kwietnia 2026, śr")
    first.focus()
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("1,5")
    expect(page.locator(f"#h-{anna}-2")).to_be_focused()
    page.keyboard.press("Enter")  # submits the form
    expect(page.locator(".flash")).to_contain_text("Zapisano 2 zmienione komórki.")
    expect(page.locator(f"#h-{anna}-1")).to_have_value("2")
    expect(page.locator(f"#h-{anna}-2")).to_have_value("1,5")
    expect(page.locator(f"#person-{anna} ~ td.total")).to_have_text("3,5")
    assert_accessible(page, "hours grid saved")
