"""Who is to receive a service, and how much: the approved plan items and the
granted single services, in one place for the attendance list, the entry
forms and the figures.

A plan item counts while its version is in force (approved or signed) and
the plan is not cancelled; a closed plan's items only until its closing day.
A grant counts while its status is "granted". Both count on the days of
their period only.
"""
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Date, bindparam, or_, select

from ..plans.models import IN_FORCE_VERSION_STATUSES, Plan, PlanItem, PlanVersion, ServiceGrant
from ..residents.models import Resident
from ..text import polish_sort_key


@dataclass(frozen=True)
class Commitment:
    """What one person is to receive of one service in one period."""

    kind: str  # "plan" or "grant"
    source_id: int  # the plan's id or the grant's id
    item_id: int | None  # the plan item of the version in force
    resident_id: int
    service_id: int
    start: date
    end: date
    quantity: int
    unit: str
    signed: bool = True  # a plan signed (running or closed); a grant is given when granted


def commitments(session, *, service_ids=None, resident_ids=None, start=None, end=None):
    """Every commitment of the given services and/or people overlapping
    [start, end] (either bound may be open)."""
    plan_query, grant_query = _statements(service_ids is not None, resident_ids is not None, start is not None,
                                          end is not None)
    bound = {"service_ids": list(service_ids or ()), "resident_ids": list(resident_ids or ()),
             "start": start, "end": end}
    found = [c for c in (_of_item(*row) for row in session.execute(plan_query, bound)) if c is not None]
    for grant_id, resident_id, service_id, first, last, quantity, unit in session.execute(grant_query, bound):
        found.append(Commitment("grant", grant_id, None, resident_id, service_id, first, last, quantity, unit))
    return found


@lru_cache(maxsize=16)
def _statements(by_service, by_resident, from_start, to_end):
    """The plan items' and the grants' statements for one shape of the
    filters, built once per process (building them cost more than running
    them for one session's club); the values are bound at execution."""
    plan_query = (
        select(Plan.id, PlanItem.id, Plan.resident_id, PlanItem.service_id, PlanItem.period_from,
               PlanItem.period_to, Plan.closed_on, PlanItem.quantity, PlanItem.unit, Plan.status)
        .join(PlanVersion, PlanVersion.id == PlanItem.plan_version_id)
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .where(PlanVersion.status.in_(IN_FORCE_VERSION_STATUSES), Plan.status != "cancelled")
    )
    grant_query = select(ServiceGrant.id, ServiceGrant.resident_id, ServiceGrant.service_id,
                         ServiceGrant.period_from, ServiceGrant.period_to, ServiceGrant.quantity,
                         ServiceGrant.unit).where(ServiceGrant.status == "granted")
    if by_service:
        services = bindparam("service_ids", expanding=True)
        plan_query = plan_query.where(PlanItem.service_id.in_(services))
        grant_query = grant_query.where(ServiceGrant.service_id.in_(services))
    if by_resident:
        people = bindparam("resident_ids", expanding=True)
        plan_query = plan_query.where(Plan.resident_id.in_(people))
        grant_query = grant_query.where(ServiceGrant.resident_id.in_(people))
    if to_end:
        end = bindparam("end", type_=Date)
        plan_query = plan_query.where(PlanItem.period_from <= end)
        grant_query = grant_query.where(ServiceGrant.period_from <= end)
    if from_start:
        start = bindparam("start", type_=Date)
        plan_query = plan_query.where(PlanItem.period_to >= start,
                                      or_(Plan.closed_on.is_(None), Plan.closed_on >= start))
        grant_query = grant_query.where(ServiceGrant.period_to >= start)
    return plan_query, grant_query


def plan_commitments(plan):
    """The commitments of a loaded plan's version in force (its items), by
    the same rule as commitments(): what the plan's own pages read without
    asking the database again."""
    version = plan.version_in_force
    if version is None or plan.status == "cancelled":
        return []
    found = (_of_item(plan.id, item.id, plan.resident_id, item.service_id, item.period_from, item.period_to,
                      plan.closed_on, item.quantity, item.unit, plan.status) for item in version.items)
    return [c for c in found if c is not None]


def _of_item(plan_id, item_id, resident_id, service_id, first, last, closed_on, quantity, unit, status):
    """A plan item's commitment (a closed plan's only until its closing
    day), or None when the plan closed before the item began."""
    last = min(last, closed_on) if closed_on else last
    if last < first:
        return None
    return Commitment("plan", plan_id, item_id, resident_id, service_id, first, last, quantity, unit,
                      signed=status in ("active", "closed"))


def expected_people(session, service_id, on):
    """The people on record who are to attend `service_id` on day `on` (a
    plan item or a grant covering the day), in Polish alphabetical order."""
    ids = {c.resident_id for c in commitments(session, service_ids=[service_id], start=on, end=on)}
    if not ids:
        return []
    people = session.scalars(select(Resident).where(Resident.id.in_(ids))).all()
    return sorted(people, key=lambda p: (polish_sort_key(p.last_name), polish_sort_key(p.first_name), p.id))
