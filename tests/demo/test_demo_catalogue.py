"""The demo catalogue (portal/demo/catalogue.py) and `flask demo ensure`."""
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from portal.auth.models import User
from portal.auth.services import DEMO_USERS
from portal.catalogue.models import (
    ACCESSIBILITY,
    PROVIDER_TYPES,
    UNITS,
    Area,
    Closure,
    LifeSituation,
    Place,
    Provider,
    ScheduleRule,
    Service,
    SynonymGroup,
    TargetGroup,
    Village,
)
from portal.catalogue.reference import AREAS, TARGET_GROUPS
from portal.core import versions
from portal.demo.catalogue import make_krs, make_nip, make_regon, seed_catalogue
from portal.extensions import db
from portal.timeutil import local_now
from portal.validation import normalise_phone, validate_krs, validate_nip, validate_regon

SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


@pytest.fixture
def seeded(app):
    counts = seed_catalogue(db.session)
    db.session.commit()
    return counts


def _all(model):
    return db.session.scalars(db.select(model)).all()


def _count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_counts_match_the_database_and_the_issue(seeded):
    assert seeded == {
        "villages": _count(Village),
        "places": _count(Place),
        "providers": _count(Provider),
        "services": _count(Service),
        "synonyms": _count(SynonymGroup),
        "situations": _count(LifeSituation),
    }
    assert seeded["services"] >= 40
    assert seeded["providers"] >= 15
    assert seeded["villages"] >= 12
    assert seeded["synonyms"] >= 8
    # The search index is told that the catalogue changed.
    assert versions.current(db.session, versions.CATALOGUE) > 0


def test_life_situations_in_residents_words_each_with_services_residents_see(seeded):
    situations = db.session.scalars(db.select(LifeSituation).order_by(LifeSituation.position)).all()
    assert 8 <= len(situations) <= 10
    names = [s.name for s in situations]
    for expected in ("Opiekuję się starszym rodzicem", "Dziecko z niepełnosprawnością", "Straciłem pracę",
                     "Przemoc w domu", "Samotność", "Kryzys psychiczny"):
        assert expected in names
    today = local_now().date()
    for situation in situations:
        assert situation.published and situation.description
        assert 3 <= len(situation.services) <= 8, situation.name
        assert all(s.status != "archived" and (s.valid_to is None or s.valid_to >= today)
                   for s in situation.services), situation.name
    assert len({s.slug for s in situations}) == len(situations)
    assert all(set(s.slug) <= SLUG_CHARS for s in situations)


def test_every_area_and_target_group_is_used(seeded):
    services = _all(Service)
    used_areas = {a.code for s in services for a in s.areas}
    used_groups = {g.code for s in services for g in s.target_groups}
    assert used_areas == {code for code, _ in AREAS}
    assert used_groups == {code for code, _ in TARGET_GROUPS}
    # Nothing was added to the reference lists the migrations own.
    assert _count(Area) == len(AREAS)
    assert _count(TargetGroup) == len(TARGET_GROUPS)
    # Every service has at least one area and one group to be found by facets.
    assert all(s.areas and s.target_groups for s in services)


def test_names_the_search_tests_rely_on(seeded):
    names = {s.name for s in _all(Service)}
    assert "Łóżko rehabilitacyjne" in names
    assert any("Żłobek" in name for name in names)
    for expected in ("Klub Seniora w Bęczkowie", "Pakiet Opieka Plus", "Pakiet Rehabilitacja Plus",
                     "Usługa wytchnieniowa", "Transport door-to-door", "Mieszkanie chronione",
                     "Wypożyczalnia sprzętu rehabilitacyjnego", "Telefon zaufania", "Wakacje z naturą",
                     "Grupa wsparcia dla osób uzależnionych od alkoholu"):
        assert expected in names
    assert sum(1 for n in names if n.startswith("Klub Seniora w ")) >= 4
    providers = {p.name for p in _all(Provider)}
    assert "Centrum Usług Społecznych w Wojcieszkowie" in providers
    assert "Spółdzielnia Socjalna „Wojcieszkowianka”" in providers


def test_variety_of_costs_places_and_schedules(seeded):
    services = _all(Service)
    active = [s for s in services if s.status == "active"]

    free = [s for s in services if s.is_free]
    paid = [s for s in services if not s.is_free]
    assert free and paid
    assert len(free) > len(paid)
    assert any(s.fee_amount >= Decimal("1000") for s in paid)
    assert any(d.amount == Decimal("0.00") and "znacznym stopniu" in d.entitled
               for s in paid for d in s.discounts)

    assert any(s.at_client_home for s in services)
    assert {"Pakiet Opieka Plus", "Pakiet Rehabilitacja Plus", "Transport door-to-door"} <= {
        s.name for s in services if s.at_client_home}

    rules = _all(ScheduleRule)
    seasonal = [r for r in rules if r.valid_from is not None]
    assert seasonal
    year = local_now().year
    summer = [r for r in seasonal if r.valid_from == date(year, 6, 29) and r.valid_to == date(year, 8, 31)]
    assert summer and all(r.service_id == summer[0].service_id for r in summer)
    assert any(r.opens >= time(17, 0) for r in rules), "an evening session"
    assert any(r.opens == time(8, 0) and r.closes == time(20, 0) for r in rules)

    closures = _all(Closure)
    assert closures and all(c.ends_on >= c.starts_on for c in closures)
    assert any((c.ends_on - c.starts_on).days >= 13 for c in closures), "a two-week break"

    by_appointment = [s for s in active if not s.schedule_rules and s.schedule_description]
    assert by_appointment

    open_every_day = [s for s in services if not s.closed_on_public_holidays]
    assert open_every_day and all({r.weekday for r in s.schedule_rules} == set(range(7)) for s in open_every_day)

    statuses = [s.status for s in services]
    assert statuses.count("suspended") == 2
    assert statuses.count("archived") == 1
    assert {s.origin for s in services} == {"new", "expanded", "existing"}
    assert {s.unit for s in services} <= set(UNITS)

    full = [s for s in services if s.capacity_maximum is not None and s.capacity_available == 0]
    with_room = [s for s in services if s.capacity_available]
    assert full and with_room
    assert any(s.name == "Łóżko rehabilitacyjne" for s in full)

    assert any(s.minimum_age is not None for s in services)
    assert any(s.maximum_age is not None for s in services)
    assert any(s.requires_disability_certificate for s in services)
    assert any(s.residents_only for s in services)
    assert any(s.target_groups_only for s in services)
    assert any(s.required_documents for s in services)
    assert sum(1 for s in services if s.indicators) >= 5
    assert any(s.valid_to == date(year + 1, 12, 31) for s in services)

    today = local_now().date()
    for service in services:
        assert service.description and service.application_process
        assert service.assured_date is not None and 0 <= (today - service.assured_date).days <= 366
        if service.valid_to is not None and service.status != "archived":
            assert service.valid_to >= today
    assert len({s.description for s in services}) == len(services), "every description differs"


def test_places_villages_and_providers(seeded):
    places = _all(Place)
    assert all(p.postal_code in (None, "21-407") for p in places)
    assert any(p.address_1 and p.address_1.startswith("ul. ") for p in places)
    assert any(p.name == "Świetlica wiejska w Burzcu" for p in places)
    assert any(p.address_1 is None and p.village is not None for p in places), "a village-wide place"
    codes = [set(p.accessibility) for p in places]
    assert set().union(*codes) == set(ACCESSIBILITY)
    assert any(not c for c in codes) and any(len(c) >= 4 for c in codes)

    villages = {v.name for v in _all(Village)}
    assert {"Wojcieszków", "Bęczków", "Burzec", "Domaszewnica"} <= villages

    providers = _all(Provider)
    # Every kind of provider but the two that come only through self-registration
    # (issue 15): another public body and an informal group run none of the demo's services.
    assert {p.provider_type for p in providers} == set(PROVIDER_TYPES) - {"public_body", "informal_group"}
    assert all(p.services for p in providers), "no provider without a service"


def test_identifiers_and_phones_are_valid(seeded):
    providers = _all(Provider)
    with_ids = [p for p in providers if p.nip or p.regon or p.krs]
    assert len(with_ids) >= 8
    for provider in providers:
        if provider.nip:
            assert validate_nip(provider.nip) == provider.nip
        if provider.regon:
            assert validate_regon(provider.regon) == provider.regon
        if provider.krs:
            assert validate_krs(provider.krs) == provider.krs
        if provider.phone:
            assert normalise_phone(provider.phone) == provider.phone
    assert any(p.regon and len(p.regon) == 14 for p in providers)
    assert len({p.nip for p in providers if p.nip}) == sum(1 for p in providers if p.nip)
    for service in _all(Service):
        if service.phone:
            assert normalise_phone(service.phone) == service.phone


def test_identifier_helpers_always_pass_the_checksums():
    import random

    rng = random.Random(1)
    for _ in range(500):
        assert validate_nip(make_nip(rng))
        assert validate_regon(make_regon(rng))
        assert validate_regon(make_regon(rng, long=True))
        assert validate_krs(make_krs(rng))


def test_slugs_are_unique_and_ascii(seeded):
    for model in (Service, Provider, Village):
        slugs = [row.slug for row in _all(model)]
        assert len(set(slugs)) == len(slugs), model.__name__
        for slug in slugs:
            assert slug and len(slug) <= 120 and set(slug) <= SLUG_CHARS, slug
            assert "--" not in slug and not slug.startswith("-") and not slug.endswith("-")
    assert db.session.scalar(db.select(Village.slug).filter_by(name="Wólka Domaszewska")) == "wolka-domaszewska"
    assert db.session.scalar(db.select(Service.slug).filter_by(name="Łóżko rehabilitacyjne")) == "lozko-rehabilitacyjne"


def test_contact_names_are_not_the_real_people_in_the_sources(seeded):
    names = " ".join(s.contact_name or "" for s in _all(Service))
    for real in ("Mitura", "Kajda", "Gźyl", "Włazło"):
        assert real not in names


def _snapshot():
    services = db.session.scalars(db.select(Service).order_by(Service.slug)).all()
    providers = db.session.scalars(db.select(Provider).order_by(Provider.slug)).all()
    return (
        [(s.name, s.slug, s.fee_amount, s.provider.slug, s.assured_date,
          sorted(a.code for a in s.areas), sorted(p.name for p in s.places),
          sorted((r.weekday, r.opens, r.closes) for r in s.schedule_rules)) for s in services],
        [(p.slug, p.nip, p.regon, p.krs) for p in providers],
    )


def test_seeding_is_deterministic(app):
    seed_catalogue(db.session)
    first = _snapshot()
    db.session.rollback()  # back to the clean database
    assert _count(Service) == 0
    seed_catalogue(db.session)
    second = _snapshot()
    db.session.rollback()
    assert first == second
    assert len(first[0]) >= 40


def test_search_finds_the_seeded_services(seeded):
    from portal.catalogue.search import Filters, search

    moment = datetime(local_now().year, 3, 10, 11, 0, tzinfo=local_now().tzinfo)
    result = search(db.session, "łóżko rehabilitacyjne", Filters(), moment=moment)
    names = [db.session.get(Service, i).name for i in result.ids]
    assert names and names[0] == "Łóżko rehabilitacyjne"
    result = search(db.session, "wytchnienie", Filters(), moment=moment)
    assert "Usługa wytchnieniowa" in [db.session.get(Service, i).name for i in result.ids]
    archived = db.session.scalar(db.select(Service).filter_by(status="archived"))
    assert archived.id not in search(db.session, "", Filters(), moment=moment, per_page=500).ids


def test_flask_demo_ensure_creates_users_and_catalogue_once(app, runner):
    app.config["DEMO_MODE"] = True
    result = runner.invoke(args=["demo", "ensure"])
    assert result.exit_code == 0, result.output
    usernames = {u.username for u in _all(User)}
    assert usernames == {username for username, _, _ in DEMO_USERS} | {"realizator"}
    assert len(usernames) == 7
    provider_account = next(u for u in _all(User) if u.username == "realizator")
    assert provider_account.role == "provider"
    assert db.session.get(Provider, provider_account.provider_id).name == "Stowarzyszenie Rozwoju Gminy Wojcieszków"
    services = _count(Service)
    assert services >= 40
    assert "Demo catalogue" in result.output

    counts = (_count(User), _count(Service), _count(Provider), _count(Village), _count(Place), _count(SynonymGroup))
    again = runner.invoke(args=["demo", "ensure"])
    assert again.exit_code == 0, again.output
    assert "Demo users" not in again.output and "Demo catalogue" not in again.output
    assert (_count(User), _count(Service), _count(Provider), _count(Village), _count(Place),
            _count(SynonymGroup)) == counts


def test_flask_demo_ensure_does_nothing_in_production(app, runner):
    app.config["DEMO_MODE"] = False
    result = runner.invoke(args=["demo", "ensure"])
    assert result.exit_code == 0
    assert _count(User) == 0 and _count(Service) == 0
