"""Demo deliveries of individual services and demo consultations (fictitious).

On top of the demo plans and grants (portal/demo/plans.py), read through
delivery.commitments() like the portal does:
- hour-based care: visits on working days, in hours as carers' timesheets
  keep them (1, 1,5, 2, 3 hours), from January 2026 (or the commitment's
  start) to today, at roughly the planned pace; the first such commitment
  stops 40 days ago (a warning: no delivery for over 30 days) and the second
  runs over its planned quantity;
- rides, visits, days, loans and months spread over the commitment's
  period so far, at the planned pace;
- about 30 consultations for the counselling services ("Poradnictwo…",
  "Konsultacje…"), a third of them anonymous, the others for people granted
  the service on that day.
Bulk inserts; idempotent: once any entry or consultation exists, nothing is
added.
"""
import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import exists, insert, select

from ..auth.models import Role, User
from ..catalogue.models import Service
from ..core.holidays import is_working_day
from ..delivery.commitments import commitments
from ..delivery.models import CONSULTATION_KINDS, Consultation, DeliveryEntry
from ..plans.models import PlanItem
from ..residents.models import Resident
from ..timeutil import local_now

CARERS = ("Ewa Lis", "Halina Wrona", "Krystyna Bąk", "Teresa Kula", "Marek Sowa")
DRIVERS = ("Paweł Nowicki", "Jerzy Kmieć")
THERAPISTS = ("Agnieszka Rudnicka", "Tomasz Wilk")
COUNSELLORS = ("Magdalena Czyż", "Robert Domański", "Zofia Górecka")
START = date(2026, 1, 1)
HOURS = (Decimal(1), Decimal("1.5"), Decimal(2), Decimal(3))


def _working_days(first, last):
    day = first
    while day <= last:
        if is_working_day(day):
            yield day
        day += timedelta(days=1)


def seed_delivery_entries(session, *, seed=2026):
    """Entries and consultations for the demo commitments; returns the counts."""
    if session.scalar(select(exists().where(DeliveryEntry.id.is_not(None)))) or session.scalar(
            select(exists().where(Consultation.id.is_not(None)))):
        return None
    today = local_now().date()
    start = START if today >= START else date(today.year, 1, 1)
    services = {s.id: s for s in session.scalars(select(Service).where(
        Service.delivery_mode.in_(("individual", "consultation"))))}
    if not services:
        return None
    found = commitments(session, service_ids=list(services), start=start, end=today)
    if not found:
        return None
    people = {p.id: p for p in session.scalars(select(Resident).where(
        Resident.id.in_({c.resident_id for c in found})))}
    item_providers = dict(session.execute(select(PlanItem.id, PlanItem.provider_id).where(
        PlanItem.id.in_({c.item_id for c in found if c.item_id}))).all())
    organiser = session.scalar(select(User.id).where(User.role == Role.SERVICES_ORGANISER).order_by(User.id))
    # Choices follow names and dates, never ids (PostgreSQL does not reuse them).
    ordered = sorted(found, key=lambda c: (services[c.service_id].name, people[c.resident_id].pesel or "",
                                           people[c.resident_id].last_name, c.start, c.kind))
    rows, counts = [], {"entries": 0, "consultations": 0}
    hour_commitments = [c for c in ordered if services[c.service_id].delivery_mode == "individual"
                        and services[c.service_id].unit == "hour"]
    silent = hour_commitments[0] if hour_commitments else None
    over = next((c for c in hour_commitments[1:] if c.kind == "plan"), None)
    for number, c in enumerate(ordered):
        service = services[c.service_id]
        if service.delivery_mode != "individual":
            continue
        rng = random.Random(seed * 7919 + number)
        provider = item_providers.get(c.item_id) or service.provider_id
        first, last = max(c.start, start), min(c.end, today)
        if c is silent:
            last = min(last, today - timedelta(days=40))
        if last < first:
            continue

        def add(day, quantity, by, _c=c, _provider=provider, _service=service):
            rows.append(dict(service_id=_service.id, resident_id=_c.resident_id, provider_id=_provider,
                             delivered_on=day, quantity=quantity, unit=_service.unit, delivered_by=by,
                             note=None, created_by_id=organiser))

        period_days = max((c.end - c.start).days + 1, 1)
        share = ((last - first).days + 1) / period_days  # the part of the period delivered so far
        # At the planned pace; the one over its quantity has had a quarter more than the whole period's.
        target = Decimal(c.quantity) * (Decimal("1.25") if c is over else Decimal(share))
        days = list(_working_days(first, last))
        if not days:
            continue
        if service.unit == "hour":
            per_visit = HOURS[rng.randrange(len(HOURS))]
            visits = min(len(days), max(1, int(target / per_visit) + (1 if c is over else 0)))
            carer = CARERS[number % len(CARERS)]
            step = len(days) / visits
            for index in range(visits):
                hours = per_visit if rng.random() > 0.15 else per_visit + Decimal("0.5")
                add(days[int(index * step)], min(hours, Decimal(8)), carer)
        else:
            units = max(1, int(target))
            by = {"trip": DRIVERS[number % len(DRIVERS)], "visit": THERAPISTS[number % len(THERAPISTS)]}.get(
                service.unit, "")
            entries = min(len(days), max(1, units // 2 if service.unit == "trip" else units))
            step = len(days) / entries
            for index in range(entries):
                quantity = 2 if service.unit == "trip" and units >= 2 * entries else 1
                add(days[int(index * step)], Decimal(min(quantity, 10)), by)
    if rows:
        session.execute(insert(DeliveryEntry), rows)
        counts["entries"] = len(rows)
    counts["consultations"] = _consultations(session, services, ordered, organiser, start, today, seed)
    return counts


def _consultations(session, services, ordered, organiser, start, today, seed):
    counselling = sorted((s for s in services.values() if s.delivery_mode == "consultation"),
                         key=lambda s: s.name)
    if not counselling:
        return 0
    rng = random.Random(seed * 31)
    days = list(_working_days(start, today))
    kinds = list(CONSULTATION_KINDS)
    rows = []
    for number in range(30):
        service = counselling[number % len(counselling)]
        day = days[rng.randrange(len(days))]
        granted = [c for c in ordered if c.service_id == service.id and c.start <= day <= c.end]
        person = None
        if granted and number % 3:
            person = granted[rng.randrange(len(granted))].resident_id
        kind = "legal" if "prawn" in service.name.lower() else kinds[rng.randrange(len(kinds))]
        rows.append(dict(service_id=service.id, resident_id=person, provider_id=service.provider_id, given_on=day,
                         minutes=rng.choice((30, 45, 60, 60, 90)), kind=kind,
                         given_by=COUNSELLORS[number % len(COUNSELLORS)], note=None, created_by_id=organiser))
    session.execute(insert(Consultation), rows)
    return len(rows)
