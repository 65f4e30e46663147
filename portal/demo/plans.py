"""Demo individual plans (IPUS) for the demo assessments (fictitious content).

Every completed demo assessment gets a plan story that fits its request:
- requests handed on to a plan: approved plans (most signed by both sides,
  some awaiting signatures, some approved by the services organiser under
  the director's authorisation, some with an update signed or in the works;
  a few drawn up after the 30 days, with the reason);
- requests still in assessment: no plan yet, a draft, a plan submitted or
  returned with comments, a cancelled draft; a few single grants.
Stories are chosen by the assessment's id, so a second run finds the
same ones and adds nothing. Each step runs through the plans' own operations on the day it happened
(the portal's clock is set to that day while it runs), so numbers, steps,
frozen PDFs, capacity counts and the audit log are what the portal itself
would have written. A service found full puts the person on its waiting
list. Idempotent: an assessment that already has a plan is left alone.
"""
import random
from datetime import timedelta

from sqlalchemy import exists, select

from ..assessment.models import Assessment
from ..auth.models import Role, User
from ..core.deadlines import max_valid_until, plan_deadline
from ..desk.models import Request
from ..plans import services as plans
from ..plans.capacity import CapacityFull
from ..plans.delegations import grant_delegation
from ..plans.grants import grant_service
from ..plans.models import ApprovalDelegation, Plan, ServiceGrant, WaitingListEntry
from ..plans.waiting import add_to_waiting_list
from ..timeutil import local_now
from .clock import on_day
from .ordinal import ordinals

EFFECTS = [
    "Wyjście z domu co najmniej dwa razy w tygodniu, nowe znajomości w klubie.",
    "Bezpieczne funkcjonowanie w domu: pomoc w codziennych czynnościach, regularne wizyty lekarskie.",
    "Odciążenie opiekuna: kilka godzin wytchnienia w tygodniu, mniej objawów przemęczenia.",
    "Poprawa relacji w rodzinie, dziecko regularnie uczęszcza na zajęcia świetlicowe.",
    "Powrót do aktywności: udział w szkoleniu i pierwsze rozmowy z pracodawcami.",
    "Uporządkowane sprawy urzędowe i plan spłaty zaległości.",
]
LATE_REASONS = ["Osoba przebywała w szpitalu, nie było możliwości uzgodnienia planu.",
                "Oczekiwanie na decyzję realizatora o uruchomieniu usługi.",
                "Choroba koordynatora, sprawa przejęta z opóźnieniem."]
RETURN_COMMENTS = ["Doprecyzuj harmonogram opieki w domu (dni i godziny).",
                   "Brakuje oczekiwanych efektów dla usługi transportu.",
                   "Sprawdź okres usługi wytchnieniowej — wykracza poza dostępność realizatora."]
UPDATE_REASONS = ["Pogorszenie stanu zdrowia: potrzeba większej liczby godzin opieki.",
                  "Nowa oferta w katalogu: zajęcia ruchowe dla seniorów.",
                  "Osoba podjęła pracę, rezygnuje z części zajęć dziennych."]
SUPPORT_NOTES = ["Wolontariusz z Klubu Wolontariusza odwiedza raz w tygodniu.",
                 "Sąsiadka pomaga przy zakupach.", "Grupa samopomocowa opiekunów, spotkania co miesiąc."]

# The stories, in turn, so that every state appears: most plans are signed and running.
STORIES = ["active", "unsigned", "update_signed", "organiser", "submitted", "active", "update_draft", "returned",
           "active", "draft", "organiser", "cancelled", "active", "grant", "update_signed", "active", "unsigned",
           "active", "returned", "active"]
# Requests still in assessment have no approved plan yet.
IN_ASSESSMENT = ["none", "none", "draft", "draft", "submitted", "returned", "cancelled", "grant"]


def _data(session, assessment, day, rng):
    values = plans.draft_defaults(session, assessment, day)
    values["expected_effects"] = rng.choice(EFFECTS)
    values["check_frequency"] = rng.choice(["quarterly", "quarterly", "monthly"])
    for item in values["items"]:
        service = item["service"]
        # The demo catalogue counts places for many services (a club's 25
        # seats): a person takes one of them, not one per meeting.
        if service.capacity_maximum is not None and item["quantity"] * 4 > service.capacity_maximum:
            item["quantity"] = 1
        if rng.random() < 0.3:
            item["supports_volunteers"] = True
            item["supporting_note"] = rng.choice(SUPPORT_NOTES)
        elif rng.random() < 0.2:
            item["supports_neighbours"] = True
    return values


def _sign(session, plan, version, day, coordinator, director):
    roles = [("representative", plan.resident.representative_name)] if plan.resident.representative_name \
        and plan.resident.representative_kind == "legal" else [("participant", plan.resident.full_name)]
    for role, name in roles + [("director", director.full_name)]:
        plans.record_signature(session, plan, version, {"signer_role": role, "signer_name": name, "signed_on": day},
                               actor=coordinator, expected_version=plan.version, today=day)


def _approve(session, plan, day, approver, coordinator, counts):
    """Approve on `day`; a full service leaves the plan submitted and puts the
    person on that service's waiting list."""
    with on_day(day, 12) as today:
        try:
            # Refused before anything changes: nothing to roll back.
            plans.approve(session, plan, actor=approver, expected_version=plan.version, today=today)
        except CapacityFull as full:
            for check in full.checks:
                already = session.scalar(select(exists().where(
                    WaitingListEntry.service_id == check.service.id,
                    WaitingListEntry.resident_id == plan.resident_id, WaitingListEntry.status == "waiting")))
                if not already:
                    add_to_waiting_list(session, {"service_id": check.service.id,
                                                  "resident_id": plan.resident_id, "plan_id": plan.id,
                                                  "request_id": plan.request_id, "quantity": check.requested},
                                        actor=coordinator)
                    counts["waiting"] += 1
            return False
    return True


def seed_plans(session, *, seed=2026):
    """Plans for the completed demo assessments that have none; returns the counts."""
    director = session.scalar(select(User).where(User.role == Role.DIRECTOR, User.active.is_(True)).order_by(User.id))
    organiser = session.scalar(select(User).where(User.role == Role.SERVICES_ORGANISER, User.active.is_(True))
                               .order_by(User.id))
    if director is None:
        return None
    assessments = session.scalars(
        select(Assessment).where(Assessment.status == "completed", Assessment.request_id.is_not(None),
                                 ~exists().where(Plan.assessment_id == Assessment.id))
        .order_by(Assessment.assessed_on, Assessment.id)).all()
    if not assessments:
        return None
    today = local_now().date()
    counts = {"plans": 0, "approved": 0, "signed": 0, "updates": 0, "grants": 0, "waiting": 0}

    if organiser is not None and session.scalar(select(ApprovalDelegation.id)) is None:
        with on_day(today - timedelta(days=200)) as day:
            grant_delegation(session, organiser.id, actor=director, today=day,
                             note="Zarządzenie Dyrektora nr 12/2025 w sprawie zatwierdzania IPUS")

    closed_by_grant = session.scalar(select(exists().where(Request.status == "service_granted")))
    place = ordinals(session, Assessment, assessments)  # not ids: see demo/casework.py
    for assessment in assessments:
        request = assessment.request
        coordinator = assessment.coordinator
        if request is None or coordinator is None or not coordinator.active:
            continue
        rng = random.Random(seed * 7919 + place[assessment.id])
        handed = request.status == "handed_to_plan"
        story = STORIES[place[assessment.id] % len(STORIES)] if handed else rng.choice(IN_ASSESSMENT)
        if not handed and not closed_by_grant and story == "none":
            story = "grant"  # at least one application settled by a single service
        if story == "none" or (story == "grant" and session.scalar(select(exists().where(
                ServiceGrant.request_id == request.id)))):
            continue
        assessed = assessment.assessed_on or today
        late = handed and rng.random() < 0.12
        drawn = min(assessed + timedelta(days=rng.randint(32, 45) if late else rng.randint(2, 18)), today)
        if story == "grant":
            service = next((w.service for w in assessment.services_wanted if w.service is not None), None)
            if service is None:
                continue
            with on_day(drawn) as day:
                try:
                    grant_service(session, request, {"service_id": service.id, "quantity": 1,
                                                     "period_from": day,
                                                     "period_to": max_valid_until(day) - timedelta(days=180)},
                                  actor=coordinator, today=day)
                    counts["grants"] += 1
                    closed_by_grant = closed_by_grant or not handed
                except CapacityFull:
                    pass
            continue

        with on_day(drawn) as day:
            data = _data(session, assessment, day, rng)
            if not data["items"]:
                continue
            plan = plans.create_plan(session, assessment, data, actor=coordinator)
        counts["plans"] += 1
        if story == "draft":
            continue
        if story == "cancelled":
            with on_day(drawn + timedelta(days=rng.randint(1, 5))):
                plans.cancel(session, plan, actor=coordinator, expected_version=plan.version,
                             reason="Osoba zrezygnowała z udziału w planie.")
            continue
        with on_day(drawn, 14) as day:
            deadline = plan_deadline(request, day)
            reason = rng.choice(LATE_REASONS) if deadline and day > deadline.due else None
            plans.submit(session, plan, actor=coordinator, expected_version=plan.version, today=day,
                         overdue_reason=reason)
        if story == "submitted":
            continue
        decided = drawn + timedelta(days=rng.randint(1, 6))
        if story == "returned":
            with on_day(decided) as day:
                plans.return_for_changes(session, plan, actor=director, expected_version=plan.version, today=day,
                                         comment=rng.choice(RETURN_COMMENTS))
            continue
        approver = organiser if story == "organiser" and organiser is not None else director
        if decided > today or not _approve(session, plan, decided, approver, coordinator, counts):
            continue
        counts["approved"] += 1
        if story == "unsigned":
            continue
        signed = min(decided + timedelta(days=rng.randint(0, 9)), today)
        with on_day(signed, 13) as day:
            _sign(session, plan, plan.versions[0], day, coordinator, director)
        counts["signed"] += 1
        if story not in ("update_signed", "update_draft"):
            continue
        updated = min(signed + timedelta(days=rng.randint(60, 200)), today - timedelta(days=12))
        if updated <= signed:
            continue
        with on_day(updated) as day:
            update = plans.start_update(session, plan, actor=coordinator, expected_version=plan.version, today=day)
            values = _data(session, assessment, update.valid_from, rng)
            values.update(drawn_up_on=day, valid_until=update.valid_until, update_reason=rng.choice(UPDATE_REASONS))
            for item in values["items"]:
                item["period_to"] = update.valid_until
            values["items"][0]["quantity"] += 2
            plans.save_version(session, plan, values, actor=coordinator, expected_version=plan.version)
        counts["updates"] += 1
        if story == "update_draft":
            continue
        with on_day(updated + timedelta(days=2), 14) as day:
            plans.submit(session, plan, actor=coordinator, expected_version=plan.version, today=day)
        if _approve(session, plan, updated + timedelta(days=5), director, coordinator, counts):
            with on_day(min(updated + timedelta(days=8), today), 13) as day:
                _sign(session, plan, plan.versions[-1], day, coordinator, director)
    if not session.scalar(select(exists().where(WaitingListEntry.id.is_not(None)))):
        _waiting_for_the_tightest_service(session, assessments, counts)
    session.flush()
    return counts if any(counts.values()) else None


def _waiting_for_the_tightest_service(session, assessments, counts):
    """Two people waiting for the service with the fewest free places."""
    from ..catalogue.models import Service

    services = session.scalars(select(Service).where(Service.capacity_maximum.is_not(None),
                                                     Service.status == "active")).all()
    if not services:
        return
    tightest = min(services, key=lambda s: (s.capacity_available, s.id))
    for assessment in assessments[:2]:
        if assessment.coordinator is None:
            continue
        with on_day(local_now().date() - timedelta(days=14 * (counts["waiting"] + 1))):
            add_to_waiting_list(session, {"service_id": tightest.id, "resident_id": assessment.resident_id,
                                          "request_id": assessment.request_id, "quantity": 1},
                                actor=assessment.coordinator)
        counts["waiting"] += 1
