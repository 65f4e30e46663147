"""The public catalogue the API tests read: one service of each kind the
public rule sorts (active, suspended, archived, past its period), places in
two villages, and events public, draft and not public."""
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal

import pytest

# Thursday 15 January 2026, 10:00 in Warsaw.
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=timezone.utc)


@dataclass
class Catalogue:
    club: object
    care: object
    suspended: object
    archived: object
    expired: object
    provider: object
    hidden_provider: object


@pytest.fixture
def catalogue(app, make_service, make_provider, make_village):
    from portal.catalogue.models import Discount, Place, RequiredDocument
    from portal.core import versions
    from portal.extensions import db

    app.config["FIXED_NOW"] = NOW
    lipiny, wola = make_village("Lipiny"), make_village("Wola Okrzejska")
    provider = make_provider(name="Stowarzyszenie „Razem”", slug="razem", description="Pomagamy sąsiadom.",
                             email="biuro@razem.example.pl", phone="257531002", website="https://razem.example.pl",
                             nip="7120000000", krs="0000123456")
    hidden_provider = make_provider(name="Fundacja Zamknięta", slug="zamknieta", provider_type="foundation",
                                    status="archived")
    hall = Place(name="Świetlica wiejska w Lipinach", address_1="ul. Szkolna 3", postal_code="21-407",
                 city="Lipiny", village=lipiny, accessibility_description="Podjazd od podwórza.")
    hall.accessibility = ["step_free", "accessible_toilet"]
    club = make_service("Klub Seniora „Pogodna Jesień”", areas=("social_assistance", "culture"),
                        groups=("seniors",), rules=((1, "10:00", "12:00"),), places=(hall,), provider=provider,
                        fee_amount=Decimal("10.00"), fees_description="Opłata miesięczna.", minimum_age=60,
                        contact_name="Maria Nowak", email="klub@razem.example.pl", phone="600100200",
                        assured_date=date(2025, 12, 1), application_process="Zapisy w świetlicy.")
    club.discounts.append(Discount(entitled="Posiadacze Karty Dużej Rodziny", amount=Decimal("5.00")))
    club.required_documents.append(RequiredDocument(document="Deklaracja uczestnictwa"))
    care = make_service("Usługi opiekuńcze w domu", areas=("social_assistance",), groups=("seniors", "disabled"),
                        at_client_home=True, provider=provider, schedule_description="Według potrzeb.")
    suspended = make_service("Zajęcia z logopedą", areas=("education",), groups=("children_youth",),
                             status="suspended", places=(Place(name="Szkoła w Woli", village=wola),))
    archived = make_service("Kurs komputerowy archiwalny", areas=("education",), status="archived",
                            provider=hidden_provider)
    expired = make_service("Półkolonie letnie 2025", areas=("culture",), groups=("children_youth",),
                           valid_to=date(2025, 8, 31))
    versions.bump(db.session, versions.CATALOGUE)
    db.session.commit()
    return Catalogue(club, care, suspended, archived, expired, provider, hidden_provider)


@pytest.fixture
def events_made(app, catalogue):
    """A public published event, a draft, a non-public one and a cancelled one."""
    from portal.events import services
    from portal.extensions import db

    def make(title, day, *, status="published", **fields):
        data = {"title": title, "start_date": day, "start_time": time(10), "end_date": day, "end_time": time(12),
                "frequency": "none", "free": True, "public": True, "category": "club"}
        data.update(fields)
        event = services.create_event(db.session, data, actor=None, status=status)
        db.session.commit()
        return event

    return {
        "fair": make("Piknik rodzinny", date(2026, 1, 20), summary="Gry i zabawy dla całych rodzin."),
        "draft": make("Szkic wydarzenia tajnego", date(2026, 1, 21), status="draft"),
        "private": make("Narada zespołu wewnętrzna", date(2026, 1, 22), public=False),
        "cancelled": make("Koncert odwołany", date(2026, 1, 23), status="cancelled"),
    }


def hsds_registry():
    """The HSDS 3.1 schemas copied in tests/api/hsds-3.1/ (from the project's
    shared folder), each under its file name as the schemas refer to each other."""
    import json
    from pathlib import Path

    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    folder = Path(__file__).parent / "hsds-3.1"
    resources = []
    for path in folder.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def hsds_validator(name, registry=None):
    from jsonschema import Draft202012Validator, FormatChecker

    registry = registry or hsds_registry()
    schema = registry.contents(f"{name}.json")
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
