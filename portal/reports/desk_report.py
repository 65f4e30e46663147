"""Front desk and deadlines (issue 14 §1): requests per channel, kind and
month; days from request to plan and the share made within 30 days;
overdue plans and missed monitoring contacts. Counts only.

Counting rules (tests/reports/test_desk_report.py holds each):

- A request counts in the Warsaw month of the day it came in (a call at
  00:30 on the 1st is the 1st, as core/deadlines.py `warsaw_day` says; the
  months' bounds are Warsaw midnights, periods.bucket), by its channel and
  its kind (information, application).
- A plan is made on the Warsaw day its coordinator first submitted version
  0 for approval (`Plan.first_submitted_on`, the legal clock's rule); the
  plans of the period are those made in it, from an application, not
  cancelled. Days from request to plan: that day minus the request's
  Warsaw day. Within 30 days: the legal clock's `plan_deadline` says "met"
  (core/deadlines.py; no day is counted here).
- Plans made late: those of the period whose deadline says "late".
- Missed contacts in the period: for each signed plan, each day a
  monitoring contact was due (`contact_due`) in the period, up to today and
  until the plan closed, that passed without a contact (`missed_contacts`).
- Overdue now (as of today, whatever the period): open cases whose plan is
  not yet submitted and whose 30-day deadline has passed, and running plans
  whose monitoring contact (three months after the last one, or one for a
  plan checked monthly) has passed — the coordinators' desk's own
  computation (casework/desk.py `cases_query`, which mirrors the clock).
"""
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import case, func, or_, select

from ..casework.desk import cases_query, data_version
from ..casework.models import MonitoringEntry
from ..core import deadlines as clock
from ..desk.models import CHANNELS, KINDS, Request
from ..plans.models import Plan, PlanVersion
from .indicators import instants
from .periods import between, bucket
from .services_report import kept
from .tables import average, rounded, share


@dataclass
class PlanTiming:
    plans: int = 0
    within: int = 0  # made within 30 days
    late: int = 0
    median_days: Decimal | None = None
    mean_days: Decimal | None = None

    @property
    def within_percent(self):
        return share(self.within, self.plans, 1)


@dataclass
class DeskReport:
    start: object
    end: object
    today: object
    months: list = field(default_factory=list)  # [(year, month)] of the period
    # {(channel, kind): {(year, month): count}}
    requests: dict = field(default_factory=dict)
    timing: PlanTiming = field(default_factory=PlanTiming)
    overdue_plans: int = 0  # open cases past the 30 days, today
    missed_contacts: int = 0  # running plans past their monitoring contact, today
    missed_in_period: int = 0  # contacts due in the period that passed without one

    def count(self, channel=None, kind=None, month=None):
        """Requests of a channel and/or kind and/or month (None: all)."""
        return sum(n for (c, k), by_month in self.requests.items() if channel in (None, c) and kind in (None, k)
                   for m, n in by_month.items() if month in (None, m))

    @property
    def channels(self):
        return [(code, label) for code, label in CHANNELS.items()]

    @property
    def kinds(self):
        return [(code, label) for code, label in KINDS.items()]


def _months(start, end):
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def requests_by_month(session, start, end):
    """{(channel, kind): {(year, month): count}} of requests received in [start, end]:
    grouped in SQL by the month's Warsaw bounds (periods.bucket), not by a day
    computed for each row."""
    months = between(start, end).months()
    month = bucket(Request.received_at, months)
    begin, finish = instants(start, end)
    found = defaultdict(dict)
    for channel, kind, index, count in session.execute(
            select(Request.channel, Request.kind, month, func.count())
            .where(Request.received_at >= begin, Request.received_at < finish)
            .group_by(Request.channel, Request.kind, month)):
        if index is None:
            continue
        first = months[index].start
        found[(channel, kind)][(first.year, first.month)] = count
    return dict(found)


def plan_timing(session, start, end):
    """PlanTiming of the plans made in [start, end]."""
    # The period's plans first (a few thousand), then their requests by id: joined
    # in one statement, the planner reads every request of every year.
    plans = session.execute(
        select(Plan.request_id, Plan.first_submitted_on)
        .where(Plan.first_submitted_on.between(start, end), Plan.status != "cancelled",
               Plan.request_id.is_not(None))).all()
    ids = sorted({request_id for request_id, _day in plans})
    received = {}
    for first in range(0, len(ids), 1000):
        received.update(session.execute(
            select(Request.id, Request.received_at)
            .where(Request.id.in_(ids[first:first + 1000]), Request.kind == "application")).all())
    rows = [(received[request_id], day) for request_id, day in plans if request_id in received]
    timing = PlanTiming()
    days = []
    for received_at, submitted_on in rows:
        request = SimpleNamespace(kind="application", received_at=received_at)
        deadline = clock.plan_deadline(request, submitted_on, submitted_on=submitted_on)
        days.append((submitted_on - clock.received_day(request)).days)
        timing.plans += 1
        if deadline.state == "met":
            timing.within += 1
        else:
            timing.late += 1
    if days:
        timing.median_days = rounded(Decimal(str(statistics.median(days))), 1)
        timing.mean_days = average(sum(days), len(days), 1)
    return timing


def missed_contacts(session, start, end, today):
    """Monitoring contacts missed in [start, end] (up to today): for each signed
    plan, the days a contact was due (core/deadlines.py `contact_due`: one or
    three calendar months after the last contact, from the plan's start before
    the first) that fell in the period and passed with no contact by then —
    each counts once, and the next contact, however late, starts the count
    again. A plan counts until it closed."""
    limit = min(end, today)
    if limit < start:
        return 0
    plans = session.execute(
        select(Plan.id, PlanVersion.valid_from, PlanVersion.check_frequency, Plan.closed_on)
        .join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .where(PlanVersion.number == 0, PlanVersion.signed_at.is_not(None), Plan.status.in_(("active", "closed")),
               PlanVersion.valid_from <= limit, or_(Plan.closed_on.is_(None), Plan.closed_on >= start))).all()
    if not plans:
        return 0
    contacts = defaultdict(list)
    for plan_id, day in session.execute(
            select(MonitoringEntry.plan_id, MonitoringEntry.contact_on).distinct()
            .join(Plan, Plan.id == MonitoringEntry.plan_id)
            .where(Plan.status.in_(("active", "closed")), MonitoringEntry.contact_on <= limit)
            .order_by(MonitoringEntry.plan_id, MonitoringEntry.contact_on)):
        contacts[plan_id].append(day)
    missed = 0
    for plan_id, valid_from, frequency, closed_on in plans:
        # The closing conversation is the last contact: a plan owes none on the day it closes.
        until = min(limit, closed_on - timedelta(days=1)) if closed_on else limit
        days, last, following = contacts.get(plan_id, []), None, 0  # days[following]: the first after `last`
        while following < len(days) and days[following] < valid_from:
            following += 1
        while True:
            due = clock.contact_due(last, valid_from, frequency)
            if due > until:
                break
            if following == len(days):
                missed += due >= start
                break
            if days[following] > due:
                missed += due >= start
            last = days[following]
            following += 1
    return missed


def overdue_now(session, today):
    """(open cases past the 30-day plan deadline, running plans past their monitoring contact) today."""
    cases = cases_query()
    overdue, missed = session.execute(
        select(func.coalesce(func.sum(case((cases.c.plan_due < today, 1), else_=0)), 0),
               func.coalesce(func.sum(case((cases.c.contact_due < today, 1), else_=0)), 0))).one()
    return int(overdue), int(missed)


def desk_report(session, start, end, today):
    """The DeskReport of [start, end] as of `today`, kept per process while
    what the coordinators' desk shows has not changed (casework.desk.data_version:
    requests, plans and their versions, signatures, monitoring contacts, the
    assessments) nor the delivery register (the reports' cache, services_report.kept)."""
    key = (start, end, today, data_version(session))
    return kept("desk_report", session, key, lambda: _desk_report(session, start, end, today))


def _desk_report(session, start, end, today):
    report = DeskReport(start, end, today, months=_months(start, end),
                        requests=requests_by_month(session, start, end), timing=plan_timing(session, start, end))
    report.overdue_plans, report.missed_contacts = overdue_now(session, today)
    report.missed_in_period = missed_contacts(session, start, end, today)
    return report
