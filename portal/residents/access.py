"""Who may see what of a person's record.

- front desk: every person's contact data and requests (no notes; the PESEL
  in full only on the person's page);
- coordinator: the people assigned to them (some request of the person with
  them as coordinator: the desk answers hooks.assigned_residents), in full;
  nobody else;
- director: everyone, in full;
- services organiser, community organiser, administrator: no personal data.

A record merged into another is judged by the record that absorbed it.
"""
from sqlalchemy import false, or_, select

from ..auth.models import Role
from ..core import hooks
from ..extensions import db
from .models import Resident

# Roles that may open any residents page at all (the rest get 403).
PEOPLE_ROLES = (Role.FRONT_DESK, Role.COORDINATOR, Role.DIRECTOR)
# Roles that may register a person. Not coordinators: a person they registered
# would not be "theirs" (no request of theirs yet), so they could not open it;
# they get people through requests the desk assigns.
REGISTER_ROLES = (Role.FRONT_DESK, Role.DIRECTOR)
MERGE_ROLES = (Role.DIRECTOR,)
# Roles that see the access trail of a record (GDPR art. 15 answers).
AUDIT_ROLES = (Role.DIRECTOR,)


def _role(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.role


def _subject(resident):
    """The surviving record for access decisions."""
    seen = set()
    while resident is not None and resident.merged_into_id is not None and resident.id not in seen:
        seen.add(resident.id)
        resident = db.session.get(Resident, resident.merged_into_id)
    return resident


def _assigned(user, resident_id):
    """The SQL condition "the person `resident_id` (a value or a column) is
    assigned to `user`", as the features that assign people answer it."""
    conditions = hooks.assigned_residents.call(user, resident_id)
    return or_(*conditions) if conditions else false()


def is_assigned(user, resident):
    """Some request of this person has `user` as its coordinator."""
    resident = _subject(resident)
    if resident is None or resident.id is None or user is None:
        return False
    return bool(db.session.scalar(select(_assigned(user, resident.id))))


def can_view_contact(user, resident):
    role = _role(user)
    if role in (Role.FRONT_DESK, Role.DIRECTOR):
        return True
    if role == Role.COORDINATOR:
        return is_assigned(user, resident)
    return False


def can_view_full(user, resident):
    role = _role(user)
    if role == Role.DIRECTOR:
        return True
    if role == Role.COORDINATOR:
        return is_assigned(user, resident)
    return False


def can_view_pesel(user, resident):
    """The PESEL in full, on the person's own page only (masked everywhere else)."""
    return _role(user) == Role.FRONT_DESK or can_view_full(user, resident)


def can_edit(user, resident):
    if resident is not None and resident.merged_into_id is not None:
        return False
    return can_view_contact(user, resident)


def can_merge(user, resident):
    return _role(user) in MERGE_ROLES and can_view_full(user, resident)


def can_see_trail(user, resident):
    return _role(user) in AUDIT_ROLES


def visible_residents(query, user):
    """`query` (a select of Resident) narrowed to the people `user` may see."""
    role = _role(user)
    if role in (Role.FRONT_DESK, Role.DIRECTOR):
        return query
    if role == Role.COORDINATOR:
        return query.where(_assigned(user, Resident.id))
    return query.where(false())
