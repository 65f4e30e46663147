"""Operations of the one window: register requests, move them along the
status flow, assign coordinators, and the desk board.

Plain functions with an explicit session and actor: they never read the
request or current_user and never commit. The caller commits the whole unit
of work, so a request, its status history, its audit event and the desk
version bump land together or not at all.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, union
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..auth.models import Role, User
from ..catalogue.models import Service
from ..core import hooks, signals, versions
from ..core.deadlines import PLAN_DEADLINE_DAYS, callback_due, received_day  # noqa: F401 (the desk views read them here)
from ..core.deadlines import request_deadline as deadline
from ..core.errors import DataError, TransitionError, check_version
from ..core.pagination import Page
from ..i18n import from_age, up_to_age, years
from ..text import fold, polish_order
from ..timeutil import WARSAW, local_now, now
from .models import (
    APPLICANTS,
    CHANNELS,
    KINDS,
    OPEN_STATUSES,
    ROUTES,
    STATUSES,
    URGENCY,
    Request,
    RequestStatusChange,
    VillageCoordinator,
)

CLOSED_STATUSES = tuple(s for s in STATUSES if s not in OPEN_STATUSES)

# The status flow. Closing as information is for information requests from
# any open status, and for applications only once assessed (the assessment
# showed that information was all the person needed).
TRANSITIONS = {
    "new": ("assigned", "closed_information", "withdrawn"),
    "assigned": ("in_assessment", "closed_information", "withdrawn"),
    "in_assessment": ("closed_information", "withdrawn", "handed_to_plan", "service_granted"),
    "handed_to_plan": ("closed_plan",),
    "service_granted": ("in_assessment",),
}
# Moves only an operation makes, never offered at the desk: the plan's
# closure, a single service granted, and that grant cancelled.
AUTOMATIC_TRANSITIONS = {("handed_to_plan", "closed_plan"), ("in_assessment", "service_granted"),
                         ("service_granted", "in_assessment")}

TEXT_LIMITS = {
    "question": 5000,
    "answer": 5000,
    "needs_description": 10000,
    "message": 5000,
    "routed_note": 300,
    "contact_name": 200,
    "contact_email": 254,
    "contact_phone": 16,
}


# --- coordinators -----------------------------------------------------------------

def coordinators(session):
    return session.scalars(
        select(User).where(User.role == Role.COORDINATOR, User.active.is_(True)).order_by(polish_order(User.full_name))
    ).all()


def coordinator_for_village(session, village_id):
    """The coordinator the village rule names, or None (also for an inactive one)."""
    if not village_id:
        return None
    user = session.scalar(
        select(User).join(VillageCoordinator, VillageCoordinator.user_id == User.id)
        .where(VillageCoordinator.village_id == village_id)
    )
    if user is None or not user.active or user.role != Role.COORDINATOR:
        return None
    return user


def _coordinator(session, value):
    if value in (None, "", 0):
        return None
    user = value if isinstance(value, User) else session.get(User, int(value))
    if user is None or not user.active or user.role != Role.COORDINATOR:
        raise DataError("coordinator_id", _l("Wybierz koordynatora z listy."))
    return user


# --- registering --------------------------------------------------------------------

def _text(data, key):
    value = data.get(key)
    if value is None:
        return None
    value = str(value).replace("\x00", "").strip()
    if not value:
        return None
    return value[: TEXT_LIMITS.get(key, 5000)]


def _choice(data, key, allowed, default=None):
    value = data.get(key) or default
    if value not in allowed:
        raise DataError(key, _l("Wybierz jedną z możliwości."))
    return value


def _services(session, ids):
    ids = sorted({int(i) for i in ids or []})
    if not ids:
        return []
    found = session.scalars(select(Service).where(Service.id.in_(ids), Service.status != "archived")).all()
    if len(found) != len(ids):
        raise DataError("service_ids", _l("Jednej z wybranych usług nie ma już w katalogu."))
    return list(found)


def _change(session, request, from_status, to_status, *, actor, note=None, at=None):
    change = RequestStatusChange(
        from_status=from_status, to_status=to_status, actor_id=getattr(actor, "id", None),
        note=(note or None) and note[:500], at=at or now(),
    )
    request.history.append(change)
    return change


def register_request(session, data, *, actor):
    """A new request from a dict of plain values (see the keys below).

    Status: "new"; "assigned" when a coordinator is given; an information
    request that was answered or routed is closed at once.
    """
    kind = _choice(data, "kind", KINDS)
    channel = _choice(data, "channel", CHANNELS)
    applicant = _choice(data, "applicant", APPLICANTS, "self")
    urgency = _choice(data, "urgency", URGENCY, "normal")
    routed_to = data.get("routed_to") or None
    if routed_to is not None and routed_to not in ROUTES:
        raise DataError("routed_to", _l("Wybierz jedną z możliwości."))

    resident_id = data.get("resident_id")
    if hasattr(data.get("resident"), "id"):
        resident_id = data["resident"].id
    question, answer = _text(data, "question"), _text(data, "answer")
    needs = _text(data, "needs_description")
    message = _text(data, "message")
    contact = {k: _text(data, k) for k in ("contact_name", "contact_phone", "contact_email")}

    if kind == "information" and not (question or message):
        raise DataError("question", _l("Wpisz, o co pyta osoba."))
    if kind == "application":
        if not resident_id and not any(contact.values()):
            raise DataError("resident", _l("Wniosek musi mieć osobę: wyszukaj ją albo dodaj nową."))
        if not (needs or message):
            raise DataError("needs_description", _l("Opisz potrzeby słowami osoby."))

    coordinator = _coordinator(session, data.get("coordinator") or data.get("coordinator_id"))
    services = _services(session, data.get("service_ids"))
    moment = data.get("received_at") or now()

    request = Request(
        received_at=moment,
        channel=channel,
        applicant=applicant,
        kind=kind,
        urgency=urgency if kind == "application" else "normal",
        resident_id=int(resident_id) if resident_id else None,
        coordinator_id=coordinator.id if coordinator else None,
        question=question if kind == "information" else None,
        answer=answer if kind == "information" else None,
        routed_to=routed_to if kind == "information" else None,
        routed_note=_text(data, "routed_note") if kind == "information" and routed_to else None,
        needs_description=needs if kind == "application" else None,
        message=message,
        created_by_id=getattr(actor, "id", None),
        status="new",
        **contact,
    )
    request.services = services
    session.add(request)
    _change(session, request, None, "new", actor=actor, at=moment)
    if coordinator is not None:
        request.status = "assigned"
        _change(session, request, "new", "assigned", actor=actor, at=moment,
                note=f"{coordinator.full_name}")
    if kind == "information" and (answer or routed_to):
        request.status = "closed_information"
        request.closed_at = moment
        _change(session, request, "new", "closed_information", actor=actor, at=moment)
    session.flush()
    record("create", request, actor=actor,
           summary=f"request {request.number} registered: {kind}, {channel}, status {request.status}",
           changes={"status": [None, request.status], "services": [None, [s.id for s in services]]})
    versions.bump(session, versions.DESK)
    actor_id = getattr(actor, "id", None)
    signals.emit(session, signals.request_registered, request_id=request.id, number=request.number, kind=kind,
                 channel=channel, status=request.status, coordinator_id=request.coordinator_id, actor_id=actor_id)
    if coordinator is not None:
        signals.emit(session, signals.request_assigned, request_id=request.id, number=request.number,
                     coordinator_id=coordinator.id, previous_coordinator_id=None, actor_id=actor_id)
    if request.status in CLOSED_STATUSES:
        signals.emit(session, signals.request_closed, request_id=request.id, number=request.number,
                     status=request.status, actor_id=actor_id)
    return request


# --- the status flow ------------------------------------------------------------------

def allowed_transitions(request, *, automatic=False):
    """Statuses the request may move to now (in the order of the flow);
    `automatic` adds those only an operation makes (AUTOMATIC_TRANSITIONS)."""
    allowed = []
    for to_status in TRANSITIONS.get(request.status, ()):
        if (request.status, to_status) in AUTOMATIC_TRANSITIONS and not automatic:
            continue
        if to_status == "closed_information" and request.kind != "information" and request.status != "in_assessment":
            continue
        if to_status == "assigned" and not request.coordinator_id:
            continue
        allowed.append(to_status)
    return allowed


def _check_version(request, expected_version):
    check_version(request, expected_version)


def change_status(session, request, to_status, *, actor, note=None, expected_version=None, automatic=False):
    """Move the request along the flow; raises TransitionError or VersionConflict.
    `automatic`: called by an operation that may make AUTOMATIC_TRANSITIONS."""
    _check_version(request, expected_version)
    if to_status not in STATUSES:
        raise TransitionError(_l("Nieznany status."), from_status=request.status, to_status=to_status)
    if to_status not in allowed_transitions(request, automatic=automatic):
        if to_status == "assigned" and request.status == "new":
            raise TransitionError(_l("Najpierw przydziel koordynatora."), from_status=request.status,
                                  to_status=to_status)
        raise TransitionError(from_status=request.status, to_status=to_status)
    note = (note or "").replace("\x00", "").strip()[:500] or None
    from_status = request.status
    moment = now()
    request.status = to_status
    if to_status in CLOSED_STATUSES:
        request.closed_at = moment
    if to_status == "closed_information" and note and not request.answer:
        request.answer = note
    request.updated_at = moment
    _change(session, request, from_status, to_status, actor=actor, note=note, at=moment)
    session.flush()
    record("update", request, actor=actor, summary=f"request {request.number}: {from_status} -> {to_status}",
           changes={"status": [from_status, to_status]})
    versions.bump(session, versions.DESK)
    if from_status in OPEN_STATUSES and to_status in CLOSED_STATUSES:
        signals.emit(session, signals.request_closed, request_id=request.id, number=request.number, status=to_status,
                     actor_id=getattr(actor, "id", None))
    return request


def assign(session, request, coordinator, *, actor, expected_version=None):
    """Give the request to a coordinator; a new request becomes "assigned".

    A reassignment hands over the whole case: access to every case document
    follows the request's coordinator (assessment/access.py,
    plans/access.py), and the copies of the coordinator kept on the
    request's assessments and plans move with it here, in the same
    transaction, each in the audit log. The history row of a reassignment
    keeps the status and names both coordinators (RequestStatusChange.is_handover)."""
    _check_version(request, expected_version)
    if not request.is_open and not (getattr(actor, "role", None) == Role.DIRECTOR and case_running(session, request)):
        raise TransitionError(_l("Zamkniętego zgłoszenia nie można przydzielić."), from_status=request.status,
                              to_status="assigned")
    coordinator = _coordinator(session, coordinator)
    if coordinator is None:
        raise DataError("coordinator_id", _l("Wybierz koordynatora z listy."))
    before = session.get(User, request.coordinator_id) if request.coordinator_id else None
    if before is not None and before.id == coordinator.id:
        return request
    moment = now()
    request.coordinator = coordinator
    request.updated_at = moment
    from_status = request.status
    if request.status == "new":
        request.status = "assigned"
    note = (f"{before.full_name} → {coordinator.full_name}" if before else coordinator.full_name)
    # A reassignment keeps the status but is a change the desk wants to see.
    _change(session, request, from_status, request.status, actor=actor, note=note, at=moment)
    session.flush()
    handed = _hand_over_documents(session, request, coordinator, actor=actor)
    changes = {"coordinator_id": [before.id if before else None, coordinator.id],
               "status": [from_status, request.status]}
    if any(handed.values()):
        changes["handed_over"] = handed
    record("update", request, actor=actor,
           summary=f"request {request.number} assigned" + (" (case handed over)" if before else ""),
           changes=changes)
    versions.bump(session, versions.DESK)
    signals.emit(session, signals.request_assigned, request_id=request.id, number=request.number,
                 coordinator_id=coordinator.id, previous_coordinator_id=before.id if before else None,
                 actor_id=getattr(actor, "id", None))
    return request


def case_running(session, request):
    """The request is closed at the desk but its case goes on: a plan not
    yet closed or cancelled, or a single service still granted (plans
    answer hooks.case_running). The director may then hand the case to
    another coordinator (one who leaves or falls ill does not take fifty
    running plans with them)."""
    if request.id is None or request.status not in ("handed_to_plan", "service_granted"):
        return False
    return any(hooks.case_running.call(session, request))


def _hand_over_documents(session, request, coordinator, *, actor):
    """Point the request's assessments and plans (any status) at the new
    coordinator, each move in the audit log: the features that hold them
    answer hooks.case_handed_over. Returns the ids moved, by kind."""
    handed = {}
    for moved in hooks.case_handed_over.call(session, request, coordinator, actor):
        handed.update(moved)
    session.flush()
    return handed


def hand_over(session, model, request, coordinator, *, actor):
    """Point the rows of `model` (a case document with request_id and
    coordinator_id) that belong to `request` at `coordinator`, each move in
    the audit log; the ids moved. For the receivers of hooks.case_handed_over."""
    rows = session.scalars(select(model).where(
        model.request_id == request.id, model.coordinator_id != coordinator.id).order_by(model.id)).all()
    for row in rows:
        previous = row.coordinator_id
        row.coordinator_id = coordinator.id
        record("update", row, actor=actor,
               summary=f"{model.__tablename__} {row.id} handed over with request {request.number}",
               changes={"coordinator_id": [previous, coordinator.id]})
    return [row.id for row in rows]


# --- eligibility hints -------------------------------------------------------------------

def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def eligibility_hints(service, resident, municipality_villages, *, today=None):
    """Polish hints where the person may not meet the service's conditions.

    Hints, not refusals: qualification rests on the person's declarations."""
    hints = []
    if resident is None:
        return hints
    today = today or local_now().date()
    low, high = service.minimum_age, service.maximum_age
    if low is not None or high is not None:
        if resident.birth_date is None:
            hints.append(_l("Usługa ma warunek wieku, a nie znamy daty urodzenia osoby — zapytaj o nią."))
        else:
            age = age_on(resident.birth_date, today)
            if low is not None and age < low:
                hints.append(_l("Osoba ma %(age)s, a usługa jest %(limit)s.", age=years(age), limit=from_age(low)))
            if high is not None and age > high:
                hints.append(_l("Osoba ma %(age)s, a usługa jest %(limit)s.", age=years(age), limit=up_to_age(high)))
    if service.residents_only:
        village_ids = {getattr(v, "id", v) for v in municipality_villages or ()}
        if resident.village_id is None or resident.village_id not in village_ids:
            hints.append(_l("Usługa tylko dla mieszkańców gminy, a osoba nie ma adresu w żadnej miejscowości gminy."))
    if service.target_groups_only and service.target_groups:
        groups = ", ".join(str(g.name) for g in service.target_groups)
        hints.append(_l("Usługa tylko dla grup: %(groups)s — sprawdź, czy osoba do nich należy.", groups=groups))
    if service.requires_disability_certificate:
        hints.append(_l("Wymagane orzeczenie o niepełnosprawności — zapytaj, czy osoba je ma."))
    return hints


# --- the board --------------------------------------------------------------------------------

@dataclass
class BoardFilters:
    """What the board shows.

    With no status and no dates: the desk's working view, open requests of
    any date plus those that came in or were closed today. A status or a date
    turns it into a search of the whole register, by the day a request came
    in (Warsaw), both days included; the board says which (`Board.working`).
    """
    status: str | None = None
    channel: str | None = None
    coordinator: str | None = None  # a user id as text, or "none" for unassigned
    date_from: date | None = None
    date_to: date | None = None
    only_coordinator_id: int | None = None  # forced for coordinators: their own requests

    def active(self):
        return any((self.status, self.channel, self.coordinator, self.date_from, self.date_to))

    @property
    def working(self):
        return not (self.status or self.date_from or self.date_to)


@dataclass
class Board:
    rows: list
    counts: dict  # status -> count over the register (within the dates), every status present
    total: int
    version: int
    today: date
    page: int = 1
    pages: int = 1
    deadlines: dict = field(default_factory=dict)  # request id -> Deadline
    working: bool = True  # the working view (open and today's) rather than the register
    date_from: date | None = None
    date_to: date | None = None
    callbacks: list = field(default_factory=list)  # [Callback], oldest first, at most CALLBACK_LIMIT
    callback_total: int = 0
    # When the region goes stale with no change at the desk (midnight, a
    # call-back passing its working day): the poll asks again then.
    expires: datetime | None = None
    moment: datetime | None = None  # the instant the board was read (call-backs overdue or not)

    @property
    def poll_until(self):
        """`expires` as a Unix time, rounded up to the minute: the region
        cache keeps a region for its minute, so the first poll after this
        renders anew."""
        if self.expires is None:
            return None
        return int(-(-self.expires.timestamp() // 60) * 60)

    @property
    def callbacks_overdue(self):
        return sum(1 for c in self.callbacks if c.overdue(self.moment))


# A screenful a receptionist can scan; the filters and pages reach the rest.
BOARD_PAGE_SIZE = 50


def local_day_bounds(day):
    """[start, end) of a Warsaw calendar day as UTC instants (23 or 25 hours
    on the days the clocks change)."""
    start = datetime.combine(day, time(0), tzinfo=WARSAW).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=WARSAW).astimezone(timezone.utc)
    return start, end


def _board_scope(today):
    """Open requests, and whatever came in or was closed today: a union of
    three indexed reads (an OR over them scans the whole table)."""
    start, _end = local_day_bounds(today)
    ids = union(
        select(Request.id).where(Request.status.in_(OPEN_STATUSES)),
        select(Request.id).where(Request.received_at >= start),
        select(Request.id).where(Request.closed_at >= start),
    ).subquery()
    return Request.id.in_(select(ids.c.id))


def _period_conditions(filters):
    """The register by the Warsaw day a request came in, both days included."""
    conditions = []
    if filters.date_from:
        conditions.append(Request.received_at >= local_day_bounds(filters.date_from)[0])
    if filters.date_to:
        conditions.append(Request.received_at < local_day_bounds(filters.date_to)[1])
    return conditions


def _board_conditions(filters, *, with_status):
    conditions = []
    if filters.only_coordinator_id is not None:
        conditions.append(Request.coordinator_id == filters.only_coordinator_id)
    if filters.channel:
        conditions.append(Request.channel == filters.channel)
    if filters.coordinator == "none":
        conditions.append(Request.coordinator_id.is_(None))
    elif filters.coordinator:
        conditions.append(Request.coordinator_id == int(filters.coordinator))
    if with_status and filters.status:
        conditions.append(Request.status == filters.status)
    return conditions


def board(session, *, filters, today, page=1, moment=None):
    """One page of the requests the filters select, newest first; the counts
    per status over the register (within the dates, with the other filters,
    never limited to today), so that each count is what its status link
    shows; and the web-form requests waiting for a call back."""
    version = versions.current(session, versions.DESK)
    period = _period_conditions(filters)
    counted = dict(session.execute(
        select(Request.status, func.count())
        .where(*period, *_board_conditions(filters, with_status=False))
        .group_by(Request.status)
    ).all())
    counts = {status: counted.get(status, 0) for status in STATUSES}
    if filters.working:
        scope = [_board_scope(today)]
        total = session.scalar(select(func.count()).select_from(Request).where(
            *scope, *_board_conditions(filters, with_status=False))) or 0
    else:
        scope = period
        total = counts[filters.status] if filters.status else sum(counts.values())
    query = (
        select(Request)
        .where(*scope, *_board_conditions(filters, with_status=True))
        .options(selectinload(Request.resident), selectinload(Request.coordinator))
        # Newest first: a colleague's new registration appears at the top.
        .order_by(Request.received_at.desc(), Request.id.desc())
    )
    shown = Page.from_select(session, query, page, BOARD_PAGE_SIZE, total=total)
    rows, page, pages = shown.items, shown.page, shown.pages
    deadlines = {r.id: deadline(r, today) for r in rows if r.is_open}
    moment = moment or now()
    # A coordinator's board holds their own requests; calling back is the desk's.
    waiting, waiting_total = ([], 0) if filters.only_coordinator_id is not None else callbacks(session)
    expires = min([local_day_bounds(today)[1]] + [c.due for c in waiting if c.due > moment])
    return Board(rows=rows, counts=counts, total=total, version=version, today=today, page=page, pages=pages,
                 deadlines={k: v for k, v in deadlines.items() if v}, working=filters.working,
                 date_from=filters.date_from, date_to=filters.date_to, callbacks=waiting,
                 callback_total=waiting_total, expires=expires, moment=moment)


# --- calling back web-form requests ----------------------------------------------------------
# When a call-back is due (one working day): core/deadlines.callback_due.

@dataclass(frozen=True)
class Callback:
    request: Request
    due: datetime  # aware UTC

    def overdue(self, moment):
        return moment >= self.due


CALLBACK_LIMIT = 50


def callbacks(session):
    """Web-form requests no one has taken up yet (still "new": not assigned,
    not closed), oldest first, each with the moment it has waited one working
    day, and how many there are in all. Calling back ends with closing the
    request, or assigning it to a coordinator."""
    waiting = (Request.channel == "web_form", Request.status == "new")
    total = session.scalar(select(func.count()).select_from(Request).where(*waiting)) or 0
    rows = session.scalars(
        select(Request).where(*waiting).options(selectinload(Request.resident))
        .order_by(Request.received_at, Request.id).limit(CALLBACK_LIMIT)
    ).all() if total else []
    return [Callback(row, callback_due(row.received_at)) for row in rows], total


# --- finding a request ---------------------------------------------------------------------------

# "Z/123/2026", "z 123", "123/2026", "123": the number as printed, or its parts.
_NUMBER = re.compile(r"(?:z\s*[/ ]?\s*)?([0-9]{1,9})(?:\s*/\s*([0-9]{4}))?", re.ASCII | re.IGNORECASE)
FIND_LIMIT = 50
# Web-form requests name a person the register may not hold yet; their names
# are matched here, over the newest rows only (a bounded read).
CONTACT_NAMES_SCANNED = 5000


def _prefixes_match(query_words, text):
    """Every query word starts some word of `text` (folded)."""
    words = fold(text).split()
    return all(any(w.startswith(q) for w in words) for q in query_words)


def find_requests(session, query, *, actor, limit=FIND_LIMIT):
    """Requests by their number, or by the name of their person (the
    register's search, among the people `actor` may see) or the name given
    on the web form, newest first; a coordinator finds only their own.

    Returns (requests, residents whose names the results show): the caller
    records those in each person's access trail."""
    text = " ".join((query or "").split())[:100]
    if not text or actor is None:
        return [], []
    own = [Request.coordinator_id == actor.id] if actor.role == Role.COORDINATOR else []
    load = (selectinload(Request.resident), selectinload(Request.coordinator))
    number = _NUMBER.fullmatch(text)
    if number:
        item = session.scalar(select(Request).where(Request.id == int(number[1]), *own).options(*load))
        if item is not None and not (number[2] and item.received_at.year != int(number[2])):
            return [item], [item.resident] if item.resident else []
        # Nine digits may be a phone number: the register's search reads those.

    from ..residents.services import search_residents

    people = search_residents(session, text, actor=actor, limit=20)
    ids = set()
    if people:
        ids.update(session.scalars(
            select(Request.id).where(Request.resident_id.in_([p.id for p in people]), *own)
            .order_by(Request.received_at.desc(), Request.id.desc()).limit(limit)))
    query_words = fold(text).split()
    if query_words and max(len(w) for w in query_words) >= 2:
        named = session.execute(
            select(Request.id, Request.contact_name)
            .where(Request.resident_id.is_(None), Request.contact_name.is_not(None), *own)
            .order_by(Request.received_at.desc(), Request.id.desc()).limit(CONTACT_NAMES_SCANNED)).all()
        ids.update(row.id for row in named if _prefixes_match(query_words, row.contact_name))
    if not ids:
        return [], []
    rows = session.scalars(
        select(Request).where(Request.id.in_(ids)).options(*load)
        .order_by(Request.received_at.desc(), Request.id.desc()).limit(limit)).all()
    shown = {r.resident.id: r.resident for r in rows if r.resident is not None}
    return list(rows), list(shown.values())


def may_see(user, request):
    """Front desk and director see every request; a coordinator only their own."""
    if user.role in (Role.FRONT_DESK, Role.DIRECTOR):
        return True
    if user.role == Role.COORDINATOR:
        return request.coordinator_id == user.id
    return False
