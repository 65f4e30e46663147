"""Polish alphabetical order in every list and dropdown (portal/text.py):
Bęczków before Bożniewice, Lipa before Łóżko, Sucha before Świderki —
read from the pages as their users see them, on both databases."""
import re
from datetime import date

import pytest

from portal.auth.models import Role

NAMES = ["Świderki", "Łóżko", "Bożniewice", "Sucha", "Lipa", "Bęczków"]
POLISH = ["Bęczków", "Bożniewice", "Lipa", "Łóżko", "Sucha", "Świderki"]


def test_the_sort_key_gives_the_dictionary_order():
    from portal.catalogue.search import polish_sort_key as reexported
    from portal.text import polish_sort_key

    assert sorted(NAMES, key=polish_sort_key) == POLISH
    assert reexported is polish_sort_key
    assert sorted(["Klubowa", "Klub Seniora", "Łąka", "Lżejsza", "łata"], key=polish_sort_key) == [
        "Klub Seniora", "Klubowa", "Lżejsza", "łata", "Łąka"]
    assert sorted(["Żabno", "Zwola", "Źródła", "Zabłocie"], key=polish_sort_key) == [
        "Zabłocie", "Zwola", "Źródła", "Żabno"]


def test_the_sql_order_is_the_same_rule(app):
    from portal.catalogue.models import Village
    from portal.extensions import db
    from portal.text import polish_order, polish_sort_key

    words = NAMES + ["Klubowa", "Klub Seniora", "ŁĄKA", "Lżejsza", "Żabno", "Zwola", "Źródła", "Zabłocie"]
    db.session.add_all(Village(name=w, slug=f"v{i}") for i, w in enumerate(words))
    db.session.commit()
    ordered = db.session.scalars(db.select(Village.name).order_by(polish_order(Village.name))).all()
    assert ordered == sorted(words, key=polish_sort_key)
    assert ordered.index("Lżejsza") < ordered.index("ŁĄKA")  # capitals too (SQLite's lower() knows ASCII only)


def shown(html, names=POLISH):
    """The names in the order the page shows them (first appearance)."""
    found = sorted((html.find(n), n) for n in names)
    assert all(pos >= 0 for pos, _ in found), [n for pos, n in found if pos < 0]
    return [n for _pos, n in found]


def select_html(html, field_id):
    return re.search(rf'<select[^>]*id="{field_id}"[^>]*>(.*?)</select>', html, re.S).group(1)


def main_html(html):
    return html[html.index('<main'):]


@pytest.fixture
def villages(app, make_village):
    return [make_village(name) for name in NAMES]


def test_villages_in_every_list_and_dropdown(client, auth, villages):
    auth.login(Role.SERVICES_ORGANISER)
    assert shown(main_html(client.get("/manage/villages").text)) == POLISH
    auth.logout()
    auth.login(Role.FRONT_DESK)
    assert shown(select_html(client.get("/residents/new").text, "village_id")) == POLISH
    auth.logout()
    auth.login(Role.DIRECTOR)
    assert shown(main_html(client.get("/staff/village-coordinators").text)) == POLISH
    # The public calendar's village filter.
    assert shown(select_html(client.get("/events").text, "village")) == POLISH


def test_services_in_every_list_and_dropdown(client, auth, make_service, make_provider):
    from portal.catalogue.models import Place
    from portal.extensions import db

    provider = make_provider()
    for name in NAMES:
        make_service(name, provider=provider)
        db.session.add(Place(name=f"Świetlica {name}"))
        make_provider(name=f"Fundacja {name}", slug=f"fundacja-{len(name)}-{name[:2].lower()}")
    db.session.commit()
    auth.login(Role.SERVICES_ORGANISER)
    assert shown(main_html(client.get("/manage/services").text)) == POLISH
    assert shown(main_html(client.get("/manage/providers").text), [f"Fundacja {n}" for n in POLISH]) == \
        [f"Fundacja {n}" for n in POLISH]
    assert shown(main_html(client.get("/manage/places").text), [f"Świetlica {n}" for n in POLISH]) == \
        [f"Świetlica {n}" for n in POLISH]
    auth.logout()
    auth.login(Role.COMMUNITY_ORGANISER)
    kiosk = client.get("/staff/kiosk/new").text
    assert shown(main_html(kiosk)) == POLISH  # the services a screen may show
    auth.logout()
    auth.login(Role.FRONT_DESK)
    # The public catalogue with no query lists every service by name.
    assert shown(main_html(client.get("/services").text)) == POLISH


# Surnames whose folded form (the search index's "labedzka", "sliwa") sorts otherwise.
PEOPLE = ["Śliwa", "Łabędzka", "Bożniewicz", "Sowa", "Lis", "Bęczkowska"]
PEOPLE_POLISH = ["Bęczkowska", "Bożniewicz", "Lis", "Łabędzka", "Sowa", "Śliwa"]


def test_people_in_search_results_and_the_coordinators_cases(client, auth, make_user):
    from portal.catalogue.search import fold
    from portal.desk.models import Request
    from portal.extensions import db
    from portal.residents.models import Resident

    coordinator = make_user(Role.COORDINATOR, "koordynator-pl")
    for name in PEOPLE:
        person = Resident(first_name="Anna", last_name=name, search_first="anna", search_last=fold(name),
                          birth_date=date(1950, 3, 3))
        db.session.add_all([person, Request(channel="phone", kind="application", status="assigned",
                                            resident=person, coordinator_id=coordinator.id)])
    db.session.commit()
    auth.login(Role.FRONT_DESK)
    found = auth.post("/residents/", {"q": "03.03.1950"}).text
    assert shown(main_html(found), PEOPLE) == PEOPLE_POLISH
    auth.logout()
    auth.login(Role.COORDINATOR, "koordynator-pl")
    assert shown(main_html(client.get("/cases/?sort=name").text), PEOPLE) == PEOPLE_POLISH
    assert shown(main_html(client.get("/cases/?sort=name&dir=desc").text), PEOPLE) == PEOPLE_POLISH[::-1]
