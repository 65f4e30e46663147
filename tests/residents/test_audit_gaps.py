"""The audit gaps the security review found: a person shown in search
results, on the desk's person card (htmx and without JavaScript) and on the
merge page is recorded in that person's access trail, which the director
reads (GDPR art. 15); a PESEL search for someone the user may not see
answers "not found" and is recorded too."""
import re

import pytest

from tests.desk.test_desk_views import NEW, form, hx
from tests.residents.test_residents_services import (  # noqa: F401  (fixtures)
    VALID,
    assign,
    director,
    events_of,
    make_person,
)


@pytest.fixture
def jan(make_person, make_village):
    return make_person("Jan", "Kowalski", pesel=VALID, phone="601 234 567", village_id=make_village("Bęczków").id)


def test_register_search_results_are_in_each_persons_trail(client, auth, jan, make_person):
    other = make_person("Janusz", "Kowalewski")
    user = auth.login("front_desk")
    page = auth.post("/residents/", {"q": "kowal"})
    assert "Kowalski" in page.text and "Kowalewski" in page.text
    for person in (jan, other):
        [event] = events_of(person, "search")
        assert event.actor_id == user.id and event.reason == "register"


def test_the_trail_names_search_results_in_words(client, auth, jan):
    auth.login("front_desk")
    auth.post("/residents/", {"q": "kowal"})
    auth.logout()
    auth.login("director")
    trail = client.get(f"/residents/{jan.id}/access-report").text
    assert "Wynik wyszukiwania" in trail and "Wyszukiwanie w rejestrze osób" in trail
    assert ">search<" not in trail and ">register<" not in trail


def test_desk_person_results_and_card_are_recorded(client, auth, jan):
    user = auth.login("front_desk")
    results = client.post(NEW, data=form(auth.token, q="kowal"), headers=hx("person-results"))
    assert "Jan Kowalski" in results.text
    [listed] = events_of(jan, "search")
    assert listed.reason == "desk" and listed.actor_id == user.id
    card = client.post(NEW, data=form(auth.token, pick_resident=str(jan.id)), headers=hx("person"))
    assert "601 234 567" in card.text
    [viewed] = events_of(jan, "view")
    assert viewed.reason == "desk" and viewed.actor_id == user.id


def test_desk_card_without_javascript_is_recorded(client, auth, jan):
    auth.login("front_desk")
    page = client.post(NEW, data=form(auth.token, pick_resident=str(jan.id)))
    assert "601 234 567" in page.text
    assert [e.reason for e in events_of(jan, "view")] == ["desk"]


def test_merge_page_records_the_record_and_its_suggestions(client, auth, jan, make_person):
    twin = make_person("Jan", "Kowalski", birth_date=jan.birth_date)
    user = auth.login("director")
    page = client.get(f"/residents/{jan.id}/merge")
    assert page.status_code == 200 and "Kowalski" in page.text
    assert [(e.reason, e.actor_id) for e in events_of(jan, "view")] == [("merge", user.id)]
    assert [e.reason for e in events_of(twin, "search")] == ["merge"]
    found = auth.post(f"/residents/{jan.id}/merge", {"action": "search", "q": "Kowalski"})
    assert found.status_code == 200
    assert [e.reason for e in events_of(twin, "search")] == ["merge", "merge"]


def test_a_pesel_search_for_someone_hidden_says_not_found_and_is_recorded(client, auth, jan, make_user):
    coordinator = make_user("coordinator", "obca-koordynatorka")
    auth.login("coordinator", username=coordinator.username)
    hidden = auth.post("/residents/pesel", {"pesel": VALID})
    nobody = auth.post("/residents/pesel", {"pesel": "02211307589"})
    assert hidden.status_code == nobody.status_code == 200
    assert "Kowalski" not in hidden.text
    # The signed CSRF token carries a timestamp: two pages a second apart differ there only.
    strip = lambda html: re.sub(r'(X-CSRFToken": "|csrf_token"[^>]*?value=")[^"]+', r"\1T",  # noqa: E731
                                html.replace(VALID, "X").replace("02211307589", "X"))
    assert strip(hidden.text) == strip(nobody.text)
    [event] = events_of(jan, "lookup_refused")
    assert event.actor_id == coordinator.id and event.reason == "pesel"


# --- the trail costs one statement, not one per person ----------------------------------------

def _statements_of(app, call):
    """How many SQL statements `call` runs (the app's engine, every one counted)."""
    from sqlalchemy import event

    from portal.extensions import db

    count = [0]

    def seen(*_args):
        count[0] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        response = call()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return response, count[0]


@pytest.mark.parametrize("where", ["register", "desk"])
def test_listing_more_people_costs_no_more_statements(app, client, auth, make_person, make_village, where):
    """Recording each person shown must not make the page load each of them
    again (a commit expires what was loaded): ten namesakes cost what three do."""
    village = make_village("Bęczków").id
    auth.login("front_desk")

    def search(name):
        if where == "register":
            return auth.post("/residents/", {"q": name})
        return client.post(NEW, data=form(auth.token, q=name), headers=hx("person-results"))

    for name, how_many in (("Nowacki", 3), ("Wiśniewski", 10)):
        for index in range(how_many):
            make_person(f"Imię{chr(65 + index)}", name, village_id=village)
    few, few_count = _statements_of(app, lambda: search("Nowacki"))
    many, many_count = _statements_of(app, lambda: search("Wiśniewski"))
    assert few.status_code == many.status_code == 200
    assert few.text.count("Nowacki") >= 3 and many.text.count("Wiśniewski") >= 10
    assert many_count == few_count
