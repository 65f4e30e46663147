"""A screen's opening hours: when it shows content and when it sleeps.

Pure functions of the weekly hours and an instant. Days are Europe/Warsaw
calendar days; the sleeping stretches are cut at local midnight so that each
carries the right words ("dziś", "jutro", "w poniedziałek") for the day it
is shown on, and the browser can pick the one that covers its clock even
while the server is away.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.catalogue.schedule import is_public_holiday
from portal.timeutil import WARSAW

DAYS = 7
# Words for "we invite you on <weekday>", with the preposition each weekday takes.
_ON_WEEKDAY = (
    lambda t: _("Zapraszamy w poniedziałek od %(time)s", time=t),
    lambda t: _("Zapraszamy we wtorek od %(time)s", time=t),
    lambda t: _("Zapraszamy w środę od %(time)s", time=t),
    lambda t: _("Zapraszamy w czwartek od %(time)s", time=t),
    lambda t: _("Zapraszamy w piątek od %(time)s", time=t),
    lambda t: _("Zapraszamy w sobotę od %(time)s", time=t),
    lambda t: _("Zapraszamy w niedzielę od %(time)s", time=t),
)


def parse_hours(text):
    """'07:30-15:30,,...' -> seven (opens, closes) pairs or None (closed), Monday first.
    Anything unreadable counts as closed: a broken value must not crash a screen."""
    parts = (text or "").split(",")
    parts = (parts + [""] * DAYS)[:DAYS]
    result = []
    for part in parts:
        span = None
        if "-" in part:
            left, right = part.split("-", 1)
            try:
                opens, closes = time.fromisoformat(left.strip()), time.fromisoformat(right.strip())
            except ValueError:
                opens = closes = None
            if opens is not None and closes > opens:
                span = (opens, closes)
        result.append(span)
    return tuple(result)


def format_hours(hours):
    return ",".join(f"{s[0]:%H:%M}-{s[1]:%H:%M}" if s else "" for s in hours)


def short_time(value):
    """7:30, 15:00 (no leading zero, as Polish notices write it)."""
    return f"{value.hour}:{value.minute:02d}"


@dataclass(frozen=True)
class Rules:
    hours: tuple
    always_on: bool = False
    closed_on_holidays: bool = True

    @classmethod
    def of(cls, screen):
        return cls(parse_hours(screen.hours), bool(screen.always_on), bool(screen.closed_on_holidays))


def _day_span(rules, day):
    """(opens, closes) as aware instants on a local day, or None when closed all day."""
    span = rules.hours[day.weekday()]
    if span is None or (rules.closed_on_holidays and is_public_holiday(day)):
        return None
    return (datetime.combine(day, span[0], WARSAW), datetime.combine(day, span[1], WARSAW))


def _midnight(day):
    return datetime.combine(day, time(0), WARSAW)


def is_open(rules, moment):
    if rules.always_on:
        return True
    local = moment.astimezone(WARSAW)
    span = _day_span(rules, local.date())
    return span is not None and span[0] <= local < span[1]


def next_opening(rules, moment, horizon_days=60):
    """The first opening at or after `moment` (aware), or None within the horizon."""
    day = moment.astimezone(WARSAW).date()
    for offset in range(horizon_days + 1):
        span = _day_span(rules, day + timedelta(days=offset))
        if span is not None and span[0] >= moment:
            return span[0]
    return None


def invitation(opening, moment):
    """'Zapraszamy jutro od 7:30' for an opening seen at `moment`."""
    if opening is None:
        return _("Zapraszamy w godzinach pracy centrum")
    local = opening.astimezone(WARSAW)
    days = (local.date() - moment.astimezone(WARSAW).date()).days
    at = short_time(local.time())
    if days == 0:
        return _("Zapraszamy dziś od %(time)s", time=at)
    if days == 1:
        return _("Zapraszamy jutro od %(time)s", time=at)
    if days < 7:
        return _ON_WEEKDAY[local.weekday()](at)
    return _("Zapraszamy %(date)s od %(time)s",
             date=format_date(local.date(), "d MMMM", locale=str(get_locale() or "pl")), time=at)


@dataclass(frozen=True)
class Night:
    start: datetime  # aware; the screen sleeps from here...
    end: datetime    # ...to here (exclusive)
    text: str


def nights(rules, moment, days=8):
    """The sleeping stretches from the start of `moment`'s local day for `days`
    days, each within one local day, with the invitation shown during it."""
    if rules.always_on:
        return []
    first = moment.astimezone(WARSAW).date()
    stretches = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        start, end = _midnight(day), _midnight(day + timedelta(days=1))
        span = _day_span(rules, day)
        parts = [(start, end)] if span is None else [(start, span[0]), (span[1], end)]
        for part_start, part_end in parts:
            if part_end <= part_start:
                continue
            text = invitation(next_opening(rules, part_start), part_start)
            stretches.append(Night(part_start.astimezone(timezone.utc), part_end.astimezone(timezone.utc), text))
    return stretches


def night_at(rules, moment):
    """The sleeping stretch covering `moment`, or None when the screen is on."""
    if is_open(rules, moment):
        return None
    return Night(moment, moment, invitation(next_opening(rules, moment), moment))


def describe(rules):
    """Human-readable weekly hours for staff and the fallback slide: [(weekday index, 'HH:MM–HH:MM')]."""
    return [(i, f"{short_time(s[0])}–{short_time(s[1])}") for i, s in enumerate(rules.hours) if s]


def local_day(moment) -> date:
    return moment.astimezone(WARSAW).date()


_SHORT_DAYS = ("pn", "wt", "śr", "czw", "pt", "sob", "nd")


def summary(rules):
    """'pn–pt 7:30–15:30; sob 9:00–13:00', 'całą dobę' or 'zawsze śpi'."""
    if rules.always_on:
        return _("całą dobę")
    groups = []  # [first day, last day, span]
    for i, span in enumerate(rules.hours):
        if span is None:
            continue
        if groups and groups[-1][1] == i - 1 and groups[-1][2] == span:
            groups[-1][1] = i
        else:
            groups.append([i, i, span])
    if not groups:
        return _("zawsze śpi")
    parts = []
    for first, last, span in groups:
        days = _SHORT_DAYS[first] if first == last else f"{_SHORT_DAYS[first]}–{_SHORT_DAYS[last]}"
        parts.append(f"{days} {short_time(span[0])}–{short_time(span[1])}")
    return "; ".join(parts)
