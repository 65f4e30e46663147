"""Who may do what with plans, grants and waiting lists.

- the coordinator of the case: the request's current coordinator (a
  reassignment hands the whole case over, whatever the plan's or the
  assessment's own coordinator_id says); only a plan without a request goes
  by its own coordinator_id (assessment.access.case_coordinator_id): sees
  the plan and all its versions, drafts, edits, submits, updates, records
  signatures, prints, opens the scans, grants single services, keeps the
  waiting list, the monitoring card and the closure;
- the director: everything, and approves or returns plans;
- a services organiser the director has authorised (an active
  ApprovalDelegation): the approval queue, and a plan only while a version
  of it waits for the decision (status "submitted"), and of that plan only
  what the decision needs (see below);
- everyone else (front desk, community organiser, administrator, an
  organiser without authorisation, the coordinator the case was taken
  from): refused.

What the approval decision needs, and so all an authorised organiser sees:
the plan's page and the submitted version's page (/versions/<n> of that
version only) — the participant's name and year of birth, the
representative's name, the coordinator, the request's number and date, the
assessment's date, the 30-day deadline and any overdue reason, the
version's dates, expected effects, check frequency, update reason and
services (with provider, place, schedule, period, scope, quantity,
supporting activities), the approval steps so far (earlier returns and
their comments), whether its services have room — and the approve and
return forms. Not: the other versions (the one in force, superseded or
cancelled ones), any PDF (a draft's preview adds only the full birth date,
the address and the guardian's contact, which the decision does not turn
on; the approved PDF is made by the approval itself), signature scans,
monitoring, closure, grants, waiting-list names or the plans list. Once the
version is approved or returned the plan is out of the organiser's reach
again, until a version is submitted anew.

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
    """Draft, edit, submit, update, sign, grant, print, open the scans, the
    monitoring card and the closure: the case's coordinator or the director."""
    return _role(user) == Role.DIRECTOR or is_case_coordinator(user, plan_or_assessment)


def awaiting_decision(plan):
    """The version submitted for approval, or None."""
    version = plan.working_version
    return version if version is not None and version.status == "submitted" else None


def can_view_plan(user, plan, today):
    """The plan's page: the case and the director; an authorised organiser
    only while a version waits for the decision."""
    if can_work_on(user, plan):
        return True
    return awaiting_decision(plan) is not None and can_approve(user, today)


def can_view_version(user, plan, version, today):
    """One version's page: for an authorised organiser, only the version
    waiting for the decision."""
    if can_work_on(user, plan):
        return True
    return version.plan_id == plan.id and version.status == "submitted" and can_approve(user, today)


def can_print(user, plan):
    """PDFs of any version and the signature scans: the case and the
    director, never an approver by delegation."""
    return can_work_on(user, plan)


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
