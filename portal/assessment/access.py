"""Who may do what with an assessment.

- the coordinator of the case: the request's current coordinator (it
  follows a reassignment, whatever the assessment's own coordinator_id
  says), or for an assessment without a request the coordinator who
  started it: reads, prints, edits the draft, opens the special categories;
- the director: reads, prints, opens the special categories; does not edit
  (assessments are the coordinators' work);
- everyone else (front desk, organisers, administrator, other
  coordinators, the coordinator the case was taken from): nothing.

`case_coordinator_id` is the one rule every case document (assessments,
plans and what hangs on them, portal/plans/access.py) is judged by.
"""
from ..auth.models import Role
from ..residents.access import is_assigned

# Roles that may reach any assessment page at all (the rest get 403).
READ_ROLES = (Role.COORDINATOR, Role.DIRECTOR)
WRITE_ROLES = (Role.COORDINATOR,)


def _role(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.role


def case_coordinator_id(document):
    """The coordinator a case document (an assessment or a plan) belongs to
    now: its request's current coordinator; the document's own
    coordinator_id only when the case has no request. The stored
    coordinator_id is a copy that a reassignment moves (desk.services.assign),
    never the authority: rows written before that, or by any other path,
    may lag behind the request."""
    request = getattr(document, "request", None)
    if request is not None:
        return request.coordinator_id
    if getattr(document, "request_id", None) is not None:
        return None  # a request that cannot be read: nobody by this rule
    return getattr(document, "coordinator_id", None)


def is_case_coordinator(user, assessment):
    coordinator_id = case_coordinator_id(assessment)
    return _role(user) == Role.COORDINATOR and coordinator_id is not None and coordinator_id == user.id


def can_view(user, assessment):
    """Read the assessment, print it, open its special-category section."""
    return _role(user) == Role.DIRECTOR or is_case_coordinator(user, assessment)


def can_edit(user, assessment):
    return is_case_coordinator(user, assessment) and assessment.is_draft


def can_start_for_request(user, request):
    return (_role(user) == Role.COORDINATOR and request.coordinator_id == user.id
            and request.kind == "application" and request.is_open and request.resident_id is not None)


def can_start_for_resident(user, resident):
    return _role(user) == Role.COORDINATOR and is_assigned(user, resident)
