"""Delivered against planned, and a service's use: the one place that counts
what the delivery register holds (issue 13 §1 "What it computes").

The counting rules (tests/delivery/test_figures.py holds each):
- What a person received of a service is, in the service's unit: the sum of
  the individual entries' quantities; for a group service, one per held
  session the person attended; for a consultation, one per consultation
  (its minutes as hours when the unit is the hour). A planned or cancelled
  session counts nothing.
- A commitment (a plan item in force or a granted single service,
  commitments.py) is matched to deliveries by the person, the service and
  the days of its period, never by an id: a plan update copies its items.
- Warnings for a commitment running today, once its plan is signed (an
  approved plan awaiting signatures starts nothing): no delivery for 30 days (more
  than 30 days since the last delivery, or since its start when nothing was
  delivered yet, so a new item is not flagged in its first month), and delivered over the planned quantity
  (not for services counted in places per month or per person, whose
  quantity is not a number of deliveries).
- A session's hours are the time that really passed between its local
  start and end in Europe/Warsaw (a night session across the summer-time
  change counts one hour less or more than the clock face says).
- A service's distinct participants are the people on record who attended,
  received an entry or a consultation in the period; participants without
  a record (sessions' head counts, anonymous consultations) are counted
  apart, never added to the distinct people.
- Current users of a service are the distinct people on record who received
  it in the 30 days up to today; the remaining capacity is the catalogue's
  (maximum minus what plans and grants hold today, plans/capacity.py).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache

from sqlalchemy import Date, bindparam, func, literal, select, union, union_all

from ..catalogue.models import Service
from ..timeutil import WARSAW
from .commitments import commitments, plan_commitments
from .models import Attendance, Consultation, DeliveryEntry, GroupSession

STALE_AFTER_DAYS = 30
# Units whose planned quantity is not a count of deliveries (a place in a
# club, a month of a supported flat).
NOT_COUNTED_UNITS = ("person", "month")


def session_hours(held_on, starts, ends):
    """The hours that really passed between a session's local start and end."""
    begin = datetime.combine(held_on, starts, tzinfo=WARSAW).astimezone(UTC)
    finish = datetime.combine(held_on, ends, tzinfo=WARSAW).astimezone(UTC)
    return Decimal(int((finish - begin).total_seconds())) / Decimal(3600)


# --- what each person received, day by day ------------------------------------------------------

def received(session, *, resident_ids, service_ids, start=None, end=None, units=None):
    """{(resident_id, service_id): {day: quantity in the service's unit}} for
    the given people and services; `units` ({service id: unit}) when the
    caller knows them. One statement: the entries, the attendances at held
    sessions and the consultations, each summed by person, service and day."""
    if units is None:
        units = dict(session.execute(select(Service.id, Service.unit).where(Service.id.in_(service_ids))).all())
    days = defaultdict(lambda: defaultdict(Decimal))
    rows = session.execute(_received_by_day(), {
        "resident_ids": list(resident_ids), "service_ids": list(service_ids),
        "start": start or date.min, "end": end or date.max})
    for kind, resident_id, service_id, day, count, amount in rows:
        if kind == "entry":
            quantity = Decimal(amount)
        elif kind == "attendance":
            quantity = Decimal(count)
        else:  # a consultation: its minutes as hours when the unit is the hour, else one each
            quantity = Decimal(amount) / 60 if units.get(service_id) == "hour" else Decimal(count)
        days[(resident_id, service_id)][day] += quantity
    return days


@cache
def _received_by_day():
    """received()'s statement, built once per process (building it costs
    more than running it for one plan): people, services and days bound."""
    people, services = bindparam("resident_ids", expanding=True), bindparam("service_ids", expanding=True)
    start, end = bindparam("start", type_=Date), bindparam("end", type_=Date)
    entries = (
        select(literal("entry").label("kind"), DeliveryEntry.resident_id, DeliveryEntry.service_id,
               DeliveryEntry.delivered_on.label("day"), func.count().label("n"),
               func.sum(DeliveryEntry.quantity).label("amount"))
        .where(DeliveryEntry.resident_id.in_(people), DeliveryEntry.service_id.in_(services),
               DeliveryEntry.delivered_on.between(start, end))
        .group_by(DeliveryEntry.resident_id, DeliveryEntry.service_id, DeliveryEntry.delivered_on))
    attended = (
        select(literal("attendance"), Attendance.resident_id, GroupSession.service_id, GroupSession.held_on,
               func.count(), literal(0))
        .join(GroupSession, GroupSession.id == Attendance.session_id)
        .where(Attendance.resident_id.in_(people), GroupSession.service_id.in_(services),
               GroupSession.status == "held", GroupSession.held_on.between(start, end))
        .group_by(Attendance.resident_id, GroupSession.service_id, GroupSession.held_on))
    consulted = (
        select(literal("consultation"), Consultation.resident_id, Consultation.service_id, Consultation.given_on,
               func.count(), func.sum(Consultation.minutes))
        .where(Consultation.resident_id.in_(people), Consultation.service_id.in_(services),
               Consultation.given_on.between(start, end))
        .group_by(Consultation.resident_id, Consultation.service_id, Consultation.given_on))
    return union_all(entries, attended, consulted)


@dataclass
class Progress:
    """Delivered against planned for one commitment, as of `today`."""

    commitment: object
    delivered: Decimal = Decimal(0)
    last_delivery: date | None = None
    today: date | None = None

    @property
    def planned(self):
        return self.commitment.quantity

    @property
    def counted(self):
        """Whether the planned quantity is a count of deliveries."""
        return self.commitment.unit not in NOT_COUNTED_UNITS

    @property
    def running(self):
        return self.commitment.start <= self.today <= self.commitment.end

    @property
    def over(self):
        return self.commitment.signed and self.counted and self.delivered > self.planned

    @property
    def stale(self):
        """Running, and nothing delivered for 30 days (from its start when
        nothing was delivered yet)."""
        if not self.running or not self.commitment.signed:
            return False
        since = self.last_delivery or self.commitment.start
        return (self.today - since).days > STALE_AFTER_DAYS

    @property
    def warned(self):
        return self.over or self.stale


def progress(session, found, today):
    """A Progress for each commitment in `found` (commitments.commitments())."""
    if not found:
        return []
    days = received(session, resident_ids={c.resident_id for c in found},
                    service_ids={c.service_id for c in found},
                    start=min(c.start for c in found), end=max(c.end for c in found),
                    units={c.service_id: c.unit for c in found})
    result = []
    for commitment in found:
        own = days.get((commitment.resident_id, commitment.service_id), {})
        inside = [day for day in own if commitment.start <= day <= commitment.end]
        result.append(Progress(commitment, sum((own[day] for day in inside), Decimal(0)),
                               max(inside, default=None), today))
    return result


def plan_progress(session, plan, today):
    """{plan item id: Progress} for the items of the plan's version in force."""
    found = plan_commitments(plan)
    return {p.commitment.item_id: p for p in progress(session, found, today)}


def warnings_for(session, resident_ids, today):
    """{resident_id: [Progress warned]} for commitments running today."""
    if not resident_ids:
        return {}
    found = commitments(session, resident_ids=list(resident_ids), start=today, end=today)
    warned = defaultdict(list)
    for item in progress(session, found, today):
        if item.warned:
            warned[item.commitment.resident_id].append(item)
    return dict(warned)


# --- a service's use ------------------------------------------------------------------------------

@dataclass
class Usage:
    """A service's use in [start, end] and its users today."""

    service: Service
    start: date
    end: date
    sessions_held: int = 0
    sessions_cancelled: int = 0
    sessions_planned: int = 0
    hours: Decimal = Decimal(0)
    units: Decimal = Decimal(0)
    participants: int = 0  # distinct people on record
    others: int = 0  # head counts and anonymous consultations
    current_users: int = 0
    by_month: dict = field(default_factory=dict)  # (year, month) -> units

    @property
    def remaining(self):
        return self.service.capacity_available


def usage(session, service, start, end, today):
    """What `service` delivered in [start, end] (Usage); current users as of
    `today`. Summed in the database by day (a year is at most 366 rows per
    kind, whatever the number of entries), the distinct people read once.
    Its statements are built once per process (_usage_statements)."""
    result = Usage(service, start, end)
    by_month = defaultdict(Decimal)
    statements = _usage_statements()
    bound = {"service_id": service.id, "start": start, "end": end}

    for day, starts, ends, status, count, others in session.execute(statements.sessions, bound):
        if status == "held":
            result.sessions_held += count
            result.hours += session_hours(day, starts, ends) * count
            result.others += others
            by_month[(day.year, day.month)] += 0  # a month the service ran, if only for others
        elif status == "cancelled":
            result.sessions_cancelled += count
        else:
            result.sessions_planned += count

    for day, count in session.execute(statements.attendances, bound):
        result.units += count
        by_month[(day.year, day.month)] += count

    for day, quantity in session.execute(statements.entries, bound):
        quantity = Decimal(quantity)
        result.units += quantity
        by_month[(day.year, day.month)] += quantity
        if service.unit == "hour":
            result.hours += quantity

    for day, count, minutes, anonymous in session.execute(statements.consultations, bound):
        amount = Decimal(minutes) / 60 if service.unit == "hour" else Decimal(count)
        result.units += amount
        result.hours += Decimal(minutes) / 60
        result.others += anonymous
        by_month[(day.year, day.month)] += amount

    result.participants = session.scalar(statements.people, bound) or 0
    result.by_month = dict(sorted(by_month.items()))
    result.current_users = current_users(session, service.id, today)
    return result


def current_users(session, service_id, today):
    """Distinct people on record who received the service in the 30 days up to today."""
    since = today - timedelta(days=STALE_AFTER_DAYS - 1)
    return session.scalar(_usage_statements().people, {"service_id": service_id, "start": since, "end": today}) or 0


@dataclass(frozen=True)
class _UsageStatements:
    sessions: object  # sessions by day, times and status: count and head counts
    attendances: object  # attendances at held sessions by day
    entries: object  # individual entries' quantities by day
    consultations: object  # consultations by day: count, minutes, anonymous ones
    people: object  # distinct people on record who received the service


@cache
def _usage_statements():
    """usage()'s statements for a service and days bound at execution, built
    once per process: building them cost more than running them."""
    service_id = bindparam("service_id")
    start, end = bindparam("start", type_=Date), bindparam("end", type_=Date)
    held = (select(Attendance.resident_id, GroupSession.held_on)
            .join(GroupSession, GroupSession.id == Attendance.session_id)
            .where(GroupSession.service_id == service_id, GroupSession.status == "held",
                   GroupSession.held_on.between(start, end))
            .subquery())
    people = union(
        select(held.c.resident_id),
        select(DeliveryEntry.resident_id).where(DeliveryEntry.service_id == service_id,
                                                DeliveryEntry.delivered_on.between(start, end)),
        select(Consultation.resident_id).where(Consultation.service_id == service_id,
                                               Consultation.given_on.between(start, end),
                                               Consultation.resident_id.is_not(None)),
    ).subquery()
    return _UsageStatements(
        sessions=select(GroupSession.held_on, GroupSession.starts, GroupSession.ends, GroupSession.status,
                        func.count(), func.coalesce(func.sum(GroupSession.other_participants), 0))
        .where(GroupSession.service_id == service_id, GroupSession.held_on.between(start, end))
        .group_by(GroupSession.held_on, GroupSession.starts, GroupSession.ends, GroupSession.status),
        attendances=select(held.c.held_on, func.count()).group_by(held.c.held_on),
        entries=select(DeliveryEntry.delivered_on, func.sum(DeliveryEntry.quantity))
        .where(DeliveryEntry.service_id == service_id, DeliveryEntry.delivered_on.between(start, end))
        .group_by(DeliveryEntry.delivered_on),
        consultations=select(Consultation.given_on, func.count(), func.sum(Consultation.minutes),
                             func.count() - func.count(Consultation.resident_id))
        .where(Consultation.service_id == service_id, Consultation.given_on.between(start, end))
        .group_by(Consultation.given_on),
        people=select(func.count()).select_from(people),
    )
