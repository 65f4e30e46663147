"""Every duties page, in its main states, is valid HTML for the Nu HTML
Checker (one vnu.jar run per database backend, shared by the per-page tests)."""
from datetime import date, datetime

import pytest

from portal.auth.models import Role
from portal.timeutil import WARSAW
from tests.plans.fixtures import people  # noqa: F401
from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = {"index": 200, "summaries": 200, "summary-draft": 200, "summary-errors": 422, "send-confirm": 200,
         "summary-sent": 200, "meetings": 200, "meeting-new": 200, "meeting-errors": 422, "meeting": 200,
         "meeting-edit": 200, "start": 200, "summary-reader": 200, "read-confirm": 200}
_RUNS = {}


def _render(app, client, auth, people):
    from portal.extensions import db
    from portal.reports import duties

    app.config["FIXED_NOW"] = datetime(2026, 7, 10, 10, tzinfo=WARSAW)
    today = date(2026, 7, 10)
    meeting = duties.create_meeting(db.session, {
        "held_on": date(2026, 7, 1), "attendee_ids": [people.coordinator.id], "conclusions": "Wnioski.",
        "tasks": [duties.TaskData("Zadzwonić", people.coordinator.id, date(2026, 7, 20))]},
        actor=people.organiser, today=today)
    db.session.commit()
    pages = Pages()
    keep = pages.keep
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    keep("index", client.get("/reports/"))
    keep("start", client.get("/staff"))
    keep("summaries", client.get("/reports/summaries"))
    keep("summary-errors", auth.post("/reports/summaries/2026/1/conclusions", {"conclusions": "", "version": ""}))
    auth.post("/reports/summaries/2026/1/conclusions", {"conclusions": "Wnioski.", "version": ""})
    keep("summary-draft", client.get("/reports/summaries/2026/1"))
    keep("send-confirm", auth.post("/reports/summaries/2026/1/send", {"version": "1"}))
    auth.post("/reports/summaries/2026/1/send", {"version": "1", "confirmed": "yes"})
    keep("summary-sent", client.get("/reports/summaries/2026/1"))
    keep("meetings", client.get("/reports/meetings"))
    keep("meeting-new", client.get("/reports/meetings/new"))
    keep("meeting-errors", auth.post("/reports/meetings/new", {"held_on": "jutro", "plans": "IPUS/1/1999",
                                                               "tasks-0-description": "Coś"}))
    keep("meeting", client.get(f"/reports/meetings/{meeting.id}"))
    keep("meeting-edit", client.get(f"/reports/meetings/{meeting.id}/edit"))
    auth.logout()
    auth.login(Role.DIRECTOR, "dyrektor")
    keep("summary-reader", client.get("/reports/summaries/2026/1"))
    keep("read-confirm", auth.post("/reports/summaries/2026/1/read"))
    return pages


@pytest.fixture
def duty_pages(app, client, auth, people, database_url):  # noqa: F811
    return checked_once(_RUNS, database_url, lambda: _render(app, client, auth, people))


@pytest.mark.parametrize("page_id", PAGES)
def test_duties_page_is_valid_html(duty_pages, page_id):
    assert_valid_page(duty_pages, page_id, PAGES[page_id])
