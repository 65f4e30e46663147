"""Waiting lists: people waiting for a place in a service that is full.

An entry waits until it is resolved (placed or withdrawn); the queue of a
service is oldest first. Plain functions with an explicit session and actor
that never commit (see services.py); who sees names is access.sees_waiting_names.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..auth.models import Role
from ..catalogue.models import Service
from ..core.errors import DataError, NotAllowed, TransitionError
from ..desk.models import Request
from ..residents.models import Resident
from ..text import polish_sort_key
from ..timeutil import now
from . import access
from .cleaning import catalogue_service, check_period, quantity_of, text_of
from .models import Plan, WaitingListEntry


def add_to_waiting_list(session, data, *, actor):
    """Put a person on a full service's waiting list (once per service)."""
    if getattr(actor, "role", None) not in (Role.COORDINATOR, Role.DIRECTOR):
        raise NotAllowed()
    service = catalogue_service(session, data.get("service_id"), "service_id")
    if service.status != "active":  # the page offers active services only
        raise DataError("service_id", _l("Wybierz usługę, która jest teraz prowadzona."))
    resident_id = data.get("resident_id")
    resident = session.get(Resident, resident_id) if isinstance(resident_id, int) else None
    if (resident is None or resident.merged_into_id is not None
            or (actor.role == Role.COORDINATOR and not access.is_assigned(actor, resident))):
        raise DataError("resident_id", _l("Wybierz osobę z listy swoich spraw."))
    quantity = quantity_of(data.get("quantity") or 1, "quantity")
    start, end = data.get("period_from"), data.get("period_to")
    if start is not None or end is not None:
        check_period(start, end)
    waiting = session.scalar(select(WaitingListEntry).where(
        WaitingListEntry.service_id == service.id, WaitingListEntry.resident_id == resident.id,
        WaitingListEntry.status == "waiting"))
    if waiting is not None:
        raise DataError("service_id", _l("Ta osoba już czeka na tę usługę."))
    plan_id = _own(session, Plan, data.get("plan_id"), resident, "plan_id")
    request_id = _own(session, Request, data.get("request_id"), resident, "request_id")
    entry = WaitingListEntry(service_id=service.id, resident_id=resident.id, plan_id=plan_id, request_id=request_id,
                             quantity=quantity, period_from=start, period_to=end,
                             note=text_of(data.get("note"), "note"), status="waiting", added_by_id=actor.id,
                             added_at=now())
    session.add(entry)
    session.flush()
    record("create", entry, actor=actor, summary=f"waiting list of service {service.id}: entry added",
           changes={"service_id": [None, service.id], "quantity": [None, quantity]})
    return entry


def _own(session, model, record_id, resident, field):
    """The id of the person's own plan or request the entry links to; None
    when none is given; refused when it is someone else's."""
    if not isinstance(record_id, int):
        return None
    record = session.get(model, record_id)
    if record is None or record.resident_id != resident.id:
        raise DataError(field, _l("Ta sprawa dotyczy innej osoby."))
    return record.id


def resolve_waiting(session, entry, status, *, actor):
    if getattr(actor, "role", None) == Role.COORDINATOR and not access.is_assigned(actor, entry.resident):
        raise NotAllowed()
    if getattr(actor, "role", None) not in (Role.COORDINATOR, Role.DIRECTOR):
        raise NotAllowed()
    if status not in ("placed", "withdrawn"):
        raise DataError("status", _l("Wybierz jedną z możliwości."))
    if entry.status != "waiting":
        raise TransitionError(_l("Ta osoba nie czeka już na liście."))
    entry.status = status
    entry.resolved_at = now()
    entry.resolved_by_id = actor.id
    session.flush()
    record("update", entry, actor=actor, summary=f"waiting list entry {entry.id}: {status}",
           changes={"status": ["waiting", status]})
    return entry


def waiting_lists(session, *, service_id=None):
    """Waiting entries in queue order (oldest first), per service."""
    query = (select(WaitingListEntry).where(WaitingListEntry.status == "waiting")
             .options(selectinload(WaitingListEntry.service), selectinload(WaitingListEntry.resident),
                      selectinload(WaitingListEntry.added_by))
             .order_by(WaitingListEntry.service_id, WaitingListEntry.added_at, WaitingListEntry.id))
    if service_id is not None:
        query = query.where(WaitingListEntry.service_id == service_id)
    return session.scalars(query).all()


def waiting_counts(session):
    """[(service, number waiting)] for services with anyone waiting."""
    rows = session.execute(
        select(WaitingListEntry.service_id, func.count()).where(WaitingListEntry.status == "waiting")
        .group_by(WaitingListEntry.service_id)).all()
    services = {s.id: s for s in session.scalars(select(Service).where(Service.id.in_([r[0] for r in rows] or [0])))}
    return sorted(((services[sid], count) for sid, count in rows if sid in services),
                  key=lambda r: polish_sort_key(r[0].name))
