"""Every group sessions' page, in its main states, is valid HTML for the Nu
HTML Checker (one vnu.jar run per database backend)."""
from datetime import date, time

import pytest

from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = [("index", 200), ("service", 200), ("service-empty", 200), ("plan-invalid", 422), ("new", 200),
         ("new-errors", 422), ("edit", 200), ("edit-conflict", 409), ("detail", 200), ("detail-errors", 422),
         ("detail-held-director", 200), ("detail-cancelled", 200), ("cancel-confirm", 200),
         ("cancel-errors", 422), ("scan-refused", 422), ("head-counts", 200), ("head-counts-errors", 422)]
_RUNS = {}


def _render(app, client, auth, club, members, staff):
    from portal.delivery import sessions
    from portal.events import services as events
    from portal.extensions import db

    def made(day, **fields):
        data = {"held_on": day, "starts": time(10), "ends": time(13), "place": "Świetlica",
                "provider_id": club.provider_id, "leader": "Maria Wiśniewska", "topic": "Gimnastyka"}
        data.update(fields)
        row = sessions.create_session(db.session, club, data, actor=staff.organiser)
        db.session.commit()
        return row

    planned, held, cancelled = made(date(2026, 5, 14)), made(date(2026, 5, 7)), made(date(2026, 5, 5))
    sessions.save_attendance(db.session, held, [members[0].id], 2, actor=staff.organiser, expected_version=None)
    sessions.cancel_session(db.session, cancelled, "Choroba prowadzącej", actor=staff.organiser, expected_version=None)
    picnic = events.create_event(db.session, {
        "title": "Piknik", "start_date": date(2026, 5, 2), "start_time": time(12), "end_date": date(2026, 5, 2),
        "end_time": time(18), "frequency": "weekly", "weekdays": "5", "until": date(2026, 5, 9), "free": True,
        "public": True, "category": "culture"}, actor=None, status="published")
    db.session.commit()
    pages = Pages()
    keep = pages.keep
    auth.login("services_organiser", "organizator")
    keep("index", client.get("/delivery/sessions"))
    keep("service", client.get(f"/delivery/sessions/services/{club.id}?month=2026-05"))
    keep("service-empty", client.get(f"/delivery/sessions/services/{club.id}?month=2026-09"))
    keep("plan-invalid", auth.post(f"/delivery/sessions/services/{club.id}/plan", {"month": "junk"}))
    keep("new", client.get(f"/delivery/sessions/services/{club.id}/new"))
    keep("new-errors", auth.post(f"/delivery/sessions/services/{club.id}/new", {"held_on": "31.02.2026",
                                                                                "starts": "x", "ends": ""}))
    keep("edit", client.get(f"/delivery/sessions/{planned.id}/edit"))
    keep("edit-conflict", auth.post(f"/delivery/sessions/{planned.id}/edit", {
        "held_on": "2026-05-14", "starts": "10:00", "ends": "12:00", "provider_id": str(club.provider_id),
        "leader": "Inna", "version": "0"}))
    keep("detail", client.get(f"/delivery/sessions/{planned.id}"))
    keep("detail-errors", auth.post(f"/delivery/sessions/{planned.id}/attendance", {
        "present": [str(members[1].id)], "other_participants": "dwie", "version": str(planned.version)}))
    keep("detail-cancelled", client.get(f"/delivery/sessions/{cancelled.id}"))
    keep("cancel-confirm", auth.post(f"/delivery/sessions/{planned.id}/cancel", {"version": str(planned.version)}))
    keep("cancel-errors", auth.post(f"/delivery/sessions/{planned.id}/cancel", {
        "version": str(planned.version), "confirmed": "yes", "reason": ""}))
    import io
    keep("scan-refused", auth.post(f"/delivery/sessions/{planned.id}/scan", {
        "version": str(planned.version), "scan": (io.BytesIO(b"junk"), "a.pdf")}, content_type="multipart/form-data"))
    auth.logout()
    auth.login("director", "dyrektor")
    keep("detail-held-director", client.get(f"/delivery/sessions/{held.id}"))
    auth.logout()
    auth.login("community_organiser", "animator")
    keep("head-counts", client.get(f"/delivery/events/{picnic.id}/head-counts"))
    keep("head-counts-errors", auth.post(f"/delivery/events/{picnic.id}/head-counts", {"count-2026-05-02": "dużo"}))
    return pages


@pytest.fixture
def session_pages(app, client, auth, club, members, staff, frozen, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(app, client, auth, club, members, staff))


@pytest.mark.parametrize("page_id,status", PAGES, ids=[p[0] for p in PAGES])
def test_sessions_page_is_valid_html(session_pages, page_id, status):
    assert_valid_page(session_pages, page_id, status)
