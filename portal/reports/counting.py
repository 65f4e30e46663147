"""The counting rules every report shares (README, "Reports: counting rules").

- A service granted is one service for one person:
  - each item of a plan counts once, on the local day (Europe/Warsaw) the
    plan version that introduced it was first signed (`PlanVersion.signed_at`,
    both sides signed). An update copies the items of the version it
    replaces (plans/services.py, start_update), so an item of an update
    counts only when its service was not in the plan's previous signed
    version: a service carried over — changed in quantity, period or
    provider or not — does not count again; a service dropped by one update
    and brought back by a later one counts again. Two items of one service
    in one version are one service granted;
  - each single grant (`ServiceGrant`) counts on the local day of its
    `granted_at`; a cancelled grant does not count;
  - each imported history row of kind "service" counts on its day.
- A plan concluded is a plan whose original version (number 0) was signed
  in the period; updates do not count, nor plans never signed (drafts,
  cancelled); a plan closed later still counts where it was concluded. Each
  history row of kind "plan" counts on its day.
- People: a live person is a resident of the register; a history row's
  case reference is a person (distinct references are distinct people). A
  case reference is never matched to a resident, so a person counted in the
  history and again in the portal's records counts twice.

Every function takes consecutive `periods` (periods.py) and groups with
`periods.bucket`: one grouped statement per source, never a loop over
services or days.
"""
from collections import defaultdict

from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.orm import aliased

from ..plans.models import Plan, PlanItem, PlanVersion, ServiceGrant
from . import history
from .history import HistoryRow
from .periods import bucket

# --- the sources, each a SELECT of (moment or day, service_id, person) -------------------------------------


def introduced_items():
    """One row per service a signed plan version introduced: (signed_at,
    service_id, resident_id, plan_id)."""
    earlier = aliased(PlanVersion)
    previous_item = aliased(PlanItem)
    previous = aliased(PlanVersion)
    previous_number = (select(func.max(earlier.number))
                       .where(earlier.plan_id == PlanVersion.plan_id, earlier.number < PlanVersion.number,
                              earlier.signed_at.is_not(None))
                       .correlate(PlanVersion).scalar_subquery())
    carried = (select(previous_item.id)
               .join(previous, previous.id == previous_item.plan_version_id)
               .where(previous.plan_id == PlanVersion.plan_id, previous.number == previous_number,
                      previous_item.service_id == PlanItem.service_id)
               .correlate(PlanVersion, PlanItem).exists())
    return (select(PlanVersion.signed_at.label("at"), PlanItem.service_id.label("service_id"),
                   Plan.resident_id.label("resident_id"), PlanVersion.plan_id.label("plan_id"))
            .distinct()
            .join(PlanItem, PlanItem.plan_version_id == PlanVersion.id)
            .join(Plan, Plan.id == PlanVersion.plan_id)
            .where(PlanVersion.signed_at.is_not(None), or_(PlanVersion.number == 0, ~carried)))


def _within(column, periods, *, instants=True):
    if instants:
        low, _high = periods[0].utc_bounds()
        _low, high = periods[-1].utc_bounds()
        return and_(column >= low, column < high)
    return and_(column >= periods[0].start, column <= periods[-1].end)


def _items_in(periods):
    items = introduced_items().where(_within(PlanVersion.signed_at, periods)).subquery()
    return items


def _grants_in(periods):
    return (select(ServiceGrant.granted_at.label("at"), ServiceGrant.service_id, ServiceGrant.resident_id)
            .where(ServiceGrant.status != "cancelled", _within(ServiceGrant.granted_at, periods)))


def _history_in(kind, periods):
    return select(HistoryRow).where(HistoryRow.kind == kind, _within(HistoryRow.day, periods, instants=False))


def _add(counts, rows):
    for index, number in rows:
        if index is not None:
            counts[index] += number


# --- the quarterly table's rows ----------------------------------------------------------------------


def services_granted(session, periods):
    """[count per period]: services granted (plan items introduced, single grants, history)."""
    counts = [0] * len(periods)
    items = _items_in(periods)
    index = bucket(items.c.at, periods)
    _add(counts, session.execute(select(index, func.count()).select_from(items).group_by(index)))
    grants = _grants_in(periods).subquery()
    index = bucket(grants.c.at, periods)
    _add(counts, session.execute(select(index, func.count()).select_from(grants).group_by(index)))
    rows = _history_in(history.SERVICE, periods).subquery()
    index = bucket(rows.c.day, periods, instants=False)
    _add(counts, session.execute(select(index, func.count()).select_from(rows).group_by(index)))
    return counts


def plans_concluded(session, periods):
    """[count per period]: plans whose original version was signed then, and history's plans."""
    counts = [0] * len(periods)
    index = bucket(PlanVersion.signed_at, periods)
    _add(counts, session.execute(select(index, func.count()).where(
        PlanVersion.number == 0, _within(PlanVersion.signed_at, periods)).group_by(index)))
    rows = _history_in(history.PLAN, periods).subquery()
    index = bucket(rows.c.day, periods, instants=False)
    _add(counts, session.execute(select(index, func.count()).select_from(rows).group_by(index)))
    return counts


# --- per service --------------------------------------------------------------------------------------


def granted_by_service(session, period):
    """Services granted in `period`, per service: ({service_id: (services
    granted, distinct people)}, {historical name: (rows, distinct case
    references)}) — history rows matched to the catalogue count under
    their service, the others under the name the file gave."""
    items = _items_in([period])
    grants = _grants_in([period]).subquery()
    live = union_all(select(items.c.service_id, items.c.resident_id),
                     select(grants.c.service_id, grants.c.resident_id)).subquery()
    by_service = defaultdict(lambda: [0, 0])
    for service_id, granted, people in session.execute(
            select(live.c.service_id, func.count(), func.count(live.c.resident_id.distinct()))
            .group_by(live.c.service_id)):
        by_service[service_id] = [granted, people]
    rows = _history_in(history.SERVICE, [period]).subquery()
    for service_id, granted, people in session.execute(
            select(rows.c.service_id, func.count(), func.count(rows.c.case_ref.distinct()))
            .where(rows.c.service_id.is_not(None)).group_by(rows.c.service_id)):
        by_service[service_id][0] += granted
        by_service[service_id][1] += people
    by_name = {}
    for name, granted, people in session.execute(
            select(rows.c.service_name, func.count(), func.count(rows.c.case_ref.distinct()))
            .where(rows.c.service_id.is_(None), rows.c.service_name.is_not(None))
            .group_by(rows.c.service_name)):
        by_name[name] = (granted, people)
    return {key: tuple(value) for key, value in by_service.items()}, by_name
