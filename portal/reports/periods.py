"""The period a report covers: a year, a half-year, a quarter, a month, or
two dates (both inclusive).

Days are the centre's days, in Europe/Warsaw. Instants are stored in UTC
(portal/timeutil.py), so a report never converts rows: it converts the
period's bounds once (`Period.utc_bounds`, `utc_start`) and compares the
stored instants with them — a plan signed at 23:30 on 31 March (21:30 UTC)
counts in the first quarter, summer time or not — and groups rows into
quarters or months with `bucket` (a CASE over the buckets' bounds), which
runs the same on SQLite and on PostgreSQL and uses the columns' indexes.

    period = parse_period(request.args, default_year=local_now().year)
    period.label        # "III kw. 2026"
    period.start, period.end

The query arguments: `year` with one of `half` (1–2), `quarter` (1–4),
`month` (1–12), or the form's `part` ("h1", "q3", "m12"); or `from` and `to`
(DD.MM.YYYY or YYYY-MM-DD). Input a report cannot use raises `DataError` at
the field, with a Polish message: the page answers 422 and shows it there.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, literal

from ..core.errors import DataError
from ..i18n import format_month
from ..timeutil import WARSAW, month_bounds
from ..validation import parse_day, whole_number

YEAR = "year"
HALF = "half"
QUARTER = "quarter"
MONTH = "month"
RANGE = "range"
KINDS = (YEAR, HALF, QUARTER, MONTH, RANGE)

MIN_YEAR = 2000
MAX_YEAR = 2100
MAX_RANGE_DAYS = 5 * 366 + 1  # a range of dates: at most five years

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def utc_start(day):
    """The instant (UTC) the centre's day begins: local midnight in Warsaw."""
    return datetime.combine(day, time(0), tzinfo=WARSAW).astimezone(timezone.utc)


def day_label(day):
    """1.03.2026: the day without, the month with a leading zero."""
    return f"{day.day}.{day.month:02d}.{day.year}"


def quarter_label(number, year=None):
    """'III kw.' or 'III kw. 2026'."""
    text = _("%(roman)s kw.", roman=ROMAN[number])
    return f"{text} {year}" if year is not None else text


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str = RANGE
    number: int | None = None  # the half, quarter or month of `start.year`

    @property
    def year(self):
        return self.start.year

    @property
    def label(self):
        if self.kind == YEAR:
            return str(self.year)
        if self.kind == HALF:
            return _("%(roman)s półrocze %(year)s", roman=ROMAN[self.number], year=self.year)
        if self.kind == QUARTER:
            return quarter_label(self.number, self.year)
        if self.kind == MONTH:
            return format_month(self.start)
        return f"{day_label(self.start)}–{day_label(self.end)}"

    @property
    def slug(self):
        """For file names: 2026, 2026-h1, 2026-q3, 2026-03, 2026-03-01-2026-03-15."""
        if self.kind == YEAR:
            return str(self.year)
        if self.kind == HALF:
            return f"{self.year}-h{self.number}"
        if self.kind == QUARTER:
            return f"{self.year}-q{self.number}"
        if self.kind == MONTH:
            return f"{self.year}-{self.number:02d}"
        return f"{self.start.isoformat()}-{self.end.isoformat()}"

    def args(self):
        """The query arguments that give this period back (links, exports)."""
        if self.kind == RANGE:
            return {"from": self.start.isoformat(), "to": self.end.isoformat()}
        args = {"year": self.year}
        if self.kind in (HALF, QUARTER, MONTH):
            args[self.kind] = self.number
        return args

    def utc_bounds(self):
        """[start, end) in UTC instants: rows with start <= at < end fall in the period."""
        return utc_start(self.start), utc_start(self.end + timedelta(days=1))

    def contains(self, day):
        return self.start <= day <= self.end

    def months(self):
        """The calendar months the period touches, as Periods cut to the period."""
        result = []
        first = self.start.replace(day=1)
        while first <= self.end:
            _first, last = month_bounds(first.year, first.month)
            result.append(Period(max(first, self.start), min(last, self.end), MONTH, first.month)
                          if (first >= self.start and last <= self.end) else
                          Period(max(first, self.start), min(last, self.end)))
            first = last + timedelta(days=1)
        return result

    def quarters(self):
        """The four quarters of the period's year."""
        return [quarter(self.year, number) for number in range(1, 5)]


def year(value):
    return Period(date(value, 1, 1), date(value, 12, 31), YEAR)


def half(value, number):
    return Period(date(value, 1 + 6 * (number - 1), 1), month_bounds(value, 6 * number)[1], HALF, number)


def quarter(value, number):
    return Period(date(value, 3 * number - 2, 1), month_bounds(value, 3 * number)[1], QUARTER, number)


def month(value, number):
    first, last = month_bounds(value, number)
    return Period(first, last, MONTH, number)


def between(start, end):
    return Period(start, end, RANGE)


# --- the form's choices -----------------------------------------------------------------------

def part_choices():
    """The `part` select of the period form: the whole year, halves, quarters, months."""
    from ..i18n import month_names

    choices = [("", _("cały rok")), ("h1", _("I półrocze")), ("h2", _("II półrocze"))]
    choices += [(f"q{number}", quarter_label(number)) for number in range(1, 5)]
    choices += [(f"m{number}", name) for number, name in month_names().items()]
    return choices


_PARTS = {"h": HALF, "q": QUARTER, "m": MONTH}
_LIMITS = {HALF: 2, QUARTER: 4, MONTH: 12}
_BUILD = {HALF: half, QUARTER: quarter, MONTH: month}
_MESSAGES = {
    HALF: _l("Wybierz półrocze: 1 albo 2."),
    QUARTER: _l("Wybierz kwartał: od 1 do 4."),
    MONTH: _l("Wybierz miesiąc: od 1 do 12."),
}
DAY_MESSAGE = _l("Podaj datę w formacie DD.MM.RRRR.")


def _arg(args, name):
    value = args.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _year(args, default_year):
    raw = _arg(args, "year")
    if not raw:
        return default_year
    value = whole_number(raw, digits=4)
    if value is None or not MIN_YEAR <= value <= MAX_YEAR:
        raise DataError("year", _l("Podaj rok liczbą czterocyfrową, od %(low)s do %(high)s.",
                                   low=MIN_YEAR, high=MAX_YEAR))
    return value


def _range(args):
    raw_from, raw_to = _arg(args, "from"), _arg(args, "to")
    if not raw_from:
        raise DataError("from", _l("Podaj datę początkową okresu."))
    if not raw_to:
        raise DataError("to", _l("Podaj datę końcową okresu."))
    start, end = parse_day(raw_from), parse_day(raw_to)
    if start is None or not MIN_YEAR <= start.year <= MAX_YEAR:
        raise DataError("from", DAY_MESSAGE)
    if end is None or not MIN_YEAR <= end.year <= MAX_YEAR:
        raise DataError("to", DAY_MESSAGE)
    if end < start:
        raise DataError("to", _l("Data końcowa nie może być wcześniejsza niż początkowa."))
    if (end - start).days >= MAX_RANGE_DAYS:
        raise DataError("to", _l("Okres może obejmować najwyżej pięć lat."))
    return between(start, end)


def parse_period(args, *, default_year, kinds=KINDS):
    """The Period the query arguments ask for (the whole `default_year` when
    they name none); DataError at the field for input a report cannot use,
    or for a kind of period this report does not take (`kinds`)."""
    if RANGE in kinds and (_arg(args, "from") or _arg(args, "to")):
        return _range(args)
    value = _year(args, default_year)
    kind, number, field = YEAR, None, "part"
    part = _arg(args, "part")
    if part:
        kind = _PARTS.get(part[:1])
        number = whole_number(part[1:], digits=2) if kind else None
        if kind is None or number is None or not 1 <= number <= _LIMITS[kind]:
            raise DataError("part", _l("Wybierz okres z listy."))
    else:
        for name in (HALF, QUARTER, MONTH):
            raw = _arg(args, name)
            if raw:
                kind, field = name, name
                number = whole_number(raw, digits=2)
                if number is None or not 1 <= number <= _LIMITS[name]:
                    raise DataError(name, _MESSAGES[name])
                break
    if kind not in kinds:
        raise DataError(field, _l("Ten raport obejmuje cały rok: wybierz „cały rok”."))
    return year(value) if kind == YEAR else _BUILD[kind](value, number)


def form_values(args, period=None):
    """What the period form shows: the arguments as typed (kept on an error),
    or the period's own values."""
    if period is not None and not any(_arg(args, name) for name in ("year", "part", "from", "to", *_LIMITS)):
        args = period.args()
    part = _arg(args, "part")
    if not part:
        for name, prefix in ((HALF, "h"), (QUARTER, "q"), (MONTH, "m")):
            if _arg(args, name):
                part = prefix + _arg(args, name)
                break
    return {"year": str(args.get("year", "") or ""), "part": part,
            "from": _arg(args, "from"), "to": _arg(args, "to")}


# --- grouping in SQL ------------------------------------------------------------------------

def bucket(column, periods, *, instants=True):
    """A SQL CASE that gives the index (0, 1, ...) of the period a row's
    `column` falls in, NULL outside them all. `periods` are consecutive;
    `instants`: the column holds UTC instants (compared with each period's
    local-midnight bounds), otherwise dates."""
    if not periods:
        return literal(None)
    lows = [utc_start(p.start) if instants else p.start for p in periods]
    high = utc_start(periods[-1].end + timedelta(days=1)) if instants else periods[-1].end + timedelta(days=1)
    whens = [(column < lows[index + 1], index) for index in range(len(periods) - 1)]
    whens.append((column < high, len(periods) - 1))
    return case((column < lows[0], None), *whens, else_=None)
