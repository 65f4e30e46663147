"""Demo monitoring and closures for the demo plans (fictitious content).

On top of the demo plans (portal/demo/plans.py):
- every signed plan gets its monitoring card: a contact about each service
  every quarter (every month when the plan checks monthly) since it was
  signed, with what was delivered, a remark now and then and the person's
  satisfaction; for some plans the last contact is missing, so the
  reminder shows a quarter passed without one;
- plans whose validity has ended, and a third of those signed more than
  eight months ago, are closed after a summary conversation: the course and
  results, an outcome per service and the survey (one person declines it);
  their requests close with them.
Each step runs through the casework operations on the day it happened (the
portal's clock is set to that day), so the request's history, capacity and
the audit log are what the portal itself writes. Idempotent: once any
contact or closure exists, nothing is added.
"""
import random
from datetime import timedelta

from sqlalchemy import exists, select

from ..casework import services as casework
from ..casework.models import MonitoringEntry, PlanClosure
from ..core.deadlines import add_months
from ..plans import capacity
from ..plans.models import Plan
from ..timeutil import local_now, to_local
from .clock import on_day
from .ordinal import ordinals

SCOPES = [
    "Usługa realizowana zgodnie z harmonogramem, bez opuszczonych terminów.",
    "Uczestnik korzystał ze wszystkich zaplanowanych spotkań.",
    "Dwa terminy odwołane z powodu choroby uczestnika, odrobione w kolejnym miesiącu.",
    "Realizator zapewnił zastępstwo w czasie urlopu opiekunki.",
    "Zajęcia prowadzone w mniejszej grupie, uczestnik aktywny.",
    "Usługa realizowana w pełnym zakresie; uczestnik zna harmonogram na kolejny kwartał.",
]
REMARKS = [
    None, None, None,
    "Uczestnik prosi o zmianę godziny zajęć na popołudniową.",
    "Córka uczestnika zgłasza poprawę samopoczucia ojca.",
    "Trudności z dojazdem zimą — rozważyć transport door-to-door.",
    "Realizator sygnalizuje potrzebę konsultacji z fizjoterapeutą.",
]
EFFECTS = [
    "Uczestnik samodzielnie wychodzi z domu, utrzymuje kontakty z grupą klubową; poprawa nastroju.",
    "Opiekun odzyskał czas na odpoczynek, rodzina zorganizowała stałą pomoc sąsiedzką.",
    "Poprawa sprawności ruchowej, uczestnik porusza się po domu bez pomocy.",
    "Dziecko regularnie uczęszcza do świetlicy, poprawiły się oceny i relacje z rówieśnikami.",
]
NOTES = {"partly": "Część zajęć nie odbyła się z powodu choroby uczestnika.",
         "not_attained": "Uczestnik zrezygnował z usługi po dwóch miesiącach.",
         "cancelled": "Realizator zakończył prowadzenie usługi."}
COMMENTS = [None, "Dziękuję za pomoc i życzliwość.", "Chciałabym, żeby zajęcia trwały dłużej.",
            "Wszystko w porządku, polecę znajomym."]


def _contacts(session, plan, rng, today, counts):
    """Contacts about every service since the version in force was signed, until `today`."""
    version = plan.version_in_force
    if version is None or version.signed_at is None:
        return []
    months = 1 if version.check_frequency == "monthly" else 3
    day = to_local(version.signed_at).date()
    last_day = min(today, version.valid_until)
    days = []
    while True:
        # A little before the deadline, as a coordinator plans the round of calls.
        day = add_months(day, months) - timedelta(days=rng.randint(0, 12))
        if day > last_day:
            break
        days.append(day)
    if days and rng.random() < 0.25:
        days.pop()  # this quarter's contact is missing: the reminder shows it
    for day in days:
        with on_day(day, 11) as at:
            rows = [{"plan_item_id": item.id, "scope_delivered": rng.choice(SCOPES), "remarks": rng.choice(REMARKS),
                     "satisfaction": rng.choice([3, 4, 4, 5, 5, 5])} for item in version.items]
            kind = rng.choice(["phone", "phone", "visit", "centre"])
            contact = {"contact_on": at, "contact_kind": kind, "items": rows}
            casework.record_contact(session, plan, contact, actor=plan.coordinator, today=at)
        counts["contacts"] += 1
    return days


def _close(session, plan, rng, day, counts):
    with on_day(day, 12) as at:
        data = casework.closure_defaults(plan, at, casework.entries_of(session, plan))
        data["effects"] = rng.choice(EFFECTS)
        for row in data["items"]:
            row["outcome"] = rng.choice(["attained", "attained", "attained", "partly", "not_attained", "cancelled"])
            row["note"] = NOTES.get(row["outcome"])
        declined = counts["closed"] == 1  # the second person closed declines the survey
        data["survey_declined"] = declined
        for key in ("survey_needs", "survey_quality", "survey_access", "survey_coordinator", "survey_change"):
            data[key] = None if declined else rng.choice([3, 4, 5, 5])
        data["survey_comment"] = None if declined else rng.choice(COMMENTS)
        casework.close_plan(session, plan, data, actor=plan.coordinator, expected_version=plan.version, today=at)
    counts["closed"] += 1


def seed_casework(session, *, seed=2026):
    """Monitoring cards and closures for the demo plans; returns the counts."""
    if session.scalar(select(exists().where(MonitoringEntry.id.is_not(None)))) or session.scalar(
            select(exists().where(PlanClosure.id.is_not(None)))):
        return None
    plans = session.scalars(select(Plan).where(Plan.status.in_(("approved", "active"))).order_by(Plan.id)).all()
    if not plans:
        return None
    today = local_now().date()
    counts = {"contacts": 0, "closed": 0}
    # Choices follow each plan's ordinal, not its id: PostgreSQL never reuses a
    # sequence value, so ids depend on what the database held before.
    place = ordinals(session, Plan, plans)
    # Closed: every plan past its validity, and the three longest-running
    # ones signed at least five months ago, a few months back (the person's
    # needs were met); the rest are followed until today.
    closing = {}
    signed = sorted((p for p in plans if p.status == "active" and p.version_in_force.signed_at is not None),
                    key=lambda p: (p.version_in_force.signed_at, place[p.id]))
    for plan in plans:
        version = plan.version_in_force
        if version.valid_until < today:
            closing[plan.id] = version.valid_until + timedelta(days=1 + place[plan.id] % 9)
    for plan in signed[:3]:
        start = to_local(plan.version_in_force.signed_at).date()
        if plan.id not in closing and (today - start).days > 150:
            closing[plan.id] = start + timedelta(days=120 + (today - start).days * (place[plan.id] % 3) // 6)
    for plan in plans:
        if plan.coordinator is None or not plan.coordinator.active:
            continue
        rng = random.Random(seed * 104729 + place[plan.id])
        until = min(closing.get(plan.id, today), today)
        if plan.status == "active":
            _contacts(session, plan, rng, until, counts)
        if plan.id in closing and casework.closure_problem(plan) is None:
            _close(session, plan, rng, until, counts)
    # The steps above counted capacity on their own days; count it for today.
    capacity.refresh_all(session, today)
    session.flush()
    return counts if any(counts.values()) else None
