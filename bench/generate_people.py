"""Residents and requests for the front-desk benchmark: 100,000 people and
300,000 requests (zgłoszenia) over the last two years, on top of the
generated catalogue (its villages).

Deterministic (random.Random(SEED)) and written with SQLAlchemy Core
inserts in batches of BATCH rows, so the whole register takes well under a
minute. Staff accounts are inserted directly with a password hash from
`portal.auth.passwords.hash_password`; `bench-desk` (front desk) logs in
with DESK_PASSWORD. The desk's data version (portal/core/versions.py) is
moved at the end, as every registration in the portal does. The questions,
needs, streets and reasons for a missing PESEL are the demo register's
(portal/demo/people.py) and a few more; its phone numbers are made the same
way, from more prefixes.
"""
import bisect
import itertools
import random
import time as clock
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.orm import Session

import portal.models  # noqa: F401  (every model registered, so the mappers configure)
from config import normalise_database_url
from portal.auth.models import Role, User
from portal.auth.passwords import hash_password
from portal.catalogue.models import Village
from portal.catalogue.search import fold
from portal.core import versions
from portal.demo import people as demo
from portal.desk.models import Request, RequestStatusChange, VillageCoordinator
from portal.residents.models import Resident
from portal.validation import make_pesel

from .generate import analyze, move_sequences

SEED = 2026
BATCH = 10_000
WARSAW = ZoneInfo("Europe/Warsaw")

DESK_USERNAME = "bench-desk"
DESK_PASSWORD = "bench-desk-haslo-2026"
STAFF_PASSWORD = "bench-staff-haslo-2026"
COORDINATORS = ("Katarzyna Kaczmarek", "Marta Sadowska", "Tomasz Wilk", "Ewa Zawadzka",
                "Paweł Sobczak", "Agata Kubiak", "Robert Duda", "Iwona Czarnecka")

# Common Polish first names, most frequent first (weights fall with the rank).
FEMALE = ("Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Krystyna", "Ewa", "Elżbieta",
          "Zofia", "Teresa", "Magdalena", "Joanna", "Janina", "Monika", "Danuta", "Jadwiga", "Aleksandra",
          "Halina", "Irena", "Beata", "Marta", "Dorota", "Helena", "Karolina", "Jolanta", "Iwona", "Marianna",
          "Natalia", "Grażyna", "Stanisława", "Bożena", "Urszula", "Justyna", "Renata", "Julia", "Hanna",
          "Zuzanna", "Łucja", "Genowefa", "Wiesława", "Aneta", "Antonina", "Żaneta")
MALE = ("Piotr", "Krzysztof", "Andrzej", "Tomasz", "Jan", "Paweł", "Michał", "Marcin", "Stanisław", "Jakub",
        "Adam", "Marek", "Łukasz", "Grzegorz", "Mateusz", "Wojciech", "Mariusz", "Dariusz", "Zbigniew",
        "Jerzy", "Maciej", "Rafał", "Robert", "Kazimierz", "Józef", "Ryszard", "Tadeusz", "Henryk", "Antoni",
        "Szymon", "Kamil", "Janusz", "Roman", "Władysław", "Czesław", "Edward", "Mieczysław", "Bogdan",
        "Zdzisław", "Wiesław", "Franciszek", "Kacper")
# (masculine, feminine) forms, most frequent first.
SURNAMES = (
    ("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Wójcik", "Wójcik"),
    ("Kowalczyk", "Kowalczyk"), ("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"),
    ("Kozłowski", "Kozłowska"), ("Jankowski", "Jankowska"), ("Mazur", "Mazur"), ("Kwiatkowski", "Kwiatkowska"),
    ("Wojciechowski", "Wojciechowska"), ("Krawczyk", "Krawczyk"), ("Kaczmarek", "Kaczmarek"),
    ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"), ("Zając", "Zając"), ("Pawłowski", "Pawłowska"),
    ("Michalski", "Michalska"), ("Król", "Król"), ("Wieczorek", "Wieczorek"), ("Jabłoński", "Jabłońska"),
    ("Wróbel", "Wróbel"), ("Nowakowski", "Nowakowska"), ("Majewski", "Majewska"), ("Olszewski", "Olszewska"),
    ("Stępień", "Stępień"), ("Malinowski", "Malinowska"), ("Jaworski", "Jaworska"), ("Adamczyk", "Adamczyk"),
    ("Dudek", "Dudek"), ("Nowicki", "Nowicka"), ("Pawlak", "Pawlak"), ("Górski", "Górska"), ("Witkowski", "Witkowska"),
    ("Walczak", "Walczak"), ("Sikora", "Sikora"), ("Baran", "Baran"), ("Rutkowski", "Rutkowska"),
    ("Michalak", "Michalak"), ("Szewczyk", "Szewczyk"), ("Ostrowski", "Ostrowska"), ("Tomaszewski", "Tomaszewska"),
    ("Pietrzak", "Pietrzak"), ("Marciniak", "Marciniak"), ("Wróblewski", "Wróblewska"), ("Zalewski", "Zalewska"),
    ("Jakubowski", "Jakubowska"), ("Jasiński", "Jasińska"), ("Zawadzki", "Zawadzka"), ("Sadowski", "Sadowska"),
    ("Bąk", "Bąk"), ("Chmielewski", "Chmielewska"), ("Włodarczyk", "Włodarczyk"), ("Borkowski", "Borkowska"),
    ("Czarnecki", "Czarnecka"), ("Sawicki", "Sawicka"), ("Sokołowski", "Sokołowska"), ("Urbański", "Urbańska"),
    ("Kubiak", "Kubiak"), ("Maciejewski", "Maciejewska"), ("Szczepański", "Szczepańska"), ("Kucharski", "Kucharska"),
    ("Wilk", "Wilk"), ("Kalinowski", "Kalinowska"), ("Lis", "Lis"), ("Mazurek", "Mazurek"), ("Wysocki", "Wysocka"),
    ("Adamski", "Adamska"), ("Kaźmierczak", "Kaźmierczak"), ("Wasilewski", "Wasilewska"), ("Sobczak", "Sobczak"),
    ("Czerwiński", "Czerwińska"), ("Andrzejewski", "Andrzejewska"), ("Cieślak", "Cieślak"), ("Głowacki", "Głowacka"),
    ("Zakrzewski", "Zakrzewska"), ("Kołodziej", "Kołodziej"), ("Sikorski", "Sikorska"), ("Krajewski", "Krajewska"),
    ("Gajewski", "Gajewska"), ("Szymczak", "Szymczak"), ("Szulc", "Szulc"), ("Baranowski", "Baranowska"),
    ("Laskowski", "Laskowska"), ("Brzeziński", "Brzezińska"), ("Makowski", "Makowska"), ("Ziółkowski", "Ziółkowska"),
    ("Przybylski", "Przybylska"), ("Domański", "Domańska"), ("Nowacki", "Nowacka"), ("Borowski", "Borowska"),
    ("Błaszczyk", "Błaszczyk"), ("Chojnacki", "Chojnacka"), ("Ciesielski", "Ciesielska"), ("Mróz", "Mróz"),
    ("Szczepaniak", "Szczepaniak"), ("Wesołowski", "Wesołowska"), ("Górecki", "Górecka"), ("Krupa", "Krupa"),
    ("Kaczmarczyk", "Kaczmarczyk"), ("Leszczyński", "Leszczyńska"), ("Lipiński", "Lipińska"),
    ("Kowalewski", "Kowalewska"),
    ("Urbaniak", "Urbaniak"), ("Kozak", "Kozak"), ("Kania", "Kania"), ("Mikołajczyk", "Mikołajczyk"),
    ("Czajkowski", "Czajkowska"), ("Mucha", "Mucha"), ("Tomczak", "Tomczak"), ("Kozieł", "Kozieł"),
    ("Markowski", "Markowska"), ("Kowalik", "Kowalik"), ("Nawrocki", "Nawrocka"), ("Brzozowski", "Brzozowska"),
    ("Janik", "Janik"), ("Musiał", "Musiał"), ("Wawrzyniak", "Wawrzyniak"), ("Markiewicz", "Markiewicz"),
    ("Orłowski", "Orłowska"), ("Tomczyk", "Tomczyk"), ("Jarosz", "Jarosz"), ("Kołodziejczyk", "Kołodziejczyk"),
    ("Kurek", "Kurek"), ("Kopeć", "Kopeć"), ("Żak", "Żak"), ("Wolski", "Wolska"), ("Łuczak", "Łuczak"),
    ("Dziedzic", "Dziedzic"), ("Kot", "Kot"), ("Stasiak", "Stasiak"), ("Stankiewicz", "Stankiewicz"),
    ("Piątek", "Piątek"), ("Jóźwiak", "Jóźwiak"), ("Urban", "Urban"), ("Dobrowolski", "Dobrowolska"),
    ("Pawlik", "Pawlik"), ("Kruk", "Kruk"), ("Domagała", "Domagała"), ("Piasecki", "Piasecka"),
    ("Wierzbicki", "Wierzbicka"), ("Karpiński", "Karpińska"), ("Jastrzębski", "Jastrzębska"), ("Polak", "Polak"),
    ("Zięba", "Zięba"), ("Janicki", "Janicka"), ("Wójtowicz", "Wójtowicz"), ("Stefański", "Stefańska"),
    ("Sosnowski", "Sosnowska"), ("Bednarek", "Bednarek"), ("Majchrzak", "Majchrzak"), ("Bielecki", "Bielecka"),
    ("Małecki", "Małecka"), ("Maj", "Maj"), ("Sowa", "Sowa"), ("Milewski", "Milewska"), ("Gajda", "Gajda"),
    ("Klimczak", "Klimczak"), ("Olejniczak", "Olejniczak"), ("Ratajczak", "Ratajczak"), ("Romanowski", "Romanowska"),
    ("Matuszewski", "Matuszewska"), ("Śliwiński", "Śliwińska"), ("Madej", "Madej"), ("Kasprzak", "Kasprzak"),
    ("Wilczyński", "Wilczyńska"), ("Grzelak", "Grzelak"), ("Socha", "Socha"), ("Czajka", "Czajka"),
    ("Marek", "Marek"), ("Kowal", "Kowal"), ("Bednarczyk", "Bednarczyk"), ("Skiba", "Skiba"), ("Wrona", "Wrona"),
    ("Owczarek", "Owczarek"), ("Marcinkowski", "Marcinkowska"), ("Matusiak", "Matusiak"),
    ("Orzechowski", "Orzechowska"),
    ("Sobolewski", "Sobolewska"), ("Kędzierski", "Kędzierska"), ("Kurowski", "Kurowska"), ("Rogalski", "Rogalska"),
    ("Ćwik", "Ćwik"), ("Łukasik", "Łukasik"), ("Ślusarczyk", "Ślusarczyk"), ("Świątek", "Świątek"),
)
STREETS = (*demo.STREETS, "ul. Lipowa", "ul. Słoneczna", "ul. Krótka", "ul. Spokojna", "ul. Kolejowa",
           "ul. Zielona", "ul. Parkowa", "ul. Wiejska")
NO_PESEL_REASONS = (*demo.NO_PESEL_REASONS, "Osoba nie pamięta numeru, brak dokumentu",
                    "Noworodek, PESEL w trakcie nadawania")
MOBILE_PREFIXES = ("500", "501", "502", "503", "509", "510", "512", "515", "530", "533", "535", "600", "601",
                   "602", "603", "604", "605", "606", "660", "661", "662", "664", "665", "666", "691", "692",
                   "693", "694", "695", "696", "697", "698", "721", "722", "724", "725", "726", "728", "729",
                   "730", "731", "732", "733", "734", "735", "736", "737", "738", "739", "780", "781", "782",
                   "783", "784", "785", "786", "787", "788", "789", "790", "791", "792", "793", "794", "795",
                   "796", "797", "798", "799", "880", "881", "882", "883", "884", "885", "886", "887", "888")
QUESTIONS = (
    *demo.QUESTIONS,
    ("Jak dostać dodatek mieszkaniowy?", "Przekazano do Urzędu Gminy, pokój 12.", "gmina"),
    ("Czy jest transport do lekarza dla osoby na wózku?", "Tak, bus CUS; zapis telefoniczny dzień wcześniej.", None),
)
NEEDS = (*demo.NEEDS, "Tata ma demencję, szukamy opieki wytchnieniowej i grupy wsparcia.")

# Channels with their share; letters, e-mails and the web form also arrive
# outside office hours and at weekends.
CHANNEL_SHARES = (("phone", 0.40), ("in_person", 0.33), ("email", 0.10), ("web_form", 0.10), ("letter", 0.07))
ANY_TIME = ("email", "web_form")
APPLICATION_SHARE = 0.40
OPEN_STATUS_SHARES = (("new", 0.35), ("assigned", 0.35), ("in_assessment", 0.30))


@dataclass
class People:
    """What the load generator needs to know about the generated register."""

    residents: int = 0
    requests: int = 0
    open_requests: int = 0
    today_requests: int = 0
    pesels: list = field(default_factory=list)  # a spread sample of existing PESELs
    desk_username: str = DESK_USERNAME
    desk_password: str = DESK_PASSWORD
    desk_version: int = 0
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0


def _weights(count, offset):
    """Rank weights 1 / (rank + offset): a few very common values, a long tail."""
    return list(itertools.accumulate(1.0 / (rank + offset) for rank in range(1, count + 1)))


def _pick(rng, values, cumulative):
    return values[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]


def _birth_date(rng, today):
    # The centre serves many seniors: a third 65+, a few children, the rest adults.
    roll = rng.random()
    if roll < 0.33:
        age = rng.randint(65, 96)
    elif roll < 0.43:
        age = rng.randint(0, 17)
    else:
        age = rng.randint(18, 64)
    born = today - timedelta(days=age * 365 + rng.randrange(0, 365))
    return born if born < today else today - timedelta(days=1)


def _folded(cache, name):
    value = cache.get(name)
    if value is None:
        value = cache[name] = fold(name)
    return value


def resident_rows(rng, count, village_ids, village_names, today, moment, desk_id):
    """Yields batches of resident rows; fills `pesels` (all of them, in id order)."""
    female_w, male_w, surname_w = _weights(len(FEMALE), 4), _weights(len(MALE), 4), _weights(len(SURNAMES), 8)
    cache, used = {}, set()
    batch = []
    for rid in range(1, count + 1):
        sex = "F" if rng.random() < 0.54 else "M"  # more women among the centre's clients
        first = _pick(rng, FEMALE if sex == "F" else MALE, female_w if sex == "F" else male_w)
        last = _pick(rng, SURNAMES, surname_w)[1 if sex == "F" else 0]
        if sex == "F" and rng.random() < 0.03:  # a double name
            last = f"{last}-{_pick(rng, SURNAMES, surname_w)[1]}"
        born = _birth_date(rng, today)
        pesel = reason = None
        if rng.random() < 0.03:
            reason = rng.choice(NO_PESEL_REASONS)
        else:
            serial = rng.randrange(0, 1000)
            pesel = make_pesel(born, serial, sex)
            while pesel in used:  # same day, same serial: take the next serial
                serial = (serial + 1) % 1000
                pesel = make_pesel(born, serial, sex)
            used.add(pesel)
        village = rng.randrange(len(village_ids)) if rng.random() < 0.95 else None
        batch.append({
            "id": rid,
            "first_name": first,
            "last_name": last,
            "search_first": _folded(cache, first),
            "search_last": _folded(cache, last),
            "pesel": pesel,
            "no_pesel_reason": reason,
            "birth_date": born,
            "sex": sex,
            "address_1": (f"{village_names[village]} {rng.randint(1, 180)}"
                          if village is not None and rng.random() < 0.6
                          else f"{rng.choice(STREETS)} {rng.randint(1, 80)}"),
            "postal_code": f"21-4{rng.randint(0, 99):02d}",
            "city": village_names[village] if village is not None else "Ryki",
            "village_id": village_ids[village] if village is not None else None,
            "phone": demo.make_phone(rng, MOBILE_PREFIXES) if rng.random() < 0.9 else None,
            "email": f"{_folded(cache, first)}.{_folded(cache, last).replace(' ', '-')}{rid}@poczta.example"
            if rng.random() < 0.15 else None,
            "preferred_contact": "phone",
            "representative_kind": None,
            "representative_name": None,
            "representative_phone": None,
            "representative_email": None,
            "representative_address": None,
            "informed_at": moment - timedelta(days=rng.randint(1, 700)) if rng.random() < 0.8 else None,
            "informed_by_id": desk_id,
            "notes": None,
            "merged_into_id": None,
            "created_at": moment - timedelta(days=rng.randint(1, 730)),
            "updated_at": moment,
            "created_by_id": desk_id,
            "updated_by_id": desk_id,
            "version": 1,
        })
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _received(rng, moment, channel, days=730):
    """An instant in the last `days` days: office hours on working days for
    the desk and the phone, any time for e-mail and the web form."""
    today = moment.astimezone(WARSAW).date()
    while True:
        day = today - timedelta(days=rng.randrange(0, days))
        if channel in ANY_TIME:
            clock_time = time(rng.randrange(0, 24), rng.randrange(0, 60), rng.randrange(0, 60))
        else:
            if day.weekday() >= 5:
                continue
            minutes = rng.randrange(7 * 60 + 30, 15 * 60 + 30)
            clock_time = time(minutes // 60, minutes % 60, rng.randrange(0, 60))
        instant = datetime.combine(day, clock_time, tzinfo=WARSAW).astimezone(timezone.utc)
        if instant < moment - timedelta(minutes=1):
            return instant


def _choose(rng, shares):
    roll, total = rng.random(), 0.0
    for value, share in shares:
        total += share
        if roll < total:
            return value
    return shares[-1][0]


def request_plan(rng, count, open_count, moment):
    """(received_at, channel, kind, status) for every request, in id order
    (ids follow the time of arrival). Open requests are recent applications,
    with a few overdue ones and some of today's unanswered questions."""
    arrivals = []
    for _ in range(count):
        channel = _choose(rng, CHANNEL_SHARES)
        kind = "application" if rng.random() < APPLICATION_SHARE else "information"
        arrivals.append((_received(rng, moment, channel), channel, kind))
    arrivals.sort(key=lambda a: a[0])
    statuses = [None] * count
    start_today = datetime.combine(moment.astimezone(WARSAW).date(), time(0), tzinfo=WARSAW).astimezone(timezone.utc)
    recent = [i for i, a in enumerate(arrivals) if a[2] == "application" and a[0] >= moment - timedelta(days=45)]
    older = [i for i, a in enumerate(arrivals)
             if a[2] == "application" and moment - timedelta(days=120) <= a[0] < moment - timedelta(days=45)]
    today_questions = [i for i, a in enumerate(arrivals) if a[2] == "information" and a[0] >= start_today]
    chosen = rng.sample(today_questions, min(len(today_questions), open_count // 20))
    chosen += rng.sample(older, min(len(older), open_count // 15))
    chosen += rng.sample(recent, min(len(recent), max(0, open_count - len(chosen))))
    for i in chosen:
        statuses[i] = "new" if arrivals[i][2] == "information" else _choose(rng, OPEN_STATUS_SHARES)
    return arrivals, statuses


def request_rows(rng, plan, statuses, moment, residents, village_of, coordinator_of_village, coordinator_ids,
                 desk_id, changes):
    """Yields batches of request rows; appends status-change rows of open requests to `changes`."""
    frequent = max(1, residents * 15 // 100)  # 60% of requests come from 15% of the people
    batch = []
    for index, ((received, channel, kind), status) in enumerate(zip(plan, statuses)):
        rid = index + 1
        if channel == "web_form" and rng.random() < 0.5:
            resident = None  # not identified yet
        elif rng.random() < 0.6:
            resident = rng.randint(1, frequent)
        else:
            resident = rng.randint(1, residents)
        coordinator = None
        if kind == "application":
            village = village_of[resident] if resident else None
            coordinator = coordinator_of_village.get(village) or rng.choice(coordinator_ids)
        closed_at = None
        if status is None:  # closed
            if kind == "information":
                status = "closed_information"
                delay = timedelta(minutes=rng.randint(2, 90))
            else:
                status = "handed_to_plan" if rng.random() < 0.8 else "withdrawn"
                delay = timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 480))
            closed_at = min(received + delay, received + (moment - received) * rng.random())
        elif status == "new":
            coordinator = None
        question = answer = routed = needs = None
        if kind == "information":
            question, answer, routed = rng.choice(QUESTIONS)
            if closed_at is None:
                answer = routed = None
        else:
            needs = rng.choice(NEEDS)
        anonymous = resident is None
        batch.append({
            "id": rid,
            "received_at": received,
            "channel": channel,
            "applicant": "self" if rng.random() < 0.85 else rng.choice(("legal_representative", "de_facto_carer")),
            "kind": kind,
            "status": status,
            "urgency": "urgent" if kind == "application" and rng.random() < 0.06 else "normal",
            "resident_id": resident,
            "coordinator_id": coordinator,
            "question": question,
            "answer": answer,
            "routed_to": routed,
            "routed_note": None,
            "needs_description": needs,
            "contact_name": f"{rng.choice(FEMALE)} {rng.choice(SURNAMES)[1]}" if anonymous else None,
            "contact_phone": demo.make_phone(rng, MOBILE_PREFIXES) if anonymous else None,
            "contact_email": None,
            "message": (needs or question) if anonymous else None,
            "closed_at": closed_at,
            "created_by_id": None if channel == "web_form" else desk_id,
            "updated_at": closed_at or received,
            "version": 1,
        })
        if closed_at is None:
            trail = ["new"] + {"assigned": ["assigned"], "in_assessment": ["assigned", "in_assessment"]}.get(status, [])
            at, previous = received, None
            for step in trail:
                changes.append({"request_id": rid, "at": at, "actor_id": desk_id, "from_status": previous,
                                "to_status": step, "note": None})
                previous = step
                at = min(at + timedelta(hours=rng.randint(1, 72)), moment)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _staff(session):
    """bench-desk (front desk), eight coordinators and a director; returns (desk id, coordinator ids)."""
    table = User.__table__
    moment = datetime.now(timezone.utc)
    accounts = [(DESK_USERNAME, "Beata Biurowa", Role.FRONT_DESK, DESK_PASSWORD)]
    accounts += [(f"bench-koord-{i}", name, Role.COORDINATOR, STAFF_PASSWORD)
                 for i, name in enumerate(COORDINATORS, start=1)]
    accounts += [("bench-dyrektor", "Dorota Dyrektorska", Role.DIRECTOR, STAFF_PASSWORD)]
    hashes = {password: hash_password(password) for password in {a[3] for a in accounts}}
    session.execute(insert(table), [
        {"username": username, "full_name": name, "email": f"{username}@cus.example", "role": role,
         "password_hash": hashes[password], "active": True, "created_at": moment, "last_login_at": None}
        for username, name, role, password in accounts])
    ids = dict(session.execute(select(table.c.username, table.c.id)
                               .where(table.c.username.in_([a[0] for a in accounts]))).all())
    return ids[DESK_USERNAME], [ids[f"bench-koord-{i}"] for i in range(1, len(COORDINATORS) + 1)]


def generate_people(database_url, *, residents=100_000, requests=300_000, open_requests=2_000, seed=SEED,
                    log=print):
    """Fill a database that already holds the catalogue (villages); returns a People summary."""
    started = clock.perf_counter()
    rng = random.Random(seed)
    moment = datetime.now(timezone.utc)
    today = moment.astimezone(WARSAW).date()
    summary = People(residents=residents, requests=requests)
    engine = create_engine(normalise_database_url(database_url))
    try:
        with Session(engine) as session:
            if session.scalar(select(func.count()).select_from(Resident.__table__)):
                raise RuntimeError("the database already has residents: generate into a fresh one")
            villages = session.execute(select(Village.id, Village.name).order_by(Village.id)).all()
            if not villages:
                raise RuntimeError("no villages: generate the catalogue first")
            village_ids = [v.id for v in villages]
            village_names = [v.name for v in villages]
            desk_id, coordinator_ids = _staff(session)
            coordinator_of_village = {vid: coordinator_ids[i % len(coordinator_ids)]
                                      for i, vid in enumerate(village_ids)}
            session.execute(insert(VillageCoordinator.__table__),
                            [{"village_id": v, "user_id": u} for v, u in coordinator_of_village.items()])

            village_of = [None] * (residents + 1)
            pesels = []
            done = 0
            for batch in resident_rows(rng, residents, village_ids, village_names, today, moment, desk_id):
                session.execute(insert(Resident.__table__), batch)
                for row in batch:
                    village_of[row["id"]] = row["village_id"]
                    if row["pesel"]:
                        pesels.append(row["pesel"])
                done += len(batch)
            log(f"residents: {done:,} ({len(pesels):,} with a PESEL) in {clock.perf_counter() - started:.1f} s")
            step = max(1, len(pesels) // 400)
            summary.pesels = pesels[::step][:400]

            plan, statuses = request_plan(rng, requests, open_requests, moment)
            changes = []
            done = 0
            for batch in request_rows(rng, plan, statuses, moment, residents, village_of, coordinator_of_village,
                                      coordinator_ids, desk_id, changes):
                session.execute(insert(Request.__table__), batch)
                done += len(batch)
            for i in range(0, len(changes), BATCH):
                session.execute(insert(RequestStatusChange.__table__), changes[i:i + BATCH])
            log(f"requests: {done:,}, status changes {len(changes):,} in {clock.perf_counter() - started:.1f} s")

            start_today = datetime.combine(today, time(0), tzinfo=WARSAW).astimezone(timezone.utc)
            summary.open_requests = sum(1 for s in statuses if s is not None)
            summary.today_requests = sum(1 for p in plan if p[0] >= start_today)
            summary.rows = {"user_account": 1 + len(coordinator_ids) + 1, "village_coordinator": len(village_ids),
                            "resident": residents, "request": requests, "request_status_change": len(changes)}
            move_sequences(session, ("resident", "request", "request_status_change"))
            # Open desk boards refresh when this moves, as after any registration.
            versions.bump(session, versions.DESK)
            summary.desk_version = versions.current(session, versions.DESK)
            session.commit()
            analyze(session, ("resident", "request", "request_status_change", "user_account"))
    finally:
        engine.dispose()
    summary.seconds = clock.perf_counter() - started
    return summary
