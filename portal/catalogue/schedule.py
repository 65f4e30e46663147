"""Weekly opening sessions of a service, in Europe/Warsaw local time.

Pure functions on frozen values: no database, no Flask, so the module loads
on its own (tests, benchmarks, scripts). Public holidays and Easter come from
portal/core/holidays.py.

Conventions:
- Rule times are local wall-clock times; a session whose closing time is not
  after its opening time ends on the next day (22:00–06:00, or 00:00–00:00
  for a whole day).
- A session belongs to the local date it starts on: closures, public holidays
  and seasonal ranges are checked against that date only, so a Saturday night
  session still runs into a Sunday holiday.
- Instants are compared in UTC. Two datetimes sharing the same tzinfo compare
  by wall clock and ignore `fold`, which is wrong in the repeated hour of the
  October change.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator
from zoneinfo import ZoneInfo

from ..core.holidays import easter_sunday, is_public_holiday, polish_public_holidays

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = timezone.utc

__all__ = [
    "WARSAW", "Rule", "Closure", "Schedule", "Session",
    "easter_sunday", "polish_public_holidays", "is_public_holiday",
    "is_closed_on", "sessions_on", "is_open_at",
    "current_or_next_session", "next_sessions", "describe_weekly",
]


@dataclass(frozen=True)
class Rule:
    """One weekly session.

    Seasonal range: `valid_from` / `valid_to` are inclusive calendar dates and
    either may be missing. When both are given and `valid_from` is later than
    `valid_to` (e.g. 1 Nov .. 28 Feb) the range cannot be a single span, so it
    is read as a season that recurs every year by month and day and crosses
    the new year.
    """

    weekday: int
    opens: time
    closes: time
    valid_from: date | None = None
    valid_to: date | None = None
    label: str = ""

    def __post_init__(self):
        # A weekday outside 0..6 would silently never match any date.
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) .. 6 (Sunday), got {self.weekday!r}")

    @property
    def overnight(self) -> bool:
        return self.closes <= self.opens

    def is_valid_on(self, day: date) -> bool:
        start, end = self.valid_from, self.valid_to
        if start is not None and end is not None and start > end:
            key = (day.month, day.day)
            return key >= (start.month, start.day) or key <= (end.month, end.day)
        if start is not None and day < start:
            return False
        if end is not None and day > end:
            return False
        return True


@dataclass(frozen=True)
class Closure:
    starts_on: date
    ends_on: date
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Schedule:
    rules: tuple[Rule, ...] = ()
    closures: tuple[Closure, ...] = ()
    closed_on_holidays: bool = True


@dataclass(frozen=True)
class Session:
    start: datetime
    end: datetime
    rule: Rule

    def contains(self, moment: datetime) -> bool:
        """start <= moment < end, compared as instants."""
        instant = _utc(moment)
        return self.start.astimezone(UTC) <= instant < self.end.astimezone(UTC)


# --- Public holidays -------------------------------------------------------
# Poland's statutory days off work live in portal/core/holidays.py (the
# desk's working days count them too); imported above, named here as before.


# --- Sessions --------------------------------------------------------------

def _utc(moment: datetime) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"expected a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive moment has no single meaning around the clock changes.
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(UTC)


def _local(day: date, wall: time) -> datetime:
    # The UTC round trip moves a wall time that does not exist (the spring
    # gap, 02:00–03:00) forward by the gap, and sets `fold` right for the
    # repeated October hour (the first occurrence is taken).
    naive_wall = wall.replace(tzinfo=None)
    return datetime.combine(day, naive_wall, tzinfo=WARSAW).astimezone(UTC).astimezone(WARSAW)


def is_closed_on(schedule: Schedule, day: date) -> bool:
    if any(closure.covers(day) for closure in schedule.closures):
        return True
    return schedule.closed_on_holidays and is_public_holiday(day)


def sessions_on(schedule: Schedule, day: date) -> list[Session]:
    """Sessions starting on the local date `day`, by start."""
    if isinstance(day, datetime):
        # datetime is a date subclass, and comparing it with the closures'
        # dates would raise deep inside; the caller means a calendar day.
        raise TypeError("day must be a date, not a datetime")
    weekday = day.weekday()
    rules = [r for r in schedule.rules if r.weekday == weekday and r.is_valid_on(day)]
    if not rules or is_closed_on(schedule, day):
        return []
    sessions = []
    for rule in rules:
        start = _local(day, rule.opens)
        end = _local(day + timedelta(days=1) if rule.overnight else day, rule.closes)
        # Only a session opening in the skipped spring hour can end up empty
        # or reversed (02:30–03:15 reads as 03:30–03:15); dropping it beats
        # inventing a start the rule never said.
        if end.astimezone(UTC) <= start.astimezone(UTC):
            continue
        sessions.append(Session(start, end, rule))
    sessions.sort(key=lambda s: (s.start.astimezone(UTC), s.end.astimezone(UTC)))
    return sessions


def _active_weekdays(schedule: Schedule) -> frozenset[int]:
    return frozenset(rule.weekday for rule in schedule.rules)


def _sessions_from(schedule: Schedule, moment: datetime, horizon_days: int) -> Iterator[Session]:
    """Sessions not yet over at `moment` (the one in progress first), in start
    order, starting on local dates up to `horizon_days` after moment's date."""
    instant = _utc(moment)
    if horizon_days < 0:
        raise ValueError("horizon_days must not be negative")
    weekdays = _active_weekdays(schedule)
    if not weekdays:
        return
    today = instant.astimezone(WARSAW).date()
    # A session lasts at most a day (plus the October hour), so only the one
    # started yesterday can still be running.
    day = today - timedelta(days=1)
    last = today + timedelta(days=horizon_days)
    while day <= last:
        if day.weekday() in weekdays:
            for session in sessions_on(schedule, day):
                if session.end.astimezone(UTC) > instant:
                    yield session
        day += timedelta(days=1)


def is_open_at(schedule: Schedule, moment: datetime) -> bool:
    instant = _utc(moment)
    today = instant.astimezone(WARSAW).date()
    for day in (today - timedelta(days=1), today):
        if any(session.contains(instant) for session in sessions_on(schedule, day)):
            return True
    return False


def current_or_next_session(schedule: Schedule, moment: datetime, horizon_days: int = 400) -> Session | None:
    """The session containing `moment`, else the first starting after it.

    In start order the first session not over at `moment` is the answer: a
    session containing `moment` starts no later than it, so it comes before
    every session starting after `moment`.
    """
    return next(_sessions_from(schedule, moment, horizon_days), None)


def next_sessions(schedule: Schedule, moment: datetime, count: int = 3, horizon_days: int = 400) -> list[Session]:
    """Up to `count` sessions from `moment` on, the one in progress included
    (so the first equals current_or_next_session)."""
    if count <= 0:
        return []
    found = []
    for session in _sessions_from(schedule, moment, horizon_days):
        found.append(session)
        if len(found) == count:
            break
    return found


def describe_weekly(schedule: Schedule) -> list[tuple[int, str]]:
    """(weekday, "10:00–12:00") per rule, by weekday and time, for display."""
    rules = sorted(schedule.rules, key=lambda r: (r.weekday, r.opens, r.closes))
    return [(r.weekday, f"{r.opens:%H:%M}\u2013{r.closes:%H:%M}") for r in rules]

