"""Urgent notices from the organiser's side (issue 10, §1 items 2-3): how
each shows on the screens, ending a scheduled one before it starts, and the
second step that ending a notice asks for."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.auth.models import Role
from portal.events import services
from portal.events.models import Notice
from portal.extensions import db

WARSAW = ZoneInfo("Europe/Warsaw")


def at(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=WARSAW)


@pytest.fixture
def frozen(app):
    app.config["FIXED_NOW"] = at(2026, 12, 4, 21, 13)  # a Friday evening
    return app.config["FIXED_NOW"]


def section(html, heading_id):
    """The text of the page's <section> labelled by `heading_id`, or ''."""
    found = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    return found.group(1) if found else ""


def add_notice(text, starts_at, ends_at, **fields):
    notice = Notice(text=text, starts_at=starts_at, ends_at=ends_at, **fields)
    db.session.add(notice)
    db.session.commit()
    return notice


# --- ending a notice that has not started yet ----------------------------------------------------

def test_ending_a_scheduled_notice_withdraws_it(app, frozen):
    monday = add_notice("Centrum nieczynne w poniedziałek", at(2026, 12, 7, 7, 30), at(2026, 12, 7, 15, 30))
    assert services.end_notice(db.session, monday, actor=None)
    db.session.commit()
    current, ended = services.list_notices(db.session, frozen)
    assert current == [] and ended == [monday]
    assert services.active_notices(db.session, at(2026, 12, 7, 8)) == []  # never shows
    assert services.next_notice_change(db.session, frozen) is None  # nothing left to wait for
    assert not services.end_notice(db.session, monday, actor=None)  # already ended


def test_an_ended_scheduled_notice_moves_to_the_ended_list(client, auth, frozen):
    monday = add_notice("Centrum nieczynne w poniedziałek", at(2026, 12, 7, 7, 30), at(2026, 12, 7, 15, 30))
    auth.login(Role.COMMUNITY_ORGANISER)
    page = client.get("/staff/notices").text
    assert "Centrum nieczynne w poniedziałek" in section(page, "current-heading")
    assert "zaplanowany" in section(page, "current-heading")

    assert auth.post(f"/staff/notices/{monday.id}/end", {"confirmed": "yes"}).status_code == 303
    page = client.get("/staff/notices").text
    assert "Centrum nieczynne w poniedziałek" not in section(page, "current-heading")
    assert "zaplanowany" not in section(page, "current-heading")
    ended = section(page, "ended-heading")
    assert "Centrum nieczynne w poniedziałek" in ended
    assert "wycofany przed rozpoczęciem" in ended


# --- the second step --------------------------------------------------------------------------

def test_ending_a_notice_asks_for_confirmation_on_a_second_step(client, auth, frozen):
    notice = add_notice("Awaria ogrzewania", frozen - timedelta(hours=1), frozen + timedelta(days=1))
    auth.login(Role.COMMUNITY_ORGANISER)
    page = client.get("/staff/notices").text
    # The list offers no one-click end: only the way to the second step.
    assert f'action="/staff/notices/{notice.id}/end"' not in page
    assert f'href="/staff/notices/{notice.id}/end"' in page

    response = client.get(f"/staff/notices/{notice.id}/end")
    assert response.status_code == 200
    assert "Awaria ogrzewania" in response.text
    assert "Zakończyć komunikat teraz?" in response.text
    assert "Tego nie można cofnąć" in response.text
    assert re.search(r'<form method="post" action="/staff/notices/\d+/end"', response.text)
    assert 'class="button button-danger">Zakończ komunikat</button>' in response.text
    db.session.refresh(notice)
    assert notice.ends_at > frozen  # looking at the question ended nothing
    assert "Awaria ogrzewania" in client.get("/").text

    # A post that skipped the page (no "confirmed") only shows the question again.
    response = auth.post(f"/staff/notices/{notice.id}/end")
    assert response.status_code == 200 and "Zakończyć komunikat teraz?" in response.text
    db.session.refresh(notice)
    assert notice.ends_at > frozen

    response = auth.post(f"/staff/notices/{notice.id}/end", {"confirmed": "yes"})
    assert response.status_code == 303
    assert "Komunikat zakończony" in client.get("/staff/notices").text
    assert "Awaria ogrzewania" not in client.get("/").text


def test_the_second_step_of_an_ended_notice_goes_back_to_the_list(client, auth, frozen):
    notice = add_notice("Stary komunikat", frozen - timedelta(days=2), frozen - timedelta(days=1))
    auth.login(Role.COMMUNITY_ORGANISER)
    response = client.get(f"/staff/notices/{notice.id}/end")
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff/notices")
    assert client.get("/staff/notices/999999/end").status_code == 404


def test_the_end_needs_the_form_token(client, auth, frozen):
    notice = add_notice("Awaria ogrzewania", frozen - timedelta(hours=1), frozen + timedelta(days=1))
    auth.login(Role.COMMUNITY_ORGANISER)
    response = client.post(f"/staff/notices/{notice.id}/end")  # no CSRF token
    assert response.status_code in (400, 422)
    db.session.refresh(notice)
    assert notice.ends_at > frozen


# --- how a notice shows on the screens -----------------------------------------------------------

def test_the_organiser_chooses_full_screen_or_alongside_the_slides(client, auth, frozen):
    auth.login(Role.COMMUNITY_ORGANISER)
    form = client.get("/staff/notices").text
    assert 'name="display" value="banner" checked' in form  # the default keeps the events visible
    assert 'name="display" value="full"' in form

    response = auth.post("/staff/notices", data={"text": "Od poniedziałku nowe godziny", "display": "banner",
                                                 "starts_at": "2026-12-07 07:30", "ends_at": "2026-12-11 15:30"})
    assert response.status_code == 303
    response = auth.post("/staff/notices", data={"text": "Awaria ogrzewania", "display": "full",
                                                 "starts_at": "", "ends_at": "2026-12-05 12:00"})
    assert response.status_code == 303
    stored = {n.text: (n.display, n.starts_at) for n in db.session.scalars(db.select(Notice))}
    assert stored["Od poniedziałku nowe godziny"] == ("banner", at(2026, 12, 7, 7, 30))
    assert stored["Awaria ogrzewania"] == ("full", frozen)  # no start given: from now
    listed = section(client.get("/staff/notices").text, "current-heading")
    assert "pasek na każdym slajdzie" in listed and "cały ekran" in listed


def test_an_unknown_display_comes_back_with_the_input(client, auth, frozen):
    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/notices", data={"text": "Awaria ogrzewania", "display": "blink",
                                                 "starts_at": "", "ends_at": "2026-12-05 12:00"})
    assert response.status_code == 422
    assert 'value="Awaria ogrzewania"' in response.text
    assert 'id="display-error"' in response.text
    assert db.session.scalar(db.select(db.func.count(Notice.id))) == 0


def test_the_portal_banner_follows_the_start_and_the_end(client, app, frozen):
    add_notice("Od poniedziałku nowe godziny", at(2026, 12, 7, 7, 30), at(2026, 12, 7, 15, 30), display="banner")
    assert "Od poniedziałku nowe godziny" not in client.get("/").text
    app.config["FIXED_NOW"] = at(2026, 12, 7, 7, 30)
    assert "Od poniedziałku nowe godziny" in client.get("/").text
    app.config["FIXED_NOW"] = at(2026, 12, 7, 15, 30)
    assert "Od poniedziałku nowe godziny" not in client.get("/").text
