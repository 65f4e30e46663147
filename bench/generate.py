"""A large, deterministic, Polish-sounding catalogue for the benchmark.

Everything is built as plain dicts with explicit ids and written with
SQLAlchemy Core bulk inserts (`session.execute(insert(table), rows)`), so
5,000 services and their relations take seconds, not minutes. Areas and
target groups come from the rows the migrations seed. The villages (extended
to 40), synonyms and provider identifiers (NIP, REGON, KRS with valid check
digits) are the demo catalogue's (portal/demo/catalogue.py); slugs are made
as the portal makes them (portal.text.slugify).
"""
import random
import time as clock
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.orm import Session

import portal.models  # noqa: F401  (every model registered, so the mappers configure)
from config import normalise_database_url
from portal.core import versions
from portal.demo import catalogue as demo
from portal.extensions import db
from portal.text import slugify

SEED = 2026
SLUG_LENGTH = 110

# --- word lists ---------------------------------------------------------------

# The demo's sołectwa first, then more of the same kind.
VILLAGES = demo.VILLAGES + (
    "Nowa Wola", "Stara Wieś", "Zalesie", "Podgórze", "Kolonia Wojcieszków", "Łazy",
    "Żabików", "Ryżki", "Gręzówka", "Jadwisin", "Celiny", "Dąbrówka", "Karwacz", "Zembry",
    "Kózki", "Wólka Zastawska", "Ogniwo", "Borki", "Leszczanka", "Przytoczno", "Sobieszyn",
    "Ruda Śląska Mała",
)

PLACE_KINDS = (
    ("Świetlica wiejska", ("step_free",)),
    ("Remiza OSP", ("parking",)),
    ("Szkoła Podstawowa", ("step_free", "lift", "accessible_toilet")),
    ("Dom Kultury", ("step_free", "induction_loop", "large_print")),
    ("Ośrodek Zdrowia", ("step_free", "accessible_toilet", "parking", "assistance_dog")),
    ("Sala parafialna", ()),
    ("Klub Seniora", ("step_free", "large_print")),
    ("Biblioteka Publiczna", ("step_free", "large_print", "induction_loop")),
    ("Centrum Usług Społecznych", ("step_free", "lift", "accessible_toilet", "sign_language", "parking")),
    ("Hala sportowa", ("step_free", "accessible_toilet")),
)

STREETS = ("Szkolna", "Kościelna", "Długa", "Lipowa", "Polna", "Ogrodowa", "Leśna", "Spokojna",
           "Łąkowa", "Słoneczna", "Kolejowa", "Rynek", "Zielona", "Krótka", "Parkowa", "Wiejska")

NICKNAMES = ("Złota Jesień", "Pod Lipami", "Razem", "Przystań", "Tęcza", "Sąsiedzi", "Promyk",
             "Nadzieja", "Bez Barier", "Aktywni", "Dobry Start", "Pogodna Jesień", "Krokus",
             "Źródło", "Ostoja", "Wrzos", "Kalina", "Jarzębina", "Słonecznik", "Most")

PROVIDER_PATTERNS = (
    ("association", "Stowarzyszenie „{nick}” w gminie {village}"),
    ("association", "Stowarzyszenie Przyjaciół {village_plain} „{nick}”"),
    ("association", "Koło Gospodyń Wiejskich „{nick}” — {village}"),
    ("association", "Ochotnicza Straż Pożarna — {village}"),
    ("foundation", "Fundacja Pomocy Seniorom „{nick}”"),
    ("foundation", "Fundacja Rozwoju Lokalnego „{nick}” — {village}"),
    ("foundation", "Fundacja „{nick}” na rzecz osób z niepełnosprawnościami"),
    ("social_economy", "Spółdzielnia Socjalna „{nick}” — {village}"),
    ("church", "Parafia Rzymskokatolicka pw. św. {saint} — {village}"),
    ("church", "Caritas Parafii pw. św. {saint} — {village}"),
    ("healthcare", "Niepubliczny Zakład Opieki Zdrowotnej „{nick}”"),
    ("healthcare", "Centrum Rehabilitacji „{nick}” — {village}"),
    ("private_practice", "Gabinet Fizjoterapii {person}"),
    ("private_practice", "Gabinet Psychologiczny {person}"),
    ("private_practice", "Kancelaria Radcy Prawnego {person}"),
    ("private_practice", "Gabinet Logopedyczny {person}"),
    ("company", "Przewozy Osobowe {person}"),
    ("company", "Usługi Opiekuńcze „{nick}” sp. z o.o."),
    ("municipal_unit", "Gminny Ośrodek Kultury — filia {village}"),
    ("municipal_unit", "Szkoła Podstawowa — {village}"),
    ("municipal_office", "Urząd Gminy — referat spraw społecznych ({village})"),
)

SAINTS = ("Józefa", "Anny", "Wojciecha", "Stanisława", "Jadwigi", "Trójcy Świętej", "Michała Archanioła")
FIRST_NAMES = ("Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Joanna", "Piotr",
               "Krzysztof", "Tomasz", "Paweł", "Marcin", "Łukasz", "Grzegorz", "Zofia", "Jadwiga")
SURNAMES = ("Kowalska", "Nowak", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowska", "Zielińska",
            "Szymańska", "Woźniak", "Dąbrowska", "Kozłowska", "Jankowska", "Mazur", "Kwiatkowska",
            "Krawczyk", "Piotrowska", "Grabowska", "Pawłowska", "Michalska", "Król")

# Service kinds: name, areas, target groups, unit, share at the client's home,
# share with a fee, and the sentence that opens the description.
KINDS = (
    ("Klub Seniora", ("social_assistance", "culture", "civic_activity"), ("seniors", "community"), "meeting", 0.0, 0.2,
     "Spotkania seniorów przy kawie, rozmowy, wspólne wyjścia i zajęcia ruchowe."),
    ("Klub Rodzica", ("family_support", "family_policy"), ("families", "children_youth"), "meeting", 0.0, 0.1,
     "Spotkania rodziców małych dzieci z położną, psychologiem i pedagogiem."),
    ("Klub Integracji Społecznej", ("reintegration", "unemployment"), ("unemployed", "community"), "meeting", 0.0, 0.0,
     "Wsparcie w powrocie na rynek pracy: doradztwo, szkolenia i prace społecznie użyteczne."),
    ("Klub Abstynenta", ("health", "social_assistance"), ("addicted",), "meeting", 0.0, 0.0,
     "Spotkania osób trzeźwiejących i ich bliskich, wsparcie w utrzymaniu abstynencji."),
    ("Pakiet opiekuńczy", ("social_assistance",), ("seniors", "disabled", "carers"), "package", 0.9, 0.6,
     "Pomoc w codziennych czynnościach, zakupach, sprzątaniu i przygotowaniu posiłków."),
    ("Pakiet rehabilitacyjny", ("health", "disability"), ("disabled", "health_problems", "seniors"),
     "package", 0.5, 0.5,
     "Zestaw zabiegów rehabilitacyjnych dobranych przez fizjoterapeutę po konsultacji."),
    ("Pakiet wytchnieniowy", ("social_assistance", "disability"), ("carers",), "package", 0.6, 0.3,
     "Kilka godzin opieki nad osobą zależną, aby opiekun mógł odpocząć i załatwić sprawy."),
    ("Poradnictwo psychologiczne", ("health", "family_support"), ("families_in_crisis", "mental_health", "community"),
     "hour", 0.1, 0.2,
     "Indywidualne konsultacje z psychologiem w trudnej sytuacji życiowej."),
    ("Poradnictwo prawne", ("social_assistance", "civic_activity"), ("community", "seniors", "families_in_crisis"),
     "hour", 0.0, 0.0,
     "Nieodpłatna porada prawna w sprawach rodzinnych, mieszkaniowych i spadkowych."),
    ("Poradnictwo rodzinne", ("family_support", "family_policy"), ("families", "families_in_crisis"), "hour", 0.1, 0.0,
     "Wsparcie rodzin w rozwiązywaniu konfliktów i problemów wychowawczych."),
    ("Poradnictwo zawodowe", ("unemployment", "reintegration"), ("unemployed",), "hour", 0.0, 0.0,
     "Pomoc w wyborze ścieżki zawodowej, przygotowaniu CV i rozmowie kwalifikacyjnej."),
    ("Poradnictwo logopedyczne", ("health", "education"), ("children_youth", "families"), "hour", 0.1, 0.4,
     "Diagnoza i terapia zaburzeń mowy u dzieci oraz porady dla rodziców."),
    ("Warsztaty kulinarne", ("culture", "health"), ("seniors", "community", "families"), "meeting", 0.0, 0.4,
     "Wspólne gotowanie zdrowych i tanich potraw z lokalnych produktów."),
    ("Warsztaty rękodzieła", ("culture", "civic_activity"), ("seniors", "community"), "meeting", 0.0, 0.3,
     "Haft, szydełkowanie, wikliniarstwo i malowanie na szkle pod okiem twórców ludowych."),
    ("Warsztaty komputerowe", ("education", "culture"), ("seniors", "unemployed"), "meeting", 0.0, 0.2,
     "Nauka obsługi komputera, smartfona, bankowości internetowej i profilu zaufanego."),
    ("Warsztaty umiejętności wychowawczych", ("family_support",), ("families", "families_in_crisis"),
     "meeting", 0.0, 0.0,
     "Zajęcia dla rodziców o komunikacji z dzieckiem, granicach i emocjach."),
    ("Warsztaty terapii zajęciowej", ("disability", "reintegration"), ("disabled", "mental_health"), "day", 0.0, 0.0,
     "Terapia zajęciowa w pracowniach: stolarskiej, ceramicznej, ogrodniczej i krawieckiej."),
    ("Grupa wsparcia dla opiekunów", ("social_assistance", "health"), ("carers",), "meeting", 0.0, 0.0,
     "Spotkania opiekunów osób zależnych: wymiana doświadczeń i wsparcie psychologa."),
    ("Grupa wsparcia dla osób w żałobie", ("health",), ("mental_health", "community"), "meeting", 0.0, 0.0,
     "Bezpieczna przestrzeń do rozmowy o stracie bliskiej osoby."),
    ("Grupa wsparcia AA", ("health",), ("addicted",), "meeting", 0.0, 0.0,
     "Mityngi Anonimowych Alkoholików, otwarte dla każdego, kto chce przestać pić."),
    ("Rehabilitacja ruchowa", ("health", "disability"), ("disabled", "health_problems", "seniors"), "visit", 0.3, 0.5,
     "Ćwiczenia usprawniające, kinezyterapia i masaż według zaleceń lekarza."),
    ("Rehabilitacja domowa", ("health", "disability"), ("disabled", "seniors"), "visit", 1.0, 0.5,
     "Fizjoterapeuta przyjeżdża do domu osoby, która nie może dojechać na zabiegi."),
    ("Fizjoterapia", ("health",), ("health_problems", "seniors"), "visit", 0.2, 0.7,
     "Zabiegi fizjoterapeutyczne: elektroterapia, ultradźwięki, laseroterapia i ćwiczenia."),
    ("Opieka wytchnieniowa", ("social_assistance", "disability"), ("carers", "disabled"), "hour", 0.8, 0.2,
     "Czasowe zastępstwo opiekuna osoby z niepełnosprawnością w domu lub w ośrodku."),
    ("Usługi opiekuńcze", ("social_assistance",), ("seniors", "disabled"), "hour", 1.0, 0.8,
     "Pomoc opiekunki w domu: higiena, zakupy, posiłki, kontakt z lekarzem."),
    ("Specjalistyczne usługi opiekuńcze", ("social_assistance", "health"), ("mental_health", "disabled"),
     "hour", 1.0, 0.6,
     "Usługi dostosowane do szczególnych potrzeb osób z zaburzeniami psychicznymi."),
    ("Asystencja osobista", ("disability",), ("disabled",), "hour", 0.7, 0.0,
     "Asystent pomaga w wyjściu z domu, dojazdach, załatwianiu spraw i aktywności."),
    ("Transport dla osób z niepełnosprawnościami", ("disability", "social_assistance"), ("disabled", "seniors"),
     "trip", 0.0, 0.3,
     "Przewóz busem przystosowanym dla wózków do lekarza, urzędu lub na zajęcia."),
    ("Transport na zabiegi", ("health",), ("seniors", "health_problems"), "trip", 0.0, 0.4,
     "Dowóz na zabiegi rehabilitacyjne i wizyty lekarskie w powiecie."),
    ("Świetlica środowiskowa", ("family_support", "education"), ("children_youth",), "day", 0.0, 0.0,
     "Opieka po lekcjach, pomoc w odrabianiu lekcji, zajęcia plastyczne i sportowe."),
    ("Świetlica socjoterapeutyczna", ("family_support", "health"), ("children_youth", "families_in_crisis"),
     "day", 0.0, 0.0,
     "Zajęcia socjoterapeutyczne dla dzieci i młodzieży z rodzin w trudnej sytuacji."),
    ("Łóżko rehabilitacyjne", ("disability", "health"), ("disabled", "seniors", "carers"), "loan", 1.0, 0.5,
     "Wypożyczenie łóżka rehabilitacyjnego z materacem przeciwodleżynowym na czas choroby."),
    ("Wózek inwalidzki", ("disability",), ("disabled", "seniors"), "loan", 1.0, 0.3,
     "Wypożyczenie wózka inwalidzkiego, balkonika lub kul z wypożyczalni sprzętu."),
    ("Teleopieka", ("social_assistance", "health"), ("seniors", "disabled"), "month", 1.0, 0.7,
     "Opaska z przyciskiem alarmowym i całodobowe centrum wsparcia."),
    ("Posiłki z dowozem", ("social_assistance",), ("seniors", "disabled"), "day", 1.0, 0.8,
     "Ciepły obiad dowożony do domu od poniedziałku do piątku."),
    ("Mieszkanie wspierane", ("housing", "social_assistance"), ("disabled", "mental_health"), "month", 0.0, 0.6,
     "Mieszkanie z pomocą asystenta dla osób uczących się samodzielności."),
    ("Zajęcia sportowe", ("sport_tourism", "health"), ("children_youth", "community"), "meeting", 0.0, 0.2,
     "Piłka nożna, tenis stołowy, siatkówka i gimnastyka prowadzone przez trenerów."),
    ("Nordic walking", ("sport_tourism", "health"), ("seniors", "community"), "meeting", 0.0, 0.1,
     "Marsze z kijami po okolicznych lasach i polach z instruktorem."),
    ("Gimnastyka dla seniorów", ("sport_tourism", "health"), ("seniors",), "meeting", 0.0, 0.2,
     "Łagodne ćwiczenia poprawiające równowagę i zapobiegające upadkom."),
    ("Terapia uzależnień", ("health",), ("addicted", "families_in_crisis"), "hour", 0.0, 0.0,
     "Terapia indywidualna i grupowa dla osób uzależnionych i współuzależnionych."),
    ("Konsultacje dietetyczne", ("health",), ("health_problems", "community"), "visit", 0.1, 0.6,
     "Ocena sposobu żywienia i indywidualny jadłospis przy cukrzycy i nadciśnieniu."),
    ("Szkoła rodzenia", ("family_policy", "health"), ("families",), "meeting", 0.0, 0.1,
     "Przygotowanie do porodu i opieki nad noworodkiem z położną."),
    ("Bank czasu", ("civic_activity",), ("community",), "hour", 0.3, 0.0,
     "Wymiana usług sąsiedzkich: godzina pomocy za godzinę pomocy."),
    ("Wolontariat", ("civic_activity", "social_assistance"), ("community", "children_youth"), "hour", 0.2, 0.0,
     "Wolontariusze odwiedzają osoby samotne, pomagają w zakupach i spacerach."),
    ("Korepetycje", ("education",), ("children_youth",), "hour", 0.2, 0.3,
     "Bezpłatna pomoc w nauce matematyki, języka polskiego i angielskiego."),
    ("Doradztwo mieszkaniowe", ("housing",), ("families_in_crisis", "community"), "hour", 0.0, 0.0,
     "Pomoc w sprawach dodatku mieszkaniowego, zadłużenia i zamiany lokalu."),
    ("Punkt pomocy ofiarom przemocy", ("family_support", "social_assistance"), ("families_in_crisis",),
     "hour", 0.0, 0.0,
     "Interwencja kryzysowa, plan bezpieczeństwa i pomoc w procedurze Niebieskiej Karty."),
    ("Sprzątanie okolicy", ("environment", "civic_activity"), ("community",), "meeting", 0.0, 0.0,
     "Wspólne sprzątanie lasów, rowów i brzegów rzeki z mieszkańcami."),
)

FOR_GROUP = {
    "seniors": "dla seniorów",
    "disabled": "dla osób z niepełnosprawnościami",
    "health_problems": "dla osób przewlekle chorych",
    "carers": "dla opiekunów",
    "families_in_crisis": "dla rodzin w kryzysie",
    "addicted": "dla osób uzależnionych",
    "children_youth": "dla dzieci i młodzieży",
    "families": "dla rodzin z dziećmi",
    "unemployed": "dla osób bezrobotnych",
    "mental_health": "dla osób w kryzysie psychicznym",
    "community": "dla mieszkańców",
}

SENTENCES = (
    "Zajęcia prowadzą doświadczeni specjaliści i przeszkoleni wolontariusze.",
    "Spotkania odbywają się w małych grupach, w życzliwej atmosferze.",
    "Pierwsze spotkanie jest zapoznawcze i nie wymaga wcześniejszych zapisów.",
    "Liczba miejsc jest ograniczona, decyduje kolejność zgłoszeń.",
    "Uczestnicy otrzymują materiały w dużym druku.",
    "Można przyjść z osobą bliską lub opiekunem.",
    "W razie potrzeby zapewniamy dojazd z sąsiednich miejscowości.",
    "Usługa jest finansowana ze środków gminy i programu rządowego.",
    "Koordynator CUS pomaga dobrać termin i formę wsparcia.",
    "Prosimy o wcześniejszy kontakt telefoniczny w sprawie terminu.",
    "Program obejmuje także konsultacje indywidualne.",
    "W okresie wakacji zajęcia odbywają się w zmienionych godzinach.",
    "Sala jest dostępna dla osób poruszających się na wózku.",
    "Realizator współpracuje z ośrodkiem zdrowia i szkołą.",
)

GOALS = (
    "Zmniejszenie osamotnienia i poprawa samodzielności uczestników.",
    "Wzmocnienie rodzin i zapobieganie umieszczaniu dzieci w pieczy zastępczej.",
    "Utrzymanie sprawności i zdrowia mieszkańców gminy.",
    "Aktywizacja społeczna i zawodowa uczestników.",
    "Odciążenie opiekunów osób zależnych.",
)

DOCUMENTS = ("Orzeczenie o niepełnosprawności", "Zaświadczenie lekarskie", "Skierowanie od lekarza",
             "Oświadczenie o dochodach", "Karta zgłoszeniowa")

@dataclass
class Catalogue:
    """What the load generator needs to know about the generated data."""

    services: int = 0
    providers: int = 0
    villages: list = field(default_factory=list)  # slugs
    public_slugs: list = field(default_factory=list)  # services with a public page
    rows: dict = field(default_factory=dict)  # table -> row count
    seconds: float = 0.0


def _unique(slug, taken):
    base, n = slug, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _description(rng, opening):
    sentences = [opening] + rng.sample(SENTENCES, 5)
    result = []
    for sentence in sentences:
        result.extend(sentence.split())
        if len(result) >= 20 and (len(result) >= 40 or rng.random() < 0.45):
            break
    return " ".join(result[:40])


def build_rows(session, *, services=5000, providers=500, seed=SEED):
    """All rows of the catalogue as {table: [dict, ...]}, plus the summary."""
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    year = now.year
    area, group = TABLES["area"], TABLES["target_group"]
    areas = dict(session.execute(select(area.c.code, area.c.id).order_by(area.c.position, area.c.id)).all())
    groups = dict(session.execute(select(group.c.code, group.c.id).order_by(group.c.position, group.c.id)).all())
    if not areas or not groups:
        raise RuntimeError("areas or target groups are missing: was the schema migrated?")

    rows = {name: [] for name in INSERTED}
    summary = Catalogue(services=services, providers=providers)

    village_ids = {}
    for i, name in enumerate(VILLAGES, start=1):
        slug = slugify(name, SLUG_LENGTH)
        village_ids[name] = i
        rows["village"].append({"id": i, "name": name, "slug": slug})
        summary.villages.append(slug)

    places_by_village = {}
    place_id = 0
    for name in VILLAGES:
        kinds = rng.sample(PLACE_KINDS, rng.randint(3, 6))
        for kind, access in kinds:
            place_id += 1
            codes = sorted(set(access) | {c for c in ("parking", "assistance_dog") if rng.random() < 0.2})
            rows["place"].append({
                "id": place_id,
                "name": f"{kind} — {name}",
                "address_1": f"ul. {rng.choice(STREETS)} {rng.randint(1, 60)}",
                "postal_code": f"21-4{rng.randint(0, 99):02d}",
                "city": name,
                "village_id": village_ids[name],
                "accessibility_codes": ",".join(codes),
                "accessibility_description": "Wejście od strony parkingu." if "step_free" in codes else None,
            })
            places_by_village.setdefault(name, []).append(place_id)

    provider_slugs, provider_types = set(), {}
    for pid in range(1, providers + 1):
        ptype, pattern = rng.choice(PROVIDER_PATTERNS)
        village = rng.choice(VILLAGES)
        name = pattern.format(
            nick=rng.choice(NICKNAMES), village=village, village_plain=village,
            saint=rng.choice(SAINTS), person=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
        )
        provider_types[pid] = ptype
        rows["provider"].append({
            "id": pid,
            "name": name,
            "slug": _unique(slugify(name, SLUG_LENGTH), provider_slugs),
            "provider_type": ptype,
            "description": _description(rng, "Realizator usług społecznych działający na terenie gminy."),
            "nip": demo.make_nip(rng),
            "regon": demo.make_regon(rng),
            "krs": demo.make_krs(rng) if ptype in ("association", "foundation", "social_economy") else None,
            "email": f"kontakt{pid}@example.org",
            "phone": f"25 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "website": f"https://example.org/realizator-{pid}" if rng.random() < 0.5 else None,
            "address_1": f"ul. {rng.choice(STREETS)} {rng.randint(1, 60)}",
            "postal_code": "21-407",
            "city": village,
            "status": "active",
            "created_at": now,
            "updated_at": now,
            "version": 1,
        })

    service_slugs = set()
    rule_id = closure_id = discount_id = doc_id = indicator_id = 0
    for sid in range(1, services + 1):
        kind, kind_areas, kind_groups, unit, home_share, fee_share, opening = rng.choice(KINDS)
        village = rng.choice(VILLAGES)
        chosen_groups = rng.sample(kind_groups, rng.randint(1, len(kind_groups)))
        if rng.random() < 0.15:
            extra = rng.choice(list(groups))
            if extra not in chosen_groups:
                chosen_groups.append(extra)
        chosen_areas = rng.sample(kind_areas, rng.randint(1, len(kind_areas)))
        parts = [kind]
        if rng.random() < 0.35:
            parts.append(f"„{rng.choice(NICKNAMES)}”")
        if rng.random() < 0.5:
            parts.append(FOR_GROUP[chosen_groups[0]])
        name = f"{' '.join(parts)} — {village}"
        at_home = rng.random() < home_share
        paid = rng.random() < fee_share
        roll = rng.random()
        status = "active" if roll < 0.92 else ("suspended" if roll < 0.97 else "archived")
        valid_to = None
        if rng.random() < 0.1:
            valid_to = date(year + rng.randint(0, 2), 12, 31)
        slug = _unique(slugify(f"{kind} {village}", SLUG_LENGTH), service_slugs)
        min_age = (rng.choice((None, None, None, 18, 60, 65)) if "children_youth" not in chosen_groups
                   else rng.choice((None, 6, 7)))
        max_age = rng.choice((None, 18)) if "children_youth" in chosen_groups else None
        if min_age is not None and max_age is not None and max_age < min_age:
            max_age = None
        rows["service"].append({
            "id": sid,
            "slug": slug,
            "name": name,
            "description": _description(rng, opening),
            "goal": rng.choice(GOALS) if rng.random() < 0.5 else None,
            "provider_id": rng.randint(1, providers),
            "status": status,
            "origin": rng.choice(("existing", "existing", "new", "expanded")),
            "valid_from": date(year - 1, 1, 1) if rng.random() < 0.3 else None,
            "valid_to": valid_to,
            "delivery_description": "W domu osoby korzystającej z usługi." if at_home else None,
            "at_client_home": at_home,
            "application_process": "Zgłoszenie w Biurze Obsługi Klienta CUS osobiście, telefonicznie lub e-mailem.",
            "unit": unit,
            "schedule_description": "Terminy ustalane indywidualnie." if at_home else None,
            "closed_on_public_holidays": rng.random() < 0.9,
            "fee_amount": Decimal(rng.choice((5, 10, 15, 20, 25, 30, 40, 50, 80, 120))) if paid else None,
            "fees_description": "Odpłatność zależy od dochodu." if paid else None,
            "minimum_age": min_age,
            "maximum_age": max_age,
            "residents_only": rng.random() < 0.4,
            "requires_disability_certificate": "disabled" in chosen_groups and rng.random() < 0.4,
            "target_groups_only": rng.random() < 0.2,
            "eligibility_description": "Pierwszeństwo mają osoby samotne." if rng.random() < 0.2 else None,
            "personal_data_required": "Imię i nazwisko oraz numer telefonu.",
            "capacity_maximum": rng.choice((None, 10, 12, 15, 20, 30, 50)),
            "capacity_granted": rng.randint(0, 10),
            "contact_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
            "email": f"usluga{sid}@example.org",
            "phone": f"25 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "url": None,
            "assured_date": (now - timedelta(days=rng.randint(0, 365))).date(),
            "created_at": now,
            "updated_at": now,
            "created_by_id": None,
            "updated_by_id": None,
            "version": 1,
        })
        if status != "archived":
            summary.public_slugs.append(slug)
        for code in chosen_areas:
            rows["service_area"].append({"service_id": sid, "area_id": areas[code]})
        for code in chosen_groups:
            rows["service_target_group"].append({"service_id": sid, "target_group_id": groups[code]})
        if not at_home or rng.random() < 0.2:
            for pl in rng.sample(places_by_village[village], rng.randint(1, min(2, len(places_by_village[village])))):
                rows["service_place"].append({"service_id": sid, "place_id": pl})
        # Weekly sessions for most services (not for loans or at-home packages).
        if unit not in ("loan", "package") and rng.random() < 0.85:
            days = rng.sample(range(7 if rng.random() < 0.1 else 5), rng.randint(1, 3))
            opens_hour = rng.randint(8, 17)
            length = rng.randint(1, 4)
            seasonal = rng.random() < 0.1
            for day in sorted(days):
                rule_id += 1
                rows["schedule_rule"].append({
                    "id": rule_id, "service_id": sid, "weekday": day,
                    "opens": time(opens_hour, rng.choice((0, 30))),
                    "closes": time(min(opens_hour + length, 23), 0),
                    "valid_from": date(year, 7, 1) if seasonal else None,
                    "valid_to": date(year, 8, 31) if seasonal else None,
                    "label": rng.choice(("zajęcia grupowe", "dyżur", "konsultacje")) if rng.random() < 0.2 else None,
                })
        if rng.random() < 0.05:
            closure_id += 1
            start = date(year, rng.randint(1, 12), rng.randint(1, 20))
            rows["closure"].append({"id": closure_id, "service_id": sid, "starts_on": start,
                                    "ends_on": start + timedelta(days=rng.randint(1, 14)), "reason": "urlop"})
        if paid and rng.random() < 0.3:
            discount_id += 1
            rows["discount"].append({"id": discount_id, "service_id": sid,
                                     "entitled": "Posiadacze Karty Dużej Rodziny", "amount": Decimal("5.00")})
        if rng.random() < 0.3:
            doc_id += 1
            rows["required_document"].append({"id": doc_id, "service_id": sid, "document": rng.choice(DOCUMENTS)})
        if rng.random() < 0.1:
            indicator_id += 1
            rows["indicator"].append({"id": indicator_id, "service_id": sid, "name": "Liczba uczestników",
                                      "unit": "osoby", "target_value": rng.randint(5, 80),
                                      "evidence": "lista obecności", "year": year})

    for i, phrases in enumerate(demo.SYNONYMS, start=1):
        rows["synonym_group"].append({"id": i, "phrases": phrases, "updated_at": now})
    return rows, summary


# The tables written, in insertion order (the migrations seed area and target_group).
INSERTED = ("village", "place", "provider", "service", "service_area", "service_target_group", "service_place",
            "schedule_rule", "closure", "discount", "required_document", "indicator", "synonym_group")
TABLES = {name: db.metadata.tables[name] for name in ("area", "target_group", *INSERTED)}
SERIAL_TABLES = ("village", "place", "provider", "service", "schedule_rule", "closure", "discount",
                 "required_document", "indicator", "synonym_group")


def generate(database_url, *, services=5000, providers=500, seed=SEED, log=print):
    """Fill a freshly migrated database; returns a Catalogue summary."""
    started = clock.perf_counter()
    engine = create_engine(normalise_database_url(database_url))
    try:
        with Session(engine) as session:
            rows, summary = build_rows(session, services=services, providers=providers, seed=seed)
            for name in INSERTED:
                if rows[name]:
                    session.execute(insert(TABLES[name]), rows[name])
                summary.rows[name] = len(rows[name])
            move_sequences(session, SERIAL_TABLES)
            _bump(session, log)
            session.commit()
    finally:
        engine.dispose()
    summary.seconds = clock.perf_counter() - started
    return summary


def move_sequences(session, names):
    """PostgreSQL: rows inserted with explicit ids leave the id sequences
    behind; move them past the largest id, so later inserts do not collide."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in names:
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                             f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"))


def analyze(session, names):
    """PostgreSQL: ANALYZE the tables of a bulk import and commit. Autovacuum
    would analyse them within a minute of such an import in production; done
    here so the plans do not depend on when the measurement starts."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in names:
        session.execute(text(f"ANALYZE {name}"))
    session.commit()


def _bump(session, log):
    """portal.core.versions.bump for the catalogue, with a loud fallback should
    it fail (an earlier version wrote a 62-bit random value into the INTEGER
    counter, which PostgreSQL rejects)."""
    from sqlalchemy.exc import DBAPIError

    nested = session.begin_nested()
    try:
        versions.bump(session, versions.CATALOGUE)
        session.flush()
        nested.commit()
    except DBAPIError as error:
        nested.rollback()
        reason = str(error.orig).splitlines()[0] if error.orig else str(error)
        log(f"  WARNING: versions.bump() failed ({reason}); "
            "moved data_version.counter by hand instead")
        session.execute(text("UPDATE data_version SET counter = counter + 1 WHERE name = 'catalogue'"))
