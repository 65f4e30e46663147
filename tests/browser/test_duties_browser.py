"""The organiser's duties in real Chromium (axe-core, WCAG 2.1 AA): from the
reminder on the start page to the summary, its conclusions and its sending;
a meeting recorded with a plan number and a task."""
from datetime import date, datetime

import pytest
from playwright.sync_api import expect

from portal.timeutil import WARSAW
from tests.browser.conftest import _close_and_check, _open_page, assert_accessible
from tests.browser.staff import login
from tests.casework.fixtures import case_rows  # noqa: F401
from tests.plans.fixtures import make_case, people  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_organiser_sends_a_summary_and_records_a_meeting(app, browser, live_server, people, case_rows):  # noqa: F811
    from portal.extensions import db

    app.config["FIXED_NOW"] = datetime(2026, 7, 10, 10, tzinfo=WARSAW)
    case = case_rows(plan="active", valid_from=date(2026, 4, 20), valid_until=date(2027, 4, 19), name="Wiśniewska")
    case.plan.number_year, case.plan.number_seq = 2026, 7
    db.session.commit()
    context, page, problems = _open_page(browser, live_server)
    try:
        login(page, "organizator")
        page.get_by_role("link", name="I półrocze 2026 minęło").click()
        expect(page.locator("h1")).to_have_text("Podsumowanie planów: I półrocze 2026")
        assert_accessible(page, "the summary, a draft")
        page.get_by_label("Wnioski organizatora usług społecznych").fill("Więcej wizyt domowych.")
        page.get_by_role("button", name="Zapisz wnioski").click()
        expect(page.get_by_text("Zapisano wnioski.")).to_be_visible()
        page.get_by_role("button", name="Wyślij podsumowanie").click()
        assert_accessible(page, "the confirmation of sending")
        page.get_by_role("button", name="Wyślij podsumowanie").click()
        expect(page.get_by_text("Podsumowanie wysłano dyrektorowi")).to_be_visible()
        assert_accessible(page, "the summary, sent")
        page.goto("/reports/meetings/new")
        page.get_by_label("Omawiane plany (numery)").fill("IPUS/7/2026")
        page.get_by_role("button", name="Zapisz spotkanie").click()
        expect(page.get_by_role("heading", name="Popraw zaznaczone pola")).to_be_visible()
        assert_accessible(page, "the meeting form with errors")
        page.get_by_label("Anna Koordynator (Koordynator IPUS)").check()
        page.locator("#conclusions").fill("Kontakty w terminie.")
        page.get_by_label("Zadanie 1", exact=True).fill("Zadzwonić do realizatora")
        page.get_by_label("Odpowiada — zadanie 1").select_option(label="Anna Koordynator (Koordynator IPUS)")
        page.get_by_label("Termin — zadanie 1").fill("2026-07-31")
        page.get_by_role("button", name="Zapisz spotkanie").click()
        expect(page.locator("h1")).to_have_text("Spotkanie z koordynatorami: 10 lipca 2026")
        expect(page.get_by_text("IPUS/7/2026")).to_be_visible()
        assert_accessible(page, "the meeting")
    finally:
        _close_and_check(context, problems)
