"""The coordinator's desk: "my cases" and the director's view over everyone.

A case is an application from the moment a coordinator has it until its plan
closes: the request while it is assigned or in assessment (with the plan
being drafted, if any), then the plan while it is approved or active. A case
is on the desk of its request's current coordinator (a reassignment moves
the whole case, desk.services.assign); only a plan without a request goes
by its own coordinator_id — the rule of plans/access.py, in SQL. Each case
has deadlines, and the desk shows the next one:

- plan_due: 30 days from the request (Warsaw calendar days), until the plan
  is first submitted (portal/core/deadlines.py);
- signature: an approved version still without both signatures is due
  SIGNATURE_DAYS after its approval day;
- contact: three calendar months after the last monitoring contact (one
  month when the plan checks monthly), counted from the plan's start before
  the first contact, clamped to the month's end (deadlines.contact_due);
- expiry: the last valid day of the version in force.

State: overdue once the day has passed, due_soon within DUE_SOON_DAYS (7),
else on_track (deadlines.state_of).

The whole desk is one statement: every case's next deadline is computed
in SQL, once (materialised CTEs), window functions count the cases per
coordinator and state and number the ones the filters match in the order
asked for, and only the page's rows and one row per coordinator come back —
no row is loaded to be judged in Python. The rules are written once in
Python (deadlines.py, and deadlines_of below, used by the plan's page); the
SQL mirrors them (PostgreSQL with its time zone data and month arithmetic,
SQLite with the EU summer-time rule and a clamp to the month's end), and the
tests compare the two on month ends, leap days and summer-time changes.
"""
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, Integer, String, and_, bindparam, case, func, literal, or_, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import FunctionElement

from ..assessment.models import Assessment
from ..auth.models import Role, User
from ..core import deadlines as clock
from ..core import versions
from ..core.deadlines import DUE_SOON_DAYS, PLAN_DEADLINE_DAYS, contact_due, state_of
from ..core.pagination import page_count
from ..desk.models import Request
from ..plans.models import IN_FORCE_VERSION_STATUSES, PLAN_STATUSES, Plan, PlanVersion, Signature
from ..residents.models import Resident
from ..text import polish_order, polish_sort_key
from ..timeutil import to_local
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

STATES = clock.STATE_LABELS

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
WORKING_PLAN_STATUSES = ("draft", "submitted", "returned")
PRE_PLAN_REQUEST_STATUSES = ("assigned", "in_assessment")


# --- the date arithmetic in SQL ------------------------------------------------------------------

class warsaw_day(FunctionElement):
    """The Warsaw calendar day of a UTC instant (core.deadlines.warsaw_day)."""

    type = Date()
    inherit_cache = True
    name = "warsaw_day"


@compiles(warsaw_day)
def _warsaw_day_sqlite(element, compiler, **kw):
    # SQLite has no time zone data: Warsaw's offset by the EU rule it has
    # followed since 1996 — summer time from 01:00 UTC on the last Sunday of
    # March (the first Sunday from the 25th) to 01:00 UTC on the last Sunday
    # of October. Instants are stored as "YYYY-MM-DD HH:MM:SS.ffffff" UTC, so
    # comparing the text compares the instants. Checked against Python's
    # zoneinfo, every change from 2000 to 2040 (tests/casework).
    ts = compiler.process(element.clauses, **kw)
    year = f"substr({ts}, 1, 4)"
    return (f"date({ts}, CASE WHEN {ts} >= date({year} || '-03-25', 'weekday 0') || ' 01:00:00' "
            f"AND {ts} < date({year} || '-10-25', 'weekday 0') || ' 01:00:00' "
            f"THEN '+2 hours' ELSE '+1 hours' END)")


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
    # date() rolls 30 November + 3 months over to 2 March: when the day of
    # the month comes out smaller, step back to the end of the month before.
    day, months = (compiler.process(c, **kw) for c in element.clauses)
    moved = f"date({day}, '+' || {months} || ' months')"
    return (f"CASE WHEN CAST(strftime('%d', {moved}) AS INTEGER) < CAST(strftime('%d', {day}) AS INTEGER) "
            f"THEN date({moved}, 'start of month', '-1 day') ELSE {moved} END")


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


def deadlines_of(today, *, received_at=None, plan_status=None, first_submitted_on=None, in_force=None,
                 last_contact=None):
    """Every deadline of a case, in KIND_ORDER: the rule the SQL below
    computes, in Python (the plan's page, the monitoring page, the tests).
    `in_force`: the version in force (status, approved_at, valid_from,
    valid_until, check_frequency), or None."""
    found = {}
    if plan_status in (None, "draft", "submitted", "returned"):
        if received_at is not None and first_submitted_on is None:
            found["plan_due"] = clock.warsaw_day(received_at) + timedelta(days=PLAN_DEADLINE_DAYS)
    if plan_status in OPEN_CASE_PLAN_STATUSES and in_force is not None:
        if in_force.status == "approved" and in_force.approved_at is not None:
            found["signature"] = to_local(in_force.approved_at).date() + timedelta(days=SIGNATURE_DAYS)
        if plan_status == "active":
            found["contact"] = contact_due(last_contact, in_force.valid_from, in_force.check_frequency)
        found["expiry"] = in_force.valid_until
    return [CaseDeadline(kind, due, (due - today).days, state_of(due, today))
            for kind, due in ((k, found[k]) for k in KIND_ORDER if k in found)]


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


NULL_DATE = literal(None, Date)
NULL_INT = literal(None, Integer)


def _inputs(own=False):
    """What each open case's deadlines are computed from, one row per case:
    a UNION ALL of three indexed reads — requests before a plan is in force
    (with the plan in the works, if any), plans in force that have a request,
    open plans without one (started from the person's page)."""
    working = (select(func.max(Plan.id)).where(Plan.request_id == Request.id, Plan.status.in_(WORKING_PLAN_STATUSES))
               .correlate(Request).scalar_subquery())
    assessed = (select(func.max(case((Assessment.status == "completed", 2), else_=1)))
                .where(Assessment.request_id == Request.id).correlate(Request).scalar_subquery())
    before = (
        select(
            Request.id.label("request_id"), Request.received_at.label("received_at"),
            Request.resident_id.label("resident_id"), Request.coordinator_id.label("coordinator_id"),
            Plan.id.label("plan_id"), Plan.status.label("plan_status"), Plan.number_seq.label("number_seq"),
            Plan.number_year.label("number_year"), assessed.label("assessed"),
            Request.contact_name.label("contact_name"),
            case((Plan.first_submitted_on.is_(None), Request.received_at)).label("due_from"),
            literal(None, Request.received_at.type).label("approved_at"), NULL_DATE.label("contact_base"),
            NULL_INT.label("months"), NULL_DATE.label("expiry_due"),
        )
        .select_from(Request)
        .outerjoin(Plan, Plan.id == working)
        .where(Request.kind == "application", Request.status.in_(PRE_PLAN_REQUEST_STATUSES))
    )

    def in_force_columns(version):
        running = Plan.status.in_(OPEN_CASE_PLAN_STATUSES)
        return (
            case((and_(running, version.status == "approved"), version.approved_at)),
            case((Plan.status == "active", latest(_last_contact(Plan.id), version.valid_from))),
            case((version.check_frequency == "monthly", 1), else_=3),
            case((running, version.valid_until)),
        )

    version = aliased(PlanVersion, name="in_force")
    with_request = (
        select(Request.id, Request.received_at, Plan.resident_id, Request.coordinator_id, Plan.id, Plan.status,
               Plan.number_seq, Plan.number_year, NULL_INT, Request.contact_name,
               literal(None, Request.received_at.type), *in_force_columns(version))
        .select_from(Request)
        .join(Plan, Plan.request_id == Request.id)
        # `|| ''` keeps the planners off the versions' status index: the way
        # in is the coordinator's requests, or the plans by status.
        .join(version, and_(version.plan_id == Plan.id,
                            version.status.concat("").in_(IN_FORCE_VERSION_STATUSES)))
        .where(Plan.status.in_(OPEN_CASE_PLAN_STATUSES))
    )
    version2 = aliased(PlanVersion, name="in_force2")
    without_request = (
        select(NULL_INT, Plan.created_at, Plan.resident_id, Plan.coordinator_id, Plan.id, Plan.status,
               Plan.number_seq, Plan.number_year, NULL_INT, literal(None, Request.contact_name.type),
               literal(None, Request.received_at.type), *in_force_columns(version2))
        .select_from(Plan)
        .outerjoin(version2, and_(version2.plan_id == Plan.id, version2.status.in_(IN_FORCE_VERSION_STATUSES)))
        .where(Plan.request_id.is_(None), Plan.status.in_(WORKING_PLAN_STATUSES + OPEN_CASE_PLAN_STATUSES))
    )
    if own:
        me = bindparam("coordinator_id", type_=Integer)
        before = before.where(Request.coordinator_id == me)
        with_request = with_request.where(Request.coordinator_id == me)
        without_request = without_request.where(Plan.coordinator_id == me)
    return union_all(before, with_request, without_request).cte("case_inputs").prefix_with("MATERIALIZED")


def cases_query(own=False):
    """Every open case (own: of the coordinator given as the parameter
    "coordinator_id") with its four deadlines and the next one, as a
    materialised CTE: computed once per case (the date arithmetic is the
    costly part) however often the statement reads it."""
    inputs = _inputs(own)
    deadlines = select(
        *(c for c in inputs.c if c.key not in ("due_from", "approved_at", "contact_base", "months", "expiry_due")),
        plus_days(warsaw_day(inputs.c.due_from), literal(PLAN_DEADLINE_DAYS)).label("plan_due"),
        plus_days(warsaw_day(inputs.c.approved_at), literal(SIGNATURE_DAYS)).label("signature_due"),
        plus_months(inputs.c.contact_base, inputs.c.months).label("contact_due"),
        inputs.c.expiry_due,
    ).cte("case_deadlines").prefix_with("MATERIALIZED")
    return select(
        deadlines, earliest(deadlines.c.plan_due, deadlines.c.signature_due, deadlines.c.contact_due,
                            deadlines.c.expiry_due).label("next_due"),
    ).cte("open_cases").prefix_with("MATERIALIZED")


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
    resident_id: int | None  # None: a web-form request whose person the desk has not identified yet
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
    counts: Counts  # of every case in scope (a coordinator's own, or everyone's), the filters aside
    by_coordinator: list = field(default_factory=list)  # [(User, Counts)] for the director
    today: date | None = None
    page: int = 1
    pages: int = 1
    total: int = 0  # cases matching every filter


def _state_condition(column, state, today, soon):
    if state == "overdue":
        return column < today
    if state == "due_soon":
        return and_(column >= today, column <= soon)
    if state == "on_track":
        return or_(column > soon, column.is_(None))
    return None


def _order(cases, sort, descending):
    if sort == "name":
        # Web-form requests not yet tied to a person sort by the name they gave.
        # Polish alphabetical order (portal/text.py), computed in SQL: the page is cut by LIMIT there.
        keys = (polish_order(func.coalesce(Resident.last_name, cases.c.contact_name)),
                polish_order(Resident.first_name), cases.c.resident_id)
    elif sort == "received":
        keys = (cases.c.received_at, cases.c.plan_id)
    else:
        keys = (cases.c.next_due, cases.c.received_at)
    keys = [k.desc() if descending else k.asc() for k in keys]
    if sort == "deadline":
        keys[0] = keys[0].nulls_last()  # cases with nothing due (waiting for approval) last
    return keys + [cases.c.request_id, cases.c.plan_id]


def desk(session, *, filters, today, with_coordinators=False):
    """One page of open cases and the counts per coordinator, in one
    statement: the cases with their next deadline are computed once, then
    read twice — counted per coordinator and state (GROUP BY), and the page
    the filters ask for (ORDER BY ... LIMIT) — and the two come back as one
    UNION ALL. A coordinator's own desk reads only their cases; the
    director's reads everyone's, so the counts cover every coordinator
    whatever the filters."""
    page = max(1, filters.page)
    statement = desk_statement(filters.own, not filters.own and filters.coordinator_id is not None, filters.state,
                               filters.sort, filters.descending)
    rows = session.execute(statement, {
        "coordinator_id": filters.coordinator_id, "today": today, "soon": today + timedelta(days=DUE_SOON_DAYS),
        "page_size": PAGE_SIZE, "skip": (page - 1) * PAGE_SIZE}).all()

    per_coordinator = {r.coordinator_id: Counts(r[2], int(r[3] or 0), int(r[4] or 0)) for r in rows if r.part == 0}
    counts = Counts(sum(c.total for c in per_coordinator.values()), sum(c.overdue for c in per_coordinator.values()),
                    sum(c.due_soon for c in per_coordinator.values()))
    total = sum(int(r[5] or 0) for r in rows if r.part == 0)
    pages = page_count(total, PAGE_SIZE)
    if page > pages and total:
        # Past the last page (a stale link): show the last one.
        return desk(session, filters=replace(filters, page=pages), today=today, with_coordinators=with_coordinators)
    # The union does not keep the page's order: put it back, by the same keys, in Python.
    shown = _in_order([r for r in rows if r.part == 1], filters.sort, filters.descending)
    shown = [_row(r, today) for r in shown]

    coordinators = []
    if with_coordinators:
        users = session.scalars(select(User).where(or_(User.id.in_(list(per_coordinator) or [0]), and_(
            User.role == Role.COORDINATOR, User.active.is_(True))))
            .order_by(polish_order(User.full_name), User.id)).all()
        coordinators = [(u, per_coordinator.get(u.id, Counts())) for u in users]
    return Desk(rows=shown, counts=counts, by_coordinator=coordinators, today=today, page=page, pages=pages,
                total=total)


@lru_cache(maxsize=1)
def _version_statement():
    def latest_id(model):
        return select(func.max(model.id)).scalar_subquery()

    def locks(model):
        return select(func.coalesce(func.sum(model.version), 0)).scalar_subquery()

    return select(versions.counter_of(versions.DESK), versions.counter_of(versions.DELIVERY), latest_id(Request),
                  locks(Plan), latest_id(PlanVersion), latest_id(Signature), latest_id(MonitoringEntry),
                  locks(Assessment))


def data_version(session):
    """What the desks show moves with, in one small read: the desk's version
    (every request registered, assigned or moved on; the closure moves it
    too), the delivery register's version (the warnings of services with no
    delivery or over the plan), the newest request, the plans' optimistic locks (each change to a
    plan moves its lock, so their sum only grows), the newest version,
    signature and monitoring entry, and the assessments' locks (a completed
    assessment changes the stage shown). Rendered desks are kept until it
    moves (and for a minute at most: names and the clock)."""
    return tuple(session.execute(_version_statement()).one())


@lru_cache(maxsize=64)
def desk_statement(own, by_coordinator, state, sort, descending):
    """The desk's statement for one shape of filters, built once per process
    (building it costs more than running it for one coordinator); the values
    are parameters: coordinator_id, today, soon, page_size, skip."""
    cases = cases_query(own)
    today, soon = bindparam("today", type_=Date), bindparam("soon", type_=Date)
    conditions = []
    if by_coordinator:
        conditions.append(cases.c.coordinator_id == bindparam("coordinator_id", type_=Integer))
    condition = _state_condition(cases.c.next_due, state, today, soon)
    if condition is not None:
        conditions.append(condition)
    match = case((and_(*conditions), 1), else_=0) if conditions else literal(1)

    def nulls(*types):
        return [literal(None, t) for t in types]

    # The page first (its columns' types read the union's rows): the page's
    # cases, then their names — the person's is needed before the LIMIT only
    # to sort by it.
    chosen = select(cases).where(*conditions)
    if sort == "name":
        chosen = chosen.outerjoin(Resident, Resident.id == cases.c.resident_id)
    chosen = (chosen.order_by(*_order(cases, sort, descending))
              .limit(bindparam("page_size", type_=Integer)).offset(bindparam("skip", type_=Integer))
              .subquery("chosen"))
    page_rows = (
        select(literal(1).label("part"), chosen.c.coordinator_id, *nulls(Integer, Integer, Integer, Integer),
               chosen.c.request_id, chosen.c.received_at, chosen.c.resident_id, chosen.c.plan_id, chosen.c.plan_status,
               chosen.c.number_seq, chosen.c.number_year, chosen.c.assessed, chosen.c.contact_name, chosen.c.plan_due,
               chosen.c.signature_due, chosen.c.contact_due, chosen.c.expiry_due, chosen.c.next_due,
               Resident.first_name, Resident.last_name, Resident.search_last, Resident.search_first,
               User.full_name)
        .select_from(chosen)
        .outerjoin(Resident, Resident.id == chosen.c.resident_id)
        .outerjoin(User, User.id == chosen.c.coordinator_id)
        .subquery("page_rows")
    )
    counted = select(
        literal(0), cases.c.coordinator_id, func.count(),
        func.sum(case((cases.c.next_due < today, 1), else_=0)),
        func.sum(case((and_(cases.c.next_due >= today, cases.c.next_due <= soon), 1), else_=0)),
        func.sum(match),
        *nulls(Integer, Request.received_at.type, Integer, Integer, String, Integer, Integer, Integer, String, Date,
               Date, Date, Date, Date, String, String, String, String, String),
    ).group_by(cases.c.coordinator_id)
    both = union_all(select(page_rows), counted).subquery("desk")
    return select(both).order_by(both.c.part)


def _in_order(rows, sort, descending):
    """The page's rows in the order _order gives in SQL (NULLs last for the
    deadline; a name given on a web form for a person not yet identified)."""
    def key(r):
        if sort == "name":
            main = (polish_sort_key(r.last_name if r.resident_id else r.contact_name),
                    polish_sort_key(r.first_name), r.resident_id or 0)
        elif sort == "received":
            main = (r.received_at, r.plan_id or 0)
        else:
            main = (r.next_due or date.max, r.received_at)
        return main
    ties = sorted(rows, key=lambda r: (r.request_id or 0, r.plan_id or 0))
    ordered = sorted(ties, key=key, reverse=descending)
    if sort == "deadline" and descending:
        # NULLS LAST in both directions.
        ordered = [r for r in ordered if r.next_due is not None] + [r for r in ordered if r.next_due is None]
    return ordered


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
        name=f"{row.first_name} {row.last_name}" if row.resident_id else (row.contact_name or "—"),
        coordinator_id=row.coordinator_id, coordinator_name=row.full_name,
        plan_id=row.plan_id, plan_status=row.plan_status,
        plan_number=f"IPUS/{row.number_seq}/{row.number_year}" if row.number_seq else None,
        stage=_stage(row), next=next_of(deadlines), deadlines=deadlines,
    )
