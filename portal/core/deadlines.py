"""The legal clock: every deadline of a request and its plan, in one module.

Pure functions on dates: every one takes `today` (or the day in question)
explicitly, so tests freeze time by passing a date, and views pass
`local_now().date()` (Europe/Warsaw). No function here reads the clock.

- 30 days to draw up the plan, counted in Warsaw calendar days from the day
  the request came in. The request's `received_at` is an aware UTC instant;
  it is turned into the Warsaw calendar day first (a call at 00:30 on the 1st
  is the 1st, also on the nights the clocks change), then 30 days are added
  to the date, so month ends and summer time cannot shift it. The desk, the
  plans and the coordinator's desk all count it here. The plan counts as
  drawn up on the Warsaw day the coordinator FIRST submits version 0 for
  approval; a first submission after the due day needs a recorded reason.
- States: overdue once the day has passed, due_soon within DUE_SOON_DAYS (7),
  else on_track (`countdown`).
- Validity: a plan is valid for at most one year from its date. The period
  is inclusive at both ends, so the last allowed day is the day before the
  same date next year: 2026-02-28 -> 2027-02-27, 2026-03-01 -> 2027-02-28,
  2027-03-01 -> 2028-02-29. A plan starting on 29 February has no same date
  next year; its anniversary is 1 March, so the last day is 28 February
  (2028-02-29 -> 2029-02-28): never more than one year, never a day lost.
- Quarterly contact: three calendar months after the last contact, clamped
  to the month's end (30 November -> 28/29 February, 31 May -> 31 August);
  a plan that checks monthly: one month (`contact_due`, counted from the
  plan's start before the first contact).
- A complaint or a request (skarga, wniosek: KPA dział VIII) is answered
  within one month of its receipt (KPA art. 237 §1). A month is a calendar
  month: the same day of the next month, or that month's last day when it
  has no such day (art. 57 §3: 31 January -> 28/29 February); a term ending
  on a Saturday, a Sunday or a public holiday ends on the next working day
  (art. 57 §4: 28 February 2026, a Saturday -> Monday 2 March)
  (`complaint_due`, `complaint_deadline`).
- Calling back a web-form request: one working day (Monday to Friday but
  public holidays, core/holidays.py) after it came in, at the same Warsaw
  clock time (`callback_due`).
"""
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l

from ..timeutil import WARSAW, to_local
from .holidays import is_working_day, next_working_day

__all__ = [
    "PLAN_DEADLINE_DAYS", "DUE_SOON_DAYS", "CONTACT_DUE_SOON_DAYS", "EXPIRY_SOON_DAYS", "DEADLINE_LABELS",
    "STATE_LABELS",
    "Deadline", "PlanDeadline", "warsaw_day", "received_day", "countdown", "request_deadline", "plan_deadline",
    "submitted_late", "anniversary", "max_valid_until", "validity_problem", "add_months",
    "next_quarterly_contact", "contact_deadline", "expiry", "state_of", "contact_months", "contact_due",
    "callback_due", "COMPLAINT_MONTHS", "complaint_due", "complaint_deadline",
]

# An individual plan is due within 30 days of the request (the act).
PLAN_DEADLINE_DAYS = 30
DUE_SOON_DAYS = 7
# A quarterly contact is flagged two weeks ahead; an expiring plan a month ahead.
CONTACT_DUE_SOON_DAYS = 14
EXPIRY_SOON_DAYS = 30
# A complaint or a request is answered within a month (KPA art. 237 §1).
COMPLAINT_MONTHS = 1

DEADLINE_LABELS = {
    "on_track": _l("w terminie"),
    "due_soon": _l("termin w ciągu 7 dni"),
    "overdue": _l("po terminie"),
}

# The same states as a list's column and filter name them, most urgent first.
STATE_LABELS = {"overdue": DEADLINE_LABELS["overdue"], "due_soon": _l("w ciągu 7 dni"),
                "on_track": DEADLINE_LABELS["on_track"]}

PLAN_DEADLINE_LABELS = {
    **DEADLINE_LABELS,
    "met": _l("sporządzony w terminie"),
    "late": _l("sporządzony po terminie"),
}


@dataclass(frozen=True)
class Deadline:
    due: date
    days_left: int  # negative: days overdue
    state: str  # on_track / due_soon / overdue

    @property
    def label(self):
        return DEADLINE_LABELS[self.state]


def warsaw_day(moment):
    """The calendar day of an instant in Warsaw (a naive value is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WARSAW).date()


def state_of(due, today):
    """The state of a deadline on `today`: on_track / due_soon / overdue."""
    return countdown(due, today).state


def received_day(request):
    """The calendar day of the request in Warsaw (a call at 00:30 on the 1st is the 1st)."""
    return warsaw_day(request.received_at)


def countdown(due, today, soon_days=DUE_SOON_DAYS):
    """Days left to `due` as a Deadline: on_track / due_soon / overdue."""
    days_left = (due - today).days
    if days_left < 0:
        state = "overdue"
    elif days_left <= soon_days:
        state = "due_soon"
    else:
        state = "on_track"
    return Deadline(due, days_left, state)


def request_deadline(request, today):
    """Days left to draw up the individual plan: received day in Warsaw + 30
    days. None for information requests."""
    if request.kind != "application" or request.received_at is None:
        return None
    return countdown(received_day(request) + timedelta(days=PLAN_DEADLINE_DAYS), today)


@dataclass(frozen=True)
class PlanDeadline:
    """The 30-day deadline of a plan.

    Before the first submission: on_track / due_soon / overdue by `today`
    (days_left negative when overdue). After it: met / late, with
    days_left = due - submitted_on (negative: submitted that many days late).
    """

    due: date
    days_left: int
    state: str
    submitted_on: date | None = None

    @property
    def label(self):
        return PLAN_DEADLINE_LABELS[self.state]

    @property
    def open(self):
        return self.submitted_on is None


def plan_deadline(request, today, *, submitted_on=None):
    """The 30-day deadline for `request` (None when there is no application)."""
    if request is None:
        return None
    base = request_deadline(request, today)
    if base is None:
        return None
    if submitted_on is None:
        return PlanDeadline(base.due, base.days_left, base.state)
    days_left = (base.due - submitted_on).days
    return PlanDeadline(base.due, days_left, "met" if days_left >= 0 else "late", submitted_on)


def submitted_late(request, day):
    """Whether a first submission on `day` misses the 30-day deadline."""
    if request is None:
        return False
    base = request_deadline(request, day)
    return base is not None and day > base.due


# --- validity ----------------------------------------------------------------------

def anniversary(day, years=1):
    """The same date `years` later; 29 February becomes 1 March in a common year."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and monthrange(year, 2)[1] == 28:
        return date(year, 3, 1)
    return day.replace(year=year)


def max_valid_until(valid_from):
    """The last day a plan valid from `valid_from` may be valid (inclusive)."""
    return anniversary(valid_from) - timedelta(days=1)


def validity_problem(valid_from, valid_until):
    """None when the period is allowed, else "order" (ends before it starts)
    or "too_long" (more than one year)."""
    if valid_until < valid_from:
        return "order"
    if valid_until > max_valid_until(valid_from):
        return "too_long"
    return None


# --- contacts and expiry ---------------------------------------------------------------

def add_months(day, months):
    """`day` moved by whole calendar months, clamped to the end of the month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def next_quarterly_contact(last_contact):
    """When the next contact is due: three calendar months after the last one."""
    return add_months(last_contact, 3)


def contact_months(check_frequency):
    """Months between monitoring contacts: 1 for a plan checked monthly, else 3."""
    return 1 if check_frequency == "monthly" else 3


def contact_due(last_contact, valid_from, check_frequency):
    """When the next monitoring contact of a running plan is due: one or three
    calendar months (`contact_months`) after the later of the last contact
    and the plan's start."""
    base = max(d for d in (last_contact, valid_from) if d is not None)
    return add_months(base, contact_months(check_frequency))


def contact_deadline(last_contact, today):
    """The quarterly contact as a Deadline (flagged two weeks ahead). Pass the
    plan's start (valid_from) when there has been no contact yet."""
    return countdown(next_quarterly_contact(last_contact), today, CONTACT_DUE_SOON_DAYS)


def expiry(valid_until, today):
    """Days until the plan's last valid day, as a Deadline: due_soon within a
    month; overdue once the last day has passed."""
    return countdown(valid_until, today, EXPIRY_SOON_DAYS)


# --- calling back ------------------------------------------------------------------------

def callback_due(received_at):
    """When a web-form request has waited one working day: the same Warsaw
    clock time on the next working day. One that came in on a weekend or a
    holiday counts from the start of the next working day (Saturday's
    message is due at the end of Monday)."""
    local = to_local(received_at)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    if not is_working_day(day):
        day, clock = next_working_day(day), time(0)
    due_day = next_working_day(day)
    # fold=0 and zoneinfo: a clock time that does not exist on the day
    # (the spring change) reads one hour later, as Warsaw clocks do.
    return datetime.combine(due_day, clock, tzinfo=WARSAW).astimezone(timezone.utc)


# --- complaints and requests (KPA dział VIII) ----------------------------------------------

def complaint_due(received_on):
    """The last day to answer a complaint or a request received on
    `received_on`: one calendar month later (clamped to the month's end),
    moved to the next working day when that day is a Saturday, a Sunday or a
    public holiday (KPA art. 237 §1, art. 57 §3 and §4)."""
    due = add_months(received_on, COMPLAINT_MONTHS)
    return due if is_working_day(due) else next_working_day(due)


def complaint_deadline(due, today):
    """Days left to answer (the due day as extended, if it was), as a Deadline."""
    return countdown(due, today)
