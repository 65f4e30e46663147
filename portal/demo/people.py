"""Demo residents and their requests: fictitious people with valid PESELs.

Names are drawn from common Polish first and last names; no combination is
meant to stand for a real person. Deterministic (random.Random(2026)), with
dates relative to the moment of seeding so that deadlines look alive.
"""
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ..auth.models import Role, User
from ..catalogue.models import Service, Village
from ..core import versions
from ..desk.models import CHANNELS, Request, RequestStatusChange, VillageCoordinator
from ..residents.models import Consent, Resident
from ..text import fold
from ..timeutil import WARSAW, now
from ..validation import make_pesel

FEMALE = ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Elżbieta",
          "Zofia", "Janina", "Teresa", "Joanna", "Magdalena", "Danuta", "Halina", "Irena", "Jadwiga",
          "Stanisława", "Helena", "Wiesława", "Genowefa", "Aleksandra", "Zuzanna", "Łucja", "Żaneta"]
MALE = ["Jan", "Stanisław", "Andrzej", "Józef", "Tadeusz", "Jerzy", "Zbigniew", "Krzysztof", "Henryk",
        "Ryszard", "Kazimierz", "Marek", "Marian", "Piotr", "Janusz", "Władysław", "Adam", "Wiesław",
        "Zdzisław", "Edward", "Mieczysław", "Roman", "Łukasz", "Grzegorz", "Bogdan", "Czesław"]
# (masculine, feminine) forms.
SURNAMES = [("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"),
            ("Wójcik", "Wójcik"), ("Kowalczyk", "Kowalczyk"), ("Kamiński", "Kamińska"),
            ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"),
            ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"), ("Kozłowski", "Kozłowska"),
            ("Jankowski", "Jankowska"), ("Mazur", "Mazur"), ("Kwiatkowski", "Kwiatkowska"),
            ("Krawczyk", "Krawczyk"), ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"),
            ("Pawłowski", "Pawłowska"), ("Michalski", "Michalska"), ("Król", "Król"),
            ("Wieczorek", "Wieczorek"), ("Jabłoński", "Jabłońska"), ("Wróbel", "Wróbel"),
            ("Nowakowski", "Nowakowska"), ("Majewski", "Majewska"), ("Olszewski", "Olszewska"),
            ("Stępień", "Stępień"), ("Jaworski", "Jaworska"), ("Malinowski", "Malinowska"),
            ("Górski", "Górska"), ("Rutkowski", "Rutkowska"), ("Sikora", "Sikora"), ("Baran", "Baran"),
            ("Łukasik", "Łukasik"), ("Żak", "Żak"), ("Ślusarczyk", "Ślusarczyk"), ("Ćwik", "Ćwik")]
STREETS = ["ul. Długa", "ul. Kościelna", "ul. Szkolna", "ul. Ogrodowa", "ul. Polna", "ul. Leśna", "ul. Łąkowa"]
NO_PESEL_REASONS = ["Cudzoziemiec bez numeru PESEL", "Obywatel Ukrainy, PESEL w trakcie nadawania"]
MOBILE_PREFIXES = ["501", "502", "600", "601", "660", "691", "721", "785", "797", "880"]

QUESTIONS = [
    ("Gdzie można wypożyczyć wózek inwalidzki?", "Wypożyczalnia sprzętu CUS, ul. Długa 35, pon.–pt. 8–15.", None),
    ("Jak złożyć wniosek o świadczenie wychowawcze?", "Skierowano do działu świadczeń rodzinnych.", "family_benefits"),
    ("Szukam pracy, gdzie się zarejestrować?", "Przekazano dane kontaktowe PUP w Rykach.", "pup"),
    ("Kiedy spotyka się Klub Seniora?", "We wtorki 10:00–12:00 w świetlicy.", None),
    ("Czy jest grupa wsparcia dla rodzin osób uzależnionych?", "Tak, w czwartki o 17:00; wydano ulotkę.", None),
    ("Rodzina zastępcza — kto pomoże?", "Przekazano do PCPR w Rykach.", "pcpr"),
    ("Pomoc w opłaceniu opału na zimę", "Skierowano do zespołu pomocy społecznej.", "social_assistance"),
]
NEEDS = [
    "Mama po udarze, potrzebuje pomocy w domu i rehabilitacji.",
    "Mieszkam sama, trudno mi dojechać do lekarza.",
    "Opiekuję się synem z niepełnosprawnością, potrzebuję kilku godzin odpoczynku w tygodniu.",
    "Po wyjściu ze szpitala potrzebuję łóżka rehabilitacyjnego i pomocy przy zakupach.",
    "Chciałabym dołączyć do zajęć dla seniorów i porozmawiać z psychologiem.",
    "Dziecko ma trudności w szkole, prosimy o zajęcia w świetlicy i logopedę.",
    "Po stracie pracy potrzebuję wsparcia i doradztwa zawodowego.",
]


def make_phone(rng, prefixes=MOBILE_PREFIXES):
    """A mobile number, +48 and nine digits, starting with one of `prefixes`."""
    return f"+48{rng.choice(prefixes)}{rng.randrange(0, 1000000):06d}"


def _birth_date(rng, today):
    # The centres serve many seniors: a third 65+, the rest across adulthood.
    if rng.random() < 0.35:
        age = rng.randint(65, 94)
    elif rng.random() < 0.1:
        age = rng.randint(3, 17)
    else:
        age = rng.randint(18, 64)
    start = date(today.year - age - 1, today.month, 1) + timedelta(days=1)
    return start + timedelta(days=rng.randrange(0, 360))


def make_residents(session, rng, count, villages, today, informed_by=None):
    residents = []
    used = set()
    for i in range(count):
        sex = rng.choice("FM")
        first = rng.choice(FEMALE if sex == "F" else MALE)
        last = rng.choice(SURNAMES)[1 if sex == "F" else 0]
        born = _birth_date(rng, today)
        village = rng.choice(villages) if villages else None
        resident = Resident(
            first_name=first, last_name=last, search_first=fold(first), search_last=fold(last),
            birth_date=born, sex=sex,
            address_1=f"{rng.choice(STREETS)} {rng.randint(1, 80)}" if village is None or rng.random() < 0.4
            else f"{village.name} {rng.randint(1, 120)}",
            postal_code="21-407", city=village.name if village else "Wojcieszków",
            village_id=village.id if village else None,
            phone=make_phone(rng) if rng.random() < 0.9 else None,
            preferred_contact="phone",
        )
        if i % 23 == 7:  # a few residents without a PESEL
            resident.no_pesel_reason = rng.choice(NO_PESEL_REASONS)
        else:
            serial = rng.randrange(0, 1000)
            pesel = make_pesel(born, serial, sex)
            while pesel in used:
                serial = (serial + 1) % 1000
                pesel = make_pesel(born, serial, sex)
            used.add(pesel)
            resident.pesel = pesel
        if rng.random() < 0.15:
            resident.email = f"{fold(first)}.{fold(last)}{i}@poczta.example"
        if i % 9 == 4:  # some act through a representative
            resident.representative_kind = "legal" if born.year > today.year - 18 else "de_facto"
            carer_sex = rng.choice("FM")
            carer_first = rng.choice(FEMALE if carer_sex == "F" else MALE)
            resident.representative_name = f"{carer_first} {last}"
            resident.representative_phone = make_phone(rng)
        if rng.random() < 0.8:
            resident.informed_at = now() - timedelta(days=rng.randint(1, 360))
            resident.informed_by_id = informed_by.id if informed_by else None
        if rng.random() < 0.25:
            resident.consents.append(Consent(channel=rng.choice(["sms", "email"]), text_version="2026-01",
                                             given_at=now() - timedelta(days=rng.randint(1, 300)),
                                             given_by_id=informed_by.id if informed_by else None))
        residents.append(resident)
    session.add_all(residents)
    session.flush()
    return residents


def _received(rng, today, days_ago):
    day = today - timedelta(days=days_ago)
    local = datetime.combine(day, time(rng.randint(8, 14), rng.choice((0, 10, 20, 30, 40, 50))), tzinfo=WARSAW)
    return min(local, now() - timedelta(minutes=5 + days_ago))


def seed_people(session, *, residents=300, requests=150, seed=2026):
    rng = random.Random(seed)
    today = now().astimezone(WARSAW).date()
    villages = session.scalars(select(Village).order_by(Village.name)).all()
    services = session.scalars(select(Service).where(Service.status == "active").order_by(Service.name)).all()
    desk = session.scalar(select(User).where(User.role == Role.FRONT_DESK).order_by(User.id))
    coordinators = session.scalars(select(User).where(User.role == Role.COORDINATOR).order_by(User.id)).all()

    people = make_residents(session, rng, residents, villages, today, informed_by=desk)

    if coordinators:
        for i, village in enumerate(villages):
            session.add(VillageCoordinator(village_id=village.id, user_id=coordinators[i % len(coordinators)].id))

    channels = list(CHANNELS)
    made = []
    for i in range(requests):
        days_ago = int(365 * (i / requests) ** 1.5)  # more recent requests than old ones
        received = _received(rng, today, days_ago)
        channel = channels[i % len(channels)]
        kind = "information" if i % 3 == 0 else "application"
        person = None if channel == "web_form" and i % 2 else rng.choice(people)
        request = Request(received_at=received, channel=channel, kind=kind, created_by_id=desk.id if desk else None,
                          applicant="self" if not person or not person.representative_kind else
                          ("legal_representative" if person.representative_kind == "legal" else "de_facto_carer"),
                          resident_id=person.id if person else None)
        if person is None:
            request.contact_name = f"{rng.choice(FEMALE)} {rng.choice(SURNAMES)[1]}"
            request.contact_phone = make_phone(rng)
            request.message = rng.choice(NEEDS if kind == "application" else [q for q, _a, _r in QUESTIONS])
        trail = ["new"]
        if kind == "information":
            question, answer, route = QUESTIONS[i % len(QUESTIONS)]
            request.question = question
            if days_ago > 1 or i % 2:
                request.answer = answer
                request.routed_to = route
                trail.append("closed_information")
        else:
            request.needs_description = rng.choice(NEEDS)
            request.urgency = "urgent" if i % 11 == 0 else "normal"
            request.services = rng.sample(services, k=min(len(services), rng.randint(1, 3)))
            stage = i % 6 if days_ago < 60 else (3 + i % 3)
            if coordinators and stage >= 1:
                request.coordinator_id = coordinators[i % len(coordinators)].id
                trail.append("assigned")
            if stage >= 2:
                trail.append("in_assessment")
            if stage == 3:
                trail.append("handed_to_plan")
            elif stage == 4:
                trail.append("withdrawn")
            elif stage == 5 and days_ago >= 60:
                trail.append("handed_to_plan")
        request.status = trail[-1]
        moment = received
        previous = None
        latest = now()
        for status in trail:
            moment = min(moment, latest)
            request.history.append(RequestStatusChange(at=moment, from_status=previous, to_status=status,
                                                       actor_id=desk.id if desk else None))
            previous = status
            moment = moment + timedelta(days=rng.randint(0, 6), hours=1)
        if request.status not in ("new", "assigned", "in_assessment"):
            request.closed_at = moment
        made.append(request)
    session.add_all(made)
    versions.bump(session, versions.DESK)
    session.flush()
    return {"residents": len(people), "requests": len(made)}
