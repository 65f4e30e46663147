"""The public service page, kept rendered (portal/catalogue/pages.py): every
detail of a typical record, and the kept page follows a catalogue edit and
the clock at once."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from portal.auth.models import Role
from tests.helpers import assert_in

MONDAY_9 = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)  # 09:00 in Warsaw


@pytest.fixture
def club(make_service, make_village, make_provider):
    from portal.catalogue.models import Closure, Discount, Place, RequiredDocument

    village = make_village("Bęczków")
    place = Place(name="Świetlica w Bęczkowie", address_1="ul. Szkolna 1", postal_code="21-407",
                  city="Bęczków", village=village, accessibility_codes="step_free,accessible_toilet")
    return make_service(
        "Klub Seniora w Bęczkowie", groups=("seniors",), areas=("social_assistance",), places=[place],
        rules=[(1, "10:00", "12:00")], provider=make_provider(name="Stowarzyszenie „Razem”"),
        description="Spotkania, gimnastyka i wspólne gotowanie dla seniorów.",
        goal="Mniej samotności wśród seniorów.", application_process="Wystarczy przyjść na pierwsze spotkanie.",
        minimum_age=60, residents_only=True, fee_amount=Decimal("10.00"), unit="meeting",
        fees_description="Składka na materiały.", phone="257531001", contact_name="Anna Nowak",
        discounts=[Discount(entitled="Karta Dużej Rodziny", amount=Decimal("5.00"))],
        required_documents=[RequiredDocument(document="Oświadczenie o zamieszkaniu w gminie")],
        closures=[Closure(starts_on=date(2026, 12, 21), ends_on=date(2027, 1, 6), reason="przerwa świąteczna"),
                  Closure(starts_on=date(2026, 8, 1), ends_on=date(2026, 8, 31), reason="przerwa wakacyjna")],
    )


def test_a_typical_service_page_shows_every_detail(client, app, club):
    app.config["FIXED_NOW"] = MONDAY_9
    page = client.get("/services/klub-seniora-w-beczkowie")
    assert page.status_code == 200
    assert_in(page.text,
              "<title>Klub Seniora w Bęczkowie — ", "<h1>Klub Seniora w Bęczkowie</h1>",
              "Spotkania, gimnastyka i wspólne gotowanie dla seniorów.", "Mniej samotności wśród seniorów.",
              "Wiek od 60 lat.", "Dla mieszkańców gminy.", "Oświadczenie o zamieszkaniu w gminie",
              "Wystarczy przyjść na pierwsze spotkanie.", "wtorek", "10:00–12:00", "wt., 24.11.2026, 10:00–12:00",
              "21 grudnia 2026 – 6 stycznia 2027: przerwa świąteczna",
              "Świetlica w Bęczkowie — ul. Szkolna 1, 21-407 Bęczków", "Toaleta dostosowana",
              "Stowarzyszenie „Razem”", "Pomoc społeczna", "Seniorzy (60+)", "Składka na materiały.",
              "Karta Dużej Rodziny: 5,00\u00a0zł", "Anna Nowak", "Zapytaj o tę usługę")
    assert "Otwarte teraz" not in page.text
    assert "przerwa wakacyjna" not in page.text  # a closure that is over


def test_the_kept_page_follows_a_catalogue_edit_at_once(client, app, auth, club):
    from portal.catalogue.models import Place
    from tests.helpers import stored

    app.config["FIXED_NOW"] = MONDAY_9
    url = "/services/klub-seniora-w-beczkowie"
    assert "Świetlica w Bęczkowie" in client.get(url).text
    assert "Świetlica w Bęczkowie" in client.get(url).text  # served again from what was kept

    auth.login(Role.SERVICES_ORGANISER)
    place = stored(Place, name="Świetlica w Bęczkowie")
    assert auth.post(f"/manage/places/{place.id}/edit", {
        "name": "Dom Ludowy w Bęczkowie", "village_id": str(place.village_id), "accessibility": ["lift"],
    }).status_code == 303
    page = client.get(url).text
    assert_in(page, "Dom Ludowy w Bęczkowie", "Winda")
    assert "Świetlica w Bęczkowie" not in page and "Toaleta dostosowana" not in page

    edit = client.get(f"/manage/services/{club.id}/edit").text
    version = edit.split('name="version" value="', 1)[1].split('"', 1)[0]
    assert auth.post(f"/manage/services/{club.id}/status",
                     {"action": "suspend", "version": version}).status_code == 303
    assert "Zawieszona" in client.get(url).text


def test_places_are_listed_in_polish_order_and_a_new_place_shows_at_once(client, app, make_service):
    from portal.catalogue.models import Place

    app.config["FIXED_NOW"] = MONDAY_9
    make_service("Spacery z kijkami", places=[Place(name=n) for n in ("Żłobek", "Łąka nad Wieprzem", "Ośrodek", "Las")])
    page = client.get("/services/spacery-z-kijkami").text
    shown = [name for name in ("Las", "Łąka nad Wieprzem", "Ośrodek", "Żłobek") if name in page]
    assert sorted(shown, key=page.index) == ["Las", "Łąka nad Wieprzem", "Ośrodek", "Żłobek"]
    # A place made after the process read its places (another service, a new version) is found.
    make_service("Nordic walking", places=[Place(name="Boisko szkolne")])
    assert "Boisko szkolne" in client.get("/services/nordic-walking").text


def test_the_kept_page_follows_the_clock(client, app, club):
    url = "/services/klub-seniora-w-beczkowie"
    app.config["FIXED_NOW"] = MONDAY_9
    assert "Otwarte teraz" not in client.get(url).text
    app.config["FIXED_NOW"] = MONDAY_9 + timedelta(days=1, hours=1, minutes=30)  # Tuesday 10:30
    page = client.get(url).text
    assert_in(page, "Otwarte teraz", "otwarte teraz, do 12:00")
    app.config["FIXED_NOW"] = MONDAY_9 + timedelta(days=1, hours=3)  # Tuesday 12:00, the session is over
    page = client.get(url).text
    assert "Otwarte teraz" not in page
    assert "wt., 01.12.2026, 10:00–12:00" in page
    app.config["FIXED_NOW"] = MONDAY_9  # a clock set back renders again
    assert "wt., 24.11.2026, 10:00–12:00" in client.get(url).text


def test_each_language_keeps_its_own_page(client, app, club):
    app.config["FIXED_NOW"] = MONDAY_9
    url = "/services/klub-seniora-w-beczkowie"
    assert "Kto może skorzystać" in client.get(url).text
    client.set_cookie("lang", "en")
    page = client.get(url).text
    assert "Kto może skorzystać" not in page and 'lang="en"' in page


def test_an_archived_or_unknown_service_is_not_found(client, app, club):
    from portal.core import versions
    from portal.extensions import db

    assert client.get("/services/klub-seniora-w-beczkowie").status_code == 200
    club.status = "archived"
    versions.bump(db.session, versions.CATALOGUE)
    db.session.commit()
    assert client.get("/services/klub-seniora-w-beczkowie").status_code == 404
    assert client.get("/services/" + "x" * 500).status_code == 404


# --- the parts, without an app --------------------------------------------------------------

def test_changes_at_is_the_next_start_or_end_of_a_session_shown_or_midnight():
    from portal.catalogue import schedule as sched
    from portal.catalogue.presenters import changes_at

    tuesday = sched.Schedule(rules=(sched.Rule(1, datetime.strptime("10:00", "%H:%M").time(),
                                               datetime.strptime("12:00", "%H:%M").time()),))
    at = MONDAY_9
    upcoming = sched.next_sessions(tuesday, at, count=3)
    assert changes_at(upcoming, at) == datetime(2026, 11, 23, 23, 0, tzinfo=timezone.utc)  # Warsaw midnight
    at = datetime(2026, 11, 24, 8, 30, tzinfo=timezone.utc)  # Tuesday 09:30: the session starts at 10:00
    assert changes_at(sched.next_sessions(tuesday, at, count=3), at) == datetime(2026, 11, 24, 9, 0,
                                                                                  tzinfo=timezone.utc)
    at = datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc)  # 10:30, open: it changes at 12:00
    assert changes_at(sched.next_sessions(tuesday, at, count=3), at) == datetime(2026, 11, 24, 11, 0,
                                                                                  tzinfo=timezone.utc)


def test_timed_regions_keep_a_value_for_its_version_and_time_least_recently_used_first():
    from portal.fragments import TimedRegions

    renders = []

    def render(value, until=None):
        def make():
            renders.append(value)
            return value, until
        return make

    regions = TimedRegions(size=2)
    noon = datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc)
    assert regions.get(1, "a", noon, render("a1", noon + timedelta(hours=1))) == "a1"
    assert regions.get(1, "a", noon + timedelta(minutes=59), render("a2")) == "a1"
    assert regions.get(1, "a", noon + timedelta(hours=1), render("a3")) == "a3"  # its time is up
    assert regions.get(1, "a", noon - timedelta(minutes=1), render("a4")) == "a4"  # a clock set back
    assert regions.get(2, "a", noon, render("a5")) == "a5"  # a new version
    regions.get(2, "b", noon, render("b1"))
    regions.get(2, "a", noon, render("unused"))  # "a" used last: "b" goes first
    regions.get(2, "c", noon, render("c1"))
    assert regions.get(2, "a", noon, render("unused")) == "a5"
    assert regions.get(2, "b", noon, render("b2")) == "b2"
    assert regions.get(2, "d", noon, lambda: (None, None)) is None  # nothing to keep
    assert renders == ["a1", "a3", "a4", "a5", "b1", "c1", "b2"]
