"""Who may do what with plans, grants and waiting lists.

- the coordinator of the case: the request's current coordinator (a
  reassignment hands the whole case over, whatever the plan's or the
  assessment's own coordinator_id says); only a plan without a request goes
  by its own coordinator_id (assessment.access.case_coordinator_id): sees
  the plan and all its versions, drafts, edits, submits, updates, records
  signatures, grants single services, keeps the waiting list, the
  monitoring card and the closure;
- the director: everything, and approves or returns plans;
- a services organiser the director has authorised (an active
  ApprovalDelegation): the approval queue, approves or returns, and sees the
  plans that have reached approval (never a bare draft);
- everyone else (front desk, community organiser, administrator, an
  organiser without authorisation, the coordinator the case was taken
  from): refused.

Waiting lists: the director sees names; a coordinator only of the entries
of their own cases (the entry's plan or request, followed to its current
coordinator; an entry made for neither goes by the person's requests); the
services organiser sees the queue per service without names (demand, not
people).
"""
from sqlalchemy import select

from ..assessment.access import case_coordinator_id
from ..auth.models import Role
from ..extensions import db
from ..residents.access import is_assigned
from .models import ApprovalDelegation

PLAN_ROLES = (Role.COORDINATOR, Role.DIRECTOR, Role.SERVICES_ORGANISER)
CASE_ROLES = (Role.COORDINATOR, Role.DIRECTOR)
APPROVER_ROLES = (Role.DIRECTOR, Role.SERVICES_ORGANISER)
WAITING_ROLES = (Role.COORDINATOR, Role.DIRECTOR, Role.SERVICES_ORGANISER)


def _role(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.role


def active_delegation(user, today, session=None):
    """The organiser's authorisation in force on `today`, or None."""
    if _role(user) != Role.SERVICES_ORGANISER:
        return None
    session = session or db.session
    rows = session.scalars(select(ApprovalDelegation).where(
        ApprovalDelegation.organiser_id == user.id, ApprovalDelegation.revoked_at.is_(None))
        .order_by(ApprovalDelegation.granted_at.desc())).all()
    return next((d for d in rows if d.is_active(today)), None)


def can_approve(user, today, session=None):
    role = _role(user)
    if role == Role.DIRECTOR:
        return True
    return active_delegation(user, today, session) is not None


def is_case_coordinator(user, plan_or_assessment):
    """The user coordinates the case now (see the module docstring)."""
    if _role(user) != Role.COORDINATOR:
        return False
    coordinator_id = case_coordinator_id(plan_or_assessment)
    return coordinator_id is not None and coordinator_id == user.id


def can_work_on(user, plan_or_assessment):
    """Draft, edit, submit, update, sign, grant, the monitoring card and the
    closure: the case's coordinator or the director."""
    return _role(user) == Role.DIRECTOR or is_case_coordinator(user, plan_or_assessment)


def can_view_plan(user, plan, today):
    if can_work_on(user, plan):
        return True
    if can_approve(user, today):
        # An authorised organiser sees what has reached approval, never a bare draft.
        return any(v.submitted_at is not None for v in plan.versions)
    return False


def can_work_on_request(user, request):
    if _role(user) == Role.DIRECTOR:
        return True
    return _role(user) == Role.COORDINATOR and request is not None and request.coordinator_id == user.id


def _same_person(document, entry):
    return document is not None and document.resident_id == entry.resident_id


def sees_waiting_names(user, entry):
    role = _role(user)
    if role == Role.DIRECTOR:
        return True
    if role != Role.COORDINATOR:
        return False
    plan = entry.plan if entry.plan_id is not None else None
    if _same_person(plan, entry):
        return is_case_coordinator(user, plan)
    request = entry.request if entry.request_id is not None else None
    if _same_person(request, entry):
        return can_work_on_request(user, request)
    return is_assigned(user, entry.resident)
