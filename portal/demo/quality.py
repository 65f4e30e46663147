"""Demo quality data (fictitious): survey answers, standards, checks.

- The club of the seniors in Wojcieszków asks its own questions; the others
  the default ones.
- About forty anonymous answers across five demo services and the quarters
  of the current year up to today, on paper and through one-time links, each
  service with at least three in a quarter it has answers in (so the pages
  show figures; the transport's two answers of the first quarter stay hidden).
- Standards: the care at home approved by "Zarządzenie Nr 4/<year>" and
  accepted by its provider, a newer draft of it waiting for the director;
  the seniors' club approved and not yet accepted; a draft for the transport.
- Three on-site checks: one with its follow-up overdue, one due later, one
  answered and closed.
Choices come from a seeded random generator, not from ids. Idempotent: once
any answer or standard exists, nothing is added.
"""
import random
from datetime import date, timedelta

from sqlalchemy import exists, select

from ..auth.models import User
from ..catalogue.models import Service
from ..quality import services as quality
from ..quality.models import StandardVersion, SurveyAnswer
from ..timeutil import local_now
from .clock import on_day

# (service, answers per quarter 1..4, mean tendency 1–5)
ANSWERS = (
    ("Klub Seniora w Wojcieszkowie", (4, 3, 3, 3), 4.5),
    ("Usługi opiekuńcze w miejscu zamieszkania", (3, 4, 0, 3), 4.1),
    ("Klub Samopomocy dla Osób Niepełnosprawnych", (0, 3, 3, 3), 4.3),
    ("Rehabilitacja ruchowa w gabinecie", (3, 0, 3, 0), 3.6),
    ("Transport door-to-door", (2, 3, 0, 0), 3.2),
)
OWN_QUESTIONS = (
    "Czy zajęcia w klubie są dla Pana/Pani ciekawe?",
    "Czy godziny spotkań klubu są dla Pana/Pani dogodne?",
    "Jak ocenia Pan/Pani instruktorów i animatorów klubu?",
    "Czy w klubie czuje się Pan/Pani mile widziany(-a)?",
)
COMMENTS = (
    None, None, None,
    "Bardzo dziękuję, zajęcia są dla mnie najważniejszym punktem tygodnia.",
    "Proszę o więcej zajęć ruchowych.",
    "Czasem trudno dojechać zimą.",
    "Pani opiekunka jest bardzo cierpliwa i punktualna.",
    "Chciałbym, żeby spotkania trwały dłużej.",
    "Wszystko w porządku.",
)
CARE_STANDARD = (
    "1. Opiekunka przychodzi w ustalonych dniach i godzinach; o zmianie uprzedza co najmniej dzień wcześniej.\n"
    "2. Zakres czynności jest zapisany w planie i omówiony z osobą korzystającą z usługi.\n"
    "3. Opiekunki mają przeszkolenie z pierwszej pomocy i opieki nad osobą starszą.\n"
    "4. Uwagi i skargi można zgłosić koordynatorowi telefonicznie lub w Centrum; odpowiedź w ciągu 14 dni.")
CLUB_STANDARD = (
    "1. Klub jest otwarty co najmniej dwa razy w tygodniu, w stałych godzinach.\n"
    "2. Zajęcia prowadzi instruktor z przygotowaniem do pracy z seniorami.\n"
    "3. Sala jest dostępna dla osób poruszających się o kulach i na wózku.\n"
    "4. Raz w roku uczestnicy wypełniają ankietę satysfakcji.")
TRANSPORT_STANDARD = (
    "1. Przejazd zamawia się najpóźniej dwa dni robocze wcześniej.\n"
    "2. Kierowca pomaga przy wsiadaniu i wysiadaniu oraz przy wózku.\n"
    "3. Pojazd ma najazd lub windę dla wózka.")


def _score(rng, tendency):
    return max(1, min(5, round(rng.gauss(tendency, 0.8))))


def _day_in(rng, year, quarter, today):
    first, last = quality.quarter_range(year, quarter)
    last = min(last, today)
    if last < first:
        return None
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _answers(session, services, rng, today, counts):
    year = today.year
    for name, per_quarter, tendency in ANSWERS:
        service = services.get(name)
        if service is None:
            continue
        asked = len(quality.questions_of(session, service.id))
        for quarter, number in enumerate(per_quarter, 1):
            for n in range(number):
                day = _day_in(rng, year, quarter, today)
                if day is None:
                    continue
                scores = {p: (None if rng.random() < 0.05 else _score(rng, tendency)) for p in range(1, asked + 1)}
                comment = rng.choice(COMMENTS)
                if not any(scores.values()) and not comment:
                    scores[1] = 4
                quality.record_answer(session, service, {"scores": scores, "comment": comment},
                                      channel="link" if n % 3 == 1 else "paper", day=day)
                counts["answers"] += 1


def _standards(session, services, organiser, director, today, counts):
    year = today.year
    order_day = min(date(year, 1, 15), today)
    care, club, transport = (services.get(n) for n in (
        "Usługi opiekuńcze w miejscu zamieszkania", "Klub Seniora w Wojcieszkowie", "Transport door-to-door"))
    if care is not None:
        with on_day(order_day - timedelta(days=10)):
            draft = quality.save_draft(session, care, CARE_STANDARD, actor=organiser)
        with on_day(order_day):
            quality.approve_standard(session, draft, {"order_number": f"Zarządzenie Nr 4/{year}",
                                                      "order_date": order_day}, actor=director)
        with on_day(min(order_day + timedelta(days=7), today)) as day:
            quality.record_acceptance(session, draft, care.provider, day, actor=organiser)
        with on_day(max(today - timedelta(days=5), order_day)):
            quality.save_draft(session, care, CARE_STANDARD + "\n5. Zastępstwo w czasie urlopu opiekunki "
                                                              "zapewnia realizator.", actor=organiser)
        counts["standards"] += 2
    if club is not None:
        second = min(date(year, 3, 2), today)
        with on_day(second):
            draft = quality.save_draft(session, club, CLUB_STANDARD, actor=organiser)
            quality.approve_standard(session, draft, {"order_number": f"Zarządzenie Nr 9/{year}",
                                                      "order_date": second}, actor=director)
        counts["standards"] += 1
    if transport is not None:
        quality.save_draft(session, transport, TRANSPORT_STANDARD, actor=organiser)
        counts["standards"] += 1


def _checks(session, services, organiser, today, counts):
    club, rehab, care = (services.get(n) for n in (
        "Klub Seniora w Wojcieszkowie", "Rehabilitacja ruchowa w gabinecie",
        "Usługi opiekuńcze w miejscu zamieszkania"))
    specs = []
    if club is not None:
        specs.append((club, 40, {
            "scope": "Dokumentacja zajęć klubu, listy obecności, warunki lokalowe.",
            "findings": "Listy obecności za ostatni miesiąc niekompletne; sala bez oznakowania wyjścia ewakuacyjnego.",
            "recommendations": "Uzupełnić listy obecności; oznakować wyjście ewakuacyjne.",
            "follow_up": 30}))  # due 10 days ago: overdue
    if rehab is not None:
        specs.append((rehab, 12, {
            "scope": "Kwalifikacje fizjoterapeutów, harmonogram zabiegów.",
            "findings": "Harmonogram prowadzony prawidłowo.",
            "recommendations": "Wywiesić harmonogram w poczekalni.",
            "follow_up": 30}))  # due in 18 days
    if care is not None:
        specs.append((care, 90, {
            "scope": "Karty czasu pracy opiekunek, zgodność z planami.",
            "findings": "Dwie karty bez podpisu osoby korzystającej z usługi.",
            "recommendations": "Uzupełnić podpisy na kartach.",
            "follow_up": 30, "answer": "Podpisy uzupełniono; opiekunki przypomniano o zasadach.",
            "answered": 20, "done": 35}))
    for service, days_ago, spec in specs:
        checked = today - timedelta(days=days_ago)
        with on_day(checked):
            data = {"provider_id": service.provider_id, "service_id": service.id, "checked_on": checked,
                    "inspectors": "Oskar Organizator, Dorota Dyrektorka", "scope": spec["scope"],
                    "findings": spec["findings"], "recommendations": spec["recommendations"],
                    "follow_up_on": checked + timedelta(days=spec["follow_up"])}
            check = quality.create_check(session, data, actor=organiser)
        if "answer" in spec:
            with on_day(checked + timedelta(days=spec["done"])):
                data.update(answer=spec["answer"], answered_on=checked + timedelta(days=spec["answered"]),
                            follow_up_done_on=checked + timedelta(days=spec["done"]))
                quality.update_check(session, check, data, actor=organiser)
        counts["checks"] += 1


def seed_quality(session, *, seed=2026):
    """Survey answers, standards and checks of the demo services; returns the counts."""
    if session.scalar(select(exists().where(SurveyAnswer.id.is_not(None)))) or session.scalar(
            select(exists().where(StandardVersion.id.is_not(None)))):
        return None
    names = {name for name, *_rest in ANSWERS}
    services = {s.name: s for s in session.scalars(select(Service).where(Service.name.in_(names)))}
    if not services:
        return None
    organiser = session.scalar(select(User).filter_by(username="organizator"))
    director = session.scalar(select(User).filter_by(username="dyrektor"))
    today = local_now().date()
    rng = random.Random(seed)
    counts = {"answers": 0, "standards": 0, "checks": 0}
    club = services.get("Klub Seniora w Wojcieszkowie")
    if club is not None:
        quality.set_questions(session, club, list(OWN_QUESTIONS), actor=organiser)
    _answers(session, services, rng, today, counts)
    _standards(session, services, organiser, director, today, counts)
    _checks(session, services, organiser, today, counts)
    session.flush()
    return counts
