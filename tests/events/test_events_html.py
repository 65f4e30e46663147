"""Every event page, in its main states, is valid HTML for the Nu HTML
Checker (one vnu.jar run per database backend, shared by the per-page tests).
The banner is on: a notice is active while the pages are rendered."""
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = ["list", "list-filtered", "list-empty", "detail", "detail-cancelled", "detail-allday", "manage",
         "manage-drafts", "new", "new-errors", "edit", "edit-conflict", "notices", "notices-errors", "notice-end",
         "notices-ended"]
_RUNS = {}


def _render(app, client, auth, make_event, make_village, tmp_path):
    from PIL import Image

    from portal.catalogue.models import Place
    from portal.events import images, services
    from portal.events.models import Notice
    from portal.extensions import db

    app.config["FIXED_NOW"] = datetime(2026, 1, 12, 9, tzinfo=ZoneInfo("Europe/Warsaw"))
    app.config["EVENT_MEDIA_DIR"] = str(tmp_path / "media")
    village = make_village("Burzec")
    place = Place(name="Świetlica wiejska w Burzcu", address_1="Burzec 48", village=village)
    db.session.add(place)
    db.session.commit()
    png = io.BytesIO()
    Image.new("RGB", (60, 40)).save(png, "PNG")
    png.seek(0)
    club = make_event("Klub Seniora", date(2026, 1, 6), frequency="weekly", skip_holidays=True,
                      cancelled_dates=[date(2026, 1, 20)], place_id=place.id, room="sala",
                      registration_needed=True, registration_phone="257531001",
                      image_name=images.store_upload(png), image_alt="Plakat")
    cancelled = make_event("Koncert", date(2026, 1, 14), free=False, price="10 zł")
    services.set_event_status(db.session, cancelled, "cancel", actor=None, note="Choroba wykonawcy")
    allday = make_event("Dożynki", date(2026, 1, 17), end_date=date(2026, 1, 18), all_day=True)
    make_event("Szkic", date(2026, 1, 19), status="draft")
    showing = Notice(text="Centrum nieczynne", starts_at=app.config["FIXED_NOW"] - timedelta(hours=1),
                     ends_at=app.config["FIXED_NOW"] + timedelta(days=1))
    scheduled = Notice(text="Od poniedziałku nowe godziny", starts_at=app.config["FIXED_NOW"] + timedelta(days=3),
                       ends_at=app.config["FIXED_NOW"] + timedelta(days=8), display="banner")
    db.session.add_all([showing, scheduled])
    db.session.commit()
    pages = Pages()
    keep = pages.keep

    keep("list", client.get("/events"))
    keep("list-filtered", client.get("/events?village=burzec&group=seniors"))
    keep("list-empty", client.get("/events?from=2027-06-01"))
    keep("detail", client.get(f"/events/{club.slug}"))
    keep("detail-cancelled", client.get(f"/events/{cancelled.slug}"))
    keep("detail-allday", client.get(f"/events/{allday.slug}"))
    auth.login("community_organiser")
    keep("manage", client.get("/staff/events"))
    keep("manage-drafts", client.get("/staff/events?view=drafts"))
    keep("new", client.get("/staff/events/new"))
    keep("new-errors", auth.post("/staff/events/new", {"title": "", "start_date": "2026-13-45", "fee": "paid"}))
    keep("edit", client.get(f"/staff/events/{club.id}/edit"))
    keep("edit-conflict", auth.post(f"/staff/events/{club.id}/edit", {
        "title": "Klub", "category": "club", "start_date": "2026-01-06", "start_time": "10:00", "end_time": "12:00",
        "frequency": "weekly", "monthly_mode": "day", "fee": "free", "version": "0", "image_alt": "Plakat"}))
    keep("notices", client.get("/staff/notices"))
    keep("notices-errors", auth.post("/staff/notices", {"text": "", "ends_at": "jutro"}))
    keep("notice-end", client.get(f"/staff/notices/{showing.id}/end"))
    # Withdrawn before its start: in the ended list.
    auth.post(f"/staff/notices/{scheduled.id}/end", {"confirmed": "yes"})
    keep("notices-ended", client.get("/staff/notices"))
    return pages


@pytest.fixture
def event_pages(app, client, auth, make_event, make_village, tmp_path, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(app, client, auth, make_event, make_village, tmp_path))


@pytest.mark.parametrize("page_id", PAGES)
def test_event_page_is_valid_html(event_pages, page_id):
    assert_valid_page(event_pages, page_id)


def test_expected_statuses(event_pages):
    rendered, _errors = event_pages
    statuses = {page_id: status for page_id, (_url, status, _html) in rendered.items()}
    assert statuses["new-errors"] == 422 and statuses["edit-conflict"] == 409 and statuses["notices-errors"] == 422
    assert all(statuses[p] == 200 for p in ("list", "detail", "detail-cancelled", "manage", "new", "edit", "notices",
                                            "notice-end", "notices-ended"))
    assert "wycofany przed rozpoczęciem" in rendered["notices-ended"][2]
    assert "Centrum nieczynne" in rendered["list"][2]
