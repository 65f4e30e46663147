"""Weekly sessions, Polish public holidays and clock changes (Europe/Warsaw).

The module needs no app, database or Babel: only the calendar libraries,
dateutil and holidays (the public holidays through portal/core/holidays.py).
"""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.catalogue import schedule as sched

UTC = timezone.utc
WARSAW = ZoneInfo("Europe/Warsaw")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

Rule, Closure, Schedule = sched.Rule, sched.Closure, sched.Schedule


def at(y, mo, d, h=0, mi=0, s=0, us=0, *, fold=0):
    """A Warsaw wall-clock moment (aware)."""
    return datetime(y, mo, d, h, mi, s, us, tzinfo=WARSAW, fold=fold)


def real_duration(session):
    # Subtracting two datetimes sharing a tzinfo gives the wall-clock
    # difference, not elapsed time; in UTC it is elapsed time.
    return session.end.astimezone(UTC) - session.start.astimezone(UTC)


def weekly(*rules, closures=(), closed_on_holidays=True):
    return Schedule(rules=tuple(rules), closures=tuple(closures), closed_on_holidays=closed_on_holidays)


def rule(weekday, opens, closes, **kw):
    return Rule(weekday, time.fromisoformat(opens), time.fromisoformat(closes), **kw)


TUESDAY_MORNING = weekly(rule(TUE, "10:00", "12:00"))


def test_module_needs_no_flask_database_or_translations():
    assert sched.WARSAW == WARSAW
    for name in ("flask", "sqlalchemy", "flask_babel"):
        assert name not in vars(sched)


# --- Easter and public holidays --------------------------------------------

@pytest.mark.parametrize("year, expected", [
    (2024, date(2024, 3, 31)),
    (2025, date(2025, 4, 20)),
    (2026, date(2026, 4, 5)),
    (2027, date(2027, 3, 28)),
    (2038, date(2038, 4, 25)),   # the latest possible date
    (2285, date(2285, 3, 22)),   # the earliest possible date
    (1961, date(1961, 4, 2)),
])
def test_easter_sunday_known_years(year, expected):
    assert sched.easter_sunday(year) == expected


def test_movable_feasts_fall_on_their_weekdays_and_within_bounds():
    for year in range(1900, 2101):
        easter = sched.easter_sunday(year)
        assert easter.weekday() == SUN
        assert date(year, 3, 22) <= easter <= date(year, 4, 25)
        holidays = sched.polish_public_holidays(year)
        assert holidays[easter + timedelta(days=1)] == "Poniedziałek Wielkanocny"
        assert (easter + timedelta(days=49)).weekday() == SUN
        assert (easter + timedelta(days=60)).weekday() == THU


def test_holidays_2024_have_no_christmas_eve():
    assert sched.polish_public_holidays(2024) == {
        date(2024, 1, 1): "Nowy Rok",
        date(2024, 1, 6): "Trzech Króli",
        date(2024, 3, 31): "Wielkanoc",
        date(2024, 4, 1): "Poniedziałek Wielkanocny",
        date(2024, 5, 1): "Święto Pracy",
        date(2024, 5, 3): "Święto Konstytucji 3 Maja",
        date(2024, 5, 19): "Zielone Świątki",
        date(2024, 5, 30): "Boże Ciało",
        date(2024, 8, 15): "Wniebowzięcie NMP",
        date(2024, 11, 1): "Wszystkich Świętych",
        date(2024, 11, 11): "Narodowe Święto Niepodległości",
        date(2024, 12, 25): "Boże Narodzenie (pierwszy dzień)",
        date(2024, 12, 26): "Boże Narodzenie (drugi dzień)",
    }
    assert not sched.is_public_holiday(date(2024, 12, 24))


def test_holidays_2026_include_christmas_eve():
    holidays = sched.polish_public_holidays(2026)
    assert set(holidays) == {
        date(2026, 1, 1), date(2026, 1, 6), date(2026, 4, 5), date(2026, 4, 6),
        date(2026, 5, 1), date(2026, 5, 3), date(2026, 5, 24), date(2026, 6, 4),
        date(2026, 8, 15), date(2026, 11, 1), date(2026, 11, 11),
        date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26),
    }
    assert holidays[date(2026, 6, 4)] == "Boże Ciało"
    assert holidays[date(2026, 5, 24)] == "Zielone Świątki"
    assert holidays[date(2026, 12, 24)] == "Wigilia Bożego Narodzenia"
    assert list(holidays) == sorted(holidays)


def test_christmas_eve_is_a_holiday_from_2025_on():
    assert sched.is_public_holiday(date(2025, 12, 24))
    assert sched.is_public_holiday(date(2030, 12, 24))
    assert not sched.is_public_holiday(date(2023, 12, 24))


def test_epiphany_is_a_holiday_only_from_2011():
    assert sched.is_public_holiday(date(2011, 1, 6))
    assert not sched.is_public_holiday(date(2010, 1, 6))


@pytest.mark.parametrize("day, expected", [
    (date(2026, 4, 5), True),     # Easter Sunday
    (date(2026, 4, 4), False),    # Holy Saturday is a working day
    (date(2026, 6, 4), True),
    (date(2026, 6, 5), False),
    (date(2026, 11, 11), True),
    (date(2026, 12, 23), False),
    (date(2027, 3, 29), True),    # Easter Monday 2027
])
def test_is_public_holiday(day, expected):
    assert sched.is_public_holiday(day) is expected


def test_holiday_dict_is_a_copy_so_the_cache_cannot_be_corrupted():
    holidays = sched.polish_public_holidays(2026)
    holidays.clear()
    holidays[date(2026, 6, 5)] = "nope"
    assert sched.is_public_holiday(date(2026, 6, 4))
    assert not sched.is_public_holiday(date(2026, 6, 5))


def test_statutory_days_off_per_year_from_2011_to_2040():
    # 13 days off a year (Sundays included) from Trzech Króli's return in 2011;
    # 14 from 2025 with Wigilia; 2018 had the one-off 12 November as well.
    for year in range(2011, 2041):
        holidays = sched.polish_public_holidays(year)
        expected = 14 if year >= 2025 or year == 2018 else 13
        assert len(holidays) == expected, year
        assert (date(year, 12, 24) in holidays) is (year >= 2025)
        assert holidays[date(year, 1, 6)] == "Trzech Króli"
    assert sched.polish_public_holidays(2025)[date(2025, 12, 24)] == "Wigilia Bożego Narodzenia"


def test_twelfth_of_november_2018_was_a_day_off_once():
    # Ustawa z dnia 9 listopada 2018 r. o ustanowieniu dnia 12 listopada 2018 r.
    # dniem wolnym od pracy (the centenary of independence).
    assert sched.is_public_holiday(date(2018, 11, 12))
    assert not sched.is_public_holiday(date(2019, 11, 12))


def test_any_calendar_year_gets_an_answer():
    # Dates typed into forms may be far off; the calendar never raises.
    assert sched.is_public_holiday(date(9999, 12, 25))
    assert sched.is_public_holiday(date(1, 1, 1))
    assert not sched.is_public_holiday(date(2150, 12, 27))


# --- Open now ----------------------------------------------------------------

@pytest.mark.parametrize("moment, expected", [
    (at(2026, 3, 10, 11, 0), True),
    (at(2026, 3, 10, 9, 59, 59), False),
    (at(2026, 3, 10, 10, 0), True),                    # start inclusive
    (at(2026, 3, 10, 11, 59, 59, 999999), True),
    (at(2026, 3, 10, 12, 0), False),                   # end exclusive
    (at(2026, 3, 11, 11, 0), False),                   # Wednesday
    (at(2026, 3, 9, 11, 0), False),                    # Monday
])
def test_is_open_at_inside_outside_and_at_boundaries(moment, expected):
    assert sched.is_open_at(TUESDAY_MORNING, moment) is expected


def test_naive_moment_is_rejected():
    with pytest.raises(ValueError):
        sched.is_open_at(TUESDAY_MORNING, datetime(2026, 3, 10, 11, 0))
    with pytest.raises(ValueError):
        sched.current_or_next_session(TUESDAY_MORNING, datetime(2026, 3, 10, 11, 0))


def test_same_instant_in_utc_warsaw_or_elsewhere_gives_the_same_answers():
    schedule = weekly(rule(TUE, "10:00", "12:00"), rule(MON, "22:00", "01:00"))
    local = at(2026, 6, 2, 11, 30)
    cases = [local, local.astimezone(UTC), local.astimezone(ZoneInfo("America/New_York"))]
    assert cases[1] == datetime(2026, 6, 2, 9, 30, tzinfo=UTC)
    assert all(sched.is_open_at(schedule, m) for m in cases)
    answers = {sched.current_or_next_session(schedule, m) for m in cases}
    assert len(answers) == 1

    # 22:30 UTC on Monday is already 00:30 on Tuesday in Warsaw: the Monday
    # night session is running, found through the Warsaw date, not the UTC one.
    late = datetime(2026, 6, 1, 22, 30, tzinfo=UTC)
    assert sched.is_open_at(schedule, late)
    assert sched.is_open_at(schedule, late.astimezone(WARSAW))
    current = sched.current_or_next_session(schedule, late)
    assert current.start == at(2026, 6, 1, 22, 0)
    assert sched.current_or_next_session(schedule, late.astimezone(WARSAW)) == current


def test_session_starting_after_local_midnight_is_found_from_a_utc_moment():
    # 23:30 UTC on Monday is 01:30 on Tuesday in Warsaw (summer time).
    schedule = weekly(rule(TUE, "00:00", "03:00"))
    moment = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    assert sched.is_open_at(schedule, moment)
    assert sched.current_or_next_session(schedule, moment).start == at(2026, 6, 2, 0, 0)


def test_sessions_are_aware_and_in_warsaw_time():
    session = sched.sessions_on(TUESDAY_MORNING, date(2026, 3, 10))[0]
    assert session.start.tzinfo is WARSAW and session.end.tzinfo is WARSAW
    assert session.start.utcoffset() == timedelta(hours=1)
    assert session.start.astimezone(UTC) == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert session.rule == TUESDAY_MORNING.rules[0]


def test_sessions_on_sorted_by_start_and_label_passed_through():
    schedule = weekly(
        rule(TUE, "15:00", "17:00", label="Sala 2"),
        rule(TUE, "08:00", "09:00", label="Sala 1"),
        rule(TUE, "12:00", "13:00"),
        rule(WED, "08:00", "09:00"),
    )
    sessions = sched.sessions_on(schedule, date(2026, 3, 10))
    assert [s.start.hour for s in sessions] == [8, 12, 15]
    assert [s.rule.label for s in sessions] == ["Sala 1", "", "Sala 2"]


def test_sessions_on_rejects_a_datetime():
    with pytest.raises(TypeError):
        sched.sessions_on(TUESDAY_MORNING, at(2026, 3, 10, 11))


def test_invalid_weekday_is_rejected():
    with pytest.raises(ValueError):
        Rule(7, time(10), time(12))


# --- Holidays and closures -----------------------------------------------------

def test_holiday_closes_a_tuesday_session():
    epiphany = date(2026, 1, 6)   # a Tuesday
    assert epiphany.weekday() == TUE
    assert sched.is_closed_on(TUESDAY_MORNING, epiphany)
    assert sched.sessions_on(TUESDAY_MORNING, epiphany) == []
    assert not sched.is_open_at(TUESDAY_MORNING, at(2026, 1, 6, 11, 0))
    assert sched.is_open_at(TUESDAY_MORNING, at(2026, 1, 13, 11, 0))


def test_holiday_does_not_close_when_the_service_works_on_holidays():
    schedule = weekly(rule(TUE, "10:00", "12:00"), closed_on_holidays=False)
    assert not sched.is_closed_on(schedule, date(2026, 1, 6))
    assert len(sched.sessions_on(schedule, date(2026, 1, 6))) == 1
    assert sched.is_open_at(schedule, at(2026, 1, 6, 11, 0))


def test_closure_range_is_inclusive_at_both_ends():
    schedule = weekly(
        *(rule(d, "10:00", "12:00") for d in range(7)),
        closures=[Closure(date(2026, 3, 9), date(2026, 3, 13), "remont")],
        closed_on_holidays=False,
    )
    assert sched.is_open_at(schedule, at(2026, 3, 8, 11))
    for day in range(9, 14):
        assert sched.is_closed_on(schedule, date(2026, 3, day))
        assert not sched.is_open_at(schedule, at(2026, 3, day, 11))
    assert sched.is_open_at(schedule, at(2026, 3, 14, 11))
    assert not sched.is_closed_on(schedule, date(2026, 3, 14))


def test_closure_applies_even_when_open_on_holidays():
    schedule = weekly(rule(TUE, "10:00", "12:00"), closures=[Closure(date(2026, 3, 10), date(2026, 3, 10))],
                      closed_on_holidays=False)
    assert sched.sessions_on(schedule, date(2026, 3, 10)) == []


def test_next_session_skips_a_holiday_and_a_closure():
    schedule = weekly(rule(TUE, "10:00", "12:00"),
                      closures=[Closure(date(2026, 1, 12), date(2026, 1, 16), "szkolenie")])
    monday = at(2026, 1, 5, 12, 0)
    # 6 Jan is Epiphany, 13 Jan is inside the closure.
    session = sched.current_or_next_session(schedule, monday)
    assert session.start == at(2026, 1, 20, 10, 0)
    assert session.end == at(2026, 1, 20, 12, 0)
    assert [s.start.date() for s in sched.next_sessions(schedule, monday, count=3)] == [
        date(2026, 1, 20), date(2026, 1, 27), date(2026, 2, 3)]


# --- Seasonal rules ------------------------------------------------------------

SUMMER = weekly(rule(MON, "10:00", "12:00", valid_from=date(2026, 7, 1), valid_to=date(2026, 8, 31)))


@pytest.mark.parametrize("day, expected", [
    (date(2026, 6, 29), False),   # the Monday before the season
    (date(2026, 7, 6), True),
    (date(2026, 8, 31), True),    # valid_to is inclusive
    (date(2026, 9, 7), False),
    (date(2027, 7, 5), False),    # an ordinary range is one span, not yearly
])
def test_seasonal_rule_in_and_out_of_season(day, expected):
    assert day.weekday() == MON
    assert bool(sched.sessions_on(SUMMER, day)) is expected
    assert sched.is_open_at(SUMMER, datetime.combine(day, time(11), tzinfo=WARSAW)) is expected


def test_seasonal_rule_from_inclusive():
    schedule = weekly(rule(WED, "10:00", "12:00", valid_from=date(2026, 7, 1), valid_to=date(2026, 8, 31)))
    assert sched.sessions_on(schedule, date(2026, 7, 1))
    assert not sched.sessions_on(schedule, date(2026, 6, 24))


def test_next_session_before_the_season_is_its_first_day():
    session = sched.current_or_next_session(SUMMER, at(2026, 3, 1, 12))
    assert session.start == at(2026, 7, 6, 10, 0)
    assert sched.current_or_next_session(SUMMER, at(2026, 9, 1, 12)) is None


def test_open_ended_ranges():
    from_only = weekly(rule(THU, "10:00", "12:00", valid_from=date(2026, 3, 12)))
    to_only = weekly(rule(THU, "10:00", "12:00", valid_to=date(2026, 3, 12)))
    assert not sched.sessions_on(from_only, date(2026, 3, 5))
    assert sched.sessions_on(from_only, date(2026, 3, 12))
    assert sched.sessions_on(from_only, date(2030, 3, 14))
    assert sched.sessions_on(to_only, date(2020, 3, 12))
    assert sched.sessions_on(to_only, date(2026, 3, 12))
    assert not sched.sessions_on(to_only, date(2026, 3, 19))


@pytest.mark.parametrize("day, expected", [
    (date(2026, 10, 29), False),
    (date(2026, 11, 5), True),
    (date(2026, 12, 31), True),
    (date(2027, 1, 7), True),
    (date(2027, 2, 25), True),
    (date(2027, 3, 4), False),
    (date(2026, 1, 8), True),     # the same season one winter earlier
    (date(2026, 7, 2), False),
])
def test_range_crossing_the_new_year_recurs_every_winter(day, expected):
    # valid_from later than valid_to: every year from 1 Nov to 28 Feb.
    winter = weekly(rule(THU, "17:00", "19:00", valid_from=date(2026, 11, 1), valid_to=date(2026, 2, 28)))
    assert day.weekday() == THU
    assert bool(sched.sessions_on(winter, day)) is expected


def test_absolute_range_crossing_the_new_year_is_one_span():
    winter = weekly(rule(THU, "17:00", "19:00", valid_from=date(2025, 11, 1), valid_to=date(2026, 2, 28)))
    assert sched.sessions_on(winter, date(2025, 12, 4))
    assert sched.sessions_on(winter, date(2026, 1, 8))
    assert not sched.sessions_on(winter, date(2026, 3, 5))
    assert not sched.sessions_on(winter, date(2026, 12, 3))


# --- Current and next sessions -------------------------------------------------------

def test_current_session_is_returned_when_inside_it():
    session = sched.current_or_next_session(TUESDAY_MORNING, at(2026, 3, 10, 11, 15))
    assert session.start == at(2026, 3, 10, 10, 0)
    assert session.start <= at(2026, 3, 10, 11, 15) < session.end


def test_at_the_end_of_a_session_the_next_one_is_returned():
    session = sched.current_or_next_session(TUESDAY_MORNING, at(2026, 3, 10, 12, 0))
    assert session.start == at(2026, 3, 17, 10, 0)


def test_at_the_start_of_a_session_it_is_current():
    session = sched.current_or_next_session(TUESDAY_MORNING, at(2026, 3, 10, 10, 0))
    assert session.start == at(2026, 3, 10, 10, 0)


def test_next_sessions_include_the_current_one_and_respect_count():
    schedule = weekly(rule(TUE, "10:00", "12:00"), rule(THU, "14:00", "16:00"))
    moment = at(2026, 3, 10, 11, 0)
    sessions = sched.next_sessions(schedule, moment, count=4)
    assert [s.start for s in sessions] == [
        at(2026, 3, 10, 10), at(2026, 3, 12, 14), at(2026, 3, 17, 10), at(2026, 3, 19, 14)]
    assert sessions[0] == sched.current_or_next_session(schedule, moment)
    assert len(sched.next_sessions(schedule, moment)) == 3
    assert sched.next_sessions(schedule, moment, count=0) == []


def test_overlapping_sessions_the_earliest_containing_one_is_current():
    schedule = weekly(rule(WED, "08:00", "16:00", label="biuro"), rule(WED, "12:00", "14:00", label="dyżur"))
    assert sched.current_or_next_session(schedule, at(2026, 3, 11, 13)).rule.label == "biuro"
    labels = [s.rule.label for s in sched.next_sessions(schedule, at(2026, 3, 11, 13), count=2)]
    assert labels == ["biuro", "dyżur"]


def test_horizon_returns_none_for_an_empty_schedule():
    assert sched.current_or_next_session(Schedule(), at(2026, 3, 10, 11)) is None
    assert sched.next_sessions(Schedule(), at(2026, 3, 10, 11)) == []
    assert not sched.is_open_at(Schedule(), at(2026, 3, 10, 11))
    assert sched.describe_weekly(Schedule()) == []


def test_horizon_limits_the_search():
    wednesday = at(2026, 3, 11, 9)
    assert sched.current_or_next_session(TUESDAY_MORNING, wednesday, horizon_days=5) is None
    found = sched.current_or_next_session(TUESDAY_MORNING, wednesday, horizon_days=6)
    assert found.start == at(2026, 3, 17, 10)
    same_day = sched.current_or_next_session(TUESDAY_MORNING, at(2026, 3, 10, 9), horizon_days=0)
    assert same_day.start == at(2026, 3, 10, 10)
    with pytest.raises(ValueError):
        sched.current_or_next_session(TUESDAY_MORNING, wednesday, horizon_days=-1)


def test_horizon_with_only_closed_days_returns_none():
    schedule = weekly(rule(TUE, "10:00", "12:00"), closures=[Closure(date(2026, 1, 1), date(2027, 12, 31))])
    assert sched.current_or_next_session(schedule, at(2026, 3, 10, 9)) is None


# --- Overnight sessions --------------------------------------------------------------

NIGHT_SHELTER = weekly(rule(FRI, "22:00", "06:00", label="noclegownia"))


@pytest.mark.parametrize("moment, expected", [
    (at(2026, 3, 13, 21, 59), False),
    (at(2026, 3, 13, 22, 0), True),
    (at(2026, 3, 13, 23, 59), True),
    (at(2026, 3, 14, 0, 0), True),
    (at(2026, 3, 14, 1, 0), True),      # 01:00 the next day
    (at(2026, 3, 14, 5, 59), True),
    (at(2026, 3, 14, 6, 0), False),
    (at(2026, 3, 14, 22, 30), False),   # Saturday night has no session
])
def test_overnight_session(moment, expected):
    assert sched.is_open_at(NIGHT_SHELTER, moment) is expected


def test_overnight_session_belongs_to_the_day_it_starts():
    (session,) = sched.sessions_on(NIGHT_SHELTER, date(2026, 3, 13))
    assert session.start == at(2026, 3, 13, 22) and session.end == at(2026, 3, 14, 6)
    assert real_duration(session) == timedelta(hours=8)
    assert sched.sessions_on(NIGHT_SHELTER, date(2026, 3, 14)) == []
    assert sched.current_or_next_session(NIGHT_SHELTER, at(2026, 3, 14, 1)) == session


def test_overnight_session_runs_into_a_holiday_but_not_from_one():
    schedule = weekly(*(rule(d, "22:00", "06:00") for d in range(7)))
    # 23 Dec 2026 is a working day; 24 Dec 2026 is a holiday.
    assert sched.is_open_at(schedule, at(2026, 12, 24, 3))
    assert not sched.is_open_at(schedule, at(2026, 12, 24, 23))
    assert not sched.is_open_at(schedule, at(2026, 12, 27, 3))   # started on the 26th, a holiday
    assert sched.is_open_at(schedule, at(2026, 12, 27, 23))


def test_whole_day_session_when_opens_equals_closes():
    schedule = weekly(rule(WED, "00:00", "00:00"))
    (session,) = sched.sessions_on(schedule, date(2026, 3, 11))
    assert real_duration(session) == timedelta(hours=24)
    assert sched.is_open_at(schedule, at(2026, 3, 11, 23, 59))
    assert not sched.is_open_at(schedule, at(2026, 3, 12, 0, 0))


# --- Clock changes -----------------------------------------------------------------

SPRING_FORWARD = date(2026, 3, 29)   # 02:00 CET -> 03:00 CEST
FALL_BACK = date(2026, 10, 25)       # 03:00 CEST -> 02:00 CET


@pytest.mark.parametrize("sunday", [SPRING_FORWARD, FALL_BACK])
def test_daytime_session_on_a_clock_change_sunday_lasts_its_real_length(sunday):
    schedule = weekly(rule(SUN, "10:00", "12:00"), closed_on_holidays=False)
    (session,) = sched.sessions_on(schedule, sunday)
    assert real_duration(session) == timedelta(hours=2)
    assert session.start.utcoffset() == timedelta(hours=2 if sunday == SPRING_FORWARD else 1)


@pytest.mark.parametrize("saturday, hours, offsets", [
    (date(2026, 3, 28), 7, (1, 2)),
    (date(2026, 10, 24), 9, (2, 1)),
    (date(2026, 3, 21), 8, (1, 1)),
    (date(2026, 10, 17), 8, (2, 2)),
])
def test_overnight_session_across_a_clock_change(saturday, hours, offsets):
    schedule = weekly(rule(SAT, "22:00", "06:00"))
    (session,) = sched.sessions_on(schedule, saturday)
    assert real_duration(session) == timedelta(hours=hours)
    assert (session.start.hour, session.end.hour) == (22, 6)
    assert (session.start.utcoffset(), session.end.utcoffset()) == tuple(timedelta(hours=h) for h in offsets)
    sunday = saturday + timedelta(days=1)
    assert sched.is_open_at(schedule, datetime.combine(sunday, time(5, 59), tzinfo=WARSAW))
    assert not sched.is_open_at(schedule, datetime.combine(sunday, time(6, 0), tzinfo=WARSAW))


def test_every_session_of_2026_has_its_real_length():
    schedule = weekly(*(rule(d, "10:00", "12:00") for d in range(7)),
                      *(rule(d, "22:00", "06:00") for d in range(7)), closed_on_holidays=False)
    nights = {date(2026, 3, 28): timedelta(hours=7), date(2026, 10, 24): timedelta(hours=9)}
    day = date(2026, 1, 1)
    while day.year == 2026:
        morning, night = sched.sessions_on(schedule, day)
        assert real_duration(morning) == timedelta(hours=2)
        assert real_duration(night) == nights.get(day, timedelta(hours=8))
        day += timedelta(days=1)


def test_wall_time_in_the_spring_gap_is_moved_forward():
    schedule = weekly(rule(SUN, "02:30", "04:00"), rule(SAT, "22:00", "02:30"), closed_on_holidays=False)
    (early,) = sched.sessions_on(schedule, SPRING_FORWARD)
    # 02:30 does not exist that night; it is read as 02:30 CET = 03:30 CEST.
    assert early.start.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert (early.start.hour, early.start.minute) == (3, 30)
    assert real_duration(early) == timedelta(minutes=30)
    (late,) = sched.sessions_on(schedule, date(2026, 3, 28))
    assert late.end.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert real_duration(late) == timedelta(hours=4, minutes=30)


def test_session_swallowed_by_the_spring_gap_does_not_take_place():
    schedule = weekly(rule(SUN, "02:30", "03:15"), closed_on_holidays=False)
    assert sched.sessions_on(schedule, SPRING_FORWARD) == []
    assert len(sched.sessions_on(schedule, SPRING_FORWARD + timedelta(days=7))) == 1
    for session in sched.next_sessions(schedule, at(2026, 3, 20), count=5):
        assert session.start.astimezone(UTC) < session.end.astimezone(UTC)


def test_repeated_october_hour_is_compared_as_instants():
    # Ends at the first 02:30 (CEST, 00:30 UTC). The second 02:15 (CET, 01:15
    # UTC) is later, although its wall clock reads earlier.
    schedule = weekly(rule(SAT, "22:00", "02:30"))
    (session,) = sched.sessions_on(schedule, date(2026, 10, 24))
    assert session.end.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert real_duration(session) == timedelta(hours=4, minutes=30)
    first = at(2026, 10, 25, 2, 15, fold=0)
    second = at(2026, 10, 25, 2, 15, fold=1)
    assert second.astimezone(UTC) == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)
    assert sched.is_open_at(schedule, first)
    assert not sched.is_open_at(schedule, second)
    assert not sched.is_open_at(schedule, second.astimezone(UTC))
    assert sched.current_or_next_session(schedule, first) == session
    assert sched.current_or_next_session(schedule, second).start.date() == date(2026, 10, 31)


# --- Display -----------------------------------------------------------------------

def test_describe_weekly_sorted_one_row_per_rule_with_en_dash():
    schedule = weekly(
        rule(FRI, "22:00", "06:00"),
        rule(TUE, "15:30", "17:00"),
        rule(TUE, "09:05", "12:00", valid_from=date(2026, 7, 1), valid_to=date(2026, 8, 31)),
        rule(MON, "08:00", "16:00"),
    )
    assert sched.describe_weekly(schedule) == [
        (MON, "08:00\u201316:00"),
        (TUE, "09:05\u201312:00"),
        (TUE, "15:30\u201317:00"),
        (FRI, "22:00\u201306:00"),
    ]


# --- Property -----------------------------------------------------------------------

PROPERTY_SCHEDULE = weekly(
    rule(MON, "08:00", "16:00"),
    rule(TUE, "10:00", "12:00", label="Sala 1"),
    rule(TUE, "11:00", "13:00", label="Sala 2"),
    rule(WED, "17:00", "19:00", valid_from=date(2026, 7, 1), valid_to=date(2026, 8, 31)),
    rule(THU, "17:00", "19:00", valid_from=date(2026, 11, 1), valid_to=date(2026, 2, 28)),
    rule(SAT, "22:00", "06:00"),
    rule(SUN, "02:30", "04:00"),
    closures=[Closure(date(2026, 2, 9), date(2026, 2, 20)), Closure(date(2026, 12, 28), date(2027, 1, 3))],
)


@settings(max_examples=400, deadline=None)
@given(moment=st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31, 23, 59, 59),
    timezones=st.sampled_from([UTC, WARSAW]), allow_imaginary=False,
))
def test_current_or_next_contains_or_follows_the_moment(moment):
    session = sched.current_or_next_session(PROPERTY_SCHEDULE, moment)
    assert session is not None
    instant = moment.astimezone(UTC)
    start, end = session.start.astimezone(UTC), session.end.astimezone(UTC)
    assert start < end
    contains = start <= instant < end
    assert contains or start > instant
    assert sched.is_open_at(PROPERTY_SCHEDULE, moment) is contains
    assert sched.next_sessions(PROPERTY_SCHEDULE, moment, count=1) == [session]
    # Nothing starts between the moment and a next session found after it.
    if not contains:
        previous = sched.sessions_on(PROPERTY_SCHEDULE, session.start.date())
        assert all(s.start.astimezone(UTC) >= start or s.end.astimezone(UTC) <= instant for s in previous)
