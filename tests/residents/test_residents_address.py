"""The address asked for as street and house number, kept in one field and
printed with its four parts; the name typed into a search split into first
and last name the way the register writes them (issue 10, section 2)."""
from types import SimpleNamespace

import pytest

from portal.residents.address import BLANK, join_street, postal_address, split_street
from tests.residents.test_residents_services import make_person  # noqa: F401  (fixtures)
from tests.residents.test_residents_views import Page, new_person


@pytest.mark.parametrize("stored, street, number", [
    ("ul. Leśna 12", "ul. Leśna", "12"),
    ("ul. Leśna 12/3", "ul. Leśna", "12/3"),
    ("Leśna 12a / 3b", "Leśna", "12a / 3b"),
    ("Aleja 3 Maja 5 m. 7", "Aleja 3 Maja", "5 m. 7"),
    ("ul. Kwiatowa 5 lok. 3", "ul. Kwiatowa", "5 lok. 3"),
    ("Glinne 45", "Glinne", "45"),
    ("Glinne", "Glinne", ""),
    ("Aleja 3 Maja", "Aleja 3 Maja", ""),
    ("12", "12", ""),
    ("", "", ""),
    (None, "", ""),
])
def test_street_and_number_split_and_join_back_unchanged(stored, street, number):
    assert split_street(stored) == (street, number)
    assert join_street(street, number) == (stored or None)


def test_postal_address_has_four_parts_and_blanks_for_what_is_missing():
    village = SimpleNamespace(name="Glinne")
    full = SimpleNamespace(address_1="ul. Leśna 12/3", postal_code="21-407", city="Wojcieszków", village=village)
    assert postal_address(full) == "ul. Leśna 12/3, 21-407 Wojcieszków"
    # Registered at the desk before the address was asked for: the village only.
    village_only = SimpleNamespace(address_1=None, postal_code=None, city=None, village=village)
    assert postal_address(village_only) == f"{BLANK} {BLANK}, {BLANK} Glinne"
    no_number = SimpleNamespace(address_1="Glinne", postal_code="21-407", city=None, village=village)
    assert postal_address(no_number) == f"Glinne {BLANK}, 21-407 Glinne"


def test_the_plan_prints_the_whole_address_never_the_village_alone(app):
    from portal.plans.printing import _address

    village = SimpleNamespace(name="Glinne")
    assert _address(SimpleNamespace(address_1=None, postal_code=None, city=None, village=village)) != "Glinne"
    assert _address(SimpleNamespace(address_1="Glinne 45", postal_code="21-407", city="Wojcieszków",
                                    village=village)) == "Glinne 45, 21-407 Wojcieszków"


@pytest.mark.parametrize("typed, first, last", [
    ("Kowalska Janina", "Janina", "Kowalska"),  # the register's order: last name first
    ("Janina Kowalska", "Janina", "Kowalska"),  # the register knows Janina as a first name
    ("kowalska janina", "Janina", "Kowalska"),
    ("KOWALSKA-NOWAK ANNA", "Anna", "Kowalska-Nowak"),
    ("Zielińska Maria Anna", "Maria Anna", "Zielińska"),
    ("Zielińska", "", "Zielińska"),  # one word: a surname
    ("Janina", "Janina", ""),  # unless the register knows it as a first name
    ("Nowicka Ewa", "Ewa", "Nowicka"),  # nothing known: the register's order
    ("McKenzie Ewa", "Ewa", "McKenzie"),
    ("601 234 567", "", ""),
    ("07.03.1950", "", ""),
    ("", "", ""),
])
def test_split_name_follows_the_register(app, make_person, desk_user, typed, first, last):
    from portal.extensions import db
    from portal.residents.services import split_name

    make_person("Janina", "Kowalska")
    make_person("Janina", "Wiśniewska")
    make_person("Adam", "Kowalski")
    assert split_name(db.session, typed, actor=desk_user) == (first, last)


def test_split_name_counts_only_people_the_user_may_see(app, make_person, make_user):
    """The order chosen must not tell a coordinator that someone of that name is a client."""
    from portal.extensions import db
    from portal.residents.services import split_name

    make_person("Janina", "Brzęczyszczykiewicz")
    coordinator = make_user("coordinator", "koord-ola", "Ola Koordynator")
    assert split_name(db.session, "Janina Brzęczyszczykiewicz", actor=coordinator) == (
        "Brzęczyszczykiewicz", "Janina")  # as for a name nobody has


# --- the register's forms ---------------------------------------------------------------------------

@pytest.fixture
def desk(client, auth):
    auth.login("front_desk")
    return auth


def stored(resident_id):
    from portal.extensions import db
    from portal.residents.models import Resident

    db.session.expire_all()
    return db.session.get(Resident, resident_id)


def test_new_person_gives_street_and_house_number(client, desk):
    from portal.extensions import db
    from portal.residents.models import Resident

    page = client.get("/residents/new").text
    assert 'name="street"' in page and 'name="house_number"' in page and 'name="address_1"' not in page
    missing = desk.post("/residents/new", new_person(pesel="44051401359", street="ul. Leśna", house_number=""))
    assert missing.status_code == 422 and "Podaj numer domu, np. 12 albo 12/3." in missing.text
    assert Page(missing.text).values["street"] == "ul. Leśna"
    alone = desk.post("/residents/new", new_person(pesel="44051401359", street="", house_number="12"))
    assert alone.status_code == 422 and "Podaj ulicę albo miejscowość, do której należy numer." in alone.text
    saved = desk.post("/residents/new", new_person(pesel="44051401359", street=" ul.  Leśna ", house_number="12/3"))
    assert saved.status_code == 303
    person = db.session.scalar(db.select(Resident).where(Resident.pesel == "44051401359"))
    assert (person.address_1, person.postal_code, person.city) == ("ul. Leśna 12/3", "21-407", "Wojcieszków")


def test_edit_shows_the_parts_and_keeps_an_address_without_a_number(client, desk, make_person):
    legacy = make_person("Ewa", "Stara", address_1="Glinne", phone="601234567")
    form = Page(client.get(f"/residents/{legacy.id}/edit").text).values
    assert (form["street"], form["house_number"]) == ("Glinne", "")
    # Changing the phone is not blocked by the number the old record never had.
    data = {**{k: v for k, v in form.items() if k != "csrf_token"}, "phone": "602 000 000"}
    assert desk.post(f"/residents/{legacy.id}/edit", data).status_code == 303
    assert stored(legacy.id).address_1 == "Glinne" and stored(legacy.id).phone == "+48602000000"
    changed = desk.post(f"/residents/{legacy.id}/edit", {**data, "street": "Glinne Małe",
                                                          "version": str(stored(legacy.id).version)})
    assert changed.status_code == 422 and "Podaj numer domu" in changed.text
    numbered = desk.post(f"/residents/{legacy.id}/edit", {**data, "house_number": "45",
                                                           "version": str(stored(legacy.id).version)})
    assert numbered.status_code == 303 and stored(legacy.id).address_1 == "Glinne 45"


def test_register_search_offers_a_new_person_with_the_typed_name_by_post(client, desk, make_person):
    make_person("Janina", "Kowalska")
    html = desk.post("/residents/", {"q": "Janina Zielińska"}).text
    assert "Nie znaleziono — dodaj nową osobę: Janina Zielińska" in html
    assert 'name="name" value="Janina Zielińska"' in html  # a hidden field of a POST form, never a URL
    assert all("Zieli" not in url for url in Page(html).urls)
    new = desk.post("/residents/new", {"prefill": "1", "name": "Janina Zielińska"})
    assert new.status_code == 200
    values = Page(new.text).values
    assert (values["first_name"], values["last_name"]) == ("Janina", "Zielińska")
    assert "dodaj nową osobę:" not in desk.post("/residents/", {"q": "601 234 567"}).text.lower()

