"""A fictitious but realistic catalogue for the municipality of Wojcieszków.

Names of services, providers, places and villages come from the centres'
implementation plans (see the domain notes); every person is fictitious and
every NIP / REGON / KRS is generated here (with valid check digits) for
providers that do not exist. Nothing depends on the clock except the year:
seasonal periods, closures and programme periods are fixed dates in the
current year (Europe/Warsaw), so the demo stays meaningful whenever it runs.
"""
import random
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from ..catalogue.models import (
    Area,
    Closure,
    Discount,
    Indicator,
    LifeSituation,
    Place,
    Provider,
    RequiredDocument,
    ScheduleRule,
    Service,
    SynonymGroup,
    TargetGroup,
    Village,
    default_delivery_mode,
)
from ..core import versions
from ..text import slugify
from ..timeutil import local_now

SEED = 2026
POSTAL_CODE = "21-407"
TOWN = "Wojcieszków"

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WORKDAYS = (MON, TUE, WED, THU, FRI)
EVERY_DAY = tuple(range(7))


# --- identifiers with valid check digits ----------------------------------

_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
_REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
_REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)


def _digits(rng, count):
    return "".join(str(rng.randrange(10)) for _ in range(count))


def _weighted(digits, weights):
    return sum(int(d) * w for d, w in zip(digits, weights))


def make_nip(rng, prefix="825"):
    """A NIP with a valid check digit (825 is the tax office in Łuków)."""
    while True:
        body = prefix + _digits(rng, 9 - len(prefix))
        check = _weighted(body, _NIP_WEIGHTS) % 11
        if check != 10:  # such prefixes are never issued
            return body + str(check)


def make_regon(rng, long=False):
    body = "43" + _digits(rng, 6)  # 43: Lubelskie
    regon = body + str(_weighted(body, _REGON9_WEIGHTS) % 11 % 10)
    if long:
        body = regon + _digits(rng, 4)
        regon = body + str(_weighted(body, _REGON14_WEIGHTS) % 11 % 10)
    return regon


def make_krs(rng):
    return "0000" + _digits(rng, 6)


# --- villages (sołectwa of the municipality of Wojcieszków) ----------------

VILLAGES = (
    "Wojcieszków",
    "Bęczków",
    "Burzec",
    "Domaszewnica",
    "Wólka Domaszewska",
    "Zofibór",
    "Świderki",
    "Oszczepalin Pierwszy",
    "Oszczepalin Drugi",
    "Siedliska",
    "Role",
    "Kawki",
    "Glinne",
    "Fiukówka",
    "Hordzieżka",
    "Wola Burzecka",
    "Bożniewice",
    "Ksawerynów",
)


# --- places -----------------------------------------------------------------
# key: (name, address_1, village, accessibility codes, accessibility description)

PLACES = {
    "cus": ("Centrum Usług Społecznych w Wojcieszkowie", "ul. Długa 35", "Wojcieszków",
            ("step_free", "accessible_toilet", "induction_loop", "sign_language", "parking", "large_print",
             "assistance_dog"),
            "Podjazd od strony parkingu, Biuro Obsługi Klienta na parterze, pętla indukcyjna przy okienku; "
            "tłumacz PJM po zgłoszeniu z 3-dniowym wyprzedzeniem."),
    "ug": ("Urząd Gminy Wojcieszków — sala konferencyjna", "ul. Długa 52", "Wojcieszków",
           ("step_free", "lift", "parking"), None),
    "library": ("Gminna Biblioteka Publiczna w Wojcieszkowie", "ul. Szkolna 4", "Wojcieszków",
                ("step_free", "large_print", "assistance_dog"),
                "Książki w dużym druku i audiobooki w dziale dla seniorów."),
    "clinic": ("Ośrodek Zdrowia w Wojcieszkowie", "ul. Ogrodowa 2", "Wojcieszków",
               ("step_free", "lift", "accessible_toilet", "parking"), None),
    "school": ("Szkoła Podstawowa w Wojcieszkowie — sala gimnastyczna", "ul. Szkolna 10", "Wojcieszków",
               ("step_free", "accessible_toilet"), None),
    "orlik": ("Kompleks sportowy „Orlik” w Wojcieszkowie", "ul. Sportowa 3", "Wojcieszków",
              ("step_free", "parking"), None),
    "flat": ("Mieszkanie chronione przy ul. Kwiatowej", "ul. Kwiatowa 7 m. 2", "Wojcieszków",
             ("step_free", "accessible_toilet"), "Mieszkanie na parterze, łazienka z prysznicem bez brodzika."),
    "training_flat": ("Mieszkanie treningowe przy ul. Kwiatowej", "ul. Kwiatowa 7 m. 4", "Wojcieszków",
                      (), "Mieszkanie na pierwszym piętrze, bez windy."),
    "equipment": ("Wypożyczalnia sprzętu rehabilitacyjnego CUS", "ul. Długa 35 (wejście od podwórza)", "Wojcieszków",
                  ("step_free", "parking"), "Podjazd do drzwi magazynu; sprzęt można odebrać samochodem."),
    "rehab": ("Gabinet rehabilitacji „Ruch”", "ul. Łukowska 18", "Wojcieszków",
              ("step_free", "accessible_toilet", "parking"), None),
    "parish": ("Dom parafialny w Wojcieszkowie", "ul. Kościelna 3", "Wojcieszków",
               ("step_free",), None),
    "coop": ("Siedziba Spółdzielni Socjalnej „Wojcieszkowianka”", "ul. Przemysłowa 5", "Wojcieszków",
             ("step_free", "accessible_toilet"), None),
    "nursery": ("Żłobek gminny „Maluch”", "ul. Słoneczna 6", "Wojcieszków",
                ("step_free", "accessible_toilet", "parking"), None),
    "hall_burzec": ("Świetlica wiejska w Burzcu", "Burzec 48", "Burzec", ("step_free",), None),
    "hall_beczkow": ("Świetlica wiejska w Bęczkowie", "Bęczków 41", "Bęczków", ("step_free", "parking"), None),
    "socio_beczkow": ("Świetlica socjoterapeutyczna w Bęczkowie (budynek dawnej szkoły)", "Bęczków 12", "Bęczków",
                      ("step_free", "accessible_toilet"), None),
    "hall_wolka": ("Świetlica w Wólce Domaszewskiej", "Wólka Domaszewska 30", "Wólka Domaszewska",
                   ("step_free", "accessible_toilet", "parking"), "Sala rehabilitacyjna na parterze, szerokie drzwi."),
    "hall_oszczepalin": ("Świetlica wiejska w Oszczepalinie Pierwszym", "Oszczepalin Pierwszy 15",
                         "Oszczepalin Pierwszy",
                         (), "Dwa stopnie przy wejściu, brak podjazdu."),
    "hall_zofibor": ("Świetlica wiejska w Zofiborze", "Zofibór 7", "Zofibór", ("step_free",), None),
    "hall_swiderki": ("Świetlica wiejska w Świderkach", "Świderki 22", "Świderki", (), None),
    "fire_station": ("Remiza OSP w Domaszewnicy", "Domaszewnica 56", "Domaszewnica", ("parking",), None),
    "school_domaszewnica": ("Szkoła Podstawowa w Domaszewnicy", "Domaszewnica 1", "Domaszewnica",
                            ("step_free", "accessible_toilet"), None),
    "pond": ("Teren rekreacyjny nad stawem w Siedliskach", None, "Siedliska", ("parking",),
             "Ścieżka gruntowa, miejscami nierówna."),
    "garden": ("Ogród społeczny przy świetlicy w Siedliskach", "Siedliska 9", "Siedliska", ("step_free",),
               "Podwyższone grządki dostępne z wózka."),
    "hall_role": ("Świetlica wiejska w Rolach", "Role 18", "Role", ("step_free",), None),
    "hall_kawki": ("Świetlica wiejska w Kawkach", "Kawki 3", "Kawki", (), None),
    "care_home": ("Dom Opieki „Złota Jesień” w Glinnem", "Glinne 5", "Glinne",
                  ("step_free", "lift", "accessible_toilet", "parking", "assistance_dog"), None),
}


# --- providers ----------------------------------------------------------------
# ids: which identifiers to generate ("nip", "regon", "regon14", "krs"); only
# for providers that do not exist in reality.

PROVIDERS = (
    dict(key="cus", name="Centrum Usług Społecznych w Wojcieszkowie", type="municipal_unit",
         phone="+48257531001", email="sekretariat@cus-wojcieszkow.example", website="https://cus-wojcieszkow.example",
         address="ul. Długa 35",
         description="Gminna jednostka, która prowadzi jedno okienko usług społecznych, kwalifikuje mieszkańców "
                     "do usług i koordynuje indywidualne plany usług społecznych."),
    dict(key="ug", name="Urząd Gminy Wojcieszków", type="municipal_office",
         phone="+48257531010", email="urzad@wojcieszkow-gmina.example", address="ul. Długa 52",
         description="Urząd gminy: organizuje prace społecznie użyteczne i wspiera inicjatywy sołectw."),
    dict(key="library", name="Gminna Biblioteka Publiczna w Wojcieszkowie", type="municipal_unit",
         phone="+48257531045", email="biblioteka@wojcieszkow-gmina.example", address="ul. Szkolna 4",
         description="Biblioteka gminna z czytelnią, kącikiem dla dzieci i punktem dostępu do internetu."),
    dict(key="gosir", name="Gminny Ośrodek Sportu i Rekreacji w Wojcieszkowie", type="municipal_unit",
         ids=("nip", "regon"), phone="+48257531077", email="gosir@wojcieszkow-gmina.example", address="ul. Sportowa 3",
         description="Prowadzi kompleks „Orlik” i zajęcia rekreacyjne dla mieszkańców w każdym wieku."),
    dict(key="schools", name="Zespół Placówek Oświatowych w Wojcieszkowie", type="municipal_unit",
         ids=("nip", "regon"), phone="+48257531060", email="zpo@wojcieszkow-gmina.example", address="ul. Słoneczna 6",
         description="Gminna jednostka prowadząca żłobek i wspierająca szkoły w zajęciach pozalekcyjnych."),
    dict(key="srgw", name="Stowarzyszenie Rozwoju Gminy Wojcieszków", type="association",
         phone="+48501200300", email="kontakt@srgw.example", address="ul. Długa 35",
         description="Lokalna organizacja pozarządowa prowadząca kluby seniora oraz zajęcia dla dzieci, "
                     "młodzieży i rodzin."),
    dict(key="coop", name="Spółdzielnia Socjalna „Wojcieszkowianka”", type="social_economy",
         phone="+48257531120", email="biuro@wojcieszkowianka.example", address="ul. Przemysłowa 5",
         description="Podmiot ekonomii społecznej świadczący usługi opiekuńcze, wytchnieniowe i poradnictwo "
                     "specjalistyczne dla mieszkańców gminy."),
    dict(key="kgw", name="Koło Gospodyń Wiejskich „Burzecanki” w Burzcu", type="kgw",
         ids=("nip", "regon"), phone="+48602400500", email="burzecanki@kgw.example", address="Burzec 48",
         description="Koło gospodyń wiejskich: warsztaty kulinarne i rękodzielnicze, organizacja świąt wiejskich."),
    dict(key="osp", name="Ochotnicza Straż Pożarna w Domaszewnicy", type="association",
         ids=("krs", "nip", "regon"), phone="+48603500600", email="osp.domaszewnica@straz.example",
         address="Domaszewnica 56",
         description="Jednostka OSP prowadząca szkolenia z pierwszej pomocy i młodzieżową drużynę pożarniczą."),
    dict(key="forum", name="Stowarzyszenie Forum Oświatowe Gminy Wojcieszków", type="association",
         ids=("krs", "nip", "regon"), phone="+48604600700", email="forum@forum-oswiatowe.example",
         address="ul. Szkolna 10",
         description="Stowarzyszenie nauczycieli i rodziców: zajęcia edukacyjne, warsztaty dla rodziców, "
                     "wakacyjne zajęcia dla dzieci."),
    dict(key="uks", name="Uczniowski Klub Sportowy „Sokół” Wojcieszków", type="association",
         ids=("nip", "regon"), phone="+48605700800", email="uks.sokol@sport.example", address="ul. Sportowa 3",
         description="Klub sportowy dzieci i młodzieży: piłka nożna, piłka siatkowa, tenis stołowy."),
    dict(key="eco", name="Stowarzyszenie Ekologiczne „Zielona Gmina”", type="association",
         ids=("krs", "nip", "regon"), phone="+48606800900", email="zielona.gmina@eko.example", address="Siedliska 9",
         description="Organizacja prowadząca ogród społeczny, akcje sprzątania i edukację ekologiczną."),
    dict(key="haven", name="Stowarzyszenie Trzeźwościowe „Przystań”", type="association",
         ids=("krs", "nip"), phone="+48607900100", email="przystan@trzezwosc.example", address="ul. Kościelna 3",
         description="Stowarzyszenie osób trzeźwiejących i ich bliskich; prowadzi grupy wsparcia "
                     "i terapię uzależnień."),
    dict(key="foundation", name="Fundacja „Pod Wspólnym Dachem”", type="foundation",
         ids=("krs", "nip", "regon"), phone="+48800100200", email="fundacja@wspolnydach.example",
         website="https://wspolnydach.example", address="ul. Lubelska 21",
         description="Fundacja wspierająca osoby w kryzysie psychicznym i rodziny zastępcze; "
                     "prowadzi telefon zaufania."),
    dict(key="horizon", name="Fundacja „Nad Horyzontem”", type="foundation",
         phone="+48608100300", email="kontakt@nadhoryzontem.example",
         description="Fundacja prowadząca poradnictwo w sprawach finansów domowych i bezpieczeństwa bankowego."),
    dict(key="caritas", name="Parafialny Zespół Caritas w Wojcieszkowie", type="church",
         phone="+48257531300", email="caritas.wojcieszkow@parafia.example", address="ul. Kościelna 3",
         description="Wolontariusze parafialni: jadłodzielnia, pomoc żywnościowa i odwiedziny osób samotnych."),
    dict(key="clinic", name="Ośrodek Zdrowia „Medyk” w Wojcieszkowie", type="healthcare",
         ids=("nip", "regon14"), phone="+48257531200", email="rejestracja@medyk-wojcieszkow.example",
         address="ul. Ogrodowa 2",
         description="Podmiot leczniczy: podstawowa opieka zdrowotna oraz konsultacje lekarza psychiatry."),
    dict(key="rehab", name="Centrum Rehabilitacji „Ruch” Sp. z o.o.", type="healthcare",
         ids=("krs", "nip", "regon"), phone="+48257531250", email="rejestracja@ruch-rehabilitacja.example",
         address="ul. Łukowska 18",
         description="Fizjoterapeuci, masażyści i pielęgniarki; rehabilitacja w gabinecie i w domu pacjenta."),
    dict(key="psychologist", name="Gabinet Psychologiczny „Dobra Rozmowa”", type="private_practice",
         ids=("nip", "regon"), phone="+48609200400", email="gabinet@dobrarozmowa.example",
         description="Praktyka psychologiczna: konsultacje dla dorosłych, dzieci i młodzieży."),
    dict(key="lawyer", name="Kancelaria Radcy Prawnego „Paragraf”", type="private_practice",
         ids=("nip",), phone="+48257531400", email="kancelaria@paragraf.example", address="ul. Rynek 4",
         description="Kancelaria udzielająca nieodpłatnych porad prawnych w ramach umowy z centrum."),
    dict(key="speech", name="Gabinet Logopedyczny „Słówko”", type="private_practice",
         ids=("nip", "regon"), phone="+48610300500", email="slowko@logopeda.example",
         description="Terapia logopedyczna i integracja sensoryczna dla dzieci."),
    dict(key="transport", name="Przedsiębiorstwo Przewozowe „Trans-Wojcieszków” Sp. z o.o.", type="company",
         ids=("krs", "nip", "regon"), phone="+48257531500", email="dyspozytor@trans-wojcieszkow.example",
         address="ul. Przemysłowa 12",
         description="Przewoźnik wybrany w przetargu z klauzulami społecznymi; pojazdy z windą dla wózków."),
    dict(key="care_home", name="Dom Opieki „Złota Jesień” Sp. z o.o.", type="company",
         ids=("krs", "nip", "regon"), phone="+48257531600", email="recepcja@zlotajesien.example", address="Glinne 5",
         description="Całodobowy ośrodek opiekuńczy dla osób starszych i z niepełnosprawnościami."),
)


# --- services ------------------------------------------------------------------

APPLY_DESK = ("Zgłoszenie w Biurze Obsługi Klienta CUS osobiście, telefonicznie lub e-mailem; "
              "koordynator ustala termin rozpoznania potrzeb.")
APPLY_IPUS = ("Na wniosek złożony w CUS, po rozpoznaniu potrzeb przez koordynatora; usługa jest wpisywana "
              "do indywidualnego planu usług społecznych.")
APPLY_PROVIDER = "Zapisy bezpośrednio u realizatora lub w Biurze Obsługi Klienta CUS."
APPLY_OPEN = "Bez zapisów — wystarczy przyjść w godzinach zajęć."
PERSONAL_DATA = "Imię i nazwisko, PESEL, adres zamieszkania, numer telefonu."
PERSONAL_DATA_SHORT = "Imię i nazwisko oraz numer telefonu."


def _rules(days, opens, closes, *, valid_from=None, valid_to=None, label=None):
    return [(day, opens, closes, valid_from, valid_to, label) for day in days]


def _services(year):
    """The service definitions; dates depend only on `year`."""
    pilot_from, pilot_to = date(year - 1, 1, 1), date(year + 1, 12, 31)
    this_year_end = date(year, 12, 31)
    summer = dict(valid_from=date(year, 6, 29), valid_to=date(year, 8, 31))
    winter_holidays = dict(valid_from=date(year, 1, 19), valid_to=date(year, 1, 30))
    garden_season = dict(valid_from=date(year, 4, 15), valid_to=date(year, 10, 15))
    september = dict(valid_from=date(year, 9, 1), valid_to=date(year, 9, 30))
    winter_break = (date(year, 1, 19), date(year, 2, 1), "Przerwa zimowa (ferie)")
    christmas_break = (date(year, 12, 22), date(year + 1, 1, 6), "Przerwa świąteczna")
    summer_leave = (date(year, 8, 3), date(year, 8, 16), "Przerwa urlopowa")
    free_pilot = "Bezpłatnie w ramach pilotażu programu usług społecznych."

    return [
        # --- seniors ---------------------------------------------------------
        dict(name="Klub Seniora w Bęczkowie", provider="srgw", areas=("social_assistance", "culture"),
             groups=("seniors",), places=("hall_beczkow",), origin="expanded",
             description="Spotkania seniorów z Bęczkowa i okolic: gimnastyka, zajęcia plastyczne, wspólne gotowanie "
                         "i rozmowy przy kawie.",
             goal="Umożliwienie seniorom funkcjonowania w dotychczasowym środowisku i przeciwdziałanie samotności.",
             delivery="Zajęcia grupowe prowadzone przez instruktora i animatora klubu.",
             rules=_rules((TUE, THU), "10:00", "14:00"), unit="meeting", minimum_age=60, residents_only=True,
             eligibility="Osoby w wieku 60 lat i więcej, samodzielne w podstawowych czynnościach dnia codziennego.",
             documents=("Oświadczenie o braku przeciwwskazań zdrowotnych do udziału w zajęciach",),
             capacity=(25, 25, 0, 25), fees=free_pilot, valid=(pilot_from, pilot_to),
             contact=("Helena Seniorska", "+48501200301", "klub.beczkow@srgw.example"),
             indicators=(("liczba uczestników klubu", "osoba", 25, "lista obecności"),)),
        dict(name="Klub Seniora w Wojcieszkowie", provider="srgw", areas=("social_assistance", "health", "culture"),
             groups=("seniors",), places=("cus",), origin="existing",
             description="Najstarszy klub seniora w gminie: edukacja zdrowotna i żywieniowa, zajęcia taneczne, "
                         "rehabilitacja poznawcza i wycieczki integracyjne.",
             goal="Poprawa dobrostanu psychicznego seniorów i utrzymanie ich aktywności.",
             delivery="Zajęcia w sali na parterze budynku CUS, w małych grupach.",
             rules=_rules((MON, WED, FRI), "09:00", "13:00"), unit="meeting", minimum_age=60, residents_only=True,
             eligibility="Mieszkańcy gminy w wieku 60+, bez przeciwwskazań zdrowotnych.",
             closures=(summer_leave,), capacity=(35, 30, 0, 30), fees=free_pilot,
             contact=("Helena Seniorska", "+48501200301", "klub.wojcieszkow@srgw.example"),
             indicators=(("liczba osób deklarujących poprawę jakości życia", "osoba", 30, "ankieta uczestnika"),)),
        dict(name="Klub Seniora w Wólce Domaszewskiej", provider="srgw", areas=("social_assistance",),
             groups=("seniors",), places=("hall_wolka",), origin="existing",
             description="Klub dla seniorów z Wólki Domaszewskiej i Domaszewnicy. Warsztaty rękodzieła, "
                         "spotkania z pielęgniarką i wspólne wyjazdy do teatru.",
             rules=_rules((TUE, THU), "12:00", "16:00"), unit="meeting", minimum_age=60, residents_only=True,
             capacity=(20, 14, 0, 14), fees=free_pilot,
             contact=("Helena Seniorska", "+48501200301", None)),
        dict(name="Klub Seniora w Oszczepalinie Pierwszym", provider="srgw", areas=("social_assistance",),
             groups=("seniors",), places=("hall_oszczepalin",), origin="existing", status="suspended",
             description="Klub seniora działający w świetlicy wiejskiej. Zajęcia są zawieszone na czas remontu "
                         "świetlicy; uczestnicy mogą dojeżdżać do klubu w Wojcieszkowie.",
             rules=_rules((MON, WED), "10:00", "14:00"), unit="meeting", minimum_age=60, residents_only=True,
             schedule_description="Zawieszone do zakończenia remontu świetlicy.",
             capacity=(20, 11, 0, 0), fees=free_pilot,
             contact=("Helena Seniorska", "+48501200301", None)),
        dict(name="Klub Seniora w Zofiborze", provider="srgw", areas=("social_assistance", "civic_activity"),
             groups=("seniors", "community"), places=("hall_zofibor",), origin="new",
             description="Nowy klub otwarty po spotkaniach z mieszkańcami Zofiboru. Seniorzy sami układają "
                         "program: śpiew, gry planszowe, nauka obsługi smartfona.",
             rules=_rules((FRI,), "10:00", "14:00"), unit="meeting", minimum_age=60,
             capacity=(15, 6, 0, 6), fees=free_pilot, valid=(pilot_from, pilot_to),
             contact=("Helena Seniorska", "+48501200301", None)),
        dict(name="Klub Seniora w Świderkach", provider="srgw", areas=("social_assistance", "culture"),
             groups=("seniors",), places=("hall_swiderki",), origin="new",
             description="Cotygodniowe spotkania seniorów ze Świderek i Kawek, z dowozem dla osób mieszkających "
                         "dalej od świetlicy.",
             rules=_rules((WED,), "11:00", "15:00"), unit="meeting", minimum_age=60,
             capacity=(15, 9, 0, 9), fees=free_pilot, valid=(pilot_from, pilot_to),
             contact=("Helena Seniorska", "+48501200301", None)),
        dict(name="Nordic walking dla seniorów", provider="gosir", areas=("sport_tourism", "health"),
             groups=("seniors", "health_problems"), places=("orlik",), origin="new",
             description="Marsze z kijami z instruktorem, trasą wokół Wojcieszkowa. Kije można wypożyczyć na miejscu.",
             goal="Poprawa kondycji fizycznej i profilaktyka chorób układu krążenia.",
             rules=_rules((MON, THU), "09:00", "10:30"), unit="meeting", minimum_age=55,
             capacity=(20, 12, 0, 12), fees="Bezpłatnie.",
             contact=("Paweł Sportowy", "+48257531077", "gosir@wojcieszkow-gmina.example")),
        dict(name="Wycieczki krajoznawcze dla seniorów", provider="srgw", areas=("sport_tourism", "culture"),
             groups=("seniors",), origin="existing",
             description="Jednodniowe wyjazdy autokarowe, np. do Kazimierza Dolnego i Kozłówki. Cena obejmuje "
                         "przejazd, przewodnika i bilety wstępu.",
             schedule_description="Raz w miesiącu, w soboty; terminy ogłaszane w klubach seniora.",
             unit="trip", fee="30.00",
             fees="Dopłata uczestnika do kosztów przejazdu i biletów.",
             discounts=(("Osoby z orzeczeniem o znacznym stopniu niepełnosprawności", "0.00"),
                        ("Członkowie klubów seniora w gminie", "15.00")),
             minimum_age=60, capacity=(45, 38, 0, 0), application=APPLY_PROVIDER,
             contact=("Helena Seniorska", "+48501200301", "kontakt@srgw.example")),
        # --- home care and disability ----------------------------------------
        dict(name="Pakiet Opieka Plus",
             keywords="pomoc w domu, sprzątanie, złota rączka, drobne naprawy, home care",
             provider="coop", areas=("social_assistance", "disability"),
             groups=("seniors", "disabled"), at_home=True, origin="new",
             description="Usługi opiekuńcze w domu oraz usługi towarzyszące: „złota rączka” do drobnych napraw "
                         "i sprzątanie mieszkania.",
             goal="Umożliwienie funkcjonowania w dotychczasowym środowisku osobom starszym i z niepełnosprawnościami.",
             delivery="Opiekunka przychodzi do domu według ustalonego grafiku; naprawy i sprzątanie na zgłoszenie.",
             schedule_description="Według indywidualnego planu: dni i godziny ustala koordynator z osobą "
                                  "korzystającą, od poniedziałku do soboty.",
             unit="hour", residents_only=True, application=APPLY_IPUS, personal_data=PERSONAL_DATA,
             eligibility="Osoby, które z powodu wieku, choroby lub niepełnosprawności potrzebują pomocy w domu.",
             documents=("Zaświadczenie lekarskie o stanie zdrowia",),
             capacity=(4000, 3650, 2100, 41), fees=free_pilot, valid=(pilot_from, pilot_to),
             contact=("Barbara Opiekuńska", "+48257531120", "opieka@wojcieszkowianka.example"),
             indicators=(("liczba osób objętych pakietem", "osoba", 45, "indywidualny plan usług społecznych"),)),
        dict(name="Pakiet Rehabilitacja Plus", provider="rehab", areas=("health", "disability"),
             groups=("health_problems", "disabled"), at_home=True, origin="new",
             description="Rehabilitacja w domu pacjenta prowadzona przez fizjoterapeutów i masażystów, "
                         "z pomocą pielęgniarki, gdy jest potrzebna.",
             goal="Wsparcie w powrocie do zdrowia w lokalnym środowisku, bez dojazdów do gabinetu.",
             delivery="Cykl wizyt domowych po 60 minut, zwykle 10 wizyt.",
             schedule_description="Po wcześniejszym umówieniu terminu z fizjoterapeutą.",
             unit="visit", residents_only=True, application=APPLY_IPUS, personal_data=PERSONAL_DATA,
             documents=("Skierowanie lekarskie na rehabilitację", "Zaświadczenie lekarskie"),
             capacity=(600, 420, 310, 23), fees=free_pilot, valid=(pilot_from, pilot_to),
             contact=("Teresa Ruchowa", "+48257531250", "rejestracja@ruch-rehabilitacja.example")),
        dict(name="Rehabilitacja ruchowa w gabinecie", provider="rehab", areas=("health",),
             groups=("health_problems", "seniors"), places=("rehab",), origin="existing",
             description="Ćwiczenia indywidualne, kinezyterapia i masaż leczniczy w gabinecie przy ul. Łukowskiej.",
             rules=_rules(WORKDAYS, "08:00", "18:00"), unit="visit", fee="40.00",
             fees="Opłata za jedną wizytę (45 minut).",
             discounts=(("Osoby z orzeczeniem o znacznym stopniu niepełnosprawności", "0.00"),
                        ("Seniorzy powyżej 75 lat", "20.00")),
             documents=("Zaświadczenie lekarskie",), application=APPLY_PROVIDER,
             capacity=(800, 512, 480, 64),
             contact=("Teresa Ruchowa", "+48257531250", None)),
        dict(name="Usługi opiekuńcze w miejscu zamieszkania",
             keywords="opiekunka, opieka nad mamą, opieka nad babcią, pomoc przy myciu, zakupy dla starszej osoby, "
                      "caregiver",
             provider="cus", areas=("social_assistance",),
             groups=("seniors", "health_problems"), at_home=True, origin="existing",
             description="Pomoc w codziennych czynnościach: zakupy, przygotowanie posiłku, higiena, "
                         "załatwianie spraw urzędowych.",
             schedule_description="Od poniedziałku do piątku w godzinach ustalonych w decyzji.",
             unit="hour", fee="25.00", residents_only=True,
             fees="Odpłatność zależy od dochodu; osoby o dochodzie poniżej kryterium nie płacą.",
             discounts=(("Osoby z orzeczeniem o znacznym stopniu niepełnosprawności", "0.00"),
                        ("Osoby o dochodzie do 150% kryterium dochodowego", "5.00"),
                        ("Osoby o dochodzie do 250% kryterium dochodowego", "12.50")),
             documents=("Zaświadczenie lekarskie", "Oświadczenie o dochodach"),
             application=APPLY_DESK, personal_data=PERSONAL_DATA, capacity=(5000, 3100, 2400, 28),
             contact=("Barbara Opiekuńska", "+48257531001", "opieka@cus-wojcieszkow.example")),
        dict(name="Asystent osobisty osoby z niepełnosprawnością", provider="coop",
             areas=("disability", "social_assistance"), groups=("disabled",), at_home=True, origin="new",
             description="Asystent pomaga w wyjściu do lekarza, urzędu, na zakupy czy do kina, tak aby osoba "
                         "z niepełnosprawnością mogła żyć samodzielnie.",
             schedule_description="W dni i godziny uzgodnione z asystentem, także wieczorami i w weekendy.",
             unit="hour", requires_certificate=True, groups_only=True, residents_only=True,
             documents=("Orzeczenie o znacznym lub umiarkowanym stopniu niepełnosprawności",
                        "Karta zgłoszenia do programu"),
             application=APPLY_IPUS, personal_data=PERSONAL_DATA, capacity=(720, 500, 350, 7),
             fees="Bezpłatnie — program finansowany z Funduszu Solidarnościowego.",
             valid=(date(year, 1, 1), this_year_end),
             contact=("Barbara Opiekuńska", "+48257531120", None)),
        dict(name="Usługa wytchnieniowa",
             keywords="odpoczynek dla opiekuna, zastępstwo w opiece, urlop od opieki, respite care",
             provider="coop", areas=("social_assistance", "disability"),
             groups=("carers", "disabled"), at_home=True, origin="expanded",
             description="Opiekun przejmuje na kilka godzin opiekę nad osobą z niepełnosprawnością, "
                         "aby rodzina mogła odpocząć lub załatwić swoje sprawy.",
             goal="Czasowe odciążenie opiekunów i poprawa ich dobrostanu psychicznego.",
             delivery="Opieka w domu osoby z niepełnosprawnością, w blokach po 2–8 godzin.",
             schedule_description="Po uzgodnieniu terminu z koordynatorem, z co najmniej tygodniowym wyprzedzeniem.",
             unit="hour", requires_certificate=True, residents_only=True, groups_only=True,
             eligibility="Członkowie rodzin i opiekunowie sprawujący bezpośrednią opiekę nad dzieckiem "
                         "z orzeczeniem o niepełnosprawności lub osobą ze znacznym stopniem niepełnosprawności.",
             documents=("Orzeczenie o niepełnosprawności",), application=APPLY_IPUS, personal_data=PERSONAL_DATA,
             capacity=(240, 240, 198, 3), fees=free_pilot, valid=(pilot_from, pilot_to),
             contact=("Barbara Opiekuńska", "+48257531120", "wytchnienie@wojcieszkowianka.example")),
        dict(name="Opieka wytchnieniowa w formie pobytu całodobowego", provider="care_home",
             areas=("social_assistance", "disability"), groups=("carers", "disabled", "seniors"),
             places=("care_home",), origin="new",
             description="Krótki pobyt osoby zależnej w ośrodku opiekuńczym, gdy opiekun musi wyjechać, "
                         "trafia do szpitala lub potrzebuje odpoczynku.",
             schedule_description="Pobyty od 1 do 14 dni, po uzgodnieniu wolnego miejsca.",
             unit="day", fee="180.00", requires_certificate=True,
             fees="Koszt doby pobytu z wyżywieniem i opieką pielęgniarską.",
             discounts=(("Opiekunowie osób z orzeczeniem o znacznym stopniu niepełnosprawności", "0.00"),),
             documents=("Orzeczenie o niepełnosprawności", "Zaświadczenie lekarskie"),
             application=APPLY_DESK, capacity=(60, 21, 14, 1),
             contact=("Lidia Pielęgniarska", "+48257531600", "recepcja@zlotajesien.example")),
        dict(name="Transport door-to-door",
             keywords="dowóz do lekarza, podwózka, przewóz osoby na wózku, taksówka, transport",
             provider="transport", areas=("disability", "social_assistance"),
             groups=("disabled", "seniors"), at_home=True, origin="new",
             description="Przewóz od drzwi domu do lekarza, urzędu lub na zajęcia, busem z windą dla wózków "
                         "i z pomocą kierowcy-asystenta.",
             delivery="Przejazd zamawia się telefonicznie u dyspozytora co najmniej dwa dni wcześniej.",
             rules=_rules(WORKDAYS, "07:00", "17:00", label="Dyżur dyspozytora i przejazdy"),
             unit="trip", fee="5.00", residents_only=True,
             fees="Symboliczna opłata za przejazd w jedną stronę na terenie gminy i do Łukowa.",
             discounts=(("Osoby z orzeczeniem o znacznym stopniu niepełnosprawności", "0.00"),
                        ("Osoby poruszające się na wózku inwalidzkim", "0.00")),
             eligibility="Osoby z trudnościami w poruszaniu się, które nie mogą skorzystać z komunikacji publicznej.",
             documents=("Orzeczenie o niepełnosprawności lub zaświadczenie lekarskie o ograniczonej mobilności",),
             application="Zamówienie telefoniczne u dyspozytora; pierwszy przejazd po rejestracji w CUS.",
             capacity=(1200, 830, 610, 43), valid=(pilot_from, pilot_to),
             contact=("Marek Przewoźny", "+48257531500", "dyspozytor@trans-wojcieszkow.example"),
             indicators=(("liczba przejazdów", "przejazd", 1000, "karta przejazdu"),)),
        dict(name="Klub Samopomocy dla Osób Niepełnosprawnych", provider="coop",
             areas=("disability", "reintegration"), groups=("disabled", "mental_health"),
             places=("hall_wolka",), origin="existing",
             description="Klub w świetlicy w Wólce Domaszewskiej: rehabilitacja, psychoedukacja, zajęcia "
                         "plastyczne i kulinarne oraz wyjazdy integracyjne.",
             goal="Przeciwdziałanie samotności i wykluczeniu społecznemu osób z niepełnosprawnościami.",
             rules=_rules((MON, TUE, WED, THU), "09:00", "15:00"), unit="day", minimum_age=18,
             requires_certificate=True, residents_only=True,
             documents=("Orzeczenie o niepełnosprawności",), application=APPLY_IPUS,
             capacity=(40, 39, 0, 39), closures=(christmas_break,), fees=free_pilot,
             contact=("Joanna Pomocna", "+48257531121", "klub.samopomocy@wojcieszkowianka.example"),
             indicators=(("liczba osób deklarujących poprawę dobrostanu psychicznego", "osoba", 39, "ankieta"),)),
        dict(name="Wypożyczalnia sprzętu rehabilitacyjnego",
             keywords="chodzik, kule, łóżko szpitalne, materac przeciwodleżynowy, wheelchair",
             provider="cus", areas=("disability", "health"),
             groups=("disabled", "health_problems", "seniors", "carers"), places=("equipment",), origin="new",
             description="Bezpłatne wypożyczanie wózków inwalidzkich, balkoników, kul, łóżek i materacy "
                         "przeciwodleżynowych na czas leczenia lub rekonwalescencji.",
             goal="Łatwiejszy dostęp do sprzętu po wyjściu ze szpitala, bez kupowania go na krótki czas.",
             rules=_rules(WORKDAYS, "08:00", "15:00"), unit="loan",
             documents=("Zaświadczenie lekarskie o potrzebie korzystania ze sprzętu",),
             application="Wniosek w Biurze Obsługi Klienta CUS; umowa użyczenia podpisywana przy odbiorze sprzętu.",
             personal_data=PERSONAL_DATA, capacity=(80, 52, 0, 37), fees="Bezpłatnie na okres do 6 miesięcy.",
             contact=("Robert Magazynowy", "+48257531005", "wypozyczalnia@cus-wojcieszkow.example"),
             indicators=(("liczba wypożyczeń sprzętu", "wypożyczenie", 60, "rejestr wypożyczeń"),)),
        dict(name="Łóżko rehabilitacyjne", provider="cus", areas=("disability", "health"),
             groups=("disabled", "health_problems", "carers"), places=("equipment",), origin="new",
             description="Elektryczne łóżko rehabilitacyjne z materacem przeciwodleżynowym, dowożone i montowane "
                         "w domu przez pracowników wypożyczalni.",
             rules=_rules(WORKDAYS, "08:00", "15:00"), unit="loan",
             documents=("Zaświadczenie lekarskie o potrzebie korzystania ze sprzętu",),
             application="Wniosek w Biurze Obsługi Klienta CUS; przy braku wolnego łóżka zapis na listę oczekujących.",
             capacity=(6, 6, 0, 6), fees="Bezpłatnie na okres do 6 miesięcy.",
             contact=("Robert Magazynowy", "+48257531005", "wypozyczalnia@cus-wojcieszkow.example")),
        dict(name="Wózek inwalidzki — wypożyczenie", provider="cus", areas=("disability",),
             groups=("disabled", "seniors"), places=("equipment",), origin="new",
             description="Wózki ręczne o różnej szerokości siedziska; przy odbiorze pracownik pokazuje, "
                         "jak składać i regulować wózek.",
             rules=_rules(WORKDAYS, "08:00", "15:00"), unit="loan",
             capacity=(10, 4, 0, 4), fees="Bezpłatnie.",
             contact=("Robert Magazynowy", "+48257531005", None)),
        dict(name="Balkonik i kule łokciowe — wypożyczenie", provider="cus", areas=("disability", "health"),
             groups=("health_problems", "seniors"), places=("equipment",), origin="new",
             description="Sprzęt do nauki chodzenia po urazach i zabiegach, wydawany od ręki, jeśli jest na stanie.",
             rules=_rules(WORKDAYS, "08:00", "15:00"), unit="loan",
             capacity=(24, 15, 0, 15), fees="Bezpłatnie.",
             contact=("Robert Magazynowy", "+48257531005", None)),
        # --- housing -------------------------------------------------------------
        dict(name="Mieszkanie chronione", provider="cus", areas=("housing", "social_assistance"),
             groups=("disabled", "mental_health"), places=("flat",), origin="new",
             description="Mieszkanie dla trzech osób z opieką specjalisty, które uczy samodzielnego prowadzenia "
                         "domu i załatwiania codziennych spraw.",
             goal="Przygotowanie do samodzielnego życia i integracja ze społecznością lokalną.",
             delivery="Pobyt całodobowy; opiekun mieszkania jest na miejscu w dni robocze.",
             schedule_description="Pobyt całodobowy, na czas określony w decyzji.",
             unit="month", fee="1234.50", minimum_age=18, residents_only=True,
             fees="Miesięczna opłata za pobyt, ustalana według dochodu osoby.",
             discounts=(("Osoby o dochodzie nieprzekraczającym 300% kryterium dochodowego", "0.00"),
                        ("Osoby o dochodzie do 400% kryterium dochodowego", "617.25")),
             eligibility="Osoby pełnoletnie, które ze względu na trudną sytuację życiową, wiek, "
                         "niepełnosprawność lub chorobę potrzebują wsparcia, ale nie całodobowej opieki.",
             documents=("Zaświadczenie lekarskie", "Oświadczenie o dochodach"), application=APPLY_DESK,
             personal_data=PERSONAL_DATA, capacity=(3, 2, 2, 2), valid=(pilot_from, pilot_to),
             contact=("Joanna Pomocna", "+48257531001", "mieszkanie@cus-wojcieszkow.example"),
             indicators=(("liczba osób korzystających z mieszkań", "osoba", 3, "wykaz osób"),)),
        dict(name="Mieszkanie treningowe dla usamodzielnianych wychowanków pieczy zastępczej", provider="cus",
             areas=("foster_care", "housing"), groups=("children_youth",), places=("training_flat",), origin="new",
             description="Mieszkanie na okres nauki samodzielności dla pełnoletnich wychowanków rodzin "
                         "zastępczych, z opiekunem usamodzielnienia.",
             schedule_description="Pobyt do 24 miesięcy, według programu usamodzielnienia.",
             unit="month", minimum_age=18, maximum_age=25, groups_only=True,
             documents=("Indywidualny program usamodzielnienia",), application=APPLY_DESK,
             capacity=(2, 1, 1, 1), fees="Bezpłatnie; mieszkaniec pokrywa koszt mediów.",
             contact=("Ewa Wychowawcza", "+48257531001", None)),
        # --- family and children -------------------------------------------------
        dict(name="Świetlica socjoterapeutyczna w Bęczkowie", provider="srgw", areas=("family_support",),
             groups=("children_youth", "families_in_crisis"), places=("socio_beczkow",), origin="new",
             description="Opieka i zajęcia socjoterapeutyczne dla dzieci z rodzin w trudnej sytuacji: "
                         "pomoc w lekcjach, trening umiejętności społecznych, podwieczorek.",
             goal="Wsparcie opiekuńczo-wychowawcze, łagodzenie niedostatków wychowawczych i eliminowanie "
                  "zaburzeń zachowania.",
             rules=_rules(WORKDAYS, "13:00", "17:00"), unit="day", minimum_age=7, maximum_age=15,
             closures=(winter_break, christmas_break), application=APPLY_PROVIDER,
             documents=("Karta zgłoszenia dziecka podpisana przez rodzica",),
             capacity=(20, 16, 0, 16), fees=free_pilot, valid=(pilot_from, pilot_to),
             contact=("Ewa Wychowawcza", "+48501200302", "swietlica.beczkow@srgw.example"),
             indicators=(("liczba dzieci objętych zajęciami", "osoba", 20, "dziennik zajęć"),)),
        dict(name="Asystent rodziny", provider="cus", areas=("family_support",),
             groups=("families_in_crisis", "families"), at_home=True, origin="existing",
             description="Asystent odwiedza rodzinę w domu i pomaga w sprawach wychowawczych, budżecie domowym "
                         "i kontaktach ze szkołą.",
             schedule_description="Wizyty w domu rodziny, w terminach ustalanych z asystentem.",
             unit="visit", residents_only=True, application=APPLY_DESK, personal_data=PERSONAL_DATA,
             capacity=(15, 13, 0, 13), fees="Bezpłatnie.",
             contact=("Ewa Wychowawcza", "+48257531002", "asystent@cus-wojcieszkow.example")),
        dict(name="Grupa wsparcia dla rodzin zastępczych", provider="foundation",
             areas=("foster_care", "family_support"), groups=("families",), places=("cus",), origin="new",
             description="Spotkania rodzin zastępczych z psychologiem: wymiana doświadczeń, superwizja "
                         "i porady w sprawach kontaktów z rodzicami biologicznymi.",
             rules=_rules((THU,), "17:00", "19:00", label="Co drugi czwartek miesiąca"), unit="meeting",
             groups_only=True, application=APPLY_PROVIDER, capacity=(12, 7, 0, 7), fees="Bezpłatnie.",
             contact=("Celina Zaufana", "+48800100200", "fundacja@wspolnydach.example")),
        dict(name="Żłobek gminny „Maluch”",
             keywords="maluch, niemowlę, opieka dzienna nad dzieckiem, nursery, daycare",
             provider="schools", areas=("family_policy", "education"),
             groups=("families", "children_youth"), places=("nursery",), origin="expanded",
             description="Opieka nad dziećmi od 20. tygodnia życia do 3 lat, z pełnym wyżywieniem "
                         "i zajęciami rozwojowymi.",
             goal="Ułatwienie rodzicom powrotu do pracy.",
             rules=_rules(WORKDAYS, "06:30", "16:30"), unit="month", fee="350.00", maximum_age=3,
             residents_only=True, fees="Miesięczna opłata stała; wyżywienie 10,00 zł za dzień.",
             discounts=(("Rodziny z Kartą Dużej Rodziny", "175.00"),
                        ("Dzieci z orzeczeniem o niepełnosprawności", "0.00")),
             documents=("Karta zgłoszenia dziecka", "Zaświadczenie o zatrudnieniu rodziców"),
             application="Nabór w marcu; w ciągu roku zapisy na listę rezerwową w sekretariacie żłobka.",
             personal_data="Imiona i nazwiska rodziców, PESEL dziecka, adres zamieszkania, numer telefonu.",
             capacity=(30, 30, 0, 30), closures=(summer_leave,),
             contact=("Lena Żłobkowa", "+48257531060", "zlobek@wojcieszkow-gmina.example")),
        dict(name="Szkoła dla rodziców — warsztaty wychowawcze", provider="forum",
             areas=("family_policy", "family_support"), groups=("families", "families_in_crisis"),
             places=("library",), origin="new",
             description="Cykl dziesięciu spotkań o komunikacji z dzieckiem, stawianiu granic i radzeniu sobie "
                         "z emocjami, prowadzonych przez pedagoga.",
             rules=_rules((TUE,), "17:30", "19:30"), unit="meeting", minimum_age=18,
             application=APPLY_PROVIDER, capacity=(15, 9, 0, 9), fees=free_pilot, valid=(pilot_from, pilot_to),
             contact=("Ewa Wychowawcza", "+48604600700", "forum@forum-oswiatowe.example"),
             indicators=(("liczba rodziców, którzy ukończyli cykl", "osoba", 24, "lista obecności"),)),
        dict(name="Warsztaty integracyjne i edukacyjne dla rodzin", provider="srgw",
             areas=("family_policy", "culture"), groups=("families", "community"),
             places=("hall_burzec", "hall_role"), origin="existing",
             description="Sobotnie warsztaty dla całych rodzin: kuchnia regionalna, psychoedukacja, "
                         "warsztaty świąteczne i wyjazdy integracyjne.",
             rules=_rules((SAT,), "10:00", "14:00"), unit="meeting", application=APPLY_OPEN,
             capacity=None, fees=free_pilot,
             contact=("Zofia Rodzinna", "+48501200303", "kontakt@srgw.example")),
        # --- counselling ---------------------------------------------------------------
        dict(name="Poradnictwo psychologiczne dla dorosłych",
             keywords="depresja, smutek, stres, lęk, załamanie, psychologist",
             provider="psychologist",
             areas=("health", "social_assistance"), groups=("mental_health", "families_in_crisis", "community"),
             places=("cus",), origin="expanded",
             description="Indywidualne konsultacje z psychologiem w sytuacjach kryzysowych, po stracie bliskiej "
                         "osoby, przy stresie i problemach w rodzinie.",
             rules=_rules((WED,), "15:00", "19:00") + _rules((SAT,), "09:00", "12:00"), unit="visit",
             minimum_age=18,
             application="Zapisy w Biurze Obsługi Klienta CUS; pierwsza wizyta zwykle w ciągu tygodnia.",
             personal_data=PERSONAL_DATA_SHORT, capacity=(200, 146, 120, 27), fees="Bezpłatnie.",
             valid=(pilot_from, pilot_to),
             contact=("Anna Empatyczna", "+48609200400", "gabinet@dobrarozmowa.example"),
             indicators=(("liczba osób korzystających z poradnictwa", "osoba", 50, "rejestr udzielonych konsultacji"),
                         ("liczba godzin dyżurów", "godzina", 160, "rejestr udzielonych konsultacji"))),
        dict(name="Poradnictwo psychologiczne dla dzieci i młodzieży", provider="psychologist",
             areas=("health", "family_support"), groups=("children_youth", "families"), places=("cus",),
             origin="expanded",
             description="Konsultacje dla dzieci i nastolatków oraz ich rodziców: lęki, trudności w szkole, "
                         "relacje z rówieśnikami.",
             rules=_rules((THU,), "14:00", "18:00"), unit="visit", maximum_age=18,
             eligibility="Dzieci przychodzą z rodzicem lub opiekunem prawnym.",
             application="Zapisy w Biurze Obsługi Klienta CUS.", capacity=(120, 88, 70, 19), fees="Bezpłatnie.",
             contact=("Anna Empatyczna", "+48609200400", None)),
        dict(name="Poradnictwo prawne",
             keywords="adwokat, radca prawny, alimenty, rozwód, spadek, eksmisja, lawyer",
             provider="lawyer", areas=("social_assistance", "civic_activity"),
             groups=("community", "seniors", "families_in_crisis"), places=("cus",), origin="existing",
             description="Porady radcy prawnego w sprawach rodzinnych, spadkowych, mieszkaniowych i "
                         "konsumenckich, z pomocą w napisaniu pisma.",
             rules=_rules((MON,), "16:00", "19:00"), unit="visit",
             application="Zapisy telefoniczne w Biurze Obsługi Klienta CUS, 30 minut na jedną poradę.",
             personal_data=PERSONAL_DATA_SHORT, capacity=(100, 62, 55, 31), fees="Bezpłatnie.",
             contact=("Robert Paragraf", "+48257531400", "kancelaria@paragraf.example")),
        dict(name="Poradnictwo logopedyczne", provider="speech", areas=("education", "health"),
             groups=("children_youth",), places=("school_domaszewnica",), origin="expanded",
             description="Diagnoza i terapia wad wymowy u dzieci przedszkolnych i szkolnych, z ćwiczeniami do "
                         "wykonywania w domu.",
             schedule_description="Po umówieniu wizyty; terapeuta przyjmuje we wtorki i piątki po południu.",
             unit="visit", minimum_age=3, maximum_age=12, application=APPLY_PROVIDER,
             capacity=(240, 190, 150, 24), fees="Bezpłatnie.",
             contact=("Monika Słówko", "+48610300500", "slowko@logopeda.example")),
        dict(name="Integracja sensoryczna", provider="speech", areas=("education", "disability"),
             groups=("children_youth", "disabled"), places=("school_domaszewnica",), origin="existing",
             description="Terapia dla dzieci z zaburzeniami przetwarzania bodźców, w sali wyposażonej "
                         "w huśtawki i przyrządy sensoryczne.",
             schedule_description="Po diagnozie, w terminach ustalanych z terapeutą.",
             unit="meeting", minimum_age=3, maximum_age=12,
             documents=("Opinia poradni psychologiczno-pedagogicznej lub zaświadczenie lekarskie",),
             application=APPLY_PROVIDER, capacity=(160, 150, 120, 18), fees="Bezpłatnie.",
             contact=("Monika Słówko", "+48610300500", None)),
        dict(name="Konsultacje lekarza psychiatry", provider="clinic", areas=("health",),
             groups=("mental_health",), places=("clinic",), origin="existing",
             description="Konsultacje psychiatryczne bez skierowania, w ośrodku zdrowia na miejscu, "
                         "bez dojazdu do Łukowa.",
             schedule_description="Pierwszy i trzeci wtorek miesiąca, po wcześniejszej rejestracji.",
             unit="visit", application="Rejestracja telefoniczna w ośrodku zdrowia lub przez CUS.",
             personal_data=PERSONAL_DATA, capacity=(48, 30, 24, 24), fees="Bezpłatnie.",
             contact=("Rejestracja ośrodka", "+48257531200", "rejestracja@medyk-wojcieszkow.example")),
        dict(name="Telefon zaufania",
             keywords="kryzys, samotność, myśli samobójcze, rozmowa w nocy, helpline",
             provider="foundation", areas=("health", "social_assistance"),
             groups=("mental_health", "families_in_crisis", "addicted", "community"), origin="existing",
             description="Całodobowa, anonimowa rozmowa z dyżurnym psychologiem lub terapeutą, także "
                         "w święta. W razie zagrożenia życia dzwoń pod 112.",
             rules=_rules(EVERY_DAY, "00:00", "23:59"), closed_on_holidays=False, unit="meeting",
             application="Wystarczy zadzwonić; rozmowa jest anonimowa.", capacity=None, fees="Bezpłatnie.",
             contact=(None, "+48800100200", "fundacja@wspolnydach.example")),
        dict(name="Świadomy ekonomicznie mieszkaniec — porady finansowe", provider="horizon",
             areas=("social_assistance", "education"), groups=("community", "seniors"), places=("library",),
             origin="new",
             description="Konsultacje o budżecie domowym, pożyczkach i zadłużeniu oraz o tym, jak rozpoznać "
                         "oszustwa „na wnuczka” i przez telefon.",
             rules=_rules((THU,), "10:00", "13:00"), unit="visit", minimum_age=18,
             application="Zapisy w bibliotece lub w CUS.", capacity=(60, 22, 18, 22), fees="Bezpłatnie.",
             valid=(date(year, 1, 1), this_year_end),
             contact=("Adam Doradczy", "+48608100300", "kontakt@nadhoryzontem.example")),
        # --- addictions ---------------------------------------------------------------
        dict(name="Grupa wsparcia dla osób uzależnionych od alkoholu", provider="haven",
             areas=("health", "social_assistance"), groups=("addicted",), places=("parish",), origin="existing",
             description="Cotygodniowe spotkania osób trzeźwiejących, prowadzone we współpracy z lokalną "
                         "wspólnotą AA.",
             rules=_rules((FRI,), "18:00", "20:00"), unit="meeting", minimum_age=18,
             application=APPLY_OPEN, capacity=None, fees="Bezpłatnie.",
             contact=("Tomasz Trzeźwy", "+48607900100", "przystan@trzezwosc.example")),
        dict(name="Terapia uzależnień — konsultacje indywidualne", provider="haven",
             areas=("health",), groups=("addicted", "families_in_crisis"), places=("cus",), origin="existing",
             description="Spotkania z certyfikowanym terapeutą uzależnień dla osób uzależnionych i ich bliskich.",
             rules=_rules((TUE,), "16:00", "20:00"), unit="visit", minimum_age=18,
             application="Zapisy w CUS; można zgłosić się anonimowo pod pseudonimem.",
             capacity=(160, 120, 96, 14), fees="Bezpłatnie.",
             contact=("Tomasz Trzeźwy", "+48607900100", None)),
        dict(name="Grupa wsparcia dla osób współuzależnionych i doznających przemocy w rodzinie",
             keywords="przemoc domowa, niebieska karta, znęcanie się, pijący mąż, domestic violence",
             provider="cus",
             areas=("family_support", "social_assistance"), groups=("families_in_crisis", "addicted"),
             places=("cus",), origin="existing",
             description="Zamknięta grupa prowadzona przez psychologa dla osób żyjących z osobą uzależnioną "
                         "lub doznających przemocy.",
             rules=_rules((MON,), "17:00", "19:00"), unit="meeting", minimum_age=18,
             application="Po rozmowie kwalifikacyjnej z psychologiem; termin ustala Biuro Obsługi Klienta.",
             capacity=(10, 6, 0, 6), fees="Bezpłatnie.",
             contact=("Joanna Pomocna", "+48257531003", None)),
        dict(name="Grupa wsparcia dla rodziców dzieci z niepełnosprawnościami", provider="coop",
             areas=("family_support", "disability"), groups=("carers", "families", "disabled"),
             places=("coop",), origin="existing",
             description="Spotkania rodziców z psychologiem i fizjoterapeutą; w tym czasie dziećmi opiekują "
                         "się wolontariusze.",
             rules=_rules((WED,), "17:00", "19:00", label="Co drugą środę"), unit="meeting",
             application=APPLY_PROVIDER, capacity=(12, 8, 0, 8), fees="Bezpłatnie.",
             contact=("Joanna Pomocna", "+48257531121", None)),
        # --- work and reintegration ---------------------------------------------------
        dict(name="Doradztwo zawodowe i pośrednictwo pracy",
             keywords="szukam pracy, utrata pracy, CV, oferty pracy, bezrobocie, job",
             provider="coop",
             areas=("unemployment", "reintegration"), groups=("unemployed",), places=("cus",), origin="existing",
             description="Pomoc w napisaniu CV, przygotowanie do rozmowy o pracę i oferty lokalnych pracodawców.",
             rules=_rules((TUE,), "09:00", "13:00"), unit="visit", minimum_age=18,
             application="Zapisy w Biurze Obsługi Klienta CUS.", capacity=(80, 37, 37, 12), fees="Bezpłatnie.",
             contact=("Adam Doradczy", "+48257531122", "praca@wojcieszkowianka.example"),
             indicators=(("liczba osób, które podjęły zatrudnienie", "osoba", 12, "oświadczenie uczestnika"),)),
        dict(name="Klub Integracji Społecznej „Sukces w działaniu”", provider="cus",
             areas=("reintegration", "unemployment"), groups=("unemployed", "addicted"), places=("cus",),
             origin="new",
             description="Zajęcia grupowe i indywidualne dla osób długo pozostających bez pracy: warsztaty "
                         "kompetencji, staże i wsparcie po podjęciu zatrudnienia.",
             rules=_rules((MON, TUE, WED), "08:00", "12:00"), unit="meeting", minimum_age=18,
             residents_only=True, application=APPLY_IPUS, personal_data=PERSONAL_DATA,
             capacity=(20, 11, 0, 11), fees=free_pilot, valid=(pilot_from, pilot_to),
             contact=("Adam Doradczy", "+48257531004", "kis@cus-wojcieszkow.example")),
        dict(name="Prace społecznie użyteczne", provider="ug", areas=("unemployment", "reintegration"),
             groups=("unemployed",), origin="existing",
             description="Praca do 40 godzin w miesiącu przy utrzymaniu zieleni i porządku w sołectwach, "
                         "ze świadczeniem wypłacanym przez gminę.",
             schedule_description="Godziny pracy ustalane z sołtysem lub kierownikiem robót.",
             unit="hour", minimum_age=18, groups_only=True,
             documents=("Skierowanie z Powiatowego Urzędu Pracy w Łukowie",),
             application="Na podstawie skierowania z PUP; pomoc w formalnościach w CUS.",
             capacity=(1920, 960, 720, 4), fees="Usługa nieodpłatna; uczestnik otrzymuje świadczenie.",
             contact=("Adam Doradczy", "+48257531010", None)),
        # --- children, youth, education -----------------------------------------------
        dict(name="Wakacje z naturą", provider="forum", areas=("sport_tourism", "environment"),
             groups=("children_youth", "families"), places=("pond", "hall_burzec"), origin="new",
             description="Wakacyjne zabawy, podchody i warsztaty przyrodnicze dla dzieci, które spędzają lato "
                         "w domu. Mieszkańcy pomagają przy kanapkach i opiece.",
             goal="Bezpieczne i aktywne spędzanie wakacji oraz integracja mieszkańców wokół działań OSL.",
             rules=_rules(WORKDAYS, "09:00", "13:00", label="Wakacje", **summer),
             unit="day", minimum_age=6, maximum_age=13, application=APPLY_PROVIDER,
             documents=("Karta kwalifikacyjna uczestnika wypoczynku",),
             capacity=(40, 18, 0, 0), fees=free_pilot, valid=(pilot_from, pilot_to),
             contact=("Ewa Wychowawcza", "+48604600700", "forum@forum-oswiatowe.example"),
             indicators=(("liczba uczestników warsztatów", "osoba", 80, "karta zgłoszeniowa"),)),
        dict(name="Ferie w bibliotece", provider="library", areas=("culture", "education"),
             groups=("children_youth",), places=("library",), origin="existing",
             description="Dwa tygodnie zajęć w czasie ferii zimowych: gry planszowe, warsztaty komiksu "
                         "i seanse filmowe.",
             rules=_rules(WORKDAYS, "10:00", "14:00", label="Ferie zimowe", **winter_holidays),
             unit="day", minimum_age=6, maximum_age=14, application=APPLY_PROVIDER,
             capacity=(25, 21, 0, 0), fees="Bezpłatnie.",
             contact=("Krystyna Książkowa", "+48257531045", "biblioteka@wojcieszkow-gmina.example")),
        dict(name="Pomoc w odrabianiu lekcji",
             keywords="korepetycje, zadania domowe, nauka, homework",
             provider="library", areas=("education",),
             groups=("children_youth",), places=("library",), origin="existing",
             description="Wolontariusze i nauczyciele pomagają uczniom szkół podstawowych w zadaniach domowych "
                         "i przygotowaniu do sprawdzianów.",
             rules=_rules((MON, TUE, WED, THU), "14:00", "16:00"), unit="meeting", minimum_age=7, maximum_age=15,
             application=APPLY_OPEN, capacity=None, fees="Bezpłatnie.",
             contact=("Krystyna Książkowa", "+48257531045", None)),
        dict(name="Nauka języka angielskiego dla dzieci", provider="forum", areas=("education",),
             groups=("children_youth",), places=("school",), origin="existing",
             description="Zajęcia w małych grupach z elementami zabawy, piosenek i gier językowych.",
             rules=_rules((MON, WED), "15:00", "16:30"), unit="meeting", minimum_age=7, maximum_age=12,
             application=APPLY_PROVIDER, capacity=(24, 24, 0, 24), fees=free_pilot,
             closures=(winter_break,),
             contact=("Ewa Wychowawcza", "+48604600700", None)),
        dict(name="Zajęcia piłki nożnej dla dzieci", provider="uks", areas=("sport_tourism",),
             groups=("children_youth",), places=("orlik",), origin="existing",
             description="Treningi w grupach wiekowych, udział w gminnej lidze orlików i wakacyjnych turniejach.",
             rules=_rules((TUE, THU), "16:00", "18:00"), unit="meeting", minimum_age=7, maximum_age=15,
             application=APPLY_PROVIDER, documents=("Zgoda rodzica i oświadczenie o stanie zdrowia dziecka",),
             capacity=(40, 33, 0, 33), fees="Bezpłatnie.",
             contact=("Paweł Sportowy", "+48605700800", "uks.sokol@sport.example")),
        dict(name="Piłka siatkowa dla młodzieży", provider="uks", areas=("sport_tourism",),
             groups=("children_youth",), places=("school",), origin="expanded",
             description="Treningi siatkówki dla młodzieży szkolnej, także dla osób, które dopiero zaczynają.",
             rules=_rules((WED,), "17:00", "19:00"), unit="meeting", minimum_age=12, maximum_age=19,
             application=APPLY_PROVIDER, capacity=(24, 15, 0, 15), fees="Bezpłatnie.",
             contact=("Paweł Sportowy", "+48605700800", None)),
        dict(name="Zespół tańca ludowego „Wojcieszkowiacy”", provider="library", areas=("culture",),
             groups=("children_youth", "community"), places=("school",), origin="existing",
             description="Próby zespołu tanecznego: tańce regionalne, występy na dożynkach i Dniu Seniora.",
             rules=_rules((FRI,), "16:00", "18:00"), unit="meeting", minimum_age=8,
             application=APPLY_OPEN, capacity=None, fees="Bezpłatnie; stroje zapewnia organizator.",
             contact=("Krystyna Książkowa", "+48257531045", None)),
        dict(name="Miejsce spotkań osób aktywnych", provider="srgw", areas=("education", "civic_activity"),
             groups=("children_youth", "community"), places=("hall_burzec",), origin="existing",
             description="Klub dla młodzieży od 16 lat i dorosłych: wieczory gier, warsztaty fotograficzne, "
                         "przygotowanie lokalnych wydarzeń.",
             rules=_rules((FRI,), "17:00", "21:00") + _rules((SAT,), "15:00", "20:00"), unit="meeting",
             minimum_age=16, application=APPLY_OPEN, capacity=(30, 30, 0, 30), fees=free_pilot,
             contact=("Zofia Rodzinna", "+48501200303", None)),
        # --- culture and community ----------------------------------------------------
        dict(name="Warsztaty rękodzieła i kuchni regionalnej", provider="kgw", areas=("culture",),
             groups=("community", "seniors"), places=("hall_burzec",), origin="new",
             description="Koronki, bibułkarstwo i pierogi według przepisów gospodyń z Burzca; przed świętami "
                         "warsztaty bożonarodzeniowe i wielkanocne.",
             rules=_rules((THU,), "17:00", "19:00"), unit="meeting", application=APPLY_OPEN,
             capacity=(20, 12, 0, 12), fees="Bezpłatnie; materiały zapewnia koło.",
             contact=("Zofia Ogrodowa", "+48602400500", "burzecanki@kgw.example")),
        dict(name="Dyskusyjny Klub Książki", provider="library", areas=("culture",),
             groups=("community", "seniors"), places=("library",), origin="existing",
             description="Raz w tygodniu rozmowy o przeczytanych książkach; biblioteka zapewnia egzemplarze, "
                         "także w dużym druku.",
             rules=_rules((THU,), "17:00", "18:30"), unit="meeting", application=APPLY_OPEN,
             capacity=None, fees="Bezpłatnie.",
             contact=("Krystyna Książkowa", "+48257531045", None)),
        dict(name="Klub Wolontariusza i Bank Czasu", provider="cus", areas=("civic_activity",),
             groups=("community", "seniors"), places=("cus",), origin="new",
             description="Wolontariusze pomagają seniorom w zakupach, dojazdach i towarzystwie. W banku czasu "
                         "godzina pomocy jest warta godzinę pomocy innej osoby, bez względu na rodzaj pracy.",
             goal="Rozwój wolontariatu, samopomocy i wsparcia sąsiedzkiego.",
             delivery="Spotkania klubu, szkolenia wolontariuszy i wymiana usług rozliczana w godzinach.",
             rules=_rules((WED,), "16:00", "18:00"), unit="hour", minimum_age=16,
             application="Zgłoszenie u organizatora społeczności lokalnej w CUS.",
             capacity=None, fees="Bezpłatnie.", valid=(pilot_from, pilot_to),
             contact=("Iwona Wolontariusz", "+48257531006", "wolontariat@cus-wojcieszkow.example"),
             indicators=(("liczba osób uczestniczących w spotkaniach Klubu", "osoba", 20,
                          "wykaz osób korzystających z Klubu, karta zgłoszeniowa"),
                         ("liczba godzin wymienionych w banku czasu", "godzina", 300, "rejestr banku czasu"))),
        dict(name="Akademia Lidera Lokalnego", provider="srgw", areas=("civic_activity", "education"),
             groups=("community",), places=("ug",), origin="new",
             description="Szkolenia dla sołtysów, członków KGW, OSP i młodych liderów: jak pisać wnioski "
                         "o granty i jak włączać sąsiadów w działania.",
             schedule_description="Jedna sobota w miesiącu, 9:00–15:00; harmonogram na stronie CUS.",
             unit="meeting", minimum_age=16, application=APPLY_PROVIDER, capacity=(20, 14, 0, 14),
             fees=free_pilot, valid=(pilot_from, pilot_to),
             contact=("Iwona Wolontariusz", "+48501200300", None),
             indicators=(("liczba osób uczestniczących w spotkaniach Akademii", "osoba", 20, "karta zgłoszeniowa"),)),
        dict(name="Kurs pierwszej pomocy przedmedycznej", provider="osp", areas=("health", "civic_activity"),
             groups=("community", "children_youth"), places=("fire_station",), origin="new", status="suspended",
             description="Ćwiczenia na fantomach, obsługa defibrylatora AED i zasady wzywania pomocy. "
                         "Kurs zawieszony do czasu uzupełnienia kadry instruktorów.",
             rules=_rules((SAT,), "10:00", "14:00"), unit="meeting", minimum_age=12,
             application=APPLY_PROVIDER, capacity=(16, 0, 0, 0), fees="Bezpłatnie.",
             contact=("Druh Strażacki", "+48603500600", "osp.domaszewnica@straz.example")),
        # --- environment ---------------------------------------------------------------
        dict(name="Jadłodzielnia „Podziel się”",
             keywords="jedzenie za darmo, lodówka społeczna, nadwyżki jedzenia, food sharing",
             provider="caritas", areas=("environment", "social_assistance"),
             groups=("community", "families_in_crisis"), places=("parish",), origin="new",
             description="Lodówka i regał, do których każdy może przynieść lub z których może zabrać jedzenie. "
                         "Mniej marnowania żywności, więcej sąsiedzkiej pomocy.",
             rules=_rules(EVERY_DAY, "08:00", "20:00"), unit="visit", application=APPLY_OPEN,
             capacity=None, fees="Bezpłatnie.",
             contact=("Wolontariusze Caritas", "+48257531300", "caritas.wojcieszkow@parafia.example")),
        dict(name="Ogród społeczny w Siedliskach", provider="eco", areas=("environment", "civic_activity"),
             groups=("community", "seniors", "disabled"), places=("garden",), origin="new",
             description="Wspólne grządki warzywne i ziołowe, z podwyższonymi zagonami dla osób na wózkach. "
                         "Plony dzielą się uczestnicy.",
             rules=(_rules((WED,), "17:00", "19:00", label="Sezon ogrodniczy", **garden_season)
                    + _rules((SAT,), "09:00", "13:00", label="Sezon ogrodniczy", **garden_season)),
             unit="meeting", application=APPLY_OPEN, capacity=None, fees="Bezpłatnie.",
             contact=("Zofia Ogrodowa", "+48606800900", "zielona.gmina@eko.example")),
        dict(name="Akcja „Czysta Gmina” — sprzątanie świata", provider="eco", areas=("environment",),
             groups=("community", "children_youth"), places=("pond",), origin="existing",
             description="Wrześniowe sprzątanie rowów, lasów i brzegów stawu; worki i rękawice zapewnia "
                         "stowarzyszenie, a na koniec jest ognisko.",
             rules=_rules((SAT,), "09:00", "12:00", label="Wrzesień", **september), unit="meeting",
             application=APPLY_OPEN, capacity=None, fees="Bezpłatnie.",
             contact=("Zofia Ogrodowa", "+48606800900", None)),
        dict(name="Warsztaty ekologiczne „Segreguję, nie marnuję”", provider="eco",
             areas=("environment", "education"), groups=("children_youth", "families"),
             places=("school_domaszewnica",), origin="new",
             description="Zajęcia o segregacji odpadów, kompostowaniu i oszczędzaniu wody, z budową "
                         "domków dla owadów.",
             rules=_rules((FRI,), "12:00", "13:30"), unit="meeting", minimum_age=6, maximum_age=14,
             application="Zgłoszenia klas przez szkoły; rodziny zapisują się u realizatora.",
             capacity=(120, 75, 0, 0), fees="Bezpłatnie.", valid=(date(year, 1, 1), this_year_end),
             contact=("Zofia Ogrodowa", "+48606800900", None)),
        # --- archived ----------------------------------------------------------------
        dict(name="Punkt wydawania żywności w ramach programu pomocy żywnościowej",
             keywords="jedzenie, paczka żywnościowa, darmowe jedzenie, bank żywności, food bank",
             provider="caritas",
             areas=("social_assistance",), groups=("families_in_crisis", "seniors"), places=("parish",),
             origin="existing", status="archived",
             description="Paczki żywnościowe wydawane w poprzedniej edycji programu. Program się zakończył; "
                         "aktualną pomoc żywnościową wskazuje Biuro Obsługi Klienta CUS.",
             rules=_rules((TUE,), "10:00", "12:00"), unit="package",
             eligibility="Osoby i rodziny o dochodzie do 220% kryterium dochodowego.",
             documents=("Skierowanie z CUS", "Oświadczenie o dochodach"),
             capacity=(150, 150, 150, 0), fees="Bezpłatnie.", valid=(date(year - 2, 1, 1), date(year - 1, 12, 31)),
             contact=("Wolontariusze Caritas", "+48257531300", None)),
    ]


# Words people say at the desk (and a few English ones) next to the
# catalogue's formal words, by statutory area. Each group is one row of the
# organiser's synonym list: phrases separated by semicolons.
SYNONYMS = (
    # polityka prorodzinna
    "żłobek; niania; opiekunka do dziecka; maluch; nursery; childcare; daycare; babysitter",
    "dziecko; dzieci; syn; córka; wnuczek; wnuczka; child; children; kids",
    "rodzina z dziećmi; rodzina wielodzietna; duża rodzina; family",
    "szkoła dla rodziców; warsztaty wychowawcze; wychowanie dzieci; parenting",
    # wspieranie rodziny
    "asystent rodziny; pomoc rodzinie; family assistant; family support",
    "świetlica; świetlica socjoterapeutyczna; zajęcia pozalekcyjne; after school club",
    "przemoc; przemoc w rodzinie; przemoc domowa; przemoc w domu; niebieska karta; domestic violence; abuse",
    # system pieczy zastępczej
    "rodzina zastępcza; piecza zastępcza; foster family; foster care",
    "usamodzielnienie; wychowanek; mieszkanie treningowe; leaving care",
    # pomoc społeczna
    "jedzenie; posiłek; obiady; żywność; paczka żywnościowa; food; meals",
    "opiekunka; usługi opiekuńcze; pomoc w domu; carer; caregiver; home care",
    "dom opieki; pobyt całodobowy; ośrodek opiekuńczy; care home; nursing home",
    "długi; zadłużenie; pożyczki; budżet domowy; oszustwa; debt; money advice",
    "samotność; towarzystwo; odwiedziny; loneliness; lonely",
    "senior; osoba starsza; emeryt; starszy; babcia; dziadek; elderly; pensioner",
    "prawnik; adwokat; porada prawna; poradnictwo prawne; radca prawny; lawyer; legal advice",
    # promocja i ochrona zdrowia
    "psycholog; poradnictwo psychologiczne; wsparcie psychologiczne; psychologist; counselling",
    "psychiatra; lekarz psychiatra; konsultacje psychiatryczne; psychiatrist",
    "depresja; kryzys psychiczny; zdrowie psychiczne; nerwica; depression; mental health",
    "alkoholizm; uzależnienie od alkoholu; terapia uzależnień; pije; picie; alkohol; addiction; alcohol",
    "fizjoterapeuta; fizjoterapia; rehabilitacja ruchowa; masaż; physiotherapy; physio; rehab",
    "pierwsza pomoc; kurs pierwszej pomocy; defibrylator; first aid",
    "pielęgniarka; opieka pielęgniarska; nurse",
    # wspieranie osób niepełnosprawnych
    "wózek; wózek inwalidzki; sprzęt rehabilitacyjny; wheelchair",
    "kule; balkonik; chodzik; kule łokciowe; crutches; walker; walking frame",
    "łóżko rehabilitacyjne; łóżko szpitalne; materac przeciwodleżynowy; hospital bed",
    "niepełnosprawność; niepełnosprawny; inwalida; orzeczenie o niepełnosprawności; disability; disabled",
    "dowóz; transport; przewóz; podwózka; taksówka; bus; taxi; ride",
    "asystent osobisty; asystent osoby niepełnosprawnej; personal assistant",
    "wytchnienie; opieka wytchnieniowa; usługa wytchnieniowa; odpoczynek od opieki; respite; respite care",
    "autyzm; integracja sensoryczna; zaburzenia rozwoju; autism",
    # edukacja publiczna
    "logopeda; terapia logopedyczna; poradnictwo logopedyczne; wady wymowy; speech therapy; speech therapist",
    "korepetycje; pomoc w lekcjach; odrabianie lekcji; zadania domowe; tutoring; homework",
    "angielski; język angielski; english; english lessons",
    "biblioteka; książki; czytanie; library; books; book club",
    # przeciwdziałanie bezrobociu
    "praca; zatrudnienie; doradztwo zawodowe; szukam pracy; oferty pracy; job; work; employment",
    "bezrobotny; bez pracy; urząd pracy; pup; unemployed",
    "cv; życiorys; rozmowa kwalifikacyjna; rozmowa o pracę; resume",
    # kultura
    "taniec; tańce; zajęcia taneczne; zespół taneczny; dance; folk dance",
    "rękodzieło; robótki; koronki; szydełko; handicraft; crafts",
    "gotowanie; kuchnia; pierogi; kulinarne; cooking",
    "teatr; kino; wyjazdy integracyjne; theatre; cinema",
    # kultura fizyczna i turystyka
    "piłka nożna; orlik; football; soccer",
    "siatkówka; piłka siatkowa; volleyball",
    "gimnastyka; ćwiczenia; zajęcia ruchowe; exercise; fitness; sport",
    "wycieczki; wyjazdy; turystyka; trips; excursion; sightseeing",
    "nordic walking; kijki; marsze z kijami; spacery; walking",
    # pobudzanie aktywności obywatelskiej
    "wolontariat; bank czasu; pomoc sąsiedzka; wolontariusz; volunteer; volunteering",
    "lider lokalny; sołtys; granty; inicjatywy lokalne; community leader",
    "kgw; koło gospodyń wiejskich; gospodynie",
    # mieszkalnictwo
    "mieszkanie wspierane; mieszkanie chronione; mieszkanie; lokal; housing; flat; supported housing",
    # ochrona środowiska
    "śmieci; odpady; segregacja; recykling; recycling; waste",
    "sprzątanie świata; czysta gmina; cleanup",
    "ogród; ogródek; działka; grządki; garden; gardening",
    "jadłodzielnia; lodówka społeczna; marnowanie żywności; food sharing",
    # reintegracja zawodowa i społeczna
    "kis; klub integracji społecznej; reintegracja; wykluczenie społeczne; social inclusion",
    "prace społecznie użyteczne; prace społeczne; community work",
)


_SPEC_KEYS = frozenset(
    "name provider areas groups places description goal delivery application unit origin status valid rules "
    "schedule_description closures closed_on_holidays fee fees discounts minimum_age maximum_age residents_only "
    "requires_certificate groups_only eligibility documents personal_data capacity at_home contact indicators "
    "keywords".split()
)


def _parse_time(text):
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def seed_catalogue(session) -> dict:
    """Create the demo catalogue in `session` (flushed, not committed)."""
    rng = random.Random(SEED)
    today = local_now().date()
    year = today.year

    areas = {a.code: a for a in session.scalars(select(Area))}
    groups = {g.code: g for g in session.scalars(select(TargetGroup))}
    if not areas or not groups:
        raise RuntimeError("Areas and target groups are missing: run the migrations first.")

    villages = {}
    for name in VILLAGES:
        village = Village(name=name, slug=slugify(name))
        session.add(village)
        villages[name] = village

    places = {}
    for key, (name, address, village_name, accessibility, access_text) in PLACES.items():
        place = Place(
            name=name,
            address_1=address,
            postal_code=POSTAL_CODE if address else None,
            city=TOWN if address else None,
            village=villages[village_name],
            accessibility_description=access_text,
        )
        place.accessibility = accessibility
        session.add(place)
        places[key] = place

    providers = {}
    for spec in PROVIDERS:
        ids = spec.get("ids", ())
        provider = Provider(
            name=spec["name"],
            slug=slugify(spec["name"]),
            provider_type=spec["type"],
            description=spec.get("description"),
            nip=make_nip(rng) if "nip" in ids else None,
            regon=(make_regon(rng, long=True) if "regon14" in ids else make_regon(rng) if "regon" in ids else None),
            krs=make_krs(rng) if "krs" in ids else None,
            email=spec.get("email"),
            phone=spec.get("phone"),
            website=spec.get("website"),
            address_1=spec.get("address"),
            postal_code=POSTAL_CODE if spec.get("address") else None,
            city=TOWN if spec.get("address") else None,
        )
        session.add(provider)
        providers[spec["key"]] = provider

    used_slugs = set()
    services = []
    for spec in _services(year):
        unknown = set(spec) - _SPEC_KEYS
        if unknown:
            raise ValueError(f"{spec['name']}: unknown fields {sorted(unknown)}")
        slug = base = slugify(spec["name"])
        n = 2
        while slug in used_slugs:
            slug = f"{base[:115]}-{n}"
            n += 1
        used_slugs.add(slug)

        capacity = spec.get("capacity")
        contact_name, phone, email = spec.get("contact", (None, None, None))
        valid_from, valid_to = spec.get("valid", (None, None))
        fee = spec.get("fee")
        service = Service(
            slug=slug,
            name=spec["name"],
            description=spec["description"],
            goal=spec.get("goal"),
            provider=providers[spec["provider"]],
            status=spec.get("status", "active"),
            origin=spec.get("origin", "existing"),
            valid_from=valid_from,
            valid_to=valid_to,
            delivery_description=spec.get("delivery"),
            at_client_home=spec.get("at_home", False),
            application_process=spec.get("application", APPLY_DESK),
            unit=spec.get("unit", "meeting"),
            # Counselling is kept in the register of consultations (issue 13),
            # a child's therapy person by person, day clubs and holiday
            # activities (counted in days, on a weekly schedule) as groups.
            delivery_mode=("consultation" if spec["name"].startswith(("Poradnictwo", "Konsultacje", "Telefon zaufania"))
                           else "individual" if spec["name"] == "Integracja sensoryczna"
                           else "group" if spec.get("unit") == "day" and spec.get("rules")
                           else default_delivery_mode(spec.get("unit", "meeting"))),
            schedule_description=spec.get("schedule_description"),
            closed_on_public_holidays=spec.get("closed_on_holidays", True),
            fee_amount=Decimal(fee) if fee else None,
            fees_description=spec.get("fees"),
            minimum_age=spec.get("minimum_age"),
            maximum_age=spec.get("maximum_age"),
            residents_only=spec.get("residents_only", False),
            requires_disability_certificate=spec.get("requires_certificate", False),
            target_groups_only=spec.get("groups_only", False),
            eligibility_description=spec.get("eligibility"),
            personal_data_required=spec.get("personal_data"),
            # Groups and monthly places hold a place per person; hours, visits,
            # loans and trips are pools (as migration 0010 sets existing data).
            capacity_basis="places" if spec.get("unit", "meeting") in ("meeting", "month", "person") else "units",
            capacity_maximum=capacity[0] if capacity else None,
            capacity_granted=capacity[1] if capacity else 0,
            contact_name=contact_name,
            phone=phone,
            email=email,
            assured_date=today - timedelta(days=rng.randrange(7, 330)),
            keywords=spec.get("keywords"),
        )
        service.areas = [areas[code] for code in spec["areas"]]
        service.target_groups = [groups[code] for code in spec["groups"]]
        service.places = [places[key] for key in spec.get("places", ())]
        for weekday, opens, closes, rule_from, rule_to, label in spec.get("rules", ()):
            service.schedule_rules.append(ScheduleRule(
                weekday=weekday, opens=_parse_time(opens), closes=_parse_time(closes),
                valid_from=rule_from, valid_to=rule_to, label=label,
            ))
        for starts_on, ends_on, reason in spec.get("closures", ()):
            service.closures.append(Closure(starts_on=starts_on, ends_on=ends_on, reason=reason))
        for entitled, amount in spec.get("discounts", ()):
            service.discounts.append(Discount(entitled=entitled, amount=Decimal(amount)))
        for document in spec.get("documents", ()):
            service.required_documents.append(RequiredDocument(document=document))
        for name, unit, target, evidence in spec.get("indicators", ()):
            service.indicators.append(Indicator(name=name, unit=unit, target_value=target,
                                                evidence=evidence, year=year))
        session.add(service)
        services.append(service)

    for phrases in SYNONYMS:
        session.add(SynonymGroup(phrases=phrases))

    situations = seed_situations(session, services)
    session.flush()
    versions.bump(session, versions.CATALOGUE)
    session.flush()
    return {
        "villages": len(villages),
        "places": len(places),
        "providers": len(providers),
        "services": len(services),
        "synonyms": len(SYNONYMS),
        "situations": len(situations),
    }


# --- life situations ---------------------------------------------------------------

# (name as residents say it, one-line description, the services that help), in
# the order the catalogue shows them; every service is a demo service above.
SITUATIONS = (
    ("Opiekuję się starszym rodzicem",
     "Mama lub tata potrzebuje opieki: pomoc w domu, wytchnienie dla opiekuna, sprzęt, dowóz, klub seniora.",
     ("Usługi opiekuńcze w miejscu zamieszkania", "Pakiet Opieka Plus", "Usługa wytchnieniowa",
      "Opieka wytchnieniowa w formie pobytu całodobowego", "Wypożyczalnia sprzętu rehabilitacyjnego",
      "Łóżko rehabilitacyjne", "Transport door-to-door", "Klub Seniora w Wojcieszkowie")),
    ("Dziecko z niepełnosprawnością",
     "Syn lub córka potrzebuje terapii: logopeda, rehabilitacja, asystent, dowóz, wsparcie dla rodziców.",
     ("Integracja sensoryczna", "Poradnictwo logopedyczne", "Pakiet Rehabilitacja Plus",
      "Asystent osobisty osoby z niepełnosprawnością", "Usługa wytchnieniowa", "Transport door-to-door",
      "Grupa wsparcia dla rodziców dzieci z niepełnosprawnościami")),
    ("Straciłem pracę",
     "Bez pracy i bez planu: doradca zawodowy, praca na początek, porady o pieniądzach, prawnik, psycholog.",
     ("Doradztwo zawodowe i pośrednictwo pracy", "Klub Integracji Społecznej „Sukces w działaniu”",
      "Prace społecznie użyteczne", "Świadomy ekonomicznie mieszkaniec — porady finansowe", "Poradnictwo prawne",
      "Poradnictwo psychologiczne dla dorosłych")),
    ("Przemoc w domu",
     "Bicie, krzyk, groźby w rodzinie: rozmowa w zaufaniu, grupa wsparcia, prawnik, pomoc dla dzieci.",
     ("Telefon zaufania", "Grupa wsparcia dla osób współuzależnionych i doznających przemocy w rodzinie",
      "Poradnictwo prawne", "Poradnictwo psychologiczne dla dorosłych",
      "Poradnictwo psychologiczne dla dzieci i młodzieży", "Asystent rodziny")),
    ("Samotność",
     "Nie mam do kogo się odezwać: kluby, wspólne zajęcia i wyjazdy, wolontariat, rozmowa, gdy jest ciężko.",
     ("Klub Seniora w Wojcieszkowie", "Klub Seniora w Bęczkowie", "Miejsce spotkań osób aktywnych",
      "Dyskusyjny Klub Książki", "Klub Wolontariusza i Bank Czasu", "Wycieczki krajoznawcze dla seniorów",
      "Telefon zaufania")),
    ("Kryzys psychiczny",
     "Depresja, lęk, myśli, że nie dam rady: psycholog, psychiatra i telefon zaufania, także dla młodzieży.",
     ("Telefon zaufania", "Konsultacje lekarza psychiatry", "Poradnictwo psychologiczne dla dorosłych",
      "Poradnictwo psychologiczne dla dzieci i młodzieży")),
    ("Ktoś bliski pije",
     "Alkohol w rodzinie — mąż, żona, rodzic, dziecko: terapia, grupy wsparcia, świetlica dla dzieci.",
     ("Terapia uzależnień — konsultacje indywidualne", "Grupa wsparcia dla osób uzależnionych od alkoholu",
      "Grupa wsparcia dla osób współuzależnionych i doznających przemocy w rodzinie", "Telefon zaufania",
      "Świetlica socjoterapeutyczna w Bęczkowie")),
    ("Brakuje mi pieniędzy na życie",
     "Długi, rachunki, brak na jedzenie: porady o budżecie, żywność, prawnik, pomoc w szukaniu pracy.",
     ("Świadomy ekonomicznie mieszkaniec — porady finansowe", "Jadłodzielnia „Podziel się”",
      "Poradnictwo prawne", "Doradztwo zawodowe i pośrednictwo pracy")),
    ("Mam kłopot z wychowaniem dziecka",
     "Dziecko nie słucha, ucieka z lekcji, nie radzi sobie: asystent rodziny, warsztaty, świetlica, nauka.",
     ("Asystent rodziny", "Szkoła dla rodziców — warsztaty wychowawcze", "Świetlica socjoterapeutyczna w Bęczkowie",
      "Poradnictwo psychologiczne dla dzieci i młodzieży", "Pomoc w odrabianiu lekcji")),
    ("Wracam do sprawności po chorobie",
     "Po udarze, operacji lub złamaniu: rehabilitacja w domu i w gabinecie, wózek, kule, łóżko, dowóz.",
     ("Pakiet Rehabilitacja Plus", "Rehabilitacja ruchowa w gabinecie", "Wypożyczalnia sprzętu rehabilitacyjnego",
      "Wózek inwalidzki — wypożyczenie", "Balkonik i kule łokciowe — wypożyczenie", "Transport door-to-door")),
)


def seed_situations(session, services) -> list:
    """The demo life situations, published, each with its services (from
    `services`, the demo services just created), in SITUATIONS' order."""
    by_name = {service.name: service for service in services}
    situations = []
    for position, (name, description, names) in enumerate(SITUATIONS, start=1):
        missing = [n for n in names if n not in by_name]
        if missing:
            raise ValueError(f"{name}: no demo service {missing}")
        situation = LifeSituation(name=name, slug=slugify(name), description=description, position=position,
                                  published=True, services=[by_name[n] for n in names])
        session.add(situation)
        situations.append(situation)
    return situations
