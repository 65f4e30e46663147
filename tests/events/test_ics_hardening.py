"""The .ics feeds never fail on stored text (issue 9, LOW 2).

An event title with a line break gave a 500 on /events/<slug>.ics: the
calendar name (X-WR-CALNAME) is not escaped as TEXT by icalendar. Every text
property of every feed now goes through one cleaning step: line breaks of
any kind become one (escaped) line break where the property holds several
lines and a space where it holds one, and other control characters are
dropped (RFC 5545 allows none in TEXT). The event form refuses a title that
is not one line of printable text.
"""
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from portal.auth.models import Role
from portal.events import services
from portal.events.models import Event
from portal.extensions import db

WARSAW = ZoneInfo("Europe/Warsaw")
DAY = date(2026, 3, 5)
TITLE = "Klub\r\nSeniora\n\u2028w\tbibliotece\x1b[31m"  # what a forged POST or an import could store
TITLE_SHOWN = "Klub Seniora w bibliotece[31m"


@pytest.fixture
def frozen(app):
    app.config["FIXED_NOW"] = datetime(2026, 3, 1, 9, tzinfo=WARSAW)


@pytest.fixture
def stored(app, make_event):
    """Events saved with control characters in every text the feeds carry
    (through the service, as data already in the database would be), and a
    target group whose name has a line break."""
    from portal.catalogue.models import Place, TargetGroup

    group = db.session.scalars(db.select(TargetGroup).order_by(TargetGroup.position)).first()
    original_name, group.name = group.name, "Seniorzy\n(60+)\x07"
    place = Place(name="Świetlica\r\nw Burzcu", address_1="ul.\x0bSzkolna 1", city="Górno")
    db.session.add(place)
    db.session.commit()
    event = make_event(TITLE, DAY, audience_ids=[group.id], place_id=place.id, room="sala\n2\x7f",
                       summary="Spotkanie\rz muzyką", description="Pierwszy wiersz\r\nDrugi wiersz\x0c\x85Trzeci",
                       registration_needed=True, registration_phone="601234567", free=False, price="10 zł\n od osoby")
    cancelled = make_event("Odwołane\nspotkanie", DAY)
    services.set_event_status(db.session, cancelled, "cancel", actor=None, note="Choroba\r\nprowadzącej\x1b")
    db.session.commit()
    yield event, cancelled, group
    # Target groups are reference data, kept between tests: put the name back.
    db.session.rollback()
    db.session.get(TargetGroup, group.id).name = original_name
    db.session.commit()


def _calendar(response):
    assert response.status_code == 200, response.text[:300]
    assert response.mimetype == "text/calendar"
    text = response.data.decode("utf-8")
    bad = {ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\r\n"}
    assert not bad, f"control characters in the feed: {bad!r}"
    assert "\u2028" not in text and "\u0085" not in text
    assert all(line.endswith("\r") or not line for line in text.split("\n")), "a line break that is not CRLF"
    return icalendar.Calendar.from_ical(response.data)


def _event(calendar, starting):
    [found] = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith(starting)]
    return found


def _check_event(item):
    assert str(item["SUMMARY"]) == TITLE_SHOWN
    assert str(item["LOCATION"]) == "Świetlica w Burzcu — ul. Szkolna 1, Górno, sala 2"
    description = str(item["DESCRIPTION"])
    assert description.startswith("Spotkanie z muzyką\nPierwszy wiersz\nDrugi wiersz\n\nTrzeci\n")
    assert "Wstęp płatny: 10 zł od osoby" in description


def _check_cancelled(item):
    assert str(item["SUMMARY"]) == "ODWOŁANE: Odwołane spotkanie"
    assert "Choroba\nprowadzącej\n" in str(item["DESCRIPTION"])


def test_the_single_event_feed_of_a_title_with_a_line_break(client, frozen, stored):
    event, cancelled, _group = stored
    calendar = _calendar(client.get(f"/events/{event.slug}.ics"))
    assert str(calendar["X-WR-CALNAME"]) == TITLE_SHOWN
    _check_event(_event(calendar, "Klub"))
    calendar = _calendar(client.get(f"/events/{cancelled.slug}.ics"))
    assert str(calendar["X-WR-CALNAME"]) == "Odwołane spotkanie"
    _check_cancelled(_event(calendar, "ODWOŁANE"))


def test_the_audience_feed(client, frozen, stored):
    _event_row, _cancelled, group = stored
    calendar = _calendar(client.get(f"/events/audience/{group.code}.ics"))
    assert str(calendar["X-WR-CALNAME"]) == "Wydarzenia: Seniorzy (60+)"
    _check_event(_event(calendar, "Klub"))
    _check_cancelled(_event(calendar, "ODWOŁANE"))


def test_the_full_feed(client, frozen, stored):
    calendar = _calendar(client.get("/events.ics"))
    _check_event(_event(calendar, "Klub"))
    _check_cancelled(_event(calendar, "ODWOŁANE"))


def test_text_cleaning_keeps_ordinary_text():
    from portal.events.ics import one_line, several_lines

    assert one_line("  Dzień  Seniora — „Wiosna”; 10:00, sala 2 ") == "Dzień Seniora — „Wiosna”; 10:00, sala 2"
    assert several_lines("a\r\nb\rc\nd\u2029e\tf") == "a\nb\nc\nd\ne\tf"
    assert one_line(None) == "" and several_lines("") == ""


# --- the form ---------------------------------------------------------------------------------------------

def _form(**changes):
    data = {
        "title": "Dzień Seniora", "summary": "", "category": "culture", "start_date": "2026-03-05",
        "start_time": "10:00", "end_time": "12:00", "end_date": "", "frequency": "none", "interval": "",
        "monthly_mode": "day", "until": "", "cancelled_dates": "", "skipped_dates": "", "place_id": "",
        "room": "", "organiser_id": "", "registration_phone": "", "registration_limit": "", "fee": "free",
        "price": "", "image_alt": "", "public": "y",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("title", ["Klub\r\nSeniora", "Klub\nSeniora", "Klub\u2028Seniora", "Klub\tSeniora"])
def test_the_form_refuses_a_title_that_is_not_one_line(client, auth, frozen, title):
    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/events/new", data=_form(title=title))
    assert response.status_code == 422
    assert "Tytuł musi być jednym wierszem tekstu" in response.text
    assert 'value="Klub' in response.text  # the input comes back
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_other_control_characters_never_reach_the_form(client, auth, frozen):
    """They are removed as the form is read (portal/input_guard.py), so the title is saved without them."""
    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/events/new", data=_form(title="Klub\x1bSeniora\x07"))
    assert response.status_code == 303
    assert db.session.scalar(db.select(Event.title)) == "KlubSeniora"


def test_the_form_still_takes_an_ordinary_title(client, auth, frozen):
    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/events/new", data=_form(title="  Dzień Seniora — „Wiosna”  "))
    assert response.status_code == 303, response.text[:300]
    assert db.session.scalar(db.select(Event.title)) == "Dzień Seniora — „Wiosna”"
