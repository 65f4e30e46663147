"""Who sees and who works on which complaint.

- A complaint about a staff member is hidden from that person entirely: not
  listed, not counted, not found by its address (404), whatever their role.
- The director sees every other complaint and works on all of them.
- The handler sees and works on the complaints assigned to them.
- The front desk sees what it registered until it is assigned (then the
  handler and the director carry it).
- The services organiser reads the complaints about a service or a provider
  (they hold the catalogue, the providers and their quality standards: what
  a complaint says about a service is theirs to act on), without the
  complainant's name and contact; they work on one only as its handler.
- Nobody else (the administrator included) sees any.

`visible(user)` is the same rule as a WHERE clause, for lists and counts.
"""
from sqlalchemy import and_, false, or_, true

from ..auth.models import Role
from .models import Complaint

# Roles that may open the register at all (a handler may be any of them).
REGISTER_ROLES = (Role.FRONT_DESK, Role.COORDINATOR, Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER,
                  Role.DIRECTOR)
# Roles that register a complaint received at the centre.
INTAKE_ROLES = (Role.FRONT_DESK, Role.DIRECTOR)
# Roles a complaint can be assigned to.
HANDLER_ROLES = REGISTER_ROLES
CATALOGUE_SUBJECTS = ("service", "provider")


def is_about(user, complaint):
    return complaint.subject == "staff" and complaint.staff_member_id is not None \
        and complaint.staff_member_id == user.id


def can_see(user, complaint):
    if user.role not in REGISTER_ROLES or is_about(user, complaint):
        return False
    if user.role == Role.DIRECTOR or complaint.handler_id == user.id:
        return True
    if user.role == Role.FRONT_DESK:
        return complaint.handler_id is None and complaint.created_by_id == user.id
    if user.role == Role.SERVICES_ORGANISER:
        return complaint.subject in CATALOGUE_SUBJECTS
    return False


def can_work(user, complaint):
    """Answer, extend, add actions, close: the handler and the director."""
    return can_see(user, complaint) and (user.role == Role.DIRECTOR or complaint.handler_id == user.id)


def can_edit(user, complaint):
    """Correct what was registered: those who work on it, and the front desk
    while the complaint it registered waits for a handler."""
    return can_work(user, complaint) or (user.role == Role.FRONT_DESK and can_see(user, complaint))


def can_assign(user, complaint):
    return user.role == Role.DIRECTOR and can_see(user, complaint)


def sees_complainant(user, complaint):
    """The complainant's name and contact: everyone who may see it but the
    organiser reading it for the catalogue's sake."""
    return can_edit(user, complaint)


def visible(user):
    """`can_see` as a WHERE clause on Complaint."""
    if user.role not in REGISTER_ROLES:
        return false()
    not_about = or_(Complaint.staff_member_id.is_(None), Complaint.staff_member_id != user.id)
    if user.role == Role.DIRECTOR:
        scope = true()
    elif user.role == Role.FRONT_DESK:
        scope = or_(Complaint.handler_id == user.id,
                    and_(Complaint.handler_id.is_(None), Complaint.created_by_id == user.id))
    elif user.role == Role.SERVICES_ORGANISER:
        scope = or_(Complaint.handler_id == user.id, Complaint.subject.in_(CATALOGUE_SUBJECTS))
    else:
        scope = Complaint.handler_id == user.id
    return and_(not_about, scope)
