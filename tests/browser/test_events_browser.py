"""Events in real Chromium under the production CSP: axe-core on the public
calendar, an event page (image, cancelled date), the organiser's forms (also
with errors) and the notices page with the banner; filters with and without
JavaScript."""
import io
import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import staff
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def calendar(app, make_village, tmp_path):
    from PIL import Image

    from portal.catalogue.models import Place, TargetGroup
    from portal.events import images, services
    from portal.events.models import Notice
    from portal.extensions import db
    from portal.timeutil import local_now, now

    app.config["EVENT_MEDIA_DIR"] = str(tmp_path / "media")
    today = local_now().date()
    village = make_village("Burzec")
    other = make_village("Bęczków")
    hall = Place(name="Świetlica wiejska w Burzcu", address_1="Burzec 48", village=village)
    school = Place(name="Szkoła w Bęczkowie", village=other)
    db.session.add_all([hall, school])
    db.session.commit()
    seniors = db.session.scalar(db.select(TargetGroup).where(TargetGroup.code == "seniors"))
    png = io.BytesIO()
    Image.new("RGB", (800, 400), (250, 200, 40)).save(png, "PNG")
    png.seek(0)
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    club = services.create_event(db.session, {
        "title": "Klub Seniora w Burzcu", "summary": "Rozmowy, gimnastyka i herbata.", "category": "club",
        "start_date": tuesday, "start_time": time(10), "end_date": tuesday, "end_time": time(12),
        "frequency": "weekly", "skip_holidays": True, "cancelled_dates": [tuesday + timedelta(weeks=1)],
        "place_id": hall.id, "room": "duża sala", "audience_ids": [seniors.id], "registration_needed": True,
        "registration_phone": "257531001", "registration_limit": 20,
        "image_name": images.store_upload(png), "image_alt": "Plakat klubu: filiżanka herbaty"},
        actor=None, status="published")
    feast = services.create_event(db.session, {
        "title": "Święto Pieroga", "summary": "Konkurs i degustacja.", "category": "culture",
        "start_date": today + timedelta(days=3), "start_time": time(14), "end_date": today + timedelta(days=3),
        "end_time": time(20), "place_id": school.id, "free": False, "price": "10 zł"}, actor=None,
        status="published")
    db.session.add(Notice(text="Centrum nieczynne 24 grudnia", starts_at=now() - timedelta(hours=1),
                          ends_at=now() + timedelta(days=1)))
    db.session.commit()
    return {"club": club, "feast": feast}


def login(page, make_user, role="community_organiser"):
    staff.login(page, make_user(role))


def test_public_calendar_filters_with_htmx_and_is_accessible(page, calendar):
    page.goto("/events")
    expect(page.locator(".notice-banner")).to_contain_text("Centrum nieczynne 24 grudnia")
    expect(page.locator("#event-list")).to_contain_text("Klub Seniora w Burzcu")
    expect(page.locator("#event-list")).to_contain_text("Święto Pieroga")
    assert_accessible(page, "/events")
    page.select_option("#village", "burzec")
    expect(page.locator("#event-list")).not_to_contain_text("Święto Pieroga")
    expect(page).to_have_url(re.compile(r"village=burzec"))
    expect(page.locator("#event-list")).to_contain_text("Klub Seniora w Burzcu")
    assert_accessible(page, "/events filtered")


def test_public_calendar_filters_without_javascript(no_js_page, calendar):
    no_js_page.goto("/events")
    no_js_page.select_option("#village", "beczkow")
    no_js_page.get_by_role("button", name="Pokaż").click()
    expect(no_js_page).to_have_url(re.compile(r"village=beczkow"))
    expect(no_js_page.locator("#event-list")).to_contain_text("Święto Pieroga")
    expect(no_js_page.locator("#event-list")).not_to_contain_text("Klub Seniora")


def test_event_page_with_image_and_cancelled_date_is_accessible(page, calendar):
    club = calendar["club"]
    page.goto(f"/events/{club.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Klub Seniora w Burzcu")
    image = page.get_by_role("img", name="Plakat klubu: filiżanka herbaty")
    expect(image).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", image.element_handle()) == 800
    expect(page.locator(".event-dates")).to_contain_text("odwołane")
    expect(page.get_by_role("link", name="Dodaj do kalendarza")).to_have_attribute("href", f"/events/{club.slug}.ics")
    assert_accessible(page, "event page")


def test_organiser_forms_are_accessible_also_with_errors(page, calendar, make_user):
    login(page, make_user)
    page.goto("/staff/events")
    expect(page.locator("#event-rows")).to_contain_text("Klub Seniora w Burzcu")
    assert_accessible(page, "/staff/events")
    page.goto("/staff/events/new")
    assert_accessible(page, "new event form")
    staff.submit(page, "Zapisz wydarzenie", title="Warsztaty wielkanocne", start_date="2026-03-28", start_time="10:00")
    expect(page.locator("#error-summary")).to_contain_text("Podaj godzinę zakończenia")
    expect(page.locator("#title")).to_have_value("Warsztaty wielkanocne")
    assert_accessible(page, "new event form with errors")
    page.goto(f"/staff/events/{calendar['club'].id}/edit")
    expect(page.locator("#title")).to_have_value("Klub Seniora w Burzcu")
    assert_accessible(page, "edit event form")


def test_oversized_image_is_refused_in_the_browser_before_sending(page, calendar, make_user, tmp_path):
    login(page, make_user)
    page.goto("/staff/events/new")
    big = tmp_path / "duze.jpg"
    big.write_bytes(b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 10))
    page.set_input_files("#image", str(big))
    message = page.evaluate("document.querySelector('#image').validationMessage")
    assert "większy niż 5 MB" in message


def test_notices_page_and_ending_a_notice(page, calendar, make_user):
    login(page, make_user)
    page.goto("/staff/notices")
    expect(page.get_by_label("Pasek na każdym slajdzie — wydarzenia i usługi dalej się zmieniają")).to_be_checked()
    assert_accessible(page, "/staff/notices")
    page.get_by_role("link", name="Zakończ teraz…").click()  # a second step, not the end yet
    expect(page.locator("h1")).to_have_text("Zakończyć komunikat teraz?")
    expect(page.locator(".notice-banner")).to_contain_text("Centrum nieczynne 24 grudnia")
    assert_accessible(page, "confirm ending a notice")
    page.get_by_role("button", name="Zakończ komunikat").click()
    expect(page.locator(".flashes")).to_contain_text("Komunikat zakończony")
    expect(page.locator(".notice-banner")).to_have_count(0)
    page.get_by_role("button", name="Opublikuj komunikat").click()
    expect(page.locator("#error-summary")).to_contain_text("Wpisz treść komunikatu")
    assert_accessible(page, "/staff/notices with errors")
