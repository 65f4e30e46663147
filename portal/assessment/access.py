"""Who may do what with an assessment.

- the coordinator of the case: the request's coordinator (it follows a
  reassignment), or for an assessment without a request the coordinator who
  started it: reads, prints, edits the draft, opens the special categories;
- the director: reads, prints, opens the special categories; does not edit
  (assessments are the coordinators' work);
- everyone else (front desk, organisers, administrator, other
  coordinators): nothing.
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


def case_coordinator_id(assessment):
    if assessment.request_id is not None and assessment.request is not None:
        return assessment.request.coordinator_id
    return assessment.coordinator_id


def is_case_coordinator(user, assessment):
    return _role(user) == Role.COORDINATOR and case_coordinator_id(assessment) == user.id


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
