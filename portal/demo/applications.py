"""Demo applications of organisations that want to become providers (issue 15 §1):
an informal group's and another public body's waiting in the queue, and a
rural housewives' circle asked to complete its application. Dated relative
to today; the people are fictitious."""
from datetime import timedelta

from sqlalchemy import func, select

from ..applications import services as applications
from ..applications.models import ProviderApplication
from ..auth.models import User
from ..timeutil import local_now
from .clock import on_day

# (days ago, fields, a request for more information or None)
SPECS = (
    (3, dict(
        name="Grupa sąsiedzka „Dobry Sąsiad” z Burzca", provider_type="informal_group",
        legal_form="grupa nieformalna (bez osobowości prawnej)", address_1="Burzec 41", postal_code="21-407",
        city="Wojcieszków", contact_name="Jolanta Pietrzak", contact_email="dobry.sasiad@poczta.example.pl",
        contact_phone="608 112 334",
        experience="Od dwóch lat sąsiedzi z Burzca robią zakupy i załatwiają sprawy w urzędzie starszym osobom "
                   "mieszkającym samotnie; w zimie odśnieżamy im podwórka.",
        proposed_services=[{"name": "Sąsiedzka pomoc w zakupach", "description": "Zakupy i leki dowożone raz "
                            "w tygodniu, w razie potrzeby częściej.", "target_group": "seniorzy mieszkający "
                            "samotnie", "area": "Burzec, Zofibór"}],
        premises=None, accessibility=[], staff_count=6,
        staff_qualifications="Wolontariusze, dwie osoby po kursie pierwszej pomocy."), None),
    (8, dict(
        name="Powiatowa Biblioteka Publiczna w Łukowie", provider_type="public_body",
        legal_form="samorządowa instytucja kultury powiatu", nip="9220001236", regon="381200778",
        address_1="ul. Piłsudskiego 11", postal_code="21-400", city="Łuków",
        website="https://biblioteka-lukow.example.pl", contact_name="Marek Jabłoński",
        contact_email="biblioteka@lukow.example.pl", contact_phone="25 798 20 20",
        experience="Prowadzimy kluby czytelnicze dla seniorów i zajęcia dla dzieci; dowozimy książki osobom, "
                   "które nie wychodzą z domu.",
        proposed_services=[
            {"name": "Książka na telefon", "description": "Książki i audiobooki dowożone do domu co dwa tygodnie.",
             "target_group": "osoby starsze i z niepełnosprawnościami", "area": "cała gmina"},
            {"name": "Kawiarenka cyfrowa", "description": "Nauka obsługi telefonu i tabletu w małych grupach.",
             "target_group": "seniorzy", "area": "Wojcieszków"}],
        premises="Filia w Wojcieszkowie: parter budynku przy ul. Długiej 39, sala na 20 osób.",
        accessibility=["step_free", "accessible_toilet", "large_print"], staff_count=3,
        staff_qualifications="Bibliotekarze; instruktorka z certyfikatem e-kompetencji."), None),
    (15, dict(
        name="Koło Gospodyń Wiejskich w Zofiborze", provider_type="kgw",
        legal_form="koło gospodyń wiejskich (Krajowy Rejestr KGW)", nip="7123012346", regon="431029381",
        address_1="Zofibór 12", postal_code="21-407", city="Wojcieszków", contact_name="Danuta Wójcik",
        contact_email="kgw.zofibor@poczta.example.pl", contact_phone="601 998 221",
        experience="Od 2019 roku organizujemy spotkania przy wspólnym gotowaniu i dożynki.",
        proposed_services=[{"name": "Obiady sąsiedzkie", "description": "Wspólny obiad raz w tygodniu dla osób "
                            "starszych z Zofiboru.", "target_group": "seniorzy", "area": "Zofibór"}],
        premises="Świetlica wiejska w Zofiborze.", accessibility=[], staff_count=8,
        staff_qualifications="Członkinie koła; dwie z aktualnymi badaniami sanitarno-epidemiologicznymi."),
     "Prosimy o opis dostępności świetlicy (schody, toaleta) i o informację, czy koło ma zgodę sanepidu "
     "na wydawanie posiłków."),
)


def seed_applications(session):
    """The demo applications when there are none (flushed, not committed). Returns the counts."""
    if session.scalar(select(func.count(ProviderApplication.id))):
        return {}
    organiser = session.scalar(select(User).filter_by(username="organizator"))
    if organiser is None:
        return {}
    today = local_now().date()
    for days_ago, fields, more in SPECS:
        with on_day(today - timedelta(days=days_ago)):
            application = applications.submit(session, fields)
        if more:
            with on_day(today - timedelta(days=days_ago - 2)):
                applications.ask_for_more(session, application, more, actor=organiser,
                                          expected_version=application.version)
    session.flush()
    return {"provider applications": len(SPECS)}
