"""Who may do what with plans, grants and waiting lists.

- the coordinator of the case (the plan's coordinator, or the coordinator
  the request is assigned to now): sees the plan, drafts, edits, submits,
  updates, records signatures, grants single services, keeps the waiting list;
- the director: everything, and approves or returns plans;
- a services organiser the director has authorised (an active
  ApprovalDelegation): the approval queue, approves or returns, and sees the
  plans that have reached approval (never a bare draft);
- everyone else (front desk, community organiser, administrator, an
  organiser without authorisation): refused.

Waiting lists: coordinators and the director see names (a coordinator only
of their own people); the services organiser sees the queue per service
without names (demand, not people).
"""
from sqlalchemy import select

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
    if _role(user) != Role.COORDINATOR:
        return False
    if getattr(plan_or_assessment, "coordinator_id", None) == user.id:
        return True
    request = getattr(plan_or_assessment, "request", None)
    return request is not None and request.coordinator_id == user.id


def can_work_on(user, plan_or_assessment):
    """Draft, edit, submit, update, sign, grant: the case's coordinator or the director."""
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


def sees_waiting_names(user, entry):
    role = _role(user)
    if role == Role.DIRECTOR:
        return True
    return role == Role.COORDINATOR and is_assigned(user, entry.resident)
