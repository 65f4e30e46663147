"""Single grants: one service granted on an application without a plan.

A grant holds capacity like an approved plan item and settles the
application (the request moves to "service_granted"); cancelling the last
grant gives the application back to its coordinator. Plain functions with
an explicit session, actor and day that never commit (see services.py).
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..auth.models import Role
from ..core import signals
from ..core.deadlines import validity_problem
from ..core.errors import DataError, NotAllowed, TransitionError
from ..desk import services as desk
from ..desk.models import Request
from ..timeutil import now
from . import access, capacity
from .cleaning import catalogue_service, check_period, last_valid_day, quantity_of, text_of
from .models import ServiceGrant


def grant_service(session, request, data, *, actor, today):
    """Grant one service without a plan; it holds capacity like a plan item."""
    if not access.can_work_on_request(actor, request):
        raise NotAllowed()
    if request.kind != "application" or request.resident_id is None:
        raise DataError("service_id", _l("Usługę przyznaje się na wniosek osoby z rejestru."))
    service = catalogue_service(session, data.get("service_id"), "service_id")
    quantity = quantity_of(data.get("quantity"), "quantity")
    start, end = data.get("period_from"), data.get("period_to")
    check_period(start, end)
    if validity_problem(start, end) == "too_long":
        raise DataError("period_to", _l("Usługę przyznaje się najwyżej na rok: ostatni możliwy dzień to %(day)s.",
                                        day=last_valid_day(start)))
    capacity.lock_services(session, [service.id])
    check = capacity.check_commitments(session, service, [capacity.Held(start, end, quantity)])
    if check is not None and check.full:
        raise capacity.CapacityFull([check])
    grant = ServiceGrant(resident_id=request.resident_id, request_id=request.id, service_id=service.id,
                         quantity=quantity, unit=service.unit, period_from=start, period_to=end,
                         note=text_of(data.get("note"), "note"), status="granted",
                         granted_by_id=getattr(actor, "id", None), granted_at=now())
    session.add(grant)
    session.flush()
    capacity.refresh_granted(session, [service.id], today)
    # The single service settles the application: the request closes with it.
    if request.status == "assigned":
        desk.change_status(session, request, "in_assessment", actor=actor)
    if request.status == "in_assessment":
        desk.change_status(session, request, "service_granted", actor=actor, automatic=True,
                           note=f"{service.name} ({quantity})")
    record("create", grant, actor=actor, summary=f"service {service.id} granted for request {request.number}",
           changes={"quantity": [None, quantity], "period": [None, [start.isoformat(), end.isoformat()]]})
    signals.emit(session, signals.grant_made, grant_id=grant.id, request_id=request.id, service_id=service.id,
                 actor_id=getattr(actor, "id", None))
    return grant


def cancel_grant(session, grant, *, actor, today):
    if not access.can_work_on_request(actor, grant.request) and getattr(actor, "role", None) != Role.DIRECTOR:
        raise NotAllowed()
    if grant.status != "granted":
        raise TransitionError(_l("Ta usługa została już anulowana."))
    grant.status = "cancelled"
    grant.cancelled_at = now()
    grant.cancelled_by_id = getattr(actor, "id", None)
    session.flush()
    capacity.refresh_granted(session, [grant.service_id], today)
    request = grant.request
    others = session.scalar(select(func.count()).select_from(ServiceGrant).where(
        ServiceGrant.request_id == request.id, ServiceGrant.status == "granted"))
    if request.status == "service_granted" and not others:
        # Nothing granted any more: the application is back with its coordinator.
        desk.change_status(session, request, "in_assessment", actor=actor, automatic=True)
    record("update", grant, actor=actor, summary=f"grant {grant.id} cancelled",
           changes={"status": ["granted", "cancelled"]})
    return grant


def grants_for(session, user, limit=500):
    """The grants `user` follows: a coordinator's own requests, all for the director; newest first."""
    query = (select(ServiceGrant).options(selectinload(ServiceGrant.service), selectinload(ServiceGrant.resident),
                                          selectinload(ServiceGrant.request), selectinload(ServiceGrant.granted_by))
             .order_by(ServiceGrant.granted_at.desc(), ServiceGrant.id.desc()).limit(limit))
    if user.role == Role.COORDINATOR:
        query = query.join(Request, Request.id == ServiceGrant.request_id).where(
            Request.coordinator_id == user.id)
    return session.scalars(query).all()
