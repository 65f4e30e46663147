"""The registration screen, a request's page, the status and assignment
actions, the board and its polling, the handout print view, and who may use
each of them."""
import re
from datetime import date, datetime

import pytest

from portal.timeutil import WARSAW
from tests.desk.test_desk_services import (  # noqa: F401  (fixtures)
    coordinator,
    make_resident,
    register,
)
from tests.helpers import assert_in

NEW = "/desk/requests/new"
HX = {"HX-Request": "true"}


def hx(target):
    return {**HX, "HX-Target": target}


def form(token, **fields):
    data = {"csrf_token": token, "channel": "phone", "applicant": "self", "kind": "information",
            "urgency": "normal", "action": "save"}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def desk(auth):
    auth.login("front_desk")
    return auth


@pytest.fixture
def kowalska(make_resident, make_village):
    return make_resident("Janina", "Kowalska", village=make_village("Bęczków"), phone="+48601234567")


def requests_in_db():
    from portal.desk.models import Request
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalars(db.select(Request).order_by(Request.id)).all()


def value_of(html, name):
    match = re.search(r'name="%s"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="%s"' % (name, name), html)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


# --- the registration screen -------------------------------------------------------------

def test_new_form_defaults(client, desk):
    page = client.get(NEW)
    assert page.status_code == 200
    html = page.text
    assert re.search(r'<input type="search" id="q"[^>]*autofocus', html, re.S)
    assert_in(html, 'id="channel-phone" name="channel" value="phone" checked',
              'id="applicant-self" name="applicant" value="self" checked',
              'id="kind-information" name="kind" value="information" checked',
              'id="urgency-normal" name="urgency" value="normal" checked', "Termin na plan: 30 dni",
              'src="/static/js/desk.js" defer')
    # The form's first submit button is the Enter default; the visible Save comes last.
    buttons = re.findall(r'<button type="submit" name="action" value="(\w+)"', html)
    assert buttons[0] == "enter" and buttons[-1] == "save"


def test_last_channel_is_remembered(client, desk):
    response = client.post(NEW, data=form(desk.token, channel="in_person", question="Godziny otwarcia?",
                                          answer="8–16"))
    assert response.status_code == 303
    assert 'id="channel-in_person" name="channel" value="in_person" checked' in client.get(NEW).text


def test_person_search_fragment(client, desk, kowalska, make_resident):
    make_resident("Jan", "Nowak")
    response = client.post(NEW, data=form(desk.token, q="kowal"), headers=hx("person-results"))
    assert response.status_code == 200
    assert "<html" not in response.text and response.text.lstrip().startswith('<div id="person-results"')
    assert "Janina Kowalska" in response.text and "Nowak" not in response.text
    assert f'name="pick_resident" value="{kowalska.id}"' in response.text
    assert "ur. 1950" in response.text and "Bęczków" in response.text
    assert "Vary" in response.headers and "HX-Target" in response.headers["Vary"]
    assert requests_in_db() == []


def test_person_search_nobody_offers_the_new_person_form(client, desk):
    response = client.post(NEW, data=form(desk.token, q="44051401359"), headers=hx("person-results"))
    assert "Nie znaleziono — dodaj nową osobę" in response.text
    assert '<details class="new-person" open>' in response.text
    assert value_of(response.text, "new_pesel") == "44051401359"  # carried over from the search


def test_pick_fragment_shows_the_card_and_tells_the_other_regions(client, desk, kowalska):
    response = client.post(NEW, data=form(desk.token, q="kowal", pick_resident=str(kowalska.id)),
                           headers=hx("person"))
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<section id="person"')
    assert f'name="resident_id" value="{kowalska.id}"' in html
    assert "Janina Kowalska" in html and "601 234 567" in html and "zmień" in html
    assert 'name="q"' not in html
    assert response.headers["HX-Trigger-After-Settle"] == "desk:person-changed"
    assert 'data-focus="input[name=&#34;kind&#34;]:checked"' in html or "data-focus=" in html


def test_service_search_says_when_only_part_of_the_words_matched(client, desk, make_service):
    """The desk's service search gives the catalogue's partial matches with
    the same honest note, so the receptionist knows which word found nothing."""
    make_service("Klub Seniora w Bęczkowie")
    found = client.post(NEW, data=form(desk.token, service_q="klub szachowy"), headers=hx("service-results"))
    text = " ".join(re.sub(r"<[^>]+>", " ", found.text).split())
    assert "Klub Seniora w Bęczkowie" in text
    assert "Żadna usługa nie pasuje do wszystkich słów. Słowo „szachowy” nie pasuje do żadnej usługi." in text
    whole = client.post(NEW, data=form(desk.token, service_q="klub seniora"), headers=hx("service-results"))
    assert "Klub Seniora w Bęczkowie" in whole.text and "nie pasuje" not in whole.text


def test_change_person_fragment_returns_the_search(client, desk, kowalska):
    response = client.post(NEW, data=form(desk.token, resident_id=str(kowalska.id), action="change_person"),
                           headers=hx("person"))
    assert 'name="q"' in response.text and 'name="resident_id" value=""' in response.text


def test_service_search_and_add_fragments(client, desk, kowalska, make_service):
    club = make_service("Klub Seniora w Bęczkowie", minimum_age=60)
    youth = make_service("Świetlica dla młodzieży", maximum_age=18)
    found = client.post(NEW, data=form(desk.token, service_q="swietlica"), headers=hx("service-results"))
    assert "Świetlica dla młodzieży" in found.text and "Klub Seniora" not in found.text
    assert f'name="add_service" value="{youth.id}"' in found.text
    added = client.post(NEW, data=form(desk.token, resident_id=str(kowalska.id), service_ids=[str(club.id)],
                                       add_service=str(youth.id)), headers=hx("picked"))
    html = added.text
    assert html.lstrip().startswith('<div id="picked"')
    assert f'name="service_ids" value="{club.id}" checked' in html
    assert f'name="service_ids" value="{youth.id}" checked' in html
    assert "a usługa jest do 18 lat" in html  # the eligibility hint next to the service
    assert f"/desk/handout?service={club.id}&amp;service={youth.id}" in html
    # The server empties the service search for the next one (out-of-band): the page's script need not.
    assert re.search(r'<input type="search" id="service_q" name="service_q" value=""[^>]*data-hx-swap-oob="true"', html)
    assert re.search(r'<div id="service-results" data-query="" data-hx-swap-oob="true" '
                     r'data-focus="#service_q">\s*</div>', html)
    # A refresh of the region that adds nothing (the person changed) leaves the search alone.
    refreshed = client.post(NEW, data=form(desk.token, resident_id=str(kowalska.id), service_ids=[str(club.id)],
                                           service_q="swietlica"), headers=hx("picked"))
    assert "data-hx-swap-oob" not in refreshed.text


def test_coordinator_region_follows_the_village_rule(client, desk, kowalska, coordinator):
    from portal.desk.models import VillageCoordinator
    from portal.extensions import db

    db.session.add(VillageCoordinator(village_id=kowalska.village_id, user_id=coordinator.id))
    db.session.commit()
    response = client.post(NEW, data=form(desk.token, resident_id=str(kowalska.id)), headers=hx("coordinator-field"))
    assert f'<option selected value="{coordinator.id}">' in response.text


def test_without_javascript_enter_searches_then_picks_then_saves(client, desk, kowalska, coordinator):
    """The same steps as full pages: the default (Enter) button searches while
    the search box is filled; Wybierz picks; Enter then saves."""
    from portal.desk.models import VillageCoordinator
    from portal.extensions import db

    db.session.add(VillageCoordinator(village_id=kowalska.village_id, user_id=coordinator.id))
    db.session.commit()
    found = client.post(NEW, data=form(desk.token, q="Kowalska", action="enter", question="Co z opieką?"))
    assert found.status_code == 200
    assert "Janina Kowalska" in found.text and value_of(found.text, "question") == "Co z opieką?"
    picked = client.post(NEW, data=form(desk.token, q="Kowalska", pick_resident=str(kowalska.id),
                                        question="Co z opieką?", kind="application"))
    assert picked.status_code == 200
    assert f'name="resident_id" value="{kowalska.id}"' in picked.text
    assert re.search(r'id="kind-application"[^>]*checked autofocus', picked.text)
    assert f'<option selected value="{coordinator.id}">' in picked.text  # village rule
    saved = client.post(NEW, data=form(desk.token, resident_id=str(kowalska.id), kind="application",
                                       needs_description="Pomoc przy zakupach.", coordinator_id=str(coordinator.id),
                                       action="enter"))
    assert saved.status_code == 303
    [item] = requests_in_db()
    assert (item.kind, item.status, item.resident_id, item.coordinator_id) == (
        "application", "assigned", kowalska.id, coordinator.id)


def test_without_javascript_add_service(client, desk, make_service):
    club = make_service("Klub Seniora")
    found = client.post(NEW, data=form(desk.token, service_q="klub", action="enter", question="?"))
    assert f'name="add_service" value="{club.id}"' in found.text
    added = client.post(NEW, data=form(desk.token, service_q="klub", add_service=str(club.id), question="?"))
    assert f'name="service_ids" value="{club.id}" checked' in added.text
    assert value_of(added.text, "service_q") == ""
    assert requests_in_db() == []


def test_save_information_goes_back_to_a_fresh_form(client, desk, kowalska, make_service):
    club = make_service("Klub Seniora")
    response = client.post(NEW, data=form(desk.token, resident_id=str(kowalska.id), question="Gdzie jest klub?",
                                          answer="W świetlicy w Bęczkowie.", service_ids=[str(club.id)]))
    assert response.status_code == 303 and response.headers["Location"].endswith(NEW)
    [item] = requests_in_db()
    assert item.status == "closed_information" and [s.id for s in item.services] == [club.id]
    page = client.get(NEW).text
    assert f"Zapisano zgłoszenie {item.number}." in page
    assert f'href="/desk/requests/{item.id}">{item.number}</a>' in page
    assert re.search(r'id="q"[^>]*autofocus', page, re.S)


@pytest.mark.parametrize("channel", ["in_person", "phone", "email", "letter", "web_form"])
@pytest.mark.parametrize("applicant", ["self", "legal_representative", "de_facto_carer"])
def test_save_application_every_channel_and_applicant(client, desk, kowalska, channel, applicant):
    response = client.post(NEW, data=form(desk.token, resident_id=str(kowalska.id), kind="application",
                                          channel=channel, applicant=applicant, urgency="urgent",
                                          needs_description="Nie daję rady sama."))
    assert response.status_code == 303
    [item] = requests_in_db()
    assert (item.channel, item.applicant, item.kind, item.status, item.urgency) == (
        channel, applicant, "application", "new", "urgent")


def test_save_application_with_a_new_person(client, desk, make_village):
    from portal.extensions import db
    from portal.residents.models import Resident

    village = make_village("Burzec")
    response = client.post(NEW, data=form(desk.token, q="Zielińska", kind="application",
                                          new_first_name="Maria", new_last_name="Zielińska",
                                          new_pesel="44051401359", new_phone="601 234 568",
                                          new_village_id=str(village.id), needs_description="Opieka."))
    assert response.status_code == 303, response.text
    person = db.session.scalar(db.select(Resident).filter_by(last_name="Zielińska"))
    assert person.pesel == "44051401359" and person.village_id == village.id
    [item] = requests_in_db()
    assert item.resident_id == person.id


def test_the_searched_name_fills_the_new_person_and_the_address_has_its_parts(client, desk, kowalska,
                                                                             make_village):
    """Issue 10, section 2: the name typed into "Szukaj osoby" fills first and
    last name (the register's order, "Kowalska Janina", unless the register
    knows better); the address has a street and a house number."""
    from portal.extensions import db
    from portal.residents.models import Resident

    nobody = client.post(NEW, data=form(desk.token, q="zielińska maria"), headers=hx("person-results"))
    assert '<details class="new-person" open>' in nobody.text
    assert (value_of(nobody.text, "new_first_name"), value_of(nobody.text, "new_last_name")) == ("Maria", "Zielińska")
    assert 'name="new_street"' in nobody.text and 'name="new_house_number"' in nobody.text
    # "Janina" is a first name in the register: the reverse order is read as such.
    reverse = client.post(NEW, data=form(desk.token, q="Janina Zielińska"), headers=hx("person-results"))
    assert (value_of(reverse.text, "new_first_name"), value_of(reverse.text, "new_last_name")) == (
        "Janina", "Zielińska")
    # People found: the form stays folded, already filled, for "Nikt z listy".
    found = client.post(NEW, data=form(desk.token, q="Kowalska"), headers=hx("person-results"))
    assert "Janina Kowalska" in found.text and '<details class="new-person">' in found.text
    assert "Nikt z listy — dodaj nową osobę" in found.text and value_of(found.text, "new_last_name") == "Kowalska"
    # Names the receptionist typed themselves are never overwritten by the search.
    typed = client.post(NEW, data=form(desk.token, q="Nowak", new_first_name="Ewa", new_last_name="Kowal",
                                       new_prefill="Nowak|"), headers=hx("person-results"))
    assert (value_of(typed.text, "new_first_name"), value_of(typed.text, "new_last_name")) == ("Ewa", "Kowal")

    village = make_village("Glinne")
    no_number = client.post(NEW, data=form(desk.token, q="Zielińska Maria", kind="application",
                                           new_first_name="Maria", new_last_name="Zielińska",
                                           new_prefill="Maria|Zielińska", new_pesel="44051401359",
                                           new_street="Glinne", new_village_id=str(village.id),
                                           needs_description="Opieka."))
    assert no_number.status_code == 422 and "Podaj numer domu, np. 12 albo 12/3." in no_number.text
    assert value_of(no_number.text, "new_street") == "Glinne"
    saved = client.post(NEW, data=form(desk.token, q="Zielińska Maria", kind="application",
                                       new_first_name="Maria", new_last_name="Zielińska",
                                       new_prefill="Maria|Zielińska", new_pesel="44051401359",
                                       new_street="Glinne", new_house_number="45", new_postal_code="21407",
                                       new_city="Wojcieszków", new_village_id=str(village.id),
                                       needs_description="Opieka."))
    assert saved.status_code == 303, saved.text
    person = db.session.scalar(db.select(Resident).filter_by(pesel="44051401359"))
    assert (person.first_name, person.last_name) == ("Maria", "Zielińska")
    assert (person.address_1, person.postal_code, person.city, person.village_id) == (
        "Glinne 45", "21-407", "Wojcieszków", village.id)


def test_names_left_as_the_search_filled_them_are_no_new_person(client, desk):
    """A name searched, nobody found, and the call was only a question: the
    question saves without a person, and Enter in the search box searches."""
    again = client.post(NEW, data=form(desk.token, q="Zielińska M", action="enter", new_first_name="",
                                       new_last_name="Zielińska", new_prefill="|Zielińska"))
    assert again.status_code == 200 and value_of(again.text, "new_first_name") == "M"  # searched again
    saved = client.post(NEW, data=form(desk.token, q="Zielińska", question="Godziny otwarcia?", answer="8–16",
                                       new_last_name="Zielińska", new_prefill="|Zielińska"))
    assert saved.status_code == 303
    [item] = requests_in_db()
    assert item.resident_id is None
    # An application with those names asks for the rest of the person.
    application = client.post(NEW, data=form(desk.token, q="Zielińska", kind="application",
                                             needs_description="Opieka.", new_last_name="Zielińska",
                                             new_prefill="|Zielińska"))
    assert application.status_code == 422 and "Podaj PESEL albo datę urodzenia." in application.text
    assert "Podaj imię." in application.text


def test_namesakes_are_told_apart_and_marked(client, desk, kowalska, make_resident, make_village):
    twin = make_resident("Janina", "Kowalska", birth_date=date(1961, 5, 2), village=make_village("Glinne"),
                         address_1="Glinne 45")
    make_resident("Jan", "Kowalski")
    html = client.post(NEW, data=form(desk.token, q="Kowalsk"), headers=hx("person-results")).text
    assert "Kilka osób o tym samym imieniu i nazwisku." in html
    assert "Janina Kowalska, ur. 1950, Bęczków" in html and "Janina Kowalska, ur. 1961, Glinne, Glinne 45" in html
    assert re.search(rf'value="{kowalska.id}"[^>]*data-namesake', html)
    assert re.search(rf'value="{twin.id}"[^>]*data-namesake', html)
    assert "Jan Kowalski" in html
    assert not re.search(r'data-namesake[^>]*>Wybierz<span class="visually-hidden">: Jan Kowalski,', html)
    alone = client.post(NEW, data=form(desk.token, q="Kowalski"), headers=hx("person-results")).text
    assert "data-namesake" not in alone and "Kilka osób" not in alone


def test_invalid_form_keeps_everything_and_answers_422(client, desk):
    response = client.post(NEW, data=form(desk.token, kind="application", question="Pytanie <b>x</b>",
                                          answer="Odpowiedź", routed_note="notatka", new_first_name="Ewa",
                                          new_pesel="44051401358", q="Ewa"))
    assert response.status_code == 422
    html = response.text
    assert_in(html, "Opisz potrzeby słowami osoby.", "Podaj nazwisko.", "Nieprawidłowa cyfra kontrolna PESEL",
              "Wybierz, dokąd przekazano sprawę.")
    assert value_of(html, "question") == "Pytanie &lt;b&gt;x&lt;/b&gt;"
    assert value_of(html, "new_pesel") == "44051401358" and value_of(html, "q") == "Ewa"
    assert 'id="kind-application" name="kind" value="application" checked' in html
    assert 'id="error-summary"' in html
    assert requests_in_db() == []


def test_information_needs_a_question(client, desk):
    response = client.post(NEW, data=form(desk.token, answer="x"))
    assert response.status_code == 422 and "Wpisz, o co pyta osoba." in response.text


def test_duplicate_pesel_picks_the_existing_person(client, desk, kowalska):
    from portal.extensions import db

    kowalska.pesel = "44051401359"
    db.session.commit()
    response = client.post(NEW, data=form(desk.token, kind="application", new_first_name="Janina",
                                          new_last_name="Kowalska", new_pesel="44051401359",
                                          needs_description="x"))
    assert response.status_code == 422
    assert "jest już w rejestrze" in response.text
    assert f'name="resident_id" value="{kowalska.id}"' in response.text
    assert requests_in_db() == []


def test_a_known_pesel_leads_to_the_person_before_any_namesake_question(client, desk, make_resident):
    """The same person typed in full (name, PESEL, so the same birth date):
    the PESEL answers first; no "is this the same person?", no "add as new"."""
    from datetime import date

    from portal.extensions import db

    ewa = make_resident("Ewa", "Nowak", birth_date=date(2002, 1, 13), pesel="02211307589")
    db.session.commit()
    response = client.post(NEW, data=form(desk.token, kind="application", new_first_name="Ewa",
                                          new_last_name="Nowak", new_pesel="02211307589", needs_description="x"))
    assert response.status_code == 422
    html = response.text
    assert "Czy to ta sama osoba?" not in html and "dodaj ją jako nową" not in html
    assert "imieniu, nazwisku i dacie urodzenia" not in html
    assert "Osoba z tym numerem PESEL jest już w rejestrze" in html
    assert f'name="resident_id" value="{ewa.id}"' in html
    assert re.search(rf'<a href="/residents/{ewa.id}"[^>]*>Otwórz kartę osoby', html)
    assert requests_in_db() == []


def test_a_known_pesel_of_a_hidden_person_gets_the_neutral_answer_first(client, auth, make_resident, coordinator):
    from datetime import date

    from portal.audit.models import AuditEvent
    from portal.extensions import db

    ewa = make_resident("Ewa", "Nowak", birth_date=date(2002, 1, 13), pesel="02211307589")
    auth.login("coordinator", username=coordinator.username)
    response = client.post(NEW, data=form(auth.token, kind="application", new_first_name="Ewa",
                                          new_last_name="Nowak", new_pesel="02211307589", needs_description="x"))
    assert response.status_code == 422
    assert NEUTRAL in response.text and "Otwórz kartę osoby" not in response.text
    assert "w rejestrze" not in response.text.lower()
    trail = db.session.scalars(db.select(AuditEvent).filter_by(object_type="resident", object_id=ewa.id,
                                                               action="lookup_refused")).all()
    assert [e.reason for e in trail] == ["pesel"]
    assert requests_in_db() == []


def test_possible_duplicate_asks_first(client, desk, kowalska):
    data = form(desk.token, kind="application", new_first_name="Janina", new_last_name="Kowalska",
                new_birth_date="07.03.1950", needs_description="x")
    response = client.post(NEW, data=data)
    assert response.status_code == 422 and "Czy to ta sama osoba?" in response.text
    assert f'name="pick_resident" value="{kowalska.id}"' in response.text
    assert requests_in_db() == []
    response = client.post(NEW, data={**data, "confirm_new": "y"})
    assert response.status_code == 303
    assert requests_in_db()[0].resident_id != kowalska.id


# --- a request's page and its actions ----------------------------------------------------------

@pytest.fixture
def application(app, desk_user, kowalska, coordinator):
    return register({"kind": "application", "channel": "phone", "resident_id": kowalska.id,
                     "needs_description": "Pomoc w domu.", "coordinator_id": coordinator.id}, desk_user)


def test_request_page(client, desk, application, app):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    app.config["FIXED_NOW"] = datetime.now(WARSAW)
    page = client.get(f"/desk/requests/{application.id}")
    assert page.status_code == 200
    html = page.text
    assert f"<title>Zgłoszenie {application.number}" in html
    assert "Janina Kowalska" in html and "Jan Koordynator" in html
    assert "za 30 dni" in html
    assert "Anna Recepcyjna" in html  # who registered, in the history
    assert 'value="in_assessment"' in html and 'value="handed_to_plan"' not in html
    event = db.session.scalar(db.select(AuditEvent).filter_by(object_type="resident", action="view"))
    assert event is not None and event.object_id == application.resident_id
    assert "Kowalska" not in (event.reason or "")


def test_status_change_allowed_refused_and_stale(client, desk, application):
    version = application.version
    url = f"/desk/requests/{application.id}/status"
    refused = desk.post(url, data={"status-to_status": "handed_to_plan", "status-version": version})
    assert refused.status_code == 422 and "Tej zmiany statusu nie można wykonać." in refused.text
    done = desk.post(url, data={"status-to_status": "in_assessment", "status-version": version,
                                "status-note": "umówiona wizyta"})
    assert done.status_code == 303
    stale = desk.post(url, data={"status-to_status": "withdrawn", "status-version": version})
    assert stale.status_code == 409
    assert "Ktoś inny zmienił to zgłoszenie w międzyczasie" in stale.text
    [item] = requests_in_db()
    assert item.status == "in_assessment"
    assert item.history[-1].note == "umówiona wizyta"


def test_close_as_information(client, desk, desk_user):
    item = register({"kind": "information", "channel": "phone", "question": "Logopeda?"}, desk_user)
    response = desk.post(f"/desk/requests/{item.id}/status",
                         data={"close-to_status": "closed_information", "close-version": item.version,
                               "close-note": "Czwartki 14–16."})
    assert response.status_code == 303
    [item] = requests_in_db()
    assert item.status == "closed_information" and item.answer == "Czwartki 14–16."


def test_assign(client, desk, desk_user, kowalska, make_user):
    other = make_user("coordinator", "koord-ewa", "Ewa Druga")
    item = register({"kind": "application", "channel": "phone", "resident_id": kowalska.id,
                     "needs_description": "x"}, desk_user)
    response = desk.post(f"/desk/requests/{item.id}/assign",
                         data={"assign-coordinator_id": str(other.id), "assign-version": item.version})
    assert response.status_code == 303
    [item] = requests_in_db()
    assert item.status == "assigned" and item.coordinator_id == other.id
    bad = desk.post(f"/desk/requests/{item.id}/assign",
                    data={"assign-coordinator_id": str(desk.user("front_desk").id), "assign-version": item.version})
    assert bad.status_code == 422


def test_coordinator_sees_only_their_own(client, auth, desk_user, kowalska, coordinator):
    mine = register({"kind": "application", "channel": "phone", "resident_id": kowalska.id,
                     "needs_description": "x", "coordinator_id": coordinator.id}, desk_user)
    other = register({"kind": "application", "channel": "phone", "resident_id": kowalska.id,
                      "needs_description": "y"}, desk_user)
    auth.login("front_desk")
    everyone = client.get("/desk/").text  # the desk's board, rendered and kept for this minute
    assert mine.number in everyone and other.number in everyone
    auth.logout()
    auth.login("coordinator", username=coordinator.username)
    assert client.get(f"/desk/requests/{mine.id}").status_code == 200
    assert client.get(f"/desk/requests/{other.id}").status_code == 403
    assert auth.post(f"/desk/requests/{other.id}/status",
                     data={"status-to_status": "withdrawn", "status-version": other.version}).status_code == 403
    assert auth.post(f"/desk/requests/{mine.id}/assign", data={}).status_code == 403
    board = client.get("/desk/").text
    assert mine.number in board and other.number not in board
    ok = auth.post(f"/desk/requests/{mine.id}/status",
                   data={"status-to_status": "in_assessment", "status-version": mine.version})
    assert ok.status_code == 303


def test_unknown_request_is_404(client, desk):
    assert client.get("/desk/requests/99999").status_code == 404


# --- the board ------------------------------------------------------------------------------------

def test_board_lists_filters_and_counts(client, desk, desk_user, kowalska, coordinator):
    a = register({"kind": "application", "channel": "phone", "resident_id": kowalska.id,
                  "needs_description": "x", "coordinator_id": coordinator.id}, desk_user)
    b = register({"kind": "information", "channel": "email", "question": "?"}, desk_user)
    page = client.get("/desk/")
    assert page.status_code == 200
    assert a.number in page.text and b.number in page.text
    assert re.search(r"przydzielone</a>: <strong>1</strong>", page.text)
    assert re.search(r"nowe</a>: <strong>1</strong>", page.text)
    assert "za 30 dni" in page.text
    filtered = client.get("/desk/board?channel=email")
    assert b.number in filtered.text and a.number not in filtered.text
    by_coordinator = client.get(f"/desk/board?coordinator={coordinator.id}")
    assert a.number in by_coordinator.text and b.number not in by_coordinator.text
    assert client.get("/desk/board?status=bogus&channel=%27&coordinator=x").status_code == 200


def test_board_polling_204_until_a_colleague_registers(client, desk, make_user):
    from portal.core import versions
    from portal.extensions import db

    page = client.get("/desk/")
    version = versions.current(db.session, versions.DESK)
    assert f"/desk/board?since={version}" in page.text and 'hx-trigger="every 5s"' in page.text
    quiet = client.get(f"/desk/board?since={version}", headers=hx("board"))
    assert quiet.status_code == 204 and quiet.data == b""
    colleague = make_user("front_desk", "desk-bogdan", "Bogdan Kolega")
    item = register({"kind": "information", "channel": "phone", "question": "Nowe pytanie"}, colleague)
    fresh = client.get(f"/desk/board?since={version}", headers=hx("board"))
    assert fresh.status_code == 200
    assert fresh.text.lstrip().startswith('<section id="board"')
    assert item.number in fresh.text
    assert f"since={version + 1}" in fresh.text
    assert client.get(f"/desk/board?since={version + 1}", headers=hx("board")).status_code == 204


def test_board_pages_keep_filters_and_poll_their_page(client, desk, desk_user, monkeypatch):
    from portal.desk import services

    monkeypatch.setattr(services, "BOARD_PAGE_SIZE", 2)
    made = [register({"kind": "information", "channel": "email", "question": f"Pytanie {n}"}, desk_user)
            for n in range(3)]
    first = client.get("/desk/board?channel=email").text
    assert made[2].number in first and made[1].number in first and made[0].number not in first
    assert "Strona 1 z 2" in first
    assert 'href="/desk/board?channel=email&amp;page=2" rel="next"' in first
    second = client.get("/desk/board?channel=email&page=2").text
    assert made[0].number in second and made[2].number not in second
    assert "page=2" in re.search(r'data-hx-get="(/desk/board\?since=[^"]+)"', second).group(1)
    assert client.get("/desk/board?page=abc").status_code == 200


def test_board_without_javascript_has_refresh_and_filters(client, desk):
    html = client.get("/desk/").text
    assert 'method="get" action="/desk/board"' in html and ">Odśwież</a>" in html


def test_board_status_filter_shows_what_the_dashboard_counts(client, app, auth, desk_user):
    """Issue 10, 1.5: "zamknięte — udzielono informacji" showed 4 (today's)
    where the dashboard counted 51: the dashboard's count links to the board
    filter, which shows the same number."""
    from tests.desk.test_desk_services import freeze

    made = []
    for day in (1, 2, 3):
        freeze(app, 2026, 12, day, 10, 0)
        made.append(register({"kind": "information", "channel": "phone", "question": f"Pytanie {day}",
                              "answer": "Odpowiedź"}, desk_user))
    freeze(app, 2026, 12, 3, 12, 0)
    auth.login("front_desk")
    dashboard = client.get("/staff").text
    link = re.search(r'<a href="([^"]+)">zamknięte — udzielono informacji</a></td><td>3</td>', dashboard)
    assert link is not None, dashboard
    board = client.get(link.group(1).replace("&amp;", "&")).text
    assert "Zgłoszenia z całego rejestru · zamknięte — udzielono informacji · 3 zgłoszenia" in board
    assert all(item.number in board for item in made)
    # The working view says what it holds; its count for the status is the register's, and links there.
    working = client.get("/desk/").text
    assert "Otwarte zgłoszenia i dzisiejsze · 1 zgłoszenie" in working
    assert made[2].number in working and made[0].number not in working
    assert re.search(r'href="/desk/board\?status=closed_information">zamknięte — udzielono informacji</a>: '
                     r'<strong>3</strong>', working)


def test_board_date_range_says_which_period_it_shows(client, app, auth, desk_user):
    from tests.desk.test_desk_services import freeze

    freeze(app, 2026, 11, 30, 10, 0)
    november = register({"kind": "information", "channel": "phone", "question": "?", "answer": "!"}, desk_user)
    freeze(app, 2026, 12, 1, 0, 30)  # 23:30 UTC on 30 November, 1 December in Warsaw
    december = register({"kind": "information", "channel": "email", "question": "?", "answer": "!"}, desk_user)
    freeze(app, 2027, 1, 5, 12, 0)
    auth.login("front_desk")
    html = client.get("/desk/board?from=2026-12-01&to=2026-12-31").text
    assert "Zgłoszenia od 1 do 31 grudnia 2026 · 1 zgłoszenie" in html
    assert december.number in html and november.number not in html
    assert 'name="from" value="2026-12-01"' in html and 'name="to" value="2026-12-31"' in html
    # The links of the counts and the pages keep the period.
    assert "/desk/board?from=2026-12-01&amp;to=2026-12-31&amp;status=closed_information" in html
    assert "Zgłoszenia od 30 listopada do 31 grudnia 2026 · 2 zgłoszenia" in client.get(
        "/desk/board?from=30.11.2026&to=2026-12-31").text
    assert "Zgłoszenia od 30 listopada 2026 do 5 stycznia 2027" in client.get(
        "/desk/board?from=2027-01-05&to=2026-11-30").text  # given the wrong way round: read in order
    assert "Zgłoszenia z 1 grudnia 2026 · 1 zgłoszenie" in client.get(
        "/desk/board?from=2026-12-01&to=2026-12-01&channel=email").text
    assert "Zgłoszenia do 30 listopada 2026 · 1 zgłoszenie" in client.get("/desk/board?to=2026-11-30").text
    for junk in ("31.02.2026", "abc", "99999-01-01", "0001-01-01", "2026-13-01", "1" * 30):
        page = client.get(f"/desk/board?from={junk}")
        assert page.status_code == 200, junk
        assert "Nie rozpoznano wpisanej daty" in page.text, junk


def test_board_poll_answers_when_the_board_goes_stale_by_itself(client, app, auth):
    """No change at the desk, yet the board moves on at midnight (today's
    requests, the deadlines) and when a call-back passes its working day."""
    from tests.desk.test_desk_services import freeze

    freeze(app, 2026, 12, 4, 14, 0)  # Friday
    auth.login("front_desk")
    item = register({"kind": "information", "channel": "web_form", "contact_name": "Ewa Pytająca",
                     "contact_phone": "+48601234567", "message": "Kiedy jest klub?"}, None)
    page = client.get("/desk/").text
    assert "Do oddzwonienia: formularz internetowy (1)" in page
    assert item.number in page and "Ewa Pytająca" in page and "601 234 567" in page
    assert "wpłynęło 04.12.2026 14:00" in page and "oddzwoń do 07.12.2026 14:00" in page
    assert "czeka ponad dzień roboczy" not in page
    poll = re.search(r'data-hx-get="(/desk/board\?since=[^"]+)"', page).group(1).replace("&amp;", "&")
    until = int(re.search(r"until=(\d+)", poll).group(1))
    assert until == int(datetime(2026, 12, 5, 0, 0, tzinfo=WARSAW).timestamp())  # Friday's midnight
    assert client.get(poll, headers=hx("board")).status_code == 204
    freeze(app, 2026, 12, 5, 0, 0, 1)
    auth.login("front_desk")  # (the session ended in the evening)
    assert client.get(poll, headers=hx("board")).status_code == 200
    freeze(app, 2026, 12, 7, 14, 0, 30)  # Monday: one working day has passed
    auth.login("front_desk")  # the session ended over the weekend
    monday = client.get("/desk/board", headers=hx("board")).text
    assert "czeka ponad dzień roboczy" in monday
    assert "1 zgłoszenie czeka dłużej niż jeden dzień roboczy." in monday


def test_board_search_finds_a_request_by_number_or_name_by_post(client, app, auth, desk_user, kowalska,
                                                                 make_resident):
    from portal.audit.models import AuditEvent
    from portal.extensions import db
    from tests.desk.test_desk_services import freeze

    freeze(app, 2025, 6, 2, 10, 0)
    old = register({"kind": "application", "channel": "phone", "resident_id": kowalska.id,
                    "needs_description": "x"}, desk_user)
    freeze(app, 2026, 12, 3, 10, 0)
    desk = auth
    desk.login("front_desk")
    other = register({"kind": "information", "channel": "phone", "resident_id": make_resident("Jan", "Nowak").id,
                      "question": "?", "answer": "!"}, desk_user)
    web = register({"kind": "information", "channel": "web_form", "contact_name": "Zofia Łęcka",
                    "contact_email": "z@example.pl", "message": "?"}, None)
    board = client.get("/desk/").text
    assert 'action="/desk/search"' in board and 'data-hx-post="/desk/search"' in board
    assert 'id="request-search-results"' in board

    def search(q, **headers):
        return client.post("/desk/search", data={"csrf_token": desk.token, "q": q}, headers=headers)

    for typed in (old.number, old.number.lower(), f"{old.id}/2025", str(old.id), f" Z / {old.id} / 2025 "):
        page = search(typed)
        assert page.status_code == 200 and "Znaleziono 1 zgłoszenie" in page.text, typed
        assert old.number in page.text, typed
    assert "Znaleziono 0 zgłoszeń" in search(f"Z/{old.id}/2026").text  # the year is part of the number
    by_name = search("kowalska jan", **hx("request-search-results"))
    assert by_name.text.lstrip().startswith('<div id="request-search-results"')
    assert old.number in by_name.text and other.number not in by_name.text
    assert "Janina Kowalska" in by_name.text
    web_found = search("lecka").text  # the name given on the web form, folded
    assert web.number in web_found and old.number not in web_found
    # Names by POST only; the people whose names the results show are in their access trail.
    listed = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.object_type == "resident", AuditEvent.object_id == kowalska.id,
        AuditEvent.action == "search")).all()
    assert listed and all(e.reason == "desk" for e in listed)
    assert client.get("/desk/search?q=Kowalska").status_code == 200
    assert old.number not in client.get("/desk/search?q=Kowalska").text
    empty = search("")
    assert empty.status_code == 422 and "Wpisz numer zgłoszenia albo nazwisko." in empty.text


def test_board_search_by_a_coordinator_finds_only_their_own(client, auth, desk_user, kowalska, coordinator):
    mine = register({"kind": "application", "channel": "phone", "resident_id": kowalska.id,
                     "needs_description": "x", "coordinator_id": coordinator.id}, desk_user)
    theirs = register({"kind": "application", "channel": "phone", "resident_id": kowalska.id,
                       "needs_description": "y"}, desk_user)
    auth.login("coordinator", username=coordinator.username)
    found = auth.post("/desk/search", data={"q": "Kowalska"}).text
    assert mine.number in found and theirs.number not in found
    assert "Znaleziono 0 zgłoszeń" in auth.post("/desk/search", data={"q": theirs.number}).text


def test_receipt_confirms_the_request_without_other_personal_data(client, app, auth, desk_user, coordinator,
                                                                  make_resident, make_service):
    from portal.audit.models import AuditEvent
    from portal.extensions import db
    from tests.desk.test_desk_services import freeze

    person = make_resident("Janina", "Kowalska", pesel="50030712345", phone="+48601234567",
                           address_1="ul. Leśna 12", postal_code="21-400", city="Glinne")
    club = make_service("Klub Seniora")
    freeze(app, 2026, 12, 5, 10, 15)
    auth.login("front_desk")
    item = register({"kind": "application", "channel": "in_person", "resident_id": person.id,
                     "needs_description": "Po udarze, potrzebuję pomocy", "coordinator_id": coordinator.id,
                     "service_ids": [club.id]}, desk_user)
    assert f'href="/desk/requests/{item.id}/receipt"' in client.get(f"/desk/requests/{item.id}").text
    page = client.get(f"/desk/requests/{item.id}/receipt")
    assert page.status_code == 200
    html = page.text
    assert "Potwierdzenie przyjęcia zgłoszenia" in html and item.number in html
    assert "5 grudnia 2026, godz. 10:15" in html
    assert "Janina Kowalska" in html and "osobiście" in html and "Klub Seniora" in html
    assert "Sprawę prowadzi koordynator: Jan Koordynator." in html
    assert "w ciągu 30 dni od dnia złożenia wniosku — w tej sprawie do 4 stycznia 2027" in html
    assert "css/sheet.css" in html and "data-print" in html
    for private in ("50030712345", "1950", "601 234 567", "Leśna", "21-400", "Glinne", "udarze"):
        assert private not in html, private
    printed = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.object_type == "resident", AuditEvent.object_id == person.id,
        AuditEvent.action == "print")).all()
    assert [e.reason for e in printed] == [f"receipt for request {item.number}"]

    answered = register({"kind": "information", "channel": "phone", "question": "Godziny?", "answer": "8–16",
                         "routed_to": "pup"}, desk_user)
    info = client.get(f"/desk/requests/{answered.id}/receipt").text
    assert "Udzieliliśmy informacji" in info and "8–16" in info and "Powiatowy Urząd Pracy" in info
    assert "30 dni" not in info
    web = register({"kind": "information", "channel": "web_form", "contact_name": "Zofia Łęcka",
                    "contact_phone": "+48609876543", "message": "?"}, None)
    from_web = client.get(f"/desk/requests/{web.id}/receipt").text
    assert "Zofia Łęcka" in from_web and "609 876 543" not in from_web and "formularz internetowy" in from_web
    # Any other state is named as the request's ("zgłoszenie" is neuter: "wycofane").
    from portal.desk.services import change_status
    change_status(db.session, web, "withdrawn", actor=desk_user)
    db.session.commit()
    assert "Stan zgłoszenia: wycofane." in client.get(f"/desk/requests/{web.id}/receipt").text


# --- the handout -----------------------------------------------------------------------------------

def test_handout_print_view(client, desk, make_service):
    club = make_service("Klub Seniora", minimum_age=60, phone="+48257531001")
    rehab = make_service("Rehabilitacja w domu")
    html = client.get(f"/desk/handout?service={club.id}&service={rehab.id}&service=x&service=99999").text
    assert "Klub Seniora" in html and "Rehabilitacja w domu" in html
    assert "Wiek od 60 lat." in html and "25 753 10 01" in html
    assert "css/sheet.css" in html
    assert "Nie wybrano usług" in client.get("/desk/handout").text


# --- who may use what ---------------------------------------------------------------------------------

DESK = {"front_desk", "coordinator", "director"}
ROUTES = [
    # (method, path, allowed roles, status when allowed)
    ("GET", NEW, DESK, 200),
    ("GET", "/desk/", DESK, 200),
    ("GET", "/desk/board", DESK, 200),
    ("GET", "/desk/handout", DESK, 200),
    ("GET", "/desk/search", DESK, 200),
    ("POST", "/desk/search", DESK, 422),
    ("GET", "/desk/requests/{id}", {"front_desk", "director"}, 200),
    ("GET", "/desk/requests/{id}/receipt", {"front_desk", "director"}, 200),
    ("POST", "/desk/requests/{id}/status", {"front_desk", "director"}, 422),
    ("POST", "/desk/requests/{id}/assign", {"front_desk", "director"}, 422),
    ("POST", "/desk/requests/{id}/handout/email", {"front_desk", "director"}, 422),
    ("GET", "/contact", "public", 200),
    ("GET", "/contact/thanks", "public", 200),
]


@pytest.mark.parametrize("role", [None, "front_desk", "coordinator", "services_organiser", "community_organiser",
                                  "director", "admin"])
def test_role_matrix(client, auth, desk_user, role):
    item = register({"kind": "information", "channel": "phone", "question": "?"}, desk_user)
    token = auth.token_as(role)
    failures = []
    for method, path, allowed, ok in ROUTES:
        url = path.format(id=item.id)
        if method == "GET":
            status = client.get(url).status_code
        else:
            status = client.post(url, data={"csrf_token": token}).status_code
        if allowed == "public":
            want = ok
        elif role is None:
            want = 302
        else:
            want = ok if role in allowed else 403
        if status != want:
            failures.append(f"{role} {method} {url}: {status}, expected {want}")
    assert failures == []


# --- personal data: a coordinator sees only the people assigned to them -----------------------------

def test_coordinator_cannot_pick_someone_not_assigned(client, auth, kowalska, coordinator):
    auth.login("coordinator", username=coordinator.username)
    for headers in (hx("person"), {}):
        response = client.post(NEW, data=form(auth.token, pick_resident=str(kowalska.id)), headers=headers)
        assert "Kowalska" not in response.text and "601 234 567" not in response.text
    found = client.post(NEW, data=form(auth.token, q="Kowalska"), headers=hx("person-results"))
    # What was typed comes back in the search and the new-person form, nobody's data.
    shown = found.text.replace('data-query="Kowalska"', "").replace('value="|Kowalska"', "")
    shown = shown.replace('name="new_last_name" type="text" value="Kowalska"', "")
    assert "Kowalska" not in shown and "601 234 567" not in shown and "1950" not in shown
    saved = client.post(NEW, data=form(auth.token, resident_id=str(kowalska.id), kind="application",
                                       needs_description="x"))
    assert saved.status_code == 422 and requests_in_db() == []


def test_coordinator_is_not_shown_a_hidden_person_with_the_same_pesel(client, auth, kowalska, coordinator):
    from portal.extensions import db

    kowalska.pesel = "44051401359"
    db.session.commit()
    auth.login("coordinator", username=coordinator.username)
    response = client.post(NEW, data=form(auth.token, kind="application", new_first_name="Janina",
                                          new_last_name="Kowalska", new_pesel="44051401359",
                                          needs_description="x"))
    assert response.status_code == 422
    assert NEUTRAL in response.text
    assert f'name="resident_id" value="{kowalska.id}"' not in response.text
    assert requests_in_db() == []


NEUTRAL = "Nie możesz zarejestrować tej osoby ze swojego konta."


def test_a_hidden_person_gets_one_neutral_answer_whatever_matched(client, auth, kowalska, coordinator):
    """The review found two messages — one for a PESEL, one for a name with a
    birth date — both saying the person is in the register: an oracle of who
    is a client of the centre. Now one answer, which says neither, and the
    person's access trail shows who tried."""
    import re

    from portal.audit.models import AuditEvent
    from portal.extensions import db

    kowalska.pesel = "44051401359"
    db.session.commit()
    auth.login("coordinator", username=coordinator.username)
    by_pesel = client.post(NEW, data=form(auth.token, kind="application", new_first_name="Ewa",
                                          new_last_name="Nowakowska", new_pesel="44051401359", needs_description="x"))
    by_name = client.post(NEW, data=form(auth.token, kind="application", new_first_name=kowalska.first_name,
                                         new_last_name=kowalska.last_name,
                                         new_birth_date=kowalska.birth_date.strftime("%d.%m.%Y"),
                                         needs_description="x"))

    def notice(response):
        shown = re.search(r'class="flash flash-error" role="alert">(.*?)</', response.text, re.S).group(1)
        return re.sub(r"\s+", " ", shown)

    assert by_pesel.status_code == by_name.status_code == 422
    assert notice(by_pesel) == notice(by_name) and NEUTRAL in notice(by_pesel)
    for response in (by_pesel, by_name):
        assert "w rejestrze" not in response.text.lower() and "jej karty" not in response.text
    trail = db.session.scalars(db.select(AuditEvent).filter_by(object_type="resident", object_id=kowalska.id,
                                                               action="lookup_refused")).all()
    assert sorted(e.reason for e in trail) == ["name_birth_date", "pesel"]
    assert {e.actor_id for e in trail} == {coordinator.id}
    assert requests_in_db() == []


def test_new_person_without_pesel_gets_a_reason_to_complete_later(client, desk):
    from portal.extensions import db
    from portal.residents.models import Resident

    response = client.post(NEW, data=form(desk.token, kind="application", new_first_name="Olena",
                                          new_last_name="Kovalenko", new_birth_date="12.04.1985",
                                          needs_description="Pomoc w znalezieniu pracy."))
    assert response.status_code == 303
    person = db.session.scalar(db.select(Resident).filter_by(last_name="Kovalenko"))
    assert person.pesel is None and str(person.birth_date) == "1985-04-12"
    assert "do uzupełnienia" in person.no_pesel_reason
    response = client.post(NEW, data=form(desk.token, kind="application", new_first_name="Iryna",
                                          new_last_name="Bondar", new_birth_date="1990-01-02",
                                          new_no_pesel_reason="cudzoziemka", needs_description="x"))
    assert response.status_code == 303
    assert db.session.scalar(db.select(Resident).filter_by(last_name="Bondar")).no_pesel_reason == "cudzoziemka"
