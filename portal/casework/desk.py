"""The coordinator's desk: "my cases" and the director's view over everyone.

A case is an application from the moment a coordinator has it until its plan
closes: the request while it is assigned or in assessment (with the plan
being drafted, if any), then the plan while it is approved or active. Each
case has deadlines, and the desk shows the next one:

- plan_due: 30 days from the request (Warsaw calendar days), until the plan
  is first submitted (portal/plans/deadlines.py);
- signature: an approved version still without both signatures is due
  SIGNATURE_DAYS after its approval day;
- contact: three calendar months after the last monitoring contact (one
  month when the plan checks monthly), counted from the plan's start before
  the first contact, clamped to the month's end (deadlines.add_months);
- expiry: the last valid day of the version in force.

State: overdue once the day has passed, due_soon within DUE_SOON_DAYS (7),
else on_track (deadlines.countdown).

The whole desk is two queries: one counts the cases per coordinator and
state, one reads a page of them, sorted; both compute every case's next
deadline in SQL (no row is loaded to be judged in Python). The date
arithmetic is one implementation, in Python (deadlines.py), which PostgreSQL
mirrors with its own time zone data and interval arithmetic and which SQLite
calls as registered functions; tests compare the SQL with the Python on
month ends, leap days and both summer-time changes.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, Integer, and_, case, event, func, literal, or_, select, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from ..assessment.models import Assessment
from ..auth.models import Role, User
from ..desk.models import Request
from ..plans.deadlines import DUE_SOON_DAYS, PLAN_DEADLINE_DAYS, add_months, countdown, received_day
from ..plans.models import IN_FORCE_VERSION_STATUSES, PLAN_STATUSES, WORKING_VERSION_STATUSES, Plan, PlanVersion
from ..residents.models import Resident
from ..timeutil import WARSAW, to_local
from .models import MonitoringEntry

# Signatures are collected within two weeks of approval (the centre's rule,
# not the act's): the plan is an agreement only once both sides sign.
SIGNATURE_DAYS = 14
PAGE_SIZE = 50

KINDS = {
    "plan_due": _l("sporządzenie planu"),
    "signature": _l("brak podpisów pod planem"),
    "contact": _l("kontakt monitorujący"),
    "expiry": _l("koniec ważności planu"),
}
KIND_ORDER = tuple(KINDS)  # on the same day, the first of these is shown

STATES = {
    "overdue": _l("po terminie"),
    "due_soon": _l("w ciągu 7 dni"),
    "on_track": _l("w terminie"),
}

SORTS = {
    "deadline": _l("najbliższy termin"),
    "name": _l("nazwisko"),
    "received": _l("data zgłoszenia"),
}

STAGES = {
    "assigned": _l("przydzielone — przed diagnozą"),
    "assessment": _l("diagnoza w toku"),
    "assessed": _l("diagnoza zakończona — do sporządzenia planu"),
    **{f"plan_{status}": _l("plan: %(status)s", status=label) for status, label in PLAN_STATUSES.items()},
}

OPEN_CASE_PLAN_STATUSES = ("approved", "active")
PRE_PLAN_REQUEST_STATUSES = ("assigned", "in_assessment")


# --- the date arithmetic in SQL ------------------------------------------------------------------

class warsaw_day(FunctionElement):
    """The Warsaw calendar day of a UTC instant (desk.received_day)."""

    type = Date()
    inherit_cache = True
    name = "warsaw_day"


@compiles(warsaw_day)
def _warsaw_day_sqlite(element, compiler, **kw):
    return f"cus_warsaw_day({compiler.process(element.clauses, **kw)})"


@compiles(warsaw_day, "postgresql")
def _warsaw_day_pg(element, compiler, **kw):
    return f"CAST(timezone('Europe/Warsaw', {compiler.process(element.clauses, **kw)}) AS DATE)"


class plus_days(FunctionElement):
    """A day plus a whole number of days."""

    type = Date()
    inherit_cache = True
    name = "plus_days"


@compiles(plus_days)
def _plus_days_sqlite(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, '+' || {compiler.process(days, **kw)} || ' days')"


@compiles(plus_days, "postgresql")
def _plus_days_pg(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"(CAST({compiler.process(day, **kw)} AS DATE) + CAST({compiler.process(days, **kw)} AS INTEGER))"


class plus_months(FunctionElement):
    """deadlines.add_months in SQL: calendar months, clamped to the month's end."""

    type = Date()
    inherit_cache = True
    name = "plus_months"


@compiles(plus_months)
def _plus_months_sqlite(element, compiler, **kw):
    day, months = list(element.clauses)
    return f"cus_add_months({compiler.process(day, **kw)}, {compiler.process(months, **kw)})"


@compiles(plus_months, "postgresql")
def _plus_months_pg(element, compiler, **kw):
    # PostgreSQL's month arithmetic clamps the same way (30 Nov + 3 months = 28/29 Feb).
    day, months = list(element.clauses)
    return (f"CAST(CAST({compiler.process(day, **kw)} AS DATE) "
            f"+ make_interval(months => CAST({compiler.process(months, **kw)} AS INTEGER)) AS DATE)")


FAR = date(9999, 12, 31)


class earliest(FunctionElement):
    """The earliest of some days, ignoring empty ones (NULL when all are)."""

    type = Date()
    inherit_cache = True
    name = "earliest"


@compiles(earliest)
def _earliest_sqlite(element, compiler, **kw):
    # SQLite's min() of several values is NULL when any is.
    parts = ", ".join(f"COALESCE({compiler.process(c, **kw)}, '{FAR.isoformat()}')" for c in element.clauses)
    return f"NULLIF(min({parts}), '{FAR.isoformat()}')"


@compiles(earliest, "postgresql")
def _earliest_pg(element, compiler, **kw):
    return f"LEAST({', '.join(compiler.process(c, **kw) for c in element.clauses)})"


class latest(FunctionElement):
    """The later of some days, ignoring empty ones."""

    type = Date()
    inherit_cache = True
    name = "latest"


@compiles(latest)
def _latest_sqlite(element, compiler, **kw):
    parts = ", ".join(f"COALESCE({compiler.process(c, **kw)}, '0001-01-01')" for c in element.clauses)
    return f"NULLIF(max({parts}), '0001-01-01')"


@compiles(latest, "postgresql")
def _latest_pg(element, compiler, **kw):
    return f"GREATEST({', '.join(compiler.process(c, **kw) for c in element.clauses)})"


def _sqlite_warsaw_day(value):
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:  # SQLite keeps UTC instants without their zone
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WARSAW).date().isoformat()


def _sqlite_add_months(value, months):
    if value is None or months is None:
        return None
    return add_months(date.fromisoformat(value[:10]), int(months)).isoformat()


def _sqlite_functions(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_function("cus_warsaw_day", 1, _sqlite_warsaw_day, deterministic=True)
        dbapi_connection.create_function("cus_add_months", 2, _sqlite_add_months, deterministic=True)


def install_sql_functions():
    """Register the date functions on every SQLite connection (called once
    when the blueprint is registered; PostgreSQL needs none)."""
    if not event.contains(Engine, "connect", _sqlite_functions):
        event.listen(Engine, "connect", _sqlite_functions)


# --- the reference in Python ------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseDeadline:
    kind: str  # KINDS
    due: date
    days_left: int
    state: str  # STATES

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def state_label(self):
        return STATES[self.state]


def state_of(due, today):
    return countdown(due, today, DUE_SOON_DAYS).state


def contact_months(check_frequency):
    return 1 if check_frequency == "monthly" else 3


def contact_due(last_contact, valid_from, check_frequency):
    """When the next monitoring contact is due (see the module docstring)."""
    base = max(d for d in (last_contact, valid_from) if d is not None)
    return add_months(base, contact_months(check_frequency))


def deadlines_of(today, *, received_at=None, plan_status=None, first_submitted_on=None, in_force=None,
                 last_contact=None):
    """Every deadline of a case, in KIND_ORDER: the rule the SQL below
    computes, in Python (the plan's page, the monitoring page, the tests).
    `in_force`: the version in force (status, approved_at, valid_from,
    valid_until, check_frequency), or None."""
    found = {}
    if plan_status in (None, "draft", "submitted", "returned"):
        if received_at is not None and first_submitted_on is None:
            found["plan_due"] = received_day_of(received_at) + timedelta(days=PLAN_DEADLINE_DAYS)
    if plan_status in OPEN_CASE_PLAN_STATUSES and in_force is not None:
        if in_force.status == "approved" and in_force.approved_at is not None:
            found["signature"] = to_local(in_force.approved_at).date() + timedelta(days=SIGNATURE_DAYS)
        if plan_status == "active":
            found["contact"] = contact_due(last_contact, in_force.valid_from, in_force.check_frequency)
        found["expiry"] = in_force.valid_until
    return [CaseDeadline(kind, due, (due - today).days, state_of(due, today))
            for kind, due in ((k, found[k]) for k in KIND_ORDER if k in found)]


def received_day_of(received_at):
    return received_day(SimpleNamespace(received_at=received_at))


def next_of(deadlines):
    """The earliest deadline (the first kind on a tie), or None."""
    return min(deadlines, key=lambda d: (d.due, KIND_ORDER.index(d.kind)), default=None)


def plan_deadlines(session, plan, today):
    """The deadlines of one plan's case, read with one small query for the
    last contact."""
    last = session.scalar(select(func.max(MonitoringEntry.contact_on)).where(MonitoringEntry.plan_id == plan.id))
    return deadlines_of(today, received_at=plan.request.received_at if plan.request else None,
                        plan_status=plan.status, first_submitted_on=plan.first_submitted_on,
                        in_force=plan.version_in_force, last_contact=last)


# --- the cases in SQL -----------------------------------------------------------------------------------

def _last_contact(plan_id):
    return (select(func.max(MonitoringEntry.contact_on)).where(MonitoringEntry.plan_id == plan_id)
            .correlate_except(MonitoringEntry).scalar_subquery())


def _in_force_deadlines(plan, version):
    """(signature, contact, expiry) columns for a plan with its version in force."""
    signature = case((version.c.status == "approved",
                      plus_days(warsaw_day(version.c.approved_at), literal(SIGNATURE_DAYS))))
    months = case((version.c.check_frequency == "monthly", 1), else_=3)
    contact = case((plan.status == "active",
                    plus_months(latest(_last_contact(plan.id), version.c.valid_from), months)))
    return signature, contact, version.c.valid_until


def _in_force():
    """The version in force of each plan (at most one is approved or signed)."""
    return (select(PlanVersion.plan_id, PlanVersion.status, PlanVersion.approved_at, PlanVersion.valid_from,
                   PlanVersion.valid_until, PlanVersion.check_frequency)
            .where(PlanVersion.status.in_(IN_FORCE_VERSION_STATUSES)).subquery("in_force"))


def cases_query(coordinator_id=None):
    """Every open case (of one coordinator, or everyone's) with its four
    deadline columns and the next deadline: a UNION ALL of three indexed
    reads — requests before a plan is in force, plans in force that have a
    request, open plans without one (started from the person's page)."""
    # Before a plan is in force: the request, with the plan in the works (the
    # latest one, if the assessment was redone) and whether it was assessed.
    working = (select(func.max(Plan.id)).where(Plan.request_id == Request.id,
                                               Plan.status.in_(WORKING_VERSION_STATUSES))
               .correlate(Request).scalar_subquery())
    assessed = (select(func.max(case((Assessment.status == "completed", 2), else_=1)))
                .where(Assessment.request_id == Request.id).correlate(Request).scalar_subquery())
    before = (
        select(
            Request.id.label("request_id"), Request.received_at.label("received_at"),
            Request.resident_id.label("resident_id"), Request.coordinator_id.label("coordinator_id"),
            Plan.id.label("plan_id"), Plan.status.label("plan_status"), Plan.number_seq.label("number_seq"),
            Plan.number_year.label("number_year"), assessed.label("assessed"),
            case((Plan.first_submitted_on.is_(None),
                  plus_days(warsaw_day(Request.received_at), literal(PLAN_DEADLINE_DAYS)))).label("plan_due"),
            literal(None, Date).label("signature_due"), literal(None, Date).label("contact_due"),
            literal(None, Date).label("expiry_due"),
        )
        .select_from(Request)
        .outerjoin(Plan, Plan.id == working)
        .where(Request.kind == "application", Request.status.in_(PRE_PLAN_REQUEST_STATUSES),
               Request.coordinator_id.is_not(None))
    )
    version = _in_force()
    signature, contact, expiry = _in_force_deadlines(Plan, version)
    in_force = (
        select(
            Request.id, Request.received_at, Plan.resident_id, Request.coordinator_id,
            Plan.id, Plan.status, Plan.number_seq, Plan.number_year, literal(None, Integer),
            literal(None, Date), signature, contact, expiry,
        )
        .select_from(Plan)
        .join(Request, Request.id == Plan.request_id)
        .join(version, version.c.plan_id == Plan.id)
        .where(Plan.status.in_(OPEN_CASE_PLAN_STATUSES))
    )
    version2 = _in_force()
    signature2, contact2, expiry2 = _in_force_deadlines(Plan, version2)
    no_request = (
        select(
            literal(None, Integer), Plan.created_at, Plan.resident_id, Plan.coordinator_id,
            Plan.id, Plan.status, Plan.number_seq, Plan.number_year, literal(None, Integer),
            literal(None, Date),
            case((Plan.status.in_(OPEN_CASE_PLAN_STATUSES), signature2)),
            case((Plan.status.in_(OPEN_CASE_PLAN_STATUSES), contact2)),
            case((Plan.status.in_(OPEN_CASE_PLAN_STATUSES), expiry2)),
        )
        .select_from(Plan)
        .outerjoin(version2, version2.c.plan_id == Plan.id)
        .where(Plan.request_id.is_(None), Plan.status.in_(("draft", "submitted", "returned", "approved", "active")))
    )
    if coordinator_id is not None:
        before = before.where(Request.coordinator_id == coordinator_id)
        in_force = in_force.where(Request.coordinator_id == coordinator_id)
        no_request = no_request.where(Plan.coordinator_id == coordinator_id)
    cases = union_all(before, in_force, no_request).subquery("cases")
    return select(
        cases, earliest(cases.c.plan_due, cases.c.signature_due, cases.c.contact_due,
                        cases.c.expiry_due).label("next_due"),
    ).subquery("open_cases")


# --- the desk ------------------------------------------------------------------------------------------------

@dataclass
class DeskFilters:
    coordinator_id: int | None = None  # a coordinator's own cases, or the director's choice
    own: bool = False  # the coordinator's own desk: the coordinator is not a filter in the URL
    state: str | None = None  # STATES key: only cases whose next deadline is in that state
    sort: str = "deadline"
    descending: bool = False
    page: int = 1

    def args(self, **changes):
        """The query string of these filters, defaults left out, with `changes`."""
        values = {"coordinator": None if self.own else self.coordinator_id, "state": self.state,
                  "sort": self.sort, "dir": "desc" if self.descending else None, "page": self.page}
        values.update(changes)
        defaults = {"sort": "deadline", "page": 1}
        return {k: v for k, v in values.items() if v not in (None, "") and defaults.get(k) != v}


@dataclass
class CaseRow:
    request_id: int | None
    received_at: datetime | None
    resident_id: int
    name: str
    coordinator_id: int | None
    coordinator_name: str | None
    plan_id: int | None
    plan_status: str | None
    plan_number: str | None
    stage: str
    next: CaseDeadline | None
    deadlines: list

    @property
    def request_number(self):
        # As Request.number: the id and the year of the instant received.
        if self.request_id is None:
            return None
        return f"Z/{self.request_id}/{self.received_at.year}"

    @property
    def stage_label(self):
        return STAGES.get(self.stage, self.stage)


@dataclass
class Counts:
    total: int = 0
    overdue: int = 0
    due_soon: int = 0

    @property
    def on_track(self):
        return self.total - self.overdue - self.due_soon


@dataclass
class Desk:
    rows: list
    counts: Counts  # of the cases the filters select (the state filter aside)
    by_coordinator: list = field(default_factory=list)  # [(User, Counts)] for the director
    today: date | None = None
    page: int = 1
    pages: int = 1
    total: int = 0  # rows matching every filter, the state included


def _state_condition(column, state, today):
    soon = today + timedelta(days=DUE_SOON_DAYS)
    if state == "overdue":
        return column < today
    if state == "due_soon":
        return and_(column >= today, column <= soon)
    if state == "on_track":
        return or_(column > soon, column.is_(None))
    return None


def _order(cases, sort, descending):
    name = (Resident.search_last, Resident.search_first, cases.c.resident_id)
    if sort == "name":
        keys = name
    elif sort == "received":
        keys = (cases.c.received_at, cases.c.plan_id)
    else:
        keys = (cases.c.next_due, cases.c.received_at)
    keys = [k.desc() if descending else k.asc() for k in keys]
    if sort == "deadline":
        keys[0] = keys[0].nulls_last()  # cases with nothing due (waiting for approval) last
    return keys + [cases.c.request_id, cases.c.plan_id]


def desk(session, *, filters, today, with_coordinators=False):
    """One page of open cases and their counts: two queries (three for the
    director's list of coordinators)."""
    cases = cases_query(filters.coordinator_id)
    soon = today + timedelta(days=DUE_SOON_DAYS)
    overdue = func.sum(case((cases.c.next_due < today, 1), else_=0))
    due_soon = func.sum(case((and_(cases.c.next_due >= today, cases.c.next_due <= soon), 1), else_=0))
    per_coordinator = {
        cid: Counts(int(total or 0), int(late or 0), int(near or 0))
        for cid, total, late, near in session.execute(
            select(cases.c.coordinator_id, func.count(), overdue, due_soon).group_by(cases.c.coordinator_id))
    }
    counts = Counts(sum(c.total for c in per_coordinator.values()), sum(c.overdue for c in per_coordinator.values()),
                    sum(c.due_soon for c in per_coordinator.values()))
    total = {"overdue": counts.overdue, "due_soon": counts.due_soon, "on_track": counts.on_track}.get(
        filters.state, counts.total)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)

    query = (
        select(cases, Resident.first_name, Resident.last_name, User.full_name)
        .join(Resident, Resident.id == cases.c.resident_id)
        .outerjoin(User, User.id == cases.c.coordinator_id)
        .order_by(*_order(cases, filters.sort, filters.descending))
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    )
    condition = _state_condition(cases.c.next_due, filters.state, today)
    if condition is not None:
        query = query.where(condition)
    rows = [_row(r, today) for r in session.execute(query)]

    by_coordinator = []
    if with_coordinators:
        users = session.scalars(select(User).where(or_(User.id.in_(list(per_coordinator) or [0]), and_(
            User.role == Role.COORDINATOR, User.active.is_(True)))).order_by(User.full_name, User.id)).all()
        by_coordinator = [(u, per_coordinator.get(u.id, Counts())) for u in users]
    return Desk(rows=rows, counts=counts, by_coordinator=by_coordinator, today=today, page=page, pages=pages,
                total=total)


def _stage(row):
    if row.plan_status:
        return f"plan_{row.plan_status}"
    if row.assessed == 2:
        return "assessed"
    if row.assessed == 1:
        return "assessment"
    return "assigned"


def _row(row, today):
    deadlines = [CaseDeadline(kind, due, (due - today).days, state_of(due, today))
                 for kind, due in (("plan_due", row.plan_due), ("signature", row.signature_due),
                                   ("contact", row.contact_due), ("expiry", row.expiry_due)) if due is not None]
    received = row.received_at
    if received is not None and received.tzinfo is None:
        received = received.replace(tzinfo=timezone.utc)
    return CaseRow(
        request_id=row.request_id, received_at=received, resident_id=row.resident_id,
        name=f"{row.first_name} {row.last_name}", coordinator_id=row.coordinator_id, coordinator_name=row.full_name,
        plan_id=row.plan_id, plan_status=row.plan_status,
        plan_number=f"IPUS/{row.number_seq}/{row.number_year}" if row.number_seq else None,
        stage=_stage(row), next=next_of(deadlines), deadlines=deadlines,
    )
