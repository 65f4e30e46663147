"""A provider's registration in real Chromium under the production CSP: the public form (axe-core, WCAG 2.1
AA) with its errors, sent and thanked for; then the organiser's queue and the application's page."""
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from portal.timeutil import WARSAW
from tests.browser.conftest import assert_accessible
from tests.browser.staff import login

pytestmark = pytest.mark.browser

SHOWN = datetime(2026, 10, 13, 10, 0, tzinfo=WARSAW)


def test_an_organisation_registers_and_the_organiser_reads_it(app, page, make_user):
    app.config["FIXED_NOW"] = SHOWN
    organiser = make_user("services_organiser", "organizator-test", "Olga Organizatorka")
    page.goto("/")
    page.get_by_role("link", name="Zgłoś organizację jako realizatora usług").click()
    expect(page.locator("h1")).to_have_text("Zgłoś organizację jako realizatora usług")
    assert_accessible(page, "the registration form")

    app.config["FIXED_NOW"] = SHOWN + timedelta(seconds=20)
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    expect(page.get_by_role("heading", name="Popraw zaznaczone pola")).to_be_visible()
    assert_accessible(page, "the form's errors")

    page.get_by_label("Nazwa organizacji").fill("Koło Gospodyń Wiejskich w Zofiborze")
    page.get_by_label("Rodzaj organizacji").select_option(label="Koło gospodyń wiejskich")
    page.get_by_label("NIP", exact=True).fill("712-301-23-46")
    page.get_by_label("REGON", exact=True).fill("431029381")
    page.get_by_label("Ulica i numer").fill("Zofibór 12")
    page.get_by_label("Kod pocztowy").fill("21-407")
    page.get_by_label("Miejscowość").fill("Wojcieszków")
    page.get_by_label("Imię i nazwisko").fill("Danuta Wójcik")
    page.get_by_label("E-mail").fill("kgw.zofibor@poczta.example.pl")
    page.get_by_label("Doświadczenie organizacji").fill("Od 2019 roku gotujemy razem i organizujemy dożynki.")
    page.locator("#services-0-name").fill("Obiady sąsiedzkie")
    page.locator("#services-0-target_group").fill("seniorzy")
    page.get_by_label("Wejście bez schodów / podjazd dla wózków").check()
    app.config["FIXED_NOW"] = SHOWN + timedelta(seconds=90)
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    expect(page.locator("h1")).to_have_text("Dziękujemy za zgłoszenie")

    login(page, organiser)
    page.goto("/manage/applications")
    expect(page.locator("#application-count")).to_have_text("1 zgłoszenie realizatora")
    assert_accessible(page, "the queue")
    page.get_by_role("link", name="Koło Gospodyń Wiejskich w Zofiborze").click()
    expect(page.locator("main")).to_contain_text("Obiady sąsiedzkie")
    expect(page.locator("main")).to_contain_text("7123012346")
    assert_accessible(page, "an application's page")
    page.get_by_role("button", name="Przyjmij zgłoszenie…").click()
    expect(page.locator("h1")).to_have_text("Przyjąć zgłoszenie organizacji Koło Gospodyń Wiejskich w Zofiborze?")
    assert_accessible(page, "the acceptance's confirmation")
