"""iCalendar feeds parsed back with the icalendar library: times round-trip
across both summer-time changes, UIDs are stable, cancelled entries say so,
and the VTIMEZONE itself gives the right offsets."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest

from portal.events import services
from portal.extensions import db

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = timezone.utc


def at(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=WARSAW)


@pytest.fixture
def frozen(app):
    app.config["FIXED_NOW"] = at(2026, 3, 1, 9)


def parse(response):
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data)


def vevents(cal):
    return [c for c in cal.walk("VEVENT")]


def test_weekly_club_round_trips_across_both_changes(client, frozen, make_event):
    make_event("Klub Seniora", date(2026, 3, 3), frequency="weekly", skip_holidays=True,
               until=date(2026, 11, 3))
    cal = parse(client.get("/events.ics"))
    starts = {e.decoded("dtstart").date(): e.decoded("dtstart") for e in vevents(cal)}
    # Tuesdays around 29 March and 25 October 2026.
    before_spring, after_spring = starts[date(2026, 3, 24)], starts[date(2026, 3, 31)]
    before_autumn, after_autumn = starts[date(2026, 10, 20)], starts[date(2026, 10, 27)]
    for moment in (before_spring, after_spring, before_autumn, after_autumn):
        assert (moment.hour, moment.minute) == (10, 0)
        assert str(moment.tzinfo) == "Europe/Warsaw"
    assert before_spring.astimezone(UTC).hour == 9 and after_spring.astimezone(UTC).hour == 8
    assert before_autumn.astimezone(UTC).hour == 8 and after_autumn.astimezone(UTC).hour == 9
    # 11 November 2026 is a Wednesday; no Tuesday holiday in the window is listed.
    assert date(2026, 11, 10) not in starts
    # The raw text uses TZID local times.
    assert b"DTSTART;TZID=Europe/Warsaw:20260331T100000" in client.get("/events.ics").data


def test_vtimezone_gives_the_right_offsets(client, frozen, make_event):
    make_event("Dzień Seniora", date(2026, 3, 10))
    cal = parse(client.get("/events.ics"))
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Warsaw"
    tz = vtimezone.to_tz()
    for moment, hours in [(datetime(2026, 3, 29, 1, 59), 1), (datetime(2026, 3, 29, 3, 0), 2),
                          (datetime(2026, 10, 25, 1, 0), 2), (datetime(2026, 10, 25, 3, 0), 1),
                          (datetime(2027, 7, 1, 12, 0), 2), (datetime(2030, 1, 1, 12, 0), 1)]:
        assert moment.replace(tzinfo=tz).utcoffset() == timedelta(hours=hours), moment


def test_uid_is_stable_and_edits_bump_the_sequence(client, frozen, make_event):
    event = make_event("Klub Seniora", date(2026, 3, 3), frequency="weekly", until=date(2026, 3, 31))
    first = {str(e["UID"]): int(e["SEQUENCE"]) for e in vevents(parse(client.get("/events.ics")))}
    assert f"event-{event.id}-20260310@127.0.0.1" in first  # PUBLIC_BASE_URL unset: 127.0.0.1:PORT
    data = services.event_data(event)
    data["start_time"], data["end_time"] = time(11), time(13)
    services.update_event(db.session, event, data, actor=None, expected_version=event.version)
    db.session.commit()
    second = {str(e["UID"]): int(e["SEQUENCE"]) for e in vevents(parse(client.get("/events.ics")))}
    assert set(first) == set(second)
    assert all(second[uid] > first[uid] for uid in first)
    for vevent in vevents(parse(client.get("/events.ics"))):
        assert vevent.decoded("dtstart").hour == 11
        assert isinstance(vevent.decoded("dtstamp"), datetime)


def test_cancelled_event_and_cancelled_date(client, frozen, make_event):
    series = make_event("Klub Seniora", date(2026, 3, 3), frequency="weekly", until=date(2026, 3, 17),
                        cancelled_dates=[date(2026, 3, 10)])
    one_off = make_event("Koncert", date(2026, 3, 20))
    services.set_event_status(db.session, one_off, "cancel", actor=None)
    db.session.commit()
    entries = {e.decoded("dtstart").date(): e for e in vevents(parse(client.get("/events.ics")))}
    assert str(entries[date(2026, 3, 3)]["STATUS"]) == "CONFIRMED"
    assert str(entries[date(2026, 3, 10)]["STATUS"]) == "CANCELLED"
    assert str(entries[date(2026, 3, 20)]["STATUS"]) == "CANCELLED"
    assert str(entries[date(2026, 3, 20)]["SUMMARY"]).startswith("ODWOŁANE")
    assert series.slug in str(entries[date(2026, 3, 3)]["URL"])


def test_all_day_and_overnight_events(client, frozen, make_event):
    make_event("Dożynki gminne", date(2026, 8, 29), end_date=date(2026, 8, 30), all_day=True)
    make_event("Noc w bibliotece", date(2026, 10, 24), start_time=time(22), end_date=date(2026, 10, 25),
               end_time=time(2))
    entries = {str(e["SUMMARY"]): e for e in vevents(parse(client.get("/events.ics")))}
    harvest = entries["Dożynki gminne"]
    assert harvest.decoded("dtstart") == date(2026, 8, 29) and harvest.decoded("dtend") == date(2026, 8, 31)
    night = entries["Noc w bibliotece"]
    # 02:00 on the night of the October change is the first one (CEST): four hours.
    assert night.decoded("dtend").astimezone(UTC) - night.decoded("dtstart").astimezone(UTC) == timedelta(hours=4)
    assert night.decoded("dtend").astimezone(UTC) == datetime(2026, 10, 25, 0, 0, tzinfo=UTC)


def test_audience_feed_and_single_event_feed(client, frozen, make_event):
    from portal.catalogue.models import Place, TargetGroup

    groups = db.session.scalars(db.select(TargetGroup).order_by(TargetGroup.position)).all()
    place = Place(name="Świetlica w Burzcu", address_1="ul. Szkolna 1", city="Górno")
    db.session.add(place)
    db.session.commit()
    mine = make_event("Dla seniorów", audience_ids=[groups[0].id], place_id=place.id, room="sala 2",
                      start_date=date(2026, 3, 5), end_date=date(2026, 3, 5))
    make_event("Dla innych", audience_ids=[groups[1].id], start_date=date(2026, 3, 5), end_date=date(2026, 3, 5))
    make_event("Dla wszystkich", start_date=date(2026, 3, 5), end_date=date(2026, 3, 5))
    titles = sorted(str(e["SUMMARY"]) for e in vevents(parse(client.get(f"/events/audience/{groups[0].code}.ics"))))
    assert titles == ["Dla seniorów", "Dla wszystkich"]
    assert client.get("/events/audience/nie-ma-takiej.ics").status_code == 404
    response = client.get(f"/events/{mine.slug}.ics")
    (only,) = vevents(parse(response))
    assert "attachment" in response.headers["Content-Disposition"]
    assert str(only["LOCATION"]) == "Świetlica w Burzcu — ul. Szkolna 1, Górno, sala 2"


def test_drafts_and_internal_events_stay_out_of_feeds(client, frozen, make_event):
    make_event("Szkic", date(2026, 3, 5), status="draft")
    make_event("Narada", date(2026, 3, 5), public=False)
    assert vevents(parse(client.get("/events.ics"))) == []


def test_a_feed_says_it_depends_on_the_language_cookie(client, frozen, make_event):
    """The feeds are cached publicly and their texts follow the language
    cookie: a shared cache must not hand one person's English to another."""
    make_event("Klub Seniora", date(2026, 3, 3))
    for path in ("/events.ics",):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "public, max-age=900"
        assert "Cookie" in [v.strip() for v in response.headers.get("Vary", "").split(",")]
