"""The capacity of a service, used by plans and single grants.

The rule (one, everywhere):
- `Service.capacity_maximum` is how much of the service, in its unit, can be
  committed on any one day (places in a club, hours of care in the period
  the catalogue states); empty means no limit.
- An approved plan item (its version approved or signed, the plan not
  cancelled; a closed plan's items until its closing day) and a grant with
  status "granted" hold their load on every day of their period: their
  `quantity` for a service counted in units (hours of care), one place for
  a service counted in places (a club, a supported flat), whatever the
  quantity in the service's own unit (`Service.capacity_basis`).
- Use on a day is the sum of what is held that day; a new commitment fits
  when, on every day of its period, use plus everything being approved
  together stays within the maximum (the peak, not the sum of every
  overlapping period: a place freed in March can be given again in April).
- `Service.capacity_granted`, which the catalogue shows as
  capacity_available = maximum - granted, is kept equal to the use TODAY
  for every service that plans or grants have used: recomputed in the same
  transaction as each approval, grant or cancellation, and daily by
  `flask plans refresh-capacity` as periods begin and end. A service no plan
  or grant has used keeps the figure the services organiser entered.

Approval and granting call `lock_services` first: a write on the services'
rows that makes a second approver wait (the row locks on PostgreSQL, the
database write lock on SQLite), so two approvals racing for the last place
cannot both see it free.
"""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from ..catalogue.models import Service
from ..core.errors import DomainError
from .models import IN_FORCE_VERSION_STATUSES, Plan, PlanItem, PlanVersion, ServiceGrant


class CapacityFull(DomainError):
    """Approval or a grant would exceed a service's capacity; `checks` are
    the services found full."""

    def __init__(self, checks):
        names = ", ".join(c.service.name for c in checks)
        super().__init__(_l("Brak wolnych miejsc w usłudze: %(names)s.", names=names))
        self.checks = checks


@dataclass(frozen=True)
class Held:
    start: date
    end: date
    quantity: int


def peak(held, start, end):
    """The largest total of `held` quantities on any one day of [start, end]."""
    relevant = [h for h in held if h.start <= end and h.end >= start]
    if not relevant:
        return 0
    # The total only rises where a period starts: check the first day and
    # every start inside the range.
    days = {start} | {h.start for h in relevant if h.start > start}
    return max(sum(h.quantity for h in relevant if h.start <= day <= h.end) for day in days)


def held_by_plans(session, service_id, start, end, *, exclude_plan_id=None):
    """What approved plan items hold in [start, end]; a closed plan's items
    only until its closing day."""
    query = (
        select(PlanItem.period_from, PlanItem.period_to, PlanItem.quantity, Plan.closed_on)
        .join(PlanVersion, PlanVersion.id == PlanItem.plan_version_id)
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .where(PlanItem.service_id == service_id,
               PlanVersion.status.in_(IN_FORCE_VERSION_STATUSES),
               Plan.status != "cancelled",
               PlanItem.period_from <= end, PlanItem.period_to >= start,
               or_(Plan.closed_on.is_(None), Plan.closed_on >= start))
    )
    if exclude_plan_id is not None:
        query = query.where(Plan.id != exclude_plan_id)
    held = []
    for period_from, period_to, quantity, closed_on in session.execute(query):
        last = min(period_to, closed_on) if closed_on else period_to
        if last >= period_from:
            held.append(Held(period_from, last, quantity))
    return held


def held_by_grants(session, service_id, start, end, *, exclude_grant_id=None):
    query = select(ServiceGrant.period_from, ServiceGrant.period_to, ServiceGrant.quantity).where(
        ServiceGrant.service_id == service_id, ServiceGrant.status == "granted",
        ServiceGrant.period_from <= end, ServiceGrant.period_to >= start)
    if exclude_grant_id is not None:
        query = query.where(ServiceGrant.id != exclude_grant_id)
    return [Held(*row) for row in session.execute(query)]


def load(service, quantity):
    """What a commitment of `quantity` in the service's unit takes from its
    capacity: one place per person, or the quantity itself."""
    return 1 if service.capacity_basis == "places" else quantity


def held(session, service_id, start, end, *, exclude_plan_id=None):
    service = session.get(Service, service_id)
    return [Held(h.start, h.end, load(service, h.quantity))
            for h in held_by_plans(session, service_id, start, end, exclude_plan_id=exclude_plan_id)
            + held_by_grants(session, service_id, start, end)]


@dataclass
class Check:
    """Whether `requested` more of `service` fits on every day of [start, end]."""

    service: Service
    start: date
    end: date
    requested: int
    used: int  # the peak use by others in the period
    peak_with_request: int
    items: list = field(default_factory=list)  # the positions / ids this check is about

    @property
    def maximum(self):
        return self.service.capacity_maximum

    @property
    def limited(self):
        return self.maximum is not None

    @property
    def available(self):
        """Free in the tightest day of the period, before this request."""
        if not self.limited:
            return None
        return max(self.maximum - self.used, 0)

    @property
    def fits(self):
        return not self.limited or self.peak_with_request <= self.maximum

    @property
    def full(self):
        return not self.fits


def check_commitments(session, service, wanted, *, exclude_plan_id=None):
    """One Check for `wanted` (Held periods of the same service requested
    together, e.g. the items of one plan version)."""
    wanted = [Held(w.start, w.end, load(service, w.quantity)) for w in wanted if w.quantity > 0]
    if not wanted:
        return None
    start = min(w.start for w in wanted)
    end = max(w.end for w in wanted)
    requested = sum(w.quantity for w in wanted)
    if service.capacity_maximum is None:
        return Check(service, start, end, requested, 0, 0)
    others = held(session, service.id, start, end, exclude_plan_id=exclude_plan_id)
    used = max((peak(others, w.start, w.end) for w in wanted), default=0)
    together = max((peak(others + wanted, w.start, w.end) for w in wanted), default=0)
    return Check(service, start, end, requested, used, together)


def check_items(session, items, *, exclude_plan_id=None):
    """{service_id: Check} for plan items (objects or dicts with service,
    period_from, period_to, quantity), each service checked with all its
    items together. Items without a complete period are skipped."""
    by_service = {}
    for index, item in enumerate(items):
        get = item.get if isinstance(item, dict) else (lambda key, _item=item: getattr(_item, key, None))
        service = get("service")
        start, end, quantity = get("period_from"), get("period_to"), get("quantity")
        if service is None or start is None or end is None or not quantity or end < start:
            continue
        entry = by_service.setdefault(service.id, (service, [], []))
        entry[1].append(Held(start, end, int(quantity)))
        entry[2].append(index)
    checks = {}
    for service_id, (service, wanted, indexes) in by_service.items():
        check = check_commitments(session, service, wanted, exclude_plan_id=exclude_plan_id)
        if check is not None:
            check.items = indexes
            checks[service_id] = check
    return checks


def lock_services(session, service_ids):
    """Take the write lock on these services' rows before reading their use
    (see the module's note). Nothing changes: not even updated_at."""
    ids = sorted(set(service_ids))  # one order everywhere: no deadlocks between approvers
    if not ids:
        return
    session.execute(
        update(Service).where(Service.id.in_(ids))
        .values(capacity_granted=Service.capacity_granted, updated_at=Service.updated_at)
        .execution_options(synchronize_session=False)
    )


def use_on(session, service_id, day):
    return sum(h.quantity for h in held(session, service_id, day, day))


def refresh_granted(session, service_ids, today):
    """Set capacity_granted to the use on `today` (in the caller's transaction)."""
    for service_id in sorted(set(service_ids)):
        session.execute(
            update(Service).where(Service.id == service_id)
            .values(capacity_granted=use_on(session, service_id, today), updated_at=Service.updated_at)
            .execution_options(synchronize_session=False)
        )


def used_services(session):
    """Ids of every service a plan item or a grant has ever used."""
    items = select(PlanItem.service_id).join(PlanVersion, PlanVersion.id == PlanItem.plan_version_id).where(
        PlanVersion.status.in_(("approved", "signed", "superseded")))
    grants = select(ServiceGrant.service_id)
    return set(session.scalars(items)) | set(session.scalars(grants))


def refresh_all(session, today):
    """The daily refresh: every service plans or grants have used."""
    ids = used_services(session)
    refresh_granted(session, ids, today)
    return len(ids)


