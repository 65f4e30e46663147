"""Management pages in real Chromium under the production CSP: the list
filter as you type (htmx), the same filter without JavaScript, and axe-core
(WCAG 2.1 AA) on every page. Uses the browser helpers of tests/browser."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _close_and_check, _open_page, assert_accessible, serving
from tests.browser.staff import login

pytestmark = pytest.mark.browser


@pytest.fixture
def organiser(make_user):
    from portal.auth.models import Role

    return make_user(Role.SERVICES_ORGANISER, "test-ous", "Olga Organizatorka")


@pytest.fixture
def browse(app, browser):
    """`with browse() as page:` a logged-in organiser's page; JS on or off."""
    from contextlib import contextmanager

    @contextmanager
    def open_page(user, javascript=True):
        with serving(app) as url:
            context, page, problems = _open_page(browser, url, java_script_enabled=javascript)
            try:
                login(page, user)
                yield page
            finally:
                _close_and_check(context, problems)

    return open_page


@pytest.fixture
def services(make_service, make_village):
    from portal.catalogue.models import Place

    village = make_village("Bęczków")
    make_service("Łóżko rehabilitacyjne", places=[Place(name="Magazyn CUS", village=village)])
    make_service("Klub Seniora w Bęczkowie", groups=("seniors",), rules=((1, "10:00", "12:00"),))
    return make_service("Asystent osobisty", status="suspended")


def test_filter_updates_the_list_as_you_type(browse, organiser, services):
    with browse(organiser) as page:
        page.goto("/manage/services")
        rows = page.locator("#service-list tbody tr")
        expect(rows).to_have_count(3)
        page.evaluate("document.body.dataset.marker = 'same-document'")
        page.fill("#q", "lozko")  # no diacritics typed
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Łóżko rehabilitacyjne")
        expect(page).to_have_url(re.compile(r"q=lozko"))
        page.select_option("#status-filter", "suspended")
        expect(page.locator("#service-list")).to_contain_text("Żadna usługa")
        # Swapped in place: still the same document, not a reload.
        assert page.evaluate("document.body.dataset.marker") == "same-document"


def test_filter_works_without_javascript(browse, organiser, services):
    with browse(organiser, javascript=False) as page:
        page.goto("/manage/services")
        page.fill("#q", "klub")
        page.get_by_role("button", name="Pokaż").click()
        expect(page).to_have_url(re.compile(r"q=klub"))
        expect(page.locator("#service-list tbody tr")).to_have_count(1)


def test_edit_a_service_without_javascript(browse, organiser, services):
    with browse(organiser, javascript=False) as page:
        page.goto("/manage/services")
        page.get_by_role("link", name="Klub Seniora w Bęczkowie", exact=True).click()
        page.fill("#maximum_age", "50")
        page.fill("#minimum_age", "60")
        page.get_by_role("button", name="Zapisz usługę").click()
        expect(page.locator("#maximum_age-error")).to_have_text("Wiek do musi być większy lub równy wiekowi od.")
        expect(page.locator("#minimum_age")).to_have_value("60")
        page.fill("#maximum_age", "")
        page.fill("#schedule_rules-1-opens", "16:00")
        page.fill("#schedule_rules-1-closes", "18:00")
        page.select_option("#schedule_rules-1-weekday", "3")
        page.get_by_role("button", name="Zapisz usługę").click()
        expect(page.locator(".flash-success")).to_have_text("Zapisano zmiany.")
        expect(page.locator("#schedule_rules-1-weekday")).to_have_value("3")


def test_management_pages_are_accessible(browse, organiser, services, app):
    from datetime import date

    from portal.catalogue.models import Place, SearchCount, SynonymGroup
    from portal.extensions import db

    db.session.add_all([SynonymGroup(phrases="wytchnienie; opieka wytchnieniowa"),
                        SearchCount(day=date.today(), query="basen", searches=3, misses=3)])
    db.session.commit()
    place = db.session.scalar(db.select(Place))
    with browse(organiser) as page:
        for url in ("/manage/services", "/manage/services/new", f"/manage/services/{services.id}/edit",
                    f"/manage/services/{services.id}/history", "/manage/providers", "/manage/providers/new",
                    f"/manage/providers/{services.provider_id}/edit", "/manage/places",
                    f"/manage/places/{place.id}/edit", "/manage/villages", "/manage/synonyms",
                    "/manage/search-statistics", "/manage/import"):
            page.goto(url)
            assert_accessible(page, url)
        # A form that came back with errors.
        page.goto("/manage/providers/new")
        page.fill("#nip", "1234567890")
        page.get_by_role("button", name="Zapisz realizatora").click()
        expect(page.locator("#nip-error")).to_be_visible()
        assert_accessible(page, "provider form with errors")


def test_a_miss_becomes_a_synonym_in_one_step(browse, organiser, app, make_service):
    """The statistics page: the row's own form refused with its message
    (axe on that state too), then the miss added to a group chosen from
    the list, and the search finds the service by the missed word."""
    from datetime import date

    from portal.catalogue.models import SearchCount, SynonymGroup
    from portal.extensions import db

    make_service("Usługa wytchnieniowa")
    db.session.add_all([SynonymGroup(phrases="wytchnienie; usługa wytchnieniowa"),
                        SearchCount(day=date.today(), query="odpoczynek", searches=4, misses=4)])
    db.session.commit()
    miss_id = db.session.scalar(db.select(SearchCount.id))
    with browse(organiser) as page:
        page.goto("/manage/search-statistics")
        row = page.locator("#misses ~ table tr", has_text="odpoczynek")
        row.get_by_role("button", name="Dodaj synonim").click()
        expect(page.locator(f"#miss-{miss_id}-error")).to_have_text(
            "Wybierz grupę albo wpisz wyrażenie z katalogu, które znaczy to samo.")
        expect(page.locator(f"#miss-{miss_id}-phrase")).to_have_attribute("aria-invalid", "true")
        assert_accessible(page, "statistics with a refused synonym")
        page.select_option(f"#miss-{miss_id}-group_id", label="wytchnienie; usługa wytchnieniowa")
        page.locator(f"#miss-{miss_id}-group_id").locator("xpath=ancestor::form").get_by_role(
            "button", name="Dodaj synonim").click()
        expect(page.locator(".flash-success")).to_contain_text("„odpoczynek” jest teraz synonimem.")
        expect(page.locator("#misses ~ table")).to_have_count(0)
        page.goto("/services?q=odpoczynek")
        expect(page.locator(".card-title").first).to_have_text("Usługa wytchnieniowa")
