"""Change proposals in real Chromium (issue 15 §1): the provider proposes a
change to its service, the organiser reads it side by side and accepts it
through the confirmation; axe-core (WCAG 2.1 AA) on every page on the way."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.staff import login, logout

pytestmark = pytest.mark.browser

NEW_NAME = "Klub Seniora „Pogodna Jesień”"


@pytest.fixture
def people(make_user):
    from portal.auth.models import Role

    return (make_user(Role.PROVIDER, "renata", "Renata Realizatorka"),
            make_user(Role.SERVICES_ORGANISER, "olga", "Olga Organizatorka"))


@pytest.fixture
def club(make_service, people):
    from portal.catalogue.models import Provider
    from portal.extensions import db

    provider, _organiser = people
    return make_service("Klub Seniora w Bęczkowie", provider=db.session.get(Provider, provider.provider_id),
                        application_process="Zapisy w świetlicy.")


def test_the_provider_proposes_and_the_organiser_accepts_side_by_side(page, people, club):
    provider, organiser = people
    login(page, provider)
    page.get_by_role("link", name="Propozycje zmian").first.click()
    expect(page.locator("h1")).to_have_text("Propozycje zmian w katalogu")
    assert_accessible(page, "the provider's proposals")
    page.get_by_role("link", name="Zaproponuj zmianę w usłudze Klub Seniora w Bęczkowie").click()
    expect(page.locator("h1")).to_have_text("Propozycja zmian: Klub Seniora w Bęczkowie")
    assert_accessible(page, "the change form")
    page.fill("#name", NEW_NAME)
    page.fill("#application_process", "Zapisy telefoniczne.")
    page.get_by_role("button", name="Złóż propozycję").click()
    expect(page.locator(".flash-success")).to_contain_text("Propozycja została złożona")
    expect(page.locator("dd .badge")).to_have_text("czeka na decyzję")
    assert_accessible(page, "the proposal's page")
    logout(page)

    login(page, organiser)
    page.get_by_role("link", name="Propozycje realizatorów").first.click()
    expect(page.locator("h2").first).to_have_text("Czeka na decyzję: 1 propozycja")
    assert_accessible(page, "the review queue")
    page.get_by_role("link", name=NEW_NAME).click()
    name_row = page.locator("table.compare tr", has=page.locator("th", has_text="Nazwa usługi"))
    expect(name_row).to_have_class("changed")
    expect(name_row).to_contain_text("zmiana")
    expect(name_row.locator("td").nth(0)).to_have_text("Klub Seniora w Bęczkowie")
    expect(name_row.locator("td").nth(1)).to_have_text(NEW_NAME)
    assert_accessible(page, "the side-by-side review")
    page.get_by_role("button", name="Przyjmij propozycję…").click()
    expect(page.locator("h1")).to_have_text(f"Przyjąć propozycję „{NEW_NAME}”?")
    assert_accessible(page, "the confirmation")
    page.get_by_role("button", name="Przyjmij propozycję", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/manage/services/{club.id}/edit$"))
    expect(page.locator(".flash-success")).to_contain_text("Propozycja została przyjęta")
    page.goto(f"/services/{club.slug}")
    expect(page.locator("h1")).to_have_text(NEW_NAME)
