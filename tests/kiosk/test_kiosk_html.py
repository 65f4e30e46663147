"""The kiosk screen (day, night, notice, without the database) and the staff
pages are valid HTML for the Nu HTML Checker (one vnu.jar run per database
backend, shared by the per-page tests)."""
from datetime import date

import pytest

from portal.auth.models import Role
from tests.kiosk.conftest import local
from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = ["screen-day", "screen-night", "screen-notice", "screen-banner", "screen-empty", "screens", "new",
         "new-errors", "edit", "preview", "health"]
_RUNS = {}


def _render(app, client, auth, make_screen, make_event, make_notice, make_service):
    from kiosk import services as ops
    from portal.extensions import db

    app.config["FIXED_NOW"] = local(2026, 10, 12, 9, 0)
    service = make_service("Klub Seniora w Bęczkowie", capacity_maximum=12)
    make_event("Spotkanie z dietetykiem", date(2026, 10, 12), "10:00", "11:30")
    make_event("Święto Pieroga", date(2026, 10, 15), "14:00", "18:00", registration_needed=True,
               registration_phone="257531001", free=False, price="10 zł")
    day = make_screen("Hol", always_on=True)
    night = make_screen("Urząd", hours=",,,,,,09:00-10:00")
    empty = make_screen("Pusty", always_on=True, show_today=False, show_upcoming=False, show_free_services=False)
    pages = Pages()
    keep = pages.keep

    keep("screen-day", client.get(f"/kiosk/{day.token}"))
    keep("screen-night", client.get(f"/kiosk/{night.token}"))
    keep("screen-empty", client.get(f"/kiosk/{empty.token}"))
    report = ops.Report(slide_key="fallback", position=1, count=1, set_version=None, data_at=None)
    ops.record_heartbeat(db.session, day.id, report, user_agent="x", now=local(2026, 10, 12, 8, 59))
    ops.record_heartbeat(db.session, night.id, ops.Report("night", 0, 0, None, None), user_agent="x",
                         now=local(2026, 10, 12, 8, 59))
    db.session.commit()
    auth.login(Role.COMMUNITY_ORGANISER)
    keep("screens", client.get("/staff/kiosk/"))
    keep("new", client.get("/staff/kiosk/new"))
    keep("new-errors", auth.post("/staff/kiosk/new", {"name": "", "opens_0": "25:00", "closes_1": "07:00",
                                                      "opens_1": "08:00", "service_ids": str(service.id)}))
    keep("edit", client.get(f"/staff/kiosk/{day.id}/edit"))
    keep("preview", client.get(f"/staff/kiosk/{day.id}/preview"))
    keep("health", client.get("/staff/kiosk/health"))
    make_notice("Od jutra nowe godziny pracy", starts_at=local(2026, 10, 12, 8), ends_at=local(2026, 10, 13, 8),
                display="banner")
    keep("screen-banner", client.get(f"/kiosk/{day.token}"))
    make_notice("Centrum nieczynne 24 grudnia", starts_at=local(2026, 10, 12, 8), ends_at=local(2026, 10, 13, 8))
    keep("screen-notice", client.get(f"/kiosk/{day.token}"))
    return pages


@pytest.fixture
def kiosk_pages(app, client, auth, make_screen, make_event, make_notice, make_service, database_url):
    return checked_once(_RUNS, database_url,
                        lambda: _render(app, client, auth, make_screen, make_event, make_notice, make_service))


@pytest.mark.parametrize("page_id", PAGES)
def test_kiosk_page_is_valid_html(kiosk_pages, page_id):
    assert_valid_page(kiosk_pages, page_id)
