"""Occurrences of an event, expanded in Europe/Warsaw wall-clock time.

Pure functions on frozen values. The dates come from dateutil's RFC 5545
`rrule`, expanded on naive local dates; the wall-clock times are then put on
them here. Public holidays come from portal.catalogue.schedule.

Conventions, decided once:
- An occurrence starts on local date D at the event's start time and ends
  `length_days` later (end_date - start_date of the first occurrence) at the
  end time, so 22:00–02:00 is a one-night event and 10:00 stays 10:00 local
  across the summer-time changes. All-day events run from local midnight of D
  to local midnight after their last day.
- A wall time that does not exist (02:00–03:00 on the last Sunday of March)
  is moved forward by the gap: 02:30 reads as 03:30 CEST, the instant that
  02:30 CET would have been. If the end would then not come after the start,
  the occurrence keeps its nominal wall-clock length. Nothing is dropped and
  nothing raises.
- A repeated wall time (02:00–03:00 on the last Sunday of October) means its
  first occurrence (CEST, fold=0).
- Weekly: every `interval` weeks counted from the week (Monday) of the first
  date, on the chosen weekdays (the first date's weekday if none). Monthly:
  every `interval` months from the first date's month; on the same day of the
  month (months without that day are skipped, as in RFC 5545), on the same
  n-th weekday (e.g. the 2nd Tuesday; months without a 5th one are skipped)
  or on the last such weekday.
- `until` is the last local date an occurrence may start on (inclusive).
- Exceptions are local start dates: `skipped` ones vanish, `cancelled` ones
  stay visible marked as cancelled. `skip_holidays` drops occurrences that
  start on a Polish public holiday; it applies to repeating events only (a
  one-off event on 11 November is deliberately there).
- Overlap with a window [start, end) is decided on instants (UTC).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator

from dateutil import rrule as rfc

from ..catalogue.schedule import WARSAW, is_public_holiday

UTC = timezone.utc

NONE, WEEKLY, MONTHLY = "none", "weekly", "monthly"
FREQUENCIES = (NONE, WEEKLY, MONTHLY)
BY_DAY, BY_NTH_WEEKDAY, BY_LAST_WEEKDAY = "day", "nth_weekday", "last_weekday"
MONTHLY_MODES = (BY_DAY, BY_NTH_WEEKDAY, BY_LAST_WEEKDAY)

__all__ = [
    "NONE", "WEEKLY", "MONTHLY", "FREQUENCIES", "BY_DAY", "BY_NTH_WEEKDAY", "BY_LAST_WEEKDAY",
    "MONTHLY_MODES", "Times", "Rule", "Instance", "local_instant", "parse_weekdays", "format_weekdays",
    "nth_of_month", "expand", "first_after", "span",
]


@dataclass(frozen=True)
class Times:
    """The first occurrence as the organiser entered it (local wall clock)."""

    start_date: date
    start_time: time | None
    end_date: date
    end_time: time | None
    all_day: bool = False

    @property
    def length_days(self) -> int:
        return max((self.end_date - self.start_date).days, 0)


@dataclass(frozen=True)
class Rule:
    frequency: str = NONE
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    monthly_mode: str = BY_DAY
    until: date | None = None
    skipped: frozenset[date] = field(default_factory=frozenset)
    cancelled: frozenset[date] = field(default_factory=frozenset)
    skip_holidays: bool = False

    def __post_init__(self):
        if self.frequency not in FREQUENCIES:
            raise ValueError(f"unknown frequency {self.frequency!r}")
        if self.interval < 1:
            raise ValueError("interval must be at least 1")
        if any(not 0 <= d <= 6 for d in self.weekdays):
            raise ValueError("weekdays are 0 (Monday) .. 6 (Sunday)")


@dataclass(frozen=True)
class Instance:
    day: date           # local start date: the key for exceptions
    start: datetime     # aware, Europe/Warsaw
    end: datetime       # aware, Europe/Warsaw
    cancelled: bool = False


def local_instant(day: date, wall: time) -> datetime:
    """Local date + wall time -> aware Europe/Warsaw datetime; the UTC round
    trip moves a time in the spring gap forward and sets `fold` right."""
    return datetime.combine(day, wall.replace(tzinfo=None), tzinfo=WARSAW).astimezone(UTC).astimezone(WARSAW)


def parse_weekdays(text: str | None) -> tuple[int, ...]:
    if not text:
        return ()
    days = sorted({int(part) for part in text.split(",") if part.strip()})
    if any(not 0 <= d <= 6 for d in days):
        raise ValueError(f"weekdays are 0..6, got {text!r}")
    return tuple(days)


def format_weekdays(days) -> str:
    return ",".join(str(d) for d in sorted(set(days)))


def nth_of_month(day: date) -> int:
    """1 for the first Tuesday of a month, 2 for the second, ..."""
    return (day.day - 1) // 7 + 1


def _bounds(times: Times, day: date) -> tuple[datetime, datetime]:
    last_day = day + timedelta(days=times.length_days)
    if times.all_day or times.start_time is None:
        return local_instant(day, time(0)), local_instant(last_day + timedelta(days=1), time(0))
    end_wall = times.end_time if times.end_time is not None else times.start_time
    start = local_instant(day, times.start_time)
    end = local_instant(last_day, end_wall)
    if end.astimezone(UTC) <= start.astimezone(UTC):
        # Only the spring gap gets here with valid input (02:30–03:15 reads
        # as 03:30–03:15): keep the length the organiser meant.
        nominal = datetime.combine(last_day, end_wall) - datetime.combine(day, times.start_time)
        end = (start.astimezone(UTC) + max(nominal, timedelta(minutes=1))).astimezone(WARSAW)
    return start, end


def _rrule(times: Times, rule: Rule, lo: date) -> rfc.rrule:
    """The rule as RFC 5545 on naive local midnights. With the week starting on
    Monday, an interval counts weeks from the first date's week; a day of the
    month or an n-th weekday that a month lacks is skipped there.

    The series is started again at the last week or month in the interval's
    phase before `lo`, so a window years after the first date costs no more
    than one near it (the rule's parts are explicit, so they do not depend on
    where it starts)."""
    first = times.start_date
    kwargs = {}
    if rule.frequency == WEEKLY:
        kwargs["byweekday"] = sorted(set(rule.weekdays) or {first.weekday()})
        monday = first - timedelta(days=first.weekday())
        steps = max((lo - monday).days // 7, 0) // rule.interval
        restart = monday + timedelta(weeks=steps * rule.interval)
    else:
        if rule.monthly_mode == BY_DAY:
            kwargs["bymonthday"] = first.day
        else:
            nth = -1 if rule.monthly_mode == BY_LAST_WEEKDAY else nth_of_month(first)
            kwargs["byweekday"] = rfc.weekday(first.weekday(), nth)
        steps = max((lo.year - first.year) * 12 + lo.month - first.month, 0) // rule.interval
        year, month = divmod(first.year * 12 + first.month - 1 + steps * rule.interval, 12)
        restart = date(year, month + 1, 1)
    return rfc.rrule(
        rfc.WEEKLY if rule.frequency == WEEKLY else rfc.MONTHLY,
        dtstart=datetime.combine(max(first, restart), time(0)),
        interval=rule.interval,
        wkst=rfc.MO,
        until=None if rule.until is None else datetime.combine(rule.until, time(0)),
        **kwargs,
    )


def _dates(times: Times, rule: Rule, lo: date, hi: date) -> Iterator[date]:
    """Start dates by the rule alone (no exceptions), in [lo, hi], in order."""
    first = times.start_date
    if rule.until is not None:
        hi = min(hi, rule.until)
    lo = max(lo, first)
    if lo > hi:
        return
    if rule.frequency == NONE:
        if lo <= first <= hi:
            yield first
        return
    series = _rrule(times, rule, lo)
    for moment in series.between(datetime.combine(lo, time(0)), datetime.combine(hi, time(0)), inc=True):
        yield moment.date()


def _aware_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("window bounds must be timezone-aware")
    return moment.astimezone(UTC)


def expand(times: Times, rule: Rule, start: datetime, end: datetime) -> list[Instance]:
    """Every occurrence overlapping [start, end), by start."""
    lo_utc, hi_utc = _aware_utc(start), _aware_utc(end)
    if hi_utc <= lo_utc:
        return []
    # An occurrence starting up to length_days (+1 for all-day and the gap)
    # before the window can still reach into it.
    lo_day = lo_utc.astimezone(WARSAW).date() - timedelta(days=times.length_days + 1)
    hi_day = hi_utc.astimezone(WARSAW).date()
    result = []
    for day in _dates(times, rule, lo_day, hi_day):
        if day in rule.skipped:
            continue
        if rule.skip_holidays and rule.frequency != NONE and is_public_holiday(day):
            continue
        occ_start, occ_end = _bounds(times, day)
        if occ_start.astimezone(UTC) < hi_utc and occ_end.astimezone(UTC) > lo_utc:
            result.append(Instance(day, occ_start, occ_end, day in rule.cancelled))
    return result


def first_after(times: Times, rule: Rule, moment: datetime, horizon_days: int = 800) -> Instance | None:
    """The first occurrence that has not ended at `moment` (or None)."""
    window_end = moment + timedelta(days=horizon_days)
    step = timedelta(days=62)
    lo = moment
    while lo < window_end:
        found = expand(times, rule, lo, min(lo + step, window_end))
        if found:
            return found[0]
        lo += step
    return None


def span(times: Times, frequency: str, until: date | None) -> tuple[datetime, datetime | None]:
    """Generous UTC bounds of the whole series, for an indexed pre-filter.
    The end is None for a series without `until`."""
    start = local_instant(times.start_date, time(0)).astimezone(UTC)
    if frequency != NONE and until is None:
        return start, None
    last = times.end_date if frequency == NONE else until + timedelta(days=times.length_days)
    return start, local_instant(last + timedelta(days=2), time(0)).astimezone(UTC)
