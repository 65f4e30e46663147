"""The embeddable catalogue and events (/embed/...) in real Chromium under
the production CSP: the demo catalogue filtered through the plain form,
a page of results, the events with their calendar links; axe-core (WCAG 2.1
AA) on each."""
import re
from datetime import datetime, time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app):
    """The demo catalogue and events, the clock at 10:00 (Warsaw) today."""
    from portal.demo.catalogue import seed_catalogue
    from portal.demo.events import seed_events
    from portal.extensions import db
    from portal.timeutil import WARSAW

    app.config["FIXED_NOW"] = datetime.combine(datetime.now(WARSAW).date(), time(10, 0), tzinfo=WARSAW)
    seed_catalogue(db.session)
    db.session.commit()
    seed_events(db.session)
    db.session.commit()


def test_the_embedded_catalogue_and_events(page, demo):
    page.goto("/embed/services")
    expect(page.get_by_role("heading", name="Katalog usług społecznych", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Znaleziono \d+ usług"))
    assert page.locator("script").count() == 0
    assert_accessible(page, "the embedded catalogue")
    page.get_by_label("Dla kogo").select_option(label="Seniorzy (60+)")
    page.get_by_role("button", name="Pokaż").click()
    expect(page).to_have_url(re.compile(r"group=seniors"))
    first = page.locator(".items h2 a").first
    expect(first).to_have_attribute("target", "_top")
    assert_accessible(page, "the embedded catalogue filtered")
    if page.get_by_role("link", name="Następna strona").count():
        page.get_by_role("link", name="Następna strona").click()
        expect(page.get_by_role("link", name="Poprzednia strona")).to_be_visible()
    page.goto("/embed/events")
    expect(page.get_by_role("heading", name="Nadchodzące wydarzenia", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="wszystkie wydarzenia (.ics)")).to_have_attribute("href", "/events.ics")
    assert_accessible(page, "the embedded events")
