"""Demo events: a year of what the source documents mention (Dzień Seniora,
Święto Pieroga, dożynki, Christmas and Easter workshops, "Wakacje z
naturą", club meetings), dated relative to today so there is always
something upcoming. Places and organisers come from the demo catalogue when
it is there. No people: organisers are institutions, phones the centre's."""
from datetime import date, time, timedelta

from sqlalchemy import func, select

from ..catalogue.models import Place, Provider, TargetGroup
from ..catalogue.schedule import easter_sunday
from ..core import versions
from ..events import services as events
from ..events.models import Event, Notice
from ..events.recurrence import local_instant
from ..timeutil import local_now

CENTRE_PHONE = "257531001"


def _weekday_on_or_after(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _nth_weekday(year, month, weekday, n):
    return _weekday_on_or_after(date(year, month, 1), weekday) + timedelta(weeks=n - 1)


def _upcoming(today, make):
    """make(year) for this year, or next year's when this year's is past:
    every yearly event lies within the coming twelve months."""
    day = make(today.year)
    return day if day >= today else make(today.year + 1)


def _specs(today):
    tuesday = _weekday_on_or_after(today - timedelta(days=120), 1)
    thursday = _weekday_on_or_after(today - timedelta(days=120), 3)
    wednesday = _weekday_on_or_after(today - timedelta(days=14), 2)
    summer = _upcoming(today, lambda y: _weekday_on_or_after(date(y, 7, 1), 0))
    christmas = _upcoming(today, lambda y: _nth_weekday(y, 12, 5, 2))
    easter_workshop = _upcoming(today, lambda y: easter_sunday(y) - timedelta(days=8))
    next_club_meeting = _weekday_on_or_after(today + timedelta(days=8), 1)
    return [
        dict(title="Klub Seniora w Bęczkowie", category="club", place="hall_beczkow", room="duża sala",
             summary="Cotygodniowe spotkanie: rozmowy, gimnastyka, rękodzieło i herbata.",
             start_date=tuesday, start_time=time(10), end_time=time(13), frequency="weekly", weekdays=[1],
             skip_holidays=True, audience=["seniors"], organiser="cus",
             cancelled_dates=[next_club_meeting]),
        dict(title="Klub Seniora w Burzcu", category="club", place="hall_burzec",
             summary="Spotkania przy kawie z Kołem Gospodyń Wiejskich, zajęcia kulinarne i muzyczne.",
             start_date=thursday, start_time=time(15), end_time=time(17), frequency="weekly", weekdays=[3],
             skip_holidays=True, audience=["seniors"], organiser="kgw"),
        dict(title="Zajęcia na tabletach dla seniorów", category="education", place="library", room="czytelnia",
             summary="Jak rozmawiać z wnukami przez wideo, jak zapłacić rachunek w internecie — w małej grupie.",
             start_date=wednesday, start_time=time(10), end_time=time(11, 30), frequency="weekly", weekdays=[2],
             until=wednesday + timedelta(weeks=12), skip_holidays=True, audience=["seniors"], organiser="library",
             registration_needed=True, registration_phone=CENTRE_PHONE, registration_limit=10),
        dict(title="Grupa wsparcia dla opiekunów osób zależnych", category="health", place="cus", room="sala nr 2",
             summary="Raz w miesiącu: rozmowa, porady psychologa, chwila dla siebie.",
             start_date=_nth_weekday(today.year, today.month, 2, 2), start_time=time(17), end_time=time(19),
             frequency="monthly", monthly_mode="nth_weekday", audience=["carers"], organiser="cus"),
        dict(title="Dyskusyjny Klub Książki", category="culture", place="library",
             summary="W ostatni czwartek miesiąca rozmawiamy o jednej przeczytanej książce.",
             start_date=_weekday_on_or_after(date(today.year, today.month, 22), 3), start_time=time(18),
             end_time=time(19, 30), frequency="monthly", monthly_mode="last_weekday", audience=[],
             organiser="library"),
        dict(title="Dzień Seniora", category="integration", place="school", room="sala gimnastyczna",
             summary="Koncert, poczęstunek i wspólne śpiewanie z okazji Dnia Seniora.",
             start_date=_upcoming(today, lambda y: date(y, 11, 14)), start_time=time(12), end_time=time(16),
             audience=["seniors"], organiser="cus", registration_needed=True, registration_phone=CENTRE_PHONE,
             registration_limit=120),
        dict(title="Święto Pieroga", category="culture", place="hall_burzec", room="plac przed świetlicą",
             summary="Konkurs na najlepsze pierogi, degustacja i zabawy dla dzieci.",
             start_date=_upcoming(today, lambda y: _nth_weekday(y, 8, 5, 3)), start_time=time(14),
             end_time=time(20), audience=["community"], organiser="kgw"),
        dict(title="Dożynki gminne", category="culture", place="pond",
             summary="Msza dziękczynna, korowód wieńców, występy zespołów i festyn do wieczora.",
             start_date=_upcoming(today, lambda y: _weekday_on_or_after(date(y, 8, 31), 6)), all_day=True,
             audience=["community"], organiser="ug"),
        dict(title="Wakacje z naturą", category="workshop", place="garden",
             summary="Zabawy w ogrodzie społecznym dla dzieci, które spędzają wakacje w domu.",
             start_date=summer, start_time=time(10), end_time=time(13), frequency="weekly", weekdays=[1, 3],
             until=summer + timedelta(weeks=8), skip_holidays=True, audience=["children_youth", "families"],
             organiser="eco"),
        dict(title="Warsztaty świąteczne bożonarodzeniowe", category="workshop", place="cus", room="sala nr 1",
             summary="Stroiki, pierniki i kartki świąteczne — dla rodzin z dziećmi i seniorów.",
             start_date=christmas, start_time=time(10), end_time=time(13), frequency="weekly", weekdays=[5],
             until=christmas + timedelta(weeks=1), audience=["families", "seniors"], organiser="cus",
             registration_needed=True, registration_phone=CENTRE_PHONE, registration_limit=25),
        dict(title="Warsztaty wielkanocne", category="workshop", place="library",
             summary="Pisanki, palmy i koszyczki wielkanocne.",
             start_date=easter_workshop, start_time=time(10), end_time=time(13),
             audience=["families", "children_youth"], organiser="library",
             registration_needed=True, registration_phone=CENTRE_PHONE, registration_limit=20),
        dict(title="Piknik rodzinny na Dzień Dziecka", category="integration", place="orlik",
             summary="Gry, dmuchańce, pokaz straży pożarnej i grill.",
             start_date=_upcoming(today, lambda y: _weekday_on_or_after(date(y, 5, 30), 5)), start_time=time(14),
             end_time=time(19), audience=["families", "children_youth"], organiser="gosir"),
        dict(title="Noc Bibliotek", category="culture", place="library",
             summary="Czytanie przy latarkach, gry planszowe i film o północy.",
             start_date=_upcoming(today, lambda y: _nth_weekday(y, 10, 5, 1)), start_time=time(20),
             end_time=time(1), end_date_offset=1, audience=["children_youth", "community"], organiser="library",
             free=False, price="5 zł (na poczęstunek)"),
        dict(title="Badania profilaktyczne w remizie", category="health", place="fire_station",
             summary="Pomiar ciśnienia i cukru, porady pielęgniarki.",
             start_date=today - timedelta(days=21), start_time=time(9), end_time=time(13),
             audience=["seniors", "health_problems"], organiser="clinic"),
        dict(title="Wyjazd do kina w Łukowie", category="culture", place="cus", status="draft",
             summary="Szkic: termin do ustalenia z przewoźnikiem.",
             start_date=today + timedelta(days=40), start_time=time(15), end_time=time(20),
             audience=["seniors"], organiser="cus", free=False, price="20 zł (bilet i przejazd)"),
    ]


def seed_events(session):
    """Create the demo events and the Christmas notice when there are no
    events yet (flushed, not committed). Returns the counts."""
    if session.scalar(select(func.count(Event.id))):
        return {}
    today = local_now().date()
    places = {p.name: p for p in session.scalars(select(Place))}
    providers = {p.name: p for p in session.scalars(select(Provider))}
    groups = {g.code: g for g in session.scalars(select(TargetGroup))}
    from .catalogue import PLACES, PROVIDERS

    place_names = {key: spec[0] for key, spec in PLACES.items()}
    provider_names = {spec["key"]: spec["name"] for spec in PROVIDERS}
    created = 0
    for spec in _specs(today):
        spec = dict(spec)
        place = places.get(place_names.get(spec.pop("place", None)))
        organiser = providers.get(provider_names.get(spec.pop("organiser", None)))
        if organiser is not None and organiser.name == provider_names["cus"]:
            organiser = None  # the centre itself
        status = spec.pop("status", "published")
        offset = spec.pop("end_date_offset", 0)
        data = {
            "frequency": "none", "free": True, "public": True,
            "end_date": spec["start_date"] + timedelta(days=offset),
            "place_id": place.id if place else None,
            "organiser_id": organiser.id if organiser else None,
            "audience_ids": [groups[code].id for code in spec.pop("audience") if code in groups],
        }
        data.update(spec)
        events.create_event(session, data, actor=None, status=status)
        created += 1
    christmas_eve = date(today.year if today <= date(today.year, 12, 25) else today.year + 1, 12, 24)
    notice = Notice(text="Centrum nieczynne 24 grudnia (Wigilia).",
                    starts_at=local_instant(christmas_eve - timedelta(days=4), time(7)),
                    ends_at=local_instant(christmas_eve + timedelta(days=1), time(0)),
                    display="banner")  # announced days ahead: alongside the events, not instead of them
    session.add(notice)
    versions.bump(session, versions.EVENTS)
    session.flush()
    return {"events": created, "notices": 1}
