"""Demo group sessions (issue 13): a year (2026) of sessions of the group
services the demo plans and grants use, planned from each service's weekly
schedule (holidays and closures skipped). Sessions up to today are held,
with the attendance of the people whose plan items or grants cover that day
(most of them come), a few others without a record, and a few sessions
cancelled; the rest of the year is planned. Events' past occurrences get
head counts.

Bulk inserts (the demo runs on every first `make run`); choices are seeded
by the services' ordinals (portal/demo/ordinal.py), so a run gives the same
sessions whatever the database held before. Idempotent: nothing is added
when any group session exists.
"""
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from ..catalogue import schedule as sched
from ..catalogue.models import Service
from ..delivery.commitments import commitments
from ..delivery.models import Attendance, EventHeadCount, GroupSession
from ..delivery.sessions import past_occurrences
from ..events.models import Event
from ..timeutil import WARSAW, local_now
from .ordinal import ordinals

YEAR = 2026
LEADERS = ["Maria Wiśniewska", "Tomasz Zieliński", "Agnieszka Lewandowska", "Krzysztof Dąbrowski",
           "Joanna Kamińska"]
TOPICS = ["Gimnastyka i rozmowy przy herbacie", "Rękodzieło: kartki okolicznościowe", "Spotkanie z pielęgniarką",
          "Śpiewamy piosenki biesiadne", "Wspomnienia i stare zdjęcia", "Zajęcia kulinarne", "Gry planszowe",
          "Bezpieczeństwo w internecie", "Spacer z kijkami", "Trening pamięci"]
CANCEL_REASONS = ["Choroba prowadzącej.", "Awaria ogrzewania w świetlicy.", "Zajęcia przeniesione na inny termin.",
                  "Zbyt mało chętnych z powodu śnieżycy."]
CANCELLED_SHARE = 0.03
PRESENT_SHARE = 0.85


def seed_sessions(session, *, seed=YEAR):
    """Sessions, attendance and head counts when there are none; the counts."""
    if session.scalar(select(func.count(GroupSession.id))):
        return None
    today = local_now().date()
    first, last = date(YEAR, 1, 1), date(YEAR, 12, 31)
    services = session.scalars(select(Service).where(Service.delivery_mode == "group", Service.status == "active")
                               .order_by(Service.id)).all()
    by_service = {}
    for c in commitments(session, service_ids=[s.id for s in services], start=first, end=last):
        by_service.setdefault(c.service_id, []).append(c)
    used = [s for s in services if s.id in by_service and s.schedule_rules]
    place = ordinals(session, Service, used)
    counts = {"sessions": 0, "held": 0, "cancelled": 0, "attendance": 0, "head_counts": 0}
    rows, rngs = [], {}
    for service in used:
        rng = rngs[service.id] = random.Random(seed * 7919 + place[service.id])
        leader = LEADERS[place[service.id] % len(LEADERS)]
        where = service.places[0].one_line[:300] if service.places else ""
        schedule = service.schedule()
        day = first
        while day <= last:
            for occurrence in sched.sessions_on(schedule, day):
                rule = occurrence.rule
                if rule.overnight:
                    continue
                status = "planned"
                if day <= today:
                    status = "cancelled" if rng.random() < CANCELLED_SHARE else "held"
                rows.append(dict(service_id=service.id, provider_id=service.provider_id, held_on=day,
                                 starts=rule.opens, ends=rule.closes, place=where, leader=leader,
                                 topic=rng.choice(TOPICS), status=status,
                                 cancel_reason=rng.choice(CANCEL_REASONS) if status == "cancelled" else None,
                                 other_participants=rng.randint(0, 3) if status == "held" else 0, version=1,
                                 created_at=_moment(min(day, today) - timedelta(days=7))))
                counts[status] = counts.get(status, 0) + 1
            day += timedelta(days=1)
    if rows:
        session.execute(GroupSession.__table__.insert(), rows)
    counts["sessions"] = len(rows)
    counts.pop("planned", None)

    attendance = []
    held = session.execute(select(GroupSession.id, GroupSession.service_id, GroupSession.held_on)
                           .where(GroupSession.status == "held").order_by(GroupSession.id)).all()
    # People come as often as their plan gives them, spread evenly over the
    # held sessions of its period (a quantity of meetings), never more; a
    # place in a club (counted per person or month) most weeks.
    held_days = {}
    for _session_id, service_id, day in held:
        held_days.setdefault(service_id, []).append(day)
    chosen = {}  # (service id, day) -> the people present
    for service_id, found in by_service.items():
        for c in found:
            days = [day for day in held_days.get(service_id, ()) if c.start <= day <= c.end]
            if not days:
                continue
            rng = rngs[service_id]
            if c.unit in ("person", "month") or c.quantity >= len(days):
                picked = [day for day in days if rng.random() < PRESENT_SHARE]
            else:
                step = len(days) / c.quantity
                picked = [days[int(i * step)] for i in range(c.quantity)]
            for day in picked:
                chosen.setdefault((service_id, day), set()).add(c.resident_id)
    for session_id, service_id, day in held:
        present = sorted(chosen.get((service_id, day), ()))
        attendance += [{"session_id": session_id, "resident_id": resident_id} for resident_id in present]
    if attendance:
        session.execute(Attendance.__table__.insert(), attendance)
    counts["attendance"] = len(attendance)
    counts["head_counts"] = _head_counts(session, seed)
    session.flush()
    return counts if counts["sessions"] or counts["head_counts"] else None


def _moment(day):
    return datetime.combine(day, time(9), tzinfo=WARSAW)


def _head_counts(session, seed):
    """How many came to the past occurrences of the published events: a club
    a dozen or two, a one-off feast hundreds (a picnic's 450)."""
    if session.scalar(select(func.count(EventHeadCount.id))):
        return 0
    now = local_now()
    events = session.scalars(select(Event).where(Event.status == "published").order_by(Event.id)).all()
    place = ordinals(session, Event, events)
    rows = []
    for event in events:
        rng = random.Random(seed * 104729 + place[event.id])
        for day in past_occurrences(event, now, limit=40):
            count = 450 if event.frequency == "none" and "Piknik" in event.title else (
                rng.randint(150, 600) if event.frequency == "none" else rng.randint(8, 24))
            rows.append({"event_id": event.id, "occurs_on": day, "head_count": count, "created_at": now,
                         "updated_at": now})
    if rows:
        session.execute(EventHeadCount.__table__.insert(), rows)
    return len(rows)
