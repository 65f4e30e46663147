"""Demo needs assessments for the demo requests (fictitious content).

Every application that reached "in assessment" with a registered person gets
one: completed for requests handed on to a plan and for two in three of
those still in assessment, a partly filled draft for the rest. Idempotent:
a request that already has an assessment is left alone, so `flask demo
ensure` can run at every start.
"""
import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..assessment.models import Assessment, AssessmentSensitive, AssessmentService
from ..desk.models import Request
from ..timeutil import WARSAW, now
from .ordinal import ordinals

EDUCATION = ["primary", "secondary", "secondary", "higher", "none"]
LABOUR = ["inactive", "inactive", "employed", "unemployed_registered", "farmer", "job_seeker", "other"]
MARITAL = ["married", "widowed", "widowed", "single", "divorced", "separated", "partnership"]
INCOME = ["emerytura", "renta z tytułu niezdolności do pracy", "wynagrodzenie za pracę",
          "gospodarstwo rolne i emerytura rolnicza (KRUS)", "zasiłek stały z pomocy społecznej",
          "świadczenie pielęgnacyjne", "alimenty i praca dorywcza"]
ASSISTANCE = [None, None, "zasiłek okresowy (2024)", "posiłek w szkole dla wnuka", "usługi opiekuńcze od 2023 r.",
              "zasiłek celowy na opał"]
SUPPORT = [("family", "services"), ("family", "cash"), ("others", "services"), ("ngo", "in_kind"),
           ("church", "in_kind"), ("institutions", "services")]
SUPPORT_NOTES = ["Córka przyjeżdża w weekendy i robi większe zakupy.",
                 "Sąsiadka zagląda codziennie, pomaga przy opale.",
                 "Paczki żywnościowe z banku żywności przez stowarzyszenie.",
                 "Syn mieszka za granicą, przesyła pieniądze na leki."]
ENGAGEMENT = [None, "Należy do Koła Gospodyń Wiejskich.", "Śpiewa w chórze parafialnym.",
              "Dawniej sołtys, dziś rzadko wychodzi z domu.", "Pomaga przy festynie sołeckim."]
USED = [None, "Wypożyczalnia sprzętu rehabilitacyjnego (balkonik).", "Transport na badania raz w miesiącu.",
        "Klub Seniora — sporadycznie.", "Poradnictwo psychologiczne w 2024 r."]
PROBLEMS = ["Samotność po śmierci współmałżonka, mało kontaktów z ludźmi.",
            "Trudności w poruszaniu się, schody w domu, daleko do przystanku.",
            "Przeciążenie opieką nad niesamodzielnym rodzicem, brak chwili dla siebie.",
            "Trudności wychowawcze z nastolatkiem, konflikty w rodzinie.",
            "Długotrwałe bezrobocie, brak wiary we własne możliwości.",
            "Niepewna sytuacja finansowa, zaległości w opłatach."]
NEEDS = ["Towarzystwo i zajęcia poza domem kilka razy w tygodniu.",
         "Pomoc w codziennych czynnościach i dowóz na wizyty lekarskie.",
         "Kilka godzin wytchnienia w tygodniu, wsparcie psychologiczne.",
         "Konsultacje dla rodziców, zajęcia dla dziecka po szkole.",
         "Pomoc w powrocie na rynek pracy, szkolenie, doradztwo.",
         "Porada prawna i pomoc w uporządkowaniu spraw urzędowych."]
READINESS = ["ready", "ready", "partly", "partly", "not_ready"]
READINESS_NOTES = ["Osoba sama zgłosiła się po pomoc i chce działać.",
                   "Chce spróbować, obawia się wyjść z domu bez towarzystwa.",
                   "Na razie oczekuje głównie pomocy doraźnej."]
CONCLUSIONS = ["Rekomenduję indywidualny plan: zajęcia w Klubie Seniora i transport door-to-door.",
               "Rekomenduję usługę wytchnieniową i grupę wsparcia dla opiekunów.",
               "Rekomenduję poradnictwo specjalistyczne i zajęcia świetlicowe dla dziecka.",
               "Rekomenduję pakiet usług opiekuńczych w domu z rehabilitacją.",
               "Rekomenduję doradztwo zawodowe i wolontariat jako pierwszy krok."]
HEALTH = [None, "Nadciśnienie, leczona w POZ.", "Po endoprotezie stawu biodrowego, chodzi o kulach.",
          "Cukrzyca typu 2, pogarszający się wzrok.", "Stan po udarze, niedowład lewej ręki.",
          "Bez istotnych problemów zdrowotnych."]
HOUSING = ["Dom jednorodzinny, ogrzewanie piecem węglowym, łazienka na piętrze.",
           "Mieszkanie w bloku na 3. piętrze bez windy.", "Dom po rodzicach, wymaga remontu dachu.",
           "Mieszkanie komunalne, warunki dobre."]
FAMILY = ["Mieszka sama, córka w sąsiedniej gminie.", "Mieszka z mężem, który wymaga stałej opieki.",
          "Samotnie wychowuje dwoje dzieci.", "Mieszka z synem i jego rodziną."]
FREQUENCY = {"hour": "4 godziny w tygodniu", "meeting": "raz w tygodniu", "visit": "2 razy w miesiącu",
             "trip": "2 przejazdy w miesiącu", "month": "co miesiąc", "day": "2 dni w tygodniu",
             "person": "jednorazowo", "loan": "na 3 miesiące", "package": "co tydzień"}
QUANTITY = {"hour": 16, "meeting": 12, "visit": 6, "trip": 6, "month": 6, "day": 24, "person": 1, "loan": 1,
            "package": 12}


def _entered_assessment(request):
    """When the request moved into assessment (its history), or when it came in."""
    for change in request.history:
        if change.to_status == "in_assessment":
            return change.at
    return request.received_at


def _fill(assessment, rng, request, *, complete):
    support = dict.fromkeys(["family", "others", "ngo", "church", "institutions"])
    for source, kind in rng.sample(SUPPORT, k=rng.randint(0, 3)):
        support[source] = kind
    assessment.place = rng.choice(["centre", "home", "home"])
    assessment.education = rng.choice(EDUCATION)
    assessment.problems = rng.choice(PROBLEMS)
    assessment.needs = request.needs_description or rng.choice(NEEDS)
    for position, service in enumerate(request.services):
        row = AssessmentService(position=position, service_id=service.id, unit=service.unit)
        if complete or position == 0:
            row.quantity = QUANTITY.get(service.unit, 4)
            row.frequency = FREQUENCY.get(service.unit, "raz w tygodniu")
        assessment.services_wanted.append(row)
    if not complete:
        return  # a draft: the coordinator stopped after the first answers
    assessment.labour_status = rng.choice(LABOUR)
    assessment.occupation = rng.choice([None, "krawcowa", "rolnik", "sprzedawca", "nauczycielka", "kierowca"])
    assessment.marital_status = rng.choice(MARITAL)
    assessment.household_size = rng.randint(1, 5)
    assessment.income_source = rng.choice(INCOME)
    assessment.social_assistance = rng.choice(ASSISTANCE)
    for source, kind in support.items():
        setattr(assessment, f"support_{source}", kind)
    assessment.support_notes = rng.choice(SUPPORT_NOTES) if any(support.values()) else None
    assessment.social_engagement = rng.choice(ENGAGEMENT)
    assessment.services_used = rng.choice(USED)
    assessment.readiness = rng.choice(READINESS)
    assessment.readiness_notes = rng.choice(READINESS_NOTES)
    assessment.conclusions = rng.choice(CONCLUSIONS)


def _sensitive(assessment_id, rng, *, complete):
    row = AssessmentSensitive(assessment_id=assessment_id)
    if complete:
        row.minority = rng.choice(["no", "no", "no", "no", "refused", "yes"])
        row.disability = rng.choice(["no", "no", "yes"])
        row.disability_degree = rng.choice(["mild", "moderate", "severe"]) if row.disability == "yes" else None
        row.health = rng.choice(HEALTH)
        row.housing = rng.choice(HOUSING)
        row.family = rng.choice(FAMILY)
    return row


def seed_assessments(session, *, seed=2026):
    """Assessments for the demo requests that have none; returns the counts."""
    assessed = select(Assessment.request_id).where(Assessment.request_id.is_not(None))
    requests = session.scalars(
        select(Request).where(
            Request.kind == "application", Request.status.in_(("in_assessment", "handed_to_plan")),
            Request.resident_id.is_not(None), Request.coordinator_id.is_not(None), Request.id.not_in(assessed))
        .options(selectinload(Request.services), selectinload(Request.history))
        .order_by(Request.id)).all()
    latest = now()
    counts = {"completed": 0, "draft": 0}
    waiting = 0  # requests still in assessment: two in three completed
    place = ordinals(session, Request, requests)  # not ids: see demo/casework.py
    for request in requests:
        rng = random.Random(seed * 100003 + place[request.id])
        if request.status == "handed_to_plan":
            complete = True
        else:
            complete = waiting % 3 != 2
            waiting += 1
        started = min(_entered_assessment(request), latest)
        assessment = Assessment(
            request_id=request.id, resident_id=request.resident_id, coordinator_id=request.coordinator_id,
            status="completed" if complete else "draft", created_at=started, updated_at=started,
            updated_by_id=request.coordinator_id,
        )
        assessment.assessed_on = started.astimezone(WARSAW).date()
        _fill(assessment, rng, request, complete=complete)
        if complete:
            assessment.completed_at = min(started + timedelta(hours=2), latest)
            assessment.updated_at = assessment.completed_at
        session.add(assessment)
        session.flush()
        session.add(_sensitive(assessment.id, rng, complete=complete))
        counts[assessment.status] += 1
    session.flush()
    return counts if any(counts.values()) else None

