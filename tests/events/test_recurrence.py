"""Occurrences of events in Europe/Warsaw time: weekly and monthly rules,
intervals, exceptions, public holidays, windows across midnight and the
summer-time changes (last Sundays of March and October)."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.events import recurrence as rec

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = timezone.utc
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def at(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=WARSAW)


def times(day, start="10:00", end="12:00", end_day=None, all_day=False):
    return rec.Times(day, None if all_day else time.fromisoformat(start), end_day or day,
                     None if all_day else time.fromisoformat(end), all_day)


def days(instances):
    return [i.day for i in instances]


def utc(moment):
    return moment.astimezone(UTC).replace(tzinfo=None)


# --- one-off events -----------------------------------------------------------

def test_one_off_event_inside_and_outside_the_window():
    t = times(date(2026, 1, 13))
    inside = rec.expand(t, rec.Rule(), at(2026, 1, 13), at(2026, 1, 14))
    assert [(i.start, i.end) for i in inside] == [(at(2026, 1, 13, 10), at(2026, 1, 13, 12))]
    assert rec.expand(t, rec.Rule(), at(2026, 1, 13, 12), at(2026, 1, 14)) == []  # ended at the window start
    assert rec.expand(t, rec.Rule(), at(2026, 1, 12), at(2026, 1, 13, 10)) == []  # starts at the window end


def test_one_off_on_a_holiday_is_kept_even_with_skip_holidays():
    t = times(date(2026, 11, 11), "11:00", "13:00")
    found = rec.expand(t, rec.Rule(skip_holidays=True), at(2026, 11, 1), at(2026, 12, 1))
    assert days(found) == [date(2026, 11, 11)]


def test_all_day_event_runs_from_midnight_to_midnight_after_its_last_day():
    t = times(date(2026, 8, 29), end_day=date(2026, 8, 30), all_day=True)
    (found,) = rec.expand(t, rec.Rule(), at(2026, 8, 1), at(2026, 9, 1))
    assert found.start == at(2026, 8, 29) and found.end == at(2026, 8, 31)
    # The last day is still "on" at 23:59 and over at midnight.
    assert rec.expand(t, rec.Rule(), at(2026, 8, 30, 23, 59), at(2026, 8, 31))
    assert not rec.expand(t, rec.Rule(), at(2026, 8, 31), at(2026, 9, 1))


# --- weekly --------------------------------------------------------------------

def test_senior_club_every_tuesday_except_public_holidays():
    # 6 January 2026 (Trzech Króli) is a Tuesday.
    t = times(date(2026, 1, 6))
    rule = rec.Rule(frequency=rec.WEEKLY, skip_holidays=True)
    found = rec.expand(t, rule, at(2026, 1, 1), at(2026, 2, 1))
    assert days(found) == [date(2026, 1, 13), date(2026, 1, 20), date(2026, 1, 27)]
    assert all(i.start.hour == 10 and i.end.hour == 12 for i in found)


def test_weekly_on_several_weekdays_with_an_interval_and_until():
    # Every second week on Monday and Thursday, from Wed 7 Jan 2026 to 5 Feb.
    t = times(date(2026, 1, 7), "17:00", "18:30")
    rule = rec.Rule(frequency=rec.WEEKLY, interval=2, weekdays=(MON, THU), until=date(2026, 2, 5))
    found = rec.expand(t, rule, at(2025, 12, 1), at(2026, 12, 1))
    # Week of 5 Jan: Monday 5 Jan is before the first date, Thursday 8 Jan counts.
    assert days(found) == [date(2026, 1, 8), date(2026, 1, 19), date(2026, 1, 22), date(2026, 2, 2),
                           date(2026, 2, 5)]


def test_window_far_after_the_first_date_keeps_the_interval_phase():
    t = times(date(2026, 1, 6))  # Tuesday
    rule = rec.Rule(frequency=rec.WEEKLY, interval=3)
    found = rec.expand(t, rule, at(2027, 1, 1), at(2027, 2, 1))
    # Every third week from 6 Jan 2026, by a plain walk.
    expected = [date(2026, 1, 6) + timedelta(weeks=k) for k in range(0, 80, 3)]
    expected = [d for d in expected if date(2027, 1, 1) <= d < date(2027, 2, 1)]
    assert days(found) == expected == [date(2027, 1, 19)]


def test_skipped_and_cancelled_dates():
    t = times(date(2026, 3, 3))
    rule = rec.Rule(frequency=rec.WEEKLY, skipped=frozenset({date(2026, 3, 10)}),
                    cancelled=frozenset({date(2026, 3, 17)}))
    found = rec.expand(t, rule, at(2026, 3, 1), at(2026, 3, 25))
    assert [(i.day, i.cancelled) for i in found] == [
        (date(2026, 3, 3), False), (date(2026, 3, 17), True), (date(2026, 3, 24), False)]


def test_easter_monday_and_whit_sunday_are_skipped():
    # Easter 2026 is 5 April: Monday 6 April is a holiday; Whit Sunday is 24 May.
    mondays = rec.expand(times(date(2026, 3, 30)), rec.Rule(frequency=rec.WEEKLY, skip_holidays=True),
                         at(2026, 3, 30), at(2026, 4, 21))
    assert days(mondays) == [date(2026, 3, 30), date(2026, 4, 13), date(2026, 4, 20)]
    sundays = rec.expand(times(date(2026, 5, 17)), rec.Rule(frequency=rec.WEEKLY, skip_holidays=True),
                         at(2026, 5, 17), at(2026, 6, 1))
    assert days(sundays) == [date(2026, 5, 17), date(2026, 5, 31)]


# --- monthly --------------------------------------------------------------------

def test_monthly_on_the_31st_skips_short_months():
    t = times(date(2026, 1, 31))
    found = rec.expand(t, rec.Rule(frequency=rec.MONTHLY), at(2026, 1, 1), at(2026, 9, 1))
    assert days(found) == [date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31), date(2026, 7, 31),
                           date(2026, 8, 31)]


def test_monthly_second_tuesday_every_two_months():
    t = times(date(2026, 1, 13))  # the 2nd Tuesday of January
    rule = rec.Rule(frequency=rec.MONTHLY, interval=2, monthly_mode=rec.BY_NTH_WEEKDAY)
    found = rec.expand(t, rule, at(2026, 1, 1), at(2027, 1, 1))
    assert days(found) == [date(2026, 1, 13), date(2026, 3, 10), date(2026, 5, 12), date(2026, 7, 14),
                           date(2026, 9, 8), date(2026, 11, 10)]


def test_monthly_fifth_weekday_skips_months_without_one():
    t = times(date(2026, 1, 29))  # the 5th Thursday of January
    rule = rec.Rule(frequency=rec.MONTHLY, monthly_mode=rec.BY_NTH_WEEKDAY)
    found = rec.expand(t, rule, at(2026, 1, 1), at(2026, 8, 1))
    assert days(found) == [date(2026, 1, 29), date(2026, 4, 30), date(2026, 7, 30)]


def test_monthly_last_friday_until():
    t = times(date(2026, 1, 30), "18:00", "20:00")
    rule = rec.Rule(frequency=rec.MONTHLY, monthly_mode=rec.BY_LAST_WEEKDAY, until=date(2026, 5, 29))
    found = rec.expand(t, rule, at(2026, 1, 1), at(2027, 1, 1))
    assert days(found) == [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27), date(2026, 4, 24),
                           date(2026, 5, 29)]


def test_monthly_fifth_weekday_every_two_months_keeps_the_phase_through_missing_months():
    # 30 March 2026 is the 5th Monday; May, July, September 2026 and January
    # 2027 have none, and skipping them does not move the two-month phase.
    t = times(date(2026, 3, 30))
    rule = rec.Rule(frequency=rec.MONTHLY, interval=2, monthly_mode=rec.BY_NTH_WEEKDAY)
    found = rec.expand(t, rule, at(2026, 3, 1), at(2027, 4, 1))
    assert days(found) == [date(2026, 3, 30), date(2026, 11, 30), date(2027, 3, 29)]


def test_monthly_window_years_after_the_first_date_keeps_the_interval_phase():
    # The last Friday every five months from January 2026: January, June and
    # November of 2031.
    t = times(date(2026, 1, 30), "18:00", "20:00")
    rule = rec.Rule(frequency=rec.MONTHLY, interval=5, monthly_mode=rec.BY_LAST_WEEKDAY)
    found = rec.expand(t, rule, at(2031, 1, 1), at(2032, 1, 1))
    assert days(found) == [date(2031, 1, 31), date(2031, 6, 27), date(2031, 11, 28)]
    assert [(i.start.hour, i.end.hour) for i in found] == [(18, 20)] * 3

# --- summer time ------------------------------------------------------------------

def test_ten_oclock_stays_ten_oclock_across_both_changes():
    # Sundays around 29 March 2026 and 25 October 2026 (the last Sundays).
    t = times(date(2026, 3, 22), "10:00", "11:00")
    found = rec.expand(t, rec.Rule(frequency=rec.WEEKLY), at(2026, 3, 22), at(2026, 11, 2))
    by_day = {i.day: i for i in found}
    assert [(i.start.hour, i.start.minute) for i in found] == [(10, 0)] * len(found)
    assert utc(by_day[date(2026, 3, 22)].start) == datetime(2026, 3, 22, 9, 0)   # CET
    assert utc(by_day[date(2026, 3, 29)].start) == datetime(2026, 3, 29, 8, 0)   # CEST from that night
    assert utc(by_day[date(2026, 10, 25)].start) == datetime(2026, 10, 25, 9, 0)  # CET again
    assert all(i.end - i.start == timedelta(hours=1) for i in found)


def test_start_in_the_spring_gap_moves_forward_and_keeps_its_length():
    # 02:30 does not exist on 29 March 2026: read as 03:30 CEST (01:30 UTC).
    t = times(date(2026, 3, 29), "02:30", "03:15")
    (found,) = rec.expand(t, rec.Rule(), at(2026, 3, 28), at(2026, 3, 30))
    assert utc(found.start) == datetime(2026, 3, 29, 1, 30)
    assert (found.start.hour, found.start.minute) == (3, 30)
    assert found.end - found.start == timedelta(minutes=45)


def test_night_through_the_spring_gap_is_one_hour_shorter():
    t = times(date(2026, 3, 28), "22:00", "06:00", end_day=date(2026, 3, 29))
    (found,) = rec.expand(t, rec.Rule(), at(2026, 3, 28), at(2026, 3, 30))
    assert found.start == at(2026, 3, 28, 22) and (found.end.hour, found.end.minute) == (6, 0)
    assert found.end.astimezone(UTC) - found.start.astimezone(UTC) == timedelta(hours=7)


def test_repeated_october_hour_means_the_first_one():
    t = times(date(2026, 10, 25), "02:30", "03:30")
    (found,) = rec.expand(t, rec.Rule(), at(2026, 10, 24), at(2026, 10, 26))
    assert utc(found.start) == datetime(2026, 10, 25, 0, 30)   # 02:30 CEST
    assert utc(found.end) == datetime(2026, 10, 25, 2, 30)     # 03:30 CET
    assert found.end.astimezone(UTC) - found.start.astimezone(UTC) == timedelta(hours=2)


def test_working_days_in_the_week_of_the_spring_change_keep_wall_clock_and_exceptions():
    # Monday to Friday at 10:00 around Sunday 29 March 2026: 10:00 local on
    # every day, 09:00 UTC before the change and 08:00 UTC after it; the
    # skipped Tuesday is gone, the cancelled Friday stays, marked.
    t = times(date(2026, 3, 23), "10:00", "11:00")
    rule = rec.Rule(frequency=rec.WEEKLY, weekdays=(MON, TUE, WED, THU, FRI),
                    skipped=frozenset({date(2026, 3, 31)}), cancelled=frozenset({date(2026, 4, 3)}))
    found = rec.expand(t, rule, at(2026, 3, 26), at(2026, 4, 4))
    assert [(i.day, utc(i.start).hour, i.cancelled) for i in found] == [
        (date(2026, 3, 26), 9, False), (date(2026, 3, 27), 9, False),
        (date(2026, 3, 30), 8, False), (date(2026, 4, 1), 8, False), (date(2026, 4, 2), 8, False),
        (date(2026, 4, 3), 8, True)]
    assert all((i.start.hour, i.end.hour) == (10, 11) for i in found)

# --- across midnight ----------------------------------------------------------------

def test_event_across_midnight_belongs_to_its_start_date_and_reaches_the_next_day():
    t = times(date(2026, 10, 24), "22:00", "02:00", end_day=date(2026, 10, 25))
    rule = rec.Rule(frequency=rec.WEEKLY)
    # A window on the morning after only: the Saturday night event overlaps it.
    found = rec.expand(t, rule, at(2026, 10, 25, 0), at(2026, 10, 25, 12))
    assert days(found) == [date(2026, 10, 24)]
    # On the night of the October change 02:00 comes twice; the end is the first one.
    assert found[0].end.astimezone(UTC) - found[0].start.astimezone(UTC) == timedelta(hours=4)
    # The next week's night is the usual four hours.
    (nxt,) = rec.expand(t, rule, at(2026, 10, 31, 12), at(2026, 11, 1, 12))
    assert nxt.end.astimezone(UTC) - nxt.start.astimezone(UTC) == timedelta(hours=4)


def test_holiday_is_checked_on_the_start_date_only():
    # Saturday night 31 Oct -> Sunday 1 Nov (a holiday): the event runs.
    t = times(date(2026, 10, 24), "22:00", "02:00", end_day=date(2026, 10, 25))
    found = rec.expand(t, rec.Rule(frequency=rec.WEEKLY, skip_holidays=True), at(2026, 10, 31), at(2026, 11, 2))
    assert days(found) == [date(2026, 10, 31)]


# --- bounds and helpers ----------------------------------------------------------------

def test_naive_window_is_refused():
    with pytest.raises(ValueError):
        rec.expand(times(date(2026, 1, 1)), rec.Rule(), datetime(2026, 1, 1), datetime(2026, 1, 2))


def test_first_after_finds_the_next_occurrence_beyond_the_first_step():
    t = times(date(2026, 1, 15))
    rule = rec.Rule(frequency=rec.MONTHLY, interval=6)
    found = rec.first_after(t, rule, at(2026, 2, 1))
    assert found.day == date(2026, 7, 15)
    assert rec.first_after(t, rec.Rule(frequency=rec.WEEKLY, until=date(2026, 1, 20)), at(2026, 2, 1)) is None


def test_span_covers_every_occurrence():
    t = times(date(2026, 3, 1), "23:00", "01:00", end_day=date(2026, 3, 2))
    start, end = rec.span(t, rec.WEEKLY, date(2026, 3, 29))
    found = rec.expand(t, rec.Rule(frequency=rec.WEEKLY, until=date(2026, 3, 29)), at(2025, 1, 1), at(2027, 1, 1))
    assert len(found) == 5
    assert all(start <= i.start and i.end <= end for i in found)
    assert rec.span(t, rec.WEEKLY, None)[1] is None


@settings(max_examples=150, deadline=None)
@given(
    first=st.dates(date(2025, 1, 1), date(2027, 12, 31)),
    frequency=st.sampled_from([rec.WEEKLY, rec.MONTHLY]),
    interval=st.integers(1, 4),
    mode=st.sampled_from(rec.MONTHLY_MODES),
    weekdays=st.sets(st.integers(0, 6), max_size=3),
    start_hour=st.integers(0, 23),
    length_hours=st.integers(1, 30),
    window_start=st.dates(date(2025, 1, 1), date(2028, 6, 30)),
    window_days=st.integers(1, 60),
)
def test_windows_agree_with_a_long_expansion(first, frequency, interval, mode, weekdays, start_hour,
                                            length_hours, window_start, window_days):
    """A window's occurrences are exactly the long expansion's occurrences that overlap it,
    and every occurrence ends after it starts."""
    end_naive = datetime.combine(first, time(start_hour)) + timedelta(hours=length_hours)
    t = rec.Times(first, time(start_hour), end_naive.date(), end_naive.time())
    rule = rec.Rule(frequency=frequency, interval=interval, monthly_mode=mode, weekdays=tuple(sorted(weekdays)))
    all_of_them = rec.expand(t, rule, at(2024, 12, 1), at(2029, 1, 1))
    lo = datetime.combine(window_start, time(0), tzinfo=WARSAW)
    hi = lo + timedelta(days=window_days)
    window = rec.expand(t, rule, lo, hi)
    expected = [i for i in all_of_them if i.start.astimezone(UTC) < hi.astimezone(UTC)
                and i.end.astimezone(UTC) > lo.astimezone(UTC)]
    assert window == expected
    assert all(i.end.astimezone(UTC) > i.start.astimezone(UTC) for i in all_of_them)
    assert all(i.start.astimezone(WARSAW).hour == start_hour or i.start.astimezone(WARSAW).hour == 3
               for i in all_of_them)
