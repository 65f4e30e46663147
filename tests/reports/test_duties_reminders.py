"""Reminders of the organiser's duties on the start page (the core hook
start_notices) and on the reports' index: a half-year ended without a sent
summary (from the first Warsaw minute of 1 July / 1 January), a meeting three
calendar months after the last one (clamped to the month's end); a summary a
recipient has not confirmed reading."""
from datetime import date, datetime

import pytest

from portal.auth.models import Role
from portal.timeutil import WARSAW
from tests.helpers import visible_text
from tests.plans.fixtures import people  # noqa: F401

SUMMARY_DUE = "minęło, a jego podsumowanie planów nie zostało wysłane"
MEETING_DUE = "minęły trzy miesiące"
NO_MEETING = "Nie zapisano jeszcze żadnego spotkania z koordynatorami"


def _at(app, *args):
    """Move the frozen clock; a session idle longer than its limit would end,
    so the test's sessions may idle and last for years."""
    app.config["SESSION_IDLE_MINUTES"] = app.config["SESSION_MAX_HOURS"] = 2 * 366 * 24 * 60
    app.config["FIXED_NOW"] = datetime(*args, tzinfo=WARSAW)
    return app.config["FIXED_NOW"].date()


def _send(people, year, half, today):
    from portal.extensions import db
    from portal.reports import duties

    summary = duties.save_conclusions(db.session, year, half, "Wnioski.", actor=people.organiser,
                                      expected_version=None, today=today)
    duties.send_summary(db.session, summary, actor=people.organiser, expected_version=summary.version, today=today)
    db.session.commit()
    return summary


def _meeting(people, day):
    from portal.extensions import db
    from portal.reports import duties

    duties.create_meeting(db.session, {"held_on": day, "attendee_ids": [people.coordinator.id],
                                       "conclusions": "Wnioski."}, actor=people.organiser, today=day)
    db.session.commit()


def _reminders(client, url="/staff"):
    """The text of the page's reminders ("" when it has none); the page must be there."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    html = page.text
    if 'id="start-reminders"' not in html and 'id="duty-reminders"' not in html:
        return ""
    start = html.index('id="start-reminders"' if url == "/staff" else 'id="duty-reminders"')
    return visible_text(html[start:html.index("</section>", start)])


@pytest.fixture
def organiser(client, auth, people):
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    return people


def test_a_half_year_without_a_sent_summary_from_its_first_warsaw_minute(app, client, organiser):
    _send(organiser, 2025, 2, _at(app, 2026, 1, 5, 9))
    _meeting(organiser, date(2026, 6, 1))
    # 30 June 23:30 in Warsaw (21:30 UTC): the first half-year still runs.
    _at(app, 2026, 6, 30, 23, 30)
    assert SUMMARY_DUE not in _reminders(client)
    # 1 July 00:30 in Warsaw (30 June 22:30 UTC): it has ended without a summary.
    today = _at(app, 2026, 7, 1, 0, 30)
    shown = _reminders(client)
    assert "I półrocze 2026 minęło, a jego podsumowanie planów nie zostało wysłane dyrektorowi" in shown
    assert 'href="/reports/summaries/2026/1"' in client.get("/staff").text
    assert "I półrocze 2026 minęło" in _reminders(client, "/reports/")
    # Conclusions written but not sent: still due.
    from portal.extensions import db
    from portal.reports import duties

    summary = duties.save_conclusions(db.session, 2026, 1, "Wnioski.", actor=organiser.organiser,
                                      expected_version=None, today=today)
    db.session.commit()
    assert SUMMARY_DUE in _reminders(client)
    duties.send_summary(db.session, summary, actor=organiser.organiser, expected_version=summary.version, today=today)
    db.session.commit()
    assert _reminders(client) == "" and _reminders(client, "/reports/") == ""
    # The second half-year ends at the first minute of 1 January.
    _at(app, 2026, 12, 31, 23, 59)
    assert SUMMARY_DUE not in _reminders(client)
    _at(app, 2027, 1, 1, 0, 1)
    assert "II półrocze 2026 minęło" in _reminders(client)


def test_a_meeting_three_months_after_the_last_one(app, client, organiser):
    _send(organiser, 2025, 2, _at(app, 2026, 1, 5, 9))
    _at(app, 2026, 3, 1, 9)
    assert NO_MEETING in _reminders(client) and NO_MEETING in _reminders(client, "/reports/")
    _meeting(organiser, date(2026, 3, 31))
    assert _reminders(client) == ""
    # 31 March + 3 months = 30 June (clamped to the month's end).
    _at(app, 2026, 6, 29, 23, 59)
    assert _reminders(client) == ""
    _at(app, 2026, 6, 30, 0, 1)
    shown = _reminders(client)
    assert "Od ostatniego spotkania z koordynatorami (31 marca 2026) minęły trzy miesiące" in shown
    assert 'href="/reports/meetings"' in client.get("/staff").text
    _meeting(organiser, date(2026, 6, 30))
    assert MEETING_DUE not in _reminders(client)
    # 30 November + 3 months = the last day of February.
    _meeting(organiser, _at(app, 2026, 11, 30, 12))
    _send(organiser, 2026, 1, date(2026, 11, 30))
    _at(app, 2027, 2, 27, 12)
    assert MEETING_DUE not in _reminders(client)
    _at(app, 2027, 2, 28, 12)
    assert MEETING_DUE in _reminders(client)


def test_recipients_are_reminded_until_they_confirm(app, client, auth, people):
    summary = _send(people, 2026, 1, _at(app, 2026, 7, 3, 9))
    auth.login(Role.DIRECTOR, "dyrektor")
    shown = _reminders(client)
    assert "Podsumowanie planów za I półrocze 2026 czeka na potwierdzenie zapoznania się." in shown
    assert SUMMARY_DUE not in shown and NO_MEETING not in shown  # the organiser's duties are theirs
    from portal.extensions import db
    from portal.reports import duties

    duties.confirm_reading(db.session, summary, actor=people.director)
    db.session.commit()
    assert _reminders(client) == ""
    auth.logout()
    auth.login(Role.COMMUNITY_ORGANISER, "animator")
    assert "czeka na potwierdzenie" in _reminders(client)
    auth.logout()
    auth.login(Role.COORDINATOR, "koordynator")
    assert _reminders(client) == ""


def test_a_task_shows_on_its_owners_start_page_a_week_ahead(app, client, auth, people):
    from portal.extensions import db
    from portal.reports import duties
    from portal.reports.duties import TaskData

    today = _at(app, 2026, 7, 1, 9)
    meeting = duties.create_meeting(db.session, {
        "held_on": today, "attendee_ids": [people.coordinator.id], "conclusions": "Wnioski.",
        "tasks": [TaskData("Uzupełnić kartę monitoringu", people.coordinator.id, date(2026, 7, 20))]},
        actor=people.organiser, today=today)
    db.session.commit()
    auth.login(Role.COORDINATOR, "koordynator")
    _at(app, 2026, 7, 12, 9)
    assert _reminders(client) == ""
    _at(app, 2026, 7, 13, 9)
    assert "Zadanie ze spotkania z koordynatorami, termin 20 lipca 2026: Uzupełnić kartę monitoringu" in \
        _reminders(client)
    assert f'href="/reports/meetings/{meeting.id}"' in client.get("/staff").text
    _at(app, 2026, 7, 21, 9)
    assert _reminders(client) == ""
