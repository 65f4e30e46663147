"""The satisfaction survey on a phone-sized screen (390 × 844) without a
login, in real Chromium under the production CSP, with and without
JavaScript (axe-core, WCAG 2.1 AA, runs as a script: on the JavaScript
run) on the questionnaire, its errors and the thanks; nothing scrolls
sideways; the same link again says it was used."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _close_and_check, _open_page, assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _fits(page, javascript):
    if javascript:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _accessible(page, javascript, label):
    if javascript:
        assert_accessible(page, label)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_survey_on_a_phone_without_login(app, browser, live_server, make_service, javascript):
    from portal.extensions import db
    from portal.quality import surveys

    service = make_service("Klub Seniora w Burzcu")
    token = surveys.issue_tokens(db.session, service.id, 1, None)[0]
    db.session.commit()
    context, page, problems = _open_page(browser, live_server, viewport=PHONE, java_script_enabled=javascript)
    try:
        page.goto(f"/ankieta/{token}")
        expect(page.get_by_role("heading", name="Ankieta satysfakcji")).to_be_visible()
        _fits(page, javascript)
        _accessible(page, javascript, "the survey on a phone")
        page.get_by_role("button", name="Wyślij ankietę").click()
        expect(page.get_by_role("heading", name="Popraw zaznaczone pola")).to_be_visible()
        _accessible(page, javascript, "the survey's errors")
        needs = page.get_by_role("group", name="Czy usługa odpowiada na Pana/Pani potrzeby?")
        needs.get_by_label("5 — bardzo dobrze").check()
        page.get_by_role("group", name="Jak ocenia Pan/Pani osoby, które prowadzą usługę?") \
            .get_by_label("4 — dobrze").check()
        page.get_by_label("Uwagi (nieobowiązkowo)").fill("Miła atmosfera.")
        page.get_by_role("button", name="Wyślij ankietę").click()
        expect(page.get_by_role("heading", name="Dziękujemy za wypełnienie ankiety")).to_be_visible()
        _fits(page, javascript)
        _accessible(page, javascript, "the thanks")
        page.goto(f"/ankieta/{token}")
        expect(page.get_by_role("heading", name="Ta ankieta została już wypełniona")).to_be_visible()
        _accessible(page, javascript, "the used link")
    finally:
        _close_and_check(context, problems)
