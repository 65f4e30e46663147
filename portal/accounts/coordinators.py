"""The village -> coordinator rule: which coordinator gets new applications
from each village (desk/services.py: coordinator_for_village reads it).

Plain functions with an explicit session and actor; they never commit.
"""
from dataclasses import dataclass

from sqlalchemy import select

from ..audit.services import record
from ..auth.models import Role, User
from ..catalogue.models import Village
from ..desk.models import VillageCoordinator
from ..desk.services import coordinators
from ..text import polish_sort_key


@dataclass
class VillageRule:
    village: Village
    user: User | None  # the coordinator the rule names, whatever the account's state

    @property
    def coordinator_id(self):
        """The coordinator the rule assigns to: None when it names nobody or an account that cannot take cases."""
        if self.user is None or not self.user.active or self.user.role != Role.COORDINATOR:
            return None
        return self.user.id

    @property
    def stale(self):
        return self.user is not None and self.coordinator_id is None


def village_rules(session):
    """Every village in Polish alphabetical order, with its rule."""
    named = {vc.village_id: vc.user for vc in session.scalars(select(VillageCoordinator))}
    villages = sorted(session.scalars(select(Village)).all(), key=lambda v: (polish_sort_key(v.name), v.id))
    return [VillageRule(v, named.get(v.id)) for v in villages]


def active_coordinators(session):
    return sorted(coordinators(session), key=lambda u: (polish_sort_key(u.full_name), u.id))


def save_rules(session, assignments, *, actor):
    """`assignments`: {village id: coordinator id or None} for every village
    on the form. Only the villages whose rule changes are written; one audit
    event lists them. Returns the number of villages changed."""
    allowed = {u.id for u in coordinators(session)}
    current = {vc.village_id: vc for vc in session.scalars(select(VillageCoordinator))}
    villages = {v.id: v for v in session.scalars(select(Village))}
    changes = {}
    for village_id, user_id in assignments.items():
        if village_id not in villages:
            continue
        if user_id is not None and user_id not in allowed:
            raise ValueError(f"user {user_id} is not an active coordinator")
        row = current.get(village_id)
        before = row.user_id if row else None
        if before == user_id:
            continue
        if user_id is None:
            session.delete(row)
        elif row is None:
            session.add(VillageCoordinator(village_id=village_id, user_id=user_id))
        else:
            row.user_id = user_id
        changes[villages[village_id].name] = [before, user_id]
    if changes:
        session.flush()
        record("update", None, actor=actor, object_type="village_coordinator",
               summary=f"village coordinators changed for {len(changes)} village(s)", changes=changes)
    return len(changes)
