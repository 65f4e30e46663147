"""The residents pages: search, register, the person's page per role, edit
with version conflicts, merge, consents, the access trail and its print-out;
who may use each page; and no PESEL or name in URLs, titles or logs."""
import logging
import re
from datetime import date
from html.parser import HTMLParser

import pytest

from portal.validation import make_pesel
from tests.residents.test_residents_services import (  # noqa: F401  (fixtures)
    BAD_CHECKSUM,
    IMPOSSIBLE_DATE,
    VALID,
    WOMAN_2002,
    assign,
    director,
    events_of,
    make_person,
)

HX = {"HX-Request": "true", "HX-Target": "resident-results"}
NO_PERSONAL_DATA = ("services_organiser", "community_organiser", "admin")


class Page(HTMLParser):
    """Every URL, the title and the value of every form field of a page."""

    URL_ATTRS = {"href", "action", "src", "data-hx-get", "data-hx-post", "hx-get", "hx-post", "formaction"}

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.urls, self.values, self.title, self._in_title = [], {}, "", False
        self.textareas, self._textarea = {}, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name in self.URL_ATTRS and value:
                self.urls.append(value)
        if tag == "title":
            self._in_title = True
        if tag == "input" and attrs.get("name") and attrs.get("type") not in ("checkbox", "radio", "submit"):
            self.values.setdefault(attrs["name"], attrs.get("value", ""))
        if tag == "textarea":
            self._textarea = attrs.get("name")
            self.textareas[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._textarea:
            self.textareas[self._textarea] += data


def assert_no_pesel_in_urls(html, *pesels):
    page = Page(html)
    for url in page.urls:
        digits = re.sub(r"\D", "", url)
        for pesel in pesels:
            assert pesel not in url and pesel not in digits, url


def new_person(**fields):
    data = {"first_name": "Jan", "last_name": "Nowak", "pesel": "", "no_pesel_reason": "", "birth_date": "",
            "street": "ul. Długa", "house_number": "1", "postal_code": "21-407", "city": "Wojcieszków",
            "village_id": "",
            "phone": "", "email": "", "preferred_contact": "phone", "representative_kind": "",
            "representative_name": "", "representative_phone": "", "representative_email": "",
            "representative_address": ""}
    data.update(fields)
    return data


@pytest.fixture
def jan(make_person, make_village):
    return make_person("Jan", "Kowalski", pesel=VALID, phone="601 234 567",
                       village_id=make_village("Bęczków").id, address_1="ul. Szkolna 5", notes="Tajna uwaga")


def login(auth, role, username=None):
    return auth.login(role, username)


# --- who may use which page -------------------------------------------------------------------------

def urls(resident_id):
    return {
        "index": "/residents/",
        "new": "/residents/new",
        "detail": f"/residents/{resident_id}",
        "edit": f"/residents/{resident_id}/edit",
        "merge": f"/residents/{resident_id}/merge",
        "access_report": f"/residents/{resident_id}/access-report",
    }


ALLOWED_GET = {  # page -> roles that get 200 (for an assigned coordinator)
    "index": {"front_desk", "coordinator", "director"},
    "new": {"front_desk", "director"},
    "detail": {"front_desk", "coordinator", "director"},
    "edit": {"front_desk", "coordinator", "director"},
    "merge": {"director"},
    "access_report": {"director"},
}


def test_anonymous_is_sent_to_login(client, jan):
    for url in urls(jan.id).values():
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url in ("/residents/pesel", f"/residents/{jan.id}/consents", f"/residents/{jan.id}/information-clause",
                "/residents/new", f"/residents/{jan.id}/merge"):
        assert client.post(url).status_code in (302, 400), url  # CSRF first, then login


@pytest.mark.parametrize("role", ["front_desk", "coordinator", "director", *NO_PERSONAL_DATA])
def test_role_matrix_get(client, auth, jan, assign, role):
    user = login(auth, role)
    if role == "coordinator":
        assign(jan, user)
    for page, url in urls(jan.id).items():
        want = 200 if role in ALLOWED_GET[page] else 403
        assert client.get(url).status_code == want, (page, role)


def test_unassigned_coordinator_sees_nothing_of_the_person(client, auth, jan, make_user, assign):
    assign(jan, make_user("coordinator", "someone-else"))
    login(auth, "coordinator")
    for page in ("detail", "edit", "merge", "access_report"):
        assert client.get(urls(jan.id)[page]).status_code == 403, page
    assert auth.post(f"/residents/{jan.id}/consents", {"channel": "sms", "action": "give"}).status_code == 403
    assert auth.post(f"/residents/{jan.id}/information-clause").status_code == 403
    response = auth.post("/residents/", {"q": "kowal"})
    assert response.status_code == 200 and "Kowalski" not in response.text
    response = auth.post("/residents/pesel", {"pesel": VALID})
    assert response.status_code == 200 and "Nie znaleziono osoby o tym numerze PESEL" in response.text


@pytest.mark.parametrize("role", NO_PERSONAL_DATA)
def test_no_personal_data_roles_get_403_on_posts(client, auth, jan, role):
    login(auth, role)
    for url, data in [("/residents/", {"q": "kowal"}), ("/residents/pesel", {"pesel": VALID}),
                      ("/residents/new", new_person(pesel=WOMAN_2002)),
                      (f"/residents/{jan.id}/edit", {}),
                      (f"/residents/{jan.id}/consents", {"channel": "sms", "action": "give"}),
                      (f"/residents/{jan.id}/information-clause", {}),
                      (f"/residents/{jan.id}/merge", {"action": "search", "q": "kowal"})]:
        response = auth.post(url, data)
        assert response.status_code == 403, url
        assert "Kowalski" not in response.text and VALID not in response.text


def test_coordinator_may_not_register_or_merge(client, auth, jan, assign):
    user = login(auth, "coordinator")
    assign(jan, user)
    assert auth.post("/residents/new", new_person(pesel=WOMAN_2002)).status_code == 403
    assert auth.post(f"/residents/{jan.id}/merge", {"action": "search", "q": "x"}).status_code == 403


def test_the_assigned_coordinator_starts_an_assessment_from_the_card(client, auth, jan, assign):
    from portal.assessment.models import Assessment
    from portal.extensions import db

    login(auth, "front_desk")
    assert "Rozpocznij diagnozę potrzeb" not in client.get(f"/residents/{jan.id}?purpose=case").text
    auth.logout()
    user = login(auth, "coordinator")
    assign(jan, user)
    card = client.get(f"/residents/{jan.id}?purpose=case").text
    assert "Rozpocznij diagnozę potrzeb" in card and 'action="/assessments/start"' in card
    response = auth.post("/assessments/start", {"resident_id": jan.id})
    assert response.status_code == 303
    [started] = db.session.scalars(db.select(Assessment)).all()
    assert started.resident_id == jan.id and started.coordinator_id == user.id and started.status == "draft"


# --- search ----------------------------------------------------------------------------------

def test_search_page_has_the_focused_field_and_the_pesel_form(client, auth):
    login(auth, "front_desk")
    html = client.get("/residents/").text
    assert re.search(r'<input[^>]*id="q"[^>]*autofocus', html)
    assert 'data-hx-target="#resident-results"' in html and 'id="resident-results"' in html
    assert re.search(r'<form[^>]*method="post"[^>]*action="/residents/pesel"', html)
    assert Page(html).title.startswith("Rejestr osób")


def test_search_as_you_type_returns_the_region(client, auth, jan):
    login(auth, "front_desk")
    response = auth.post("/residents/", {"q": "kowal jan"}, headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="resident-results"')
    assert "<html" not in response.text
    assert "Kowalski Jan" in response.text and "1944" in response.text and "Bęczków" in response.text
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("query", ["jan kowal", "KOWALSKI", "601 234 567", "+48601234567", "14.05.1944",
                                   "1944-05-14"])
def test_search_by_post(client, auth, jan, query):
    login(auth, "front_desk")
    response = auth.post("/residents/", {"q": query})
    assert response.status_code == 200
    assert f'href="/residents/{jan.id}"' in response.text


@pytest.mark.parametrize("query", ["jan kowal", "KOWALSKI", "601 234 567", "14.05.1944"])
def test_a_name_sent_by_get_is_neither_searched_nor_echoed(client, auth, jan, query):
    """The review found GET /residents/?q=<name> still answering, which puts
    the name in the access log and the browser's history."""
    login(auth, "front_desk")
    response = client.get("/residents/", query_string={"q": query})
    assert response.status_code == 303
    assert response.headers["Location"] == "/residents/"
    page = client.get(response.headers["Location"])
    assert f"/residents/{jan.id}" not in page.text and "Kowalski" not in page.text
    assert "nie wysyłamy w adresie strony" in page.text


def test_result_lists_show_only_what_tells_people_apart(client, auth, jan):
    login(auth, "front_desk")
    html = auth.post("/residents/", {"q": "kowal"}).text
    for secret in (VALID, "601 234 567", "+48601234567", "Szkolna", "Tajna uwaga", "1401359"):
        assert secret not in html
    assert "Kowalski" in html and "1944" in html and "Bęczków" in html


def test_a_pesel_sent_by_get_is_neither_searched_nor_echoed(client, auth, jan):
    login(auth, "front_desk")
    response = client.get("/residents/", query_string={"q": VALID})
    assert response.status_code == 303  # off the address bar and the history at once
    assert response.headers["Location"] == "/residents/"
    page = client.get(response.headers["Location"])
    assert VALID not in page.text and f"/residents/{jan.id}" not in page.text
    assert "wpisz w polu „Szukaj po numerze PESEL”" in page.text


def test_the_ui_sends_searches_by_post(client, auth):
    """The search forms post, so nothing typed in them reaches a URL."""
    login(auth, "front_desk")
    html = client.get("/residents/").text
    forms = re.findall(r"<form[^>]*>", html)
    search_forms = [f for f in forms if "/residents/" in f and "logout" not in f and "language" not in f]
    assert search_forms and all('method="post"' in f for f in search_forms)
    assert 'data-hx-post="/residents/"' in html and "data-hx-get" not in html


def test_find_by_pesel_opens_the_person(client, auth, jan):
    login(auth, "front_desk")
    response = auth.post("/residents/pesel", {"pesel": "440 514 013 59"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/residents/{jan.id}")
    assert VALID not in response.headers["Location"]


def test_find_by_pesel_not_found_offers_registration_by_post(client, auth, jan):
    login(auth, "front_desk")
    response = auth.post("/residents/pesel", {"pesel": WOMAN_2002})
    assert response.status_code == 200
    assert "Nie znaleziono osoby o tym numerze PESEL" in response.text
    assert_no_pesel_in_urls(response.text, WOMAN_2002)
    form = re.search(r'<form method="post" action="/residents/new">(.*?)</form>', response.text, re.S).group(1)
    assert 'name="prefill"' in form and f'name="pesel" value="{WOMAN_2002}"' in form
    page = auth.post("/residents/new", {"prefill": "1", "pesel": WOMAN_2002})
    assert page.status_code == 200 and Page(page.text).values["pesel"] == WOMAN_2002
    assert "error-summary" not in page.text


def test_find_by_pesel_refuses_a_bad_number(client, auth):
    login(auth, "front_desk")
    response = auth.post("/residents/pesel", {"pesel": BAD_CHECKSUM})
    assert response.status_code == 422
    assert "cyfra kontrolna" in response.text and 'id="pesel-error"' in response.text


# --- register ------------------------------------------------------------------------------

def test_register_with_pesel_derives_sex_and_birth_date(client, auth, make_village):
    from portal.extensions import db
    from portal.residents.models import Resident

    village = make_village("Burzec")
    login(auth, "front_desk")
    response = auth.post("/residents/new", new_person(first_name="Żaneta", last_name="Wróbel", pesel=WOMAN_2002,
                                                      phone="601 234 567", village_id=str(village.id),
                                                      informed="y"))
    assert response.status_code == 303
    resident = db.session.scalar(db.select(Resident))
    assert response.headers["Location"].endswith(f"/residents/{resident.id}")
    assert (resident.sex, resident.birth_date, resident.pesel) == ("F", date(2002, 1, 13), WOMAN_2002)
    assert resident.phone == "+48601234567" and resident.village_id == village.id
    assert resident.informed_at is not None


def test_register_with_the_valid_vector(client, auth):
    from portal.extensions import db
    from portal.residents.models import Resident

    login(auth, "front_desk")
    assert auth.post("/residents/new", new_person(pesel=VALID)).status_code == 303
    resident = db.session.scalar(db.select(Resident))
    assert (resident.sex, resident.birth_date) == ("M", date(1944, 5, 14))


@pytest.mark.parametrize("pesel, message", [
    (BAD_CHECKSUM, "Nieprawidłowa cyfra kontrolna PESEL"),
    (IMPOSSIBLE_DATE, "PESEL zawiera nieistniejącą datę urodzenia"),
    ("4405140135", "PESEL ma 11 cyfr"),
    (make_pesel(date(2101, 1, 1), 1, "M"), "w przyszłości"),
])
def test_register_refuses_a_bad_pesel_at_the_field(client, auth, pesel, message):
    from portal.extensions import db
    from portal.residents.models import Resident

    login(auth, "front_desk")
    response = auth.post("/residents/new", new_person(first_name="Zdzisław", pesel=pesel, phone="601 234 567"))
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="pesel-error">(.*?)</p>', response.text, re.S)
    assert error and message in error.group(1)
    tag = re.search(r'<input[^>]*id="pesel"[^>]*>', response.text).group(0)
    assert re.search(r'aria-describedby="[^"]*pesel-error', tag) and 'aria-invalid="true"' in tag
    values = Page(response.text).values
    assert values["pesel"] == pesel and values["first_name"] == "Zdzisław" and values["phone"] == "601 234 567"
    assert db.session.scalar(db.select(Resident)) is None
    assert pesel not in Page(response.text).title


def test_register_without_pesel_needs_reason_and_birth_date(client, auth):
    login(auth, "front_desk")
    response = auth.post("/residents/new", new_person())
    assert response.status_code == 422
    assert 'id="no_pesel_reason-error"' in response.text and 'id="birth_date-error"' in response.text
    response = auth.post("/residents/new", new_person(no_pesel_reason="Cudzoziemiec", birth_date="31.02.1950"))
    assert response.status_code == 422 and 'id="birth_date-error"' in response.text
    assert Page(response.text).values["birth_date"] == "31.02.1950"
    response = auth.post("/residents/new", new_person(no_pesel_reason="Cudzoziemiec", birth_date="07.03.1950"))
    assert response.status_code == 303


def test_register_birth_date_must_match_pesel(client, auth):
    login(auth, "front_desk")
    response = auth.post("/residents/new", new_person(pesel=VALID, birth_date="15.05.1944"))
    assert response.status_code == 422 and "nie zgadza się" in response.text


def test_register_an_existing_pesel_opens_that_person(client, auth, jan):
    from portal.extensions import db
    from portal.residents.models import Resident

    login(auth, "front_desk")
    response = auth.post("/residents/new", new_person(first_name="Janek", pesel=VALID))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/residents/{jan.id}")
    page = client.get(response.headers["Location"])
    assert "Osoba z tym numerem PESEL jest już w rejestrze" in page.text
    assert db.session.scalar(db.select(db.func.count(Resident.id))) == 1


def test_register_the_same_person_in_full_opens_them_without_the_namesake_question(client, auth, make_person):
    """Name, PESEL and so the birth date all match: the PESEL answers first."""
    from portal.extensions import db
    from portal.residents.models import Resident

    existing = make_person("Ewa", "Nowak", pesel=WOMAN_2002)
    login(auth, "front_desk")
    response = auth.post("/residents/new", new_person(first_name="Ewa", last_name="Nowak", pesel=WOMAN_2002))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/residents/{existing.id}")
    page = client.get(response.headers["Location"]).text
    assert "Osoba z tym numerem PESEL jest już w rejestrze" in page and "Czy to ta sama osoba?" not in page
    assert db.session.scalar(db.select(db.func.count(Resident.id))) == 1


def test_register_a_name_and_birth_date_match_asks_first(client, auth, make_person):
    from portal.extensions import db
    from portal.residents.models import Resident

    existing = make_person("Józef", "Nowak", birth_date=date(1950, 3, 7))
    login(auth, "front_desk")
    data = new_person(first_name="Jozef", last_name="NOWAK", no_pesel_reason="Brak dokumentu",
                      birth_date="07.03.1950", phone="601234567")
    response = auth.post("/residents/new", data)
    assert response.status_code == 200
    assert "Czy to ta sama osoba?" in response.text
    assert f'href="/residents/{existing.id}"' in response.text and "1950" in response.text
    assert re.search(r'<button[^>]*name="confirm_new" value="1"[^>]*>To inna osoba — zapisz nową', response.text)
    assert Page(response.text).values["phone"] == "601234567"
    assert db.session.scalar(db.select(db.func.count(Resident.id))) == 1

    response = auth.post("/residents/new", {**data, "confirm_new": "1"})
    assert response.status_code == 303
    assert db.session.scalar(db.select(db.func.count(Resident.id))) == 2


# --- the person's page per role ------------------------------------------------------------------

def test_front_desk_sees_contact_data_and_the_full_pesel_but_no_notes(client, auth, jan):
    login(auth, "front_desk")
    response = client.get(f"/residents/{jan.id}")
    assert response.status_code == 200
    html = response.text
    assert VALID in html and "601 234 567" in html and "ul. Szkolna 5" in html
    assert "Tajna uwaga" not in html
    assert "Kto przeglądał dane" not in html
    assert Page(html).title.startswith("Karta osoby") and "Kowalski" not in Page(html).title
    assert_no_pesel_in_urls(html, VALID)


def test_assigned_coordinator_sees_the_person_in_full(client, auth, jan, assign):
    user = login(auth, "coordinator")
    item = assign(jan, user)
    html = client.get(f"/residents/{jan.id}").text
    assert VALID in html and "Tajna uwaga" in html and item.number in html
    assert "Kto przeglądał dane" not in html


def test_director_sees_everything_and_who_looked(client, auth, jan, assign, make_user):
    item = assign(jan, make_user("coordinator", "k1"))
    login(auth, "front_desk", "desk-ewa")
    client.get(f"/residents/{jan.id}?purpose=desk")
    auth.logout()
    director = login(auth, "director")
    html = client.get(f"/residents/{jan.id}?purpose=gdpr").text
    assert VALID in html and "Tajna uwaga" in html and item.number in html
    assert "Kto przeglądał dane" in html
    trail = html.split("Kto przeglądał dane", 1)[1]
    assert "Test front_desk" in trail and "Obsługa w jednym okienku" in trail
    assert director.full_name in trail and "Wniosek osoby o informację" in trail
    assert "Rejestracja" in trail


def test_the_pesel_is_masked_where_a_role_must_not_see_it(client, auth, jan, app):
    """Masked everywhere but the person's page, e.g. in the merge search results."""
    from portal.validation import mask_pesel

    login(auth, "director")
    html = auth.post(f"/residents/{jan.id}/merge", {"action": "search", "q": "kowal"}).text
    assert VALID not in html
    with app.test_request_context():
        from flask import render_template_string
        assert render_template_string("{{ p|masked_pesel }}", p=VALID) == mask_pesel(VALID) == "*******1359"


def test_the_person_page_records_a_view_with_its_purpose(client, auth, jan, assign):
    user = login(auth, "front_desk")
    client.get(f"/residents/{jan.id}?purpose=desk")
    client.get(f"/residents/{jan.id}?request=42")
    client.get(f"/residents/{jan.id}?purpose=<script>")
    views = events_of(jan, "view")
    assert [(e.actor_id, e.reason) for e in views] == [(user.id, "desk"), (user.id, "request:42"), (user.id, "desk")]


def test_a_merged_record_points_at_the_survivor(client, auth, jan, make_person):
    from portal.extensions import db
    from portal.residents import services as ops

    other = make_person("Jan", "Kowalsky", birth_date=date(1944, 5, 14))
    director = login(auth, "director")
    ops.merge_residents(db.session, jan, other, actor=director, reason="literówka")
    db.session.commit()
    html = client.get(f"/residents/{other.id}").text
    assert "Otwórz rekord docelowy" in html and f'href="/residents/{jan.id}"' in html
    html = client.get(f"/residents/{jan.id}").text
    assert "Scalone duplikaty" in html and f'href="/residents/{other.id}"' in html
    edit = client.get(f"/residents/{other.id}/edit")
    assert edit.status_code == 303 and edit.headers["Location"].endswith(f"/residents/{jan.id}")


# --- edit and conflicts ---------------------------------------------------------------------------

def edit_data(html, **changes):
    page = Page(html)
    data = dict(page.values)
    data.update(page.textareas)
    data.update(changes)
    selects = dict(re.findall(r'<select[^>]*name="([^"]+)"[^>]*>.*?<option selected value="([^"]*)"', html, re.S))
    for name in ("village_id", "preferred_contact", "representative_kind"):
        data.setdefault(name, selects.get(name, ""))
    data.pop("csrf_token", None)
    return data


def test_edit_saves_and_records_the_change(client, auth, jan):
    user = login(auth, "front_desk")
    page = client.get(f"/residents/{jan.id}/edit")
    assert page.status_code == 200 and Page(page.text).title.startswith("Edycja danych osoby")
    assert "Tajna uwaga" not in page.text  # notes are not the desk's
    data = edit_data(page.text, phone="602 111 222", email="jan@poczta.example")
    response = auth.post(f"/residents/{jan.id}/edit", data)
    assert response.status_code == 303, response.text[:3000]
    from portal.extensions import db
    db.session.expire_all()
    assert jan.phone == "+48602111222" and jan.email == "jan@poczta.example"
    assert jan.notes == "Tajna uwaga" and jan.pesel == VALID
    [update] = events_of(jan, "update")
    assert update.actor_id == user.id and set(update.changes) == {"phone", "email"}
    assert [e.reason for e in events_of(jan, "view")][0] == "edit"


def test_edit_conflict_shows_both_versions_and_overwrites_nothing(client, auth, jan, app):
    from portal.extensions import db
    from portal.residents import services as ops

    login(auth, "director")
    page = client.get(f"/residents/{jan.id}/edit")
    mine = edit_data(page.text, phone="603 333 444", city="Ryki")

    # A colleague saves first.
    colleague = auth.user("front_desk", "colleague")
    ops.update_resident(db.session, jan, {"phone": "605 555 666"}, actor=colleague, expected_version=jan.version)
    db.session.commit()

    response = auth.post(f"/residents/{jan.id}/edit", mine)
    assert response.status_code == 409
    html = response.text
    assert "Ktoś inny zmienił dane tej osoby w międzyczasie" in html
    row = re.search(r"<th scope=\"row\">Telefon</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", html, re.S)
    assert row and "605555666" in row.group(1).replace(" ", "") and "603333444" in row.group(2).replace(" ", "")
    db.session.expire_all()
    assert jan.phone == "+48605555666" and jan.city is None
    values = Page(html).values
    assert values["phone"] == "603 333 444" and values["city"] == "Ryki"
    assert values["version"] == str(jan.version)

    # Re-applying from the conflict screen saves the user's values knowingly.
    again = edit_data(html)
    assert auth.post(f"/residents/{jan.id}/edit", again).status_code == 303
    db.session.expire_all()
    assert jan.phone == "+48603333444" and jan.city == "Ryki"


def test_edit_invalid_keeps_input_and_marks_the_field(client, auth, jan):
    login(auth, "front_desk")
    data = edit_data(client.get(f"/residents/{jan.id}/edit").text, phone="12", postal_code="2140")
    response = auth.post(f"/residents/{jan.id}/edit", data)
    assert response.status_code == 422
    assert 'id="phone-error"' in response.text and 'id="postal_code-error"' in response.text
    values = Page(response.text).values
    assert values["phone"] == "12" and values["postal_code"] == "2140"


def test_edit_to_a_pesel_someone_else_has(client, auth, jan, make_person):
    other = make_person("Ala", "Nowak", birth_date=date(1990, 1, 1))
    login(auth, "front_desk")
    data = edit_data(client.get(f"/residents/{other.id}/edit").text, pesel=VALID, no_pesel_reason="",
                     birth_date="")
    response = auth.post(f"/residents/{other.id}/edit", data)
    assert response.status_code == 422 and "ma już inna osoba" in response.text


# --- consents and the information clause ------------------------------------------------------------

def test_consents_through_the_page(client, auth, jan):
    login(auth, "front_desk")
    url = f"/residents/{jan.id}/consents"
    assert auth.post(url, {"channel": "sms", "action": "give"}).status_code == 303
    html = client.get(f"/residents/{jan.id}").text
    assert "zgoda od" in html and "Wycofaj zgodę" in html
    assert auth.post(url, {"channel": "sms", "action": "withdraw"}).status_code == 303
    assert auth.post(url, {"channel": "sms", "action": "give"}).status_code == 303
    html = client.get(f"/residents/{jan.id}").text
    history = html.split("Historia zgód", 1)[1]
    assert history.count("<td>SMS</td>") == 2 and "aktywna" in history
    assert auth.post(url, {"channel": "fax", "action": "give"}).status_code == 400


def test_information_clause_through_the_page(client, auth, jan):
    user = login(auth, "front_desk")
    html = client.get(f"/residents/{jan.id}").text
    assert "Osoba nie otrzymała jeszcze klauzuli informacyjnej" in html
    assert auth.post(f"/residents/{jan.id}/information-clause").status_code == 303
    html = client.get(f"/residents/{jan.id}").text
    assert "Osoba została poinformowana o przetwarzaniu danych" in html and user.full_name in html


# --- merge --------------------------------------------------------------------------------------

def test_merge_through_the_pages(client, auth, jan, make_person, assign, make_user):
    from portal.extensions import db

    dup = make_person("Jan", "Kowalski", birth_date=date(1944, 5, 14), phone="", email="jan@poczta.example")
    item = assign(dup, make_user("coordinator", "k1"))
    login(auth, "director")
    page = client.get(f"/residents/{jan.id}/merge")
    assert page.status_code == 200 and "Możliwe duplikaty" in page.text
    assert f'name="drop_id" value="{dup.id}"' in page.text

    found = auth.post(f"/residents/{jan.id}/merge", {"action": "search", "q": "kowalski jan"})
    assert f'name="drop_id" value="{dup.id}"' in found.text
    assert f'name="drop_id" value="{jan.id}"' not in found.text

    confirm = auth.post(f"/residents/{jan.id}/merge", {"action": "choose", "drop_id": str(dup.id)})
    assert confirm.status_code == 200 and "Potwierdź scalenie" in confirm.text
    assert auth.post(f"/residents/{jan.id}/merge", {"action": "confirm", "drop_id": str(dup.id),
                                                   "reason": "", "confirmed": "yes"}).status_code == 422
    done = auth.post(f"/residents/{jan.id}/merge", {"action": "confirm", "drop_id": str(dup.id),
                                                   "reason": "Zarejestrowany dwa razy", "confirmed": "yes"})
    assert done.status_code == 303 and done.headers["Location"].startswith(f"/residents/{jan.id}")
    db.session.expire_all()
    assert dup.merged_into_id == jan.id and item.resident_id == jan.id and jan.email == "jan@poczta.example"
    html = client.get(done.headers["Location"]).text
    assert "Scalono rekordy" in html and item.number in html
    trail = html.split("Kto przeglądał dane", 1)[1]
    assert "Scalenie rekordów" in trail and "Zarejestrowany dwa razy" in trail
    # What the merge did, in the reader's language (the audit summary is English, for the log).
    assert f"Scalono z rekordem nr {dup.id}; przeniesiono: zgłoszenia — 1, zgody — 0, inne dokumenty — 0" \
        in " ".join(trail.split())
    assert "merged with record" not in html
    assert [e.reason for e in events_of(dup, "merge")] == ["Zarejestrowany dwa razy"]
    [dropped] = events_of(dup, "merge")
    assert dropped.summary == f"merged into record {jan.id} (this record is the duplicate)"


def test_merge_refuses_junk_choices(client, auth, jan):
    login(auth, "director")
    for drop_id in ("", "abc", str(jan.id), "999999", "1" * 30):
        response = auth.post(f"/residents/{jan.id}/merge", {"action": "choose", "drop_id": drop_id})
        assert response.status_code == 422


# --- the access trail and its print-out -------------------------------------------------------------

def test_view_edit_and_print_each_append_an_event_the_director_sees(client, auth, jan):
    desk = login(auth, "front_desk", "desk-ola")
    client.get(f"/residents/{jan.id}")
    data = edit_data(client.get(f"/residents/{jan.id}/edit").text, city="Ryki")
    assert auth.post(f"/residents/{jan.id}/edit", data).status_code == 303
    auth.logout()

    director = login(auth, "director")
    report = client.get(f"/residents/{jan.id}/access-report")
    assert report.status_code == 200
    assert Page(report.text).title.startswith("Informacja o danych osobowych i dostępach")
    assert VALID in report.text and "Tajna uwaga" in report.text and 'data-print' in report.text

    actions = [(e.action, e.actor_id) for e in events_of(jan)]
    assert ("view", desk.id) in actions and ("update", desk.id) in actions and ("print", director.id) in actions
    [printed] = events_of(jan, "print")
    assert printed.reason == "gdpr"

    html = client.get(f"/residents/{jan.id}").text
    trail = html.split("Kto przeglądał dane", 1)[1]
    for words in ("Wyświetlenie", "Zmiana danych", "Wydruk", "Test front_desk", "Test director"):
        assert words in trail
    report_trail = report.text.split("Kto i kiedy korzystał z danych", 1)[1]
    assert "Wydruk" in report_trail  # the print-out lists itself


# --- no PESEL or name in logs, URLs or titles ------------------------------------------------------

def test_no_pesel_or_name_in_any_log_line(client, auth, jan, caplog, make_person):
    caplog.set_level(logging.DEBUG)
    login(auth, "front_desk")
    client.get(f"/residents/{jan.id}")
    auth.post("/residents/pesel", {"pesel": VALID})
    auth.post("/residents/pesel", {"pesel": WOMAN_2002})
    auth.post("/residents/pesel", {"pesel": BAD_CHECKSUM})
    auth.post("/residents/", {"q": "kowalski"})
    client.get("/residents/", query_string={"q": VALID})
    auth.post("/residents/new", new_person(first_name="Bożydar", pesel=VALID))
    auth.post("/residents/new", new_person(first_name="Bożydar", pesel=BAD_CHECKSUM))
    auth.post("/residents/new", new_person(first_name="Bożydar", pesel=WOMAN_2002))
    data = edit_data(client.get(f"/residents/{jan.id}/edit").text, pesel=WOMAN_2002)
    auth.post(f"/residents/{jan.id}/edit", data)
    messages = [r.getMessage() for r in caplog.records]
    for secret in (VALID, WOMAN_2002, BAD_CHECKSUM, "Kowalski", "Bożydar"):
        assert not any(secret in m for m in messages), secret


def test_no_page_puts_a_pesel_in_a_url_or_title(client, auth, jan, assign, make_person):
    other = make_person("Ala", "Nowak", pesel=WOMAN_2002)
    login(auth, "director")
    pages = [client.get("/residents/"), auth.post("/residents/", {"q": "kowal"}),
             auth.post("/residents/pesel", {"pesel": make_pesel(date(1970, 1, 1), 1, "M")}),
             client.get("/residents/new"), client.get(f"/residents/{jan.id}"), client.get(f"/residents/{jan.id}/edit"),
             client.get(f"/residents/{jan.id}/merge"),
             auth.post(f"/residents/{jan.id}/merge", {"action": "choose", "drop_id": str(other.id)}),
             client.get(f"/residents/{jan.id}/access-report"),
             auth.post("/residents/new", new_person(pesel=BAD_CHECKSUM))]
    for response in pages:
        assert_no_pesel_in_urls(response.text, VALID, WOMAN_2002, BAD_CHECKSUM)
        title = Page(response.text).title
        assert not re.search(r"\d{11}", title) and "Kowalski" not in title and "Nowak" not in title, title


def test_a_merge_without_its_confirmation_merges_nothing(client, auth, jan, make_person):
    from portal.extensions import db
    from portal.residents.models import Resident

    dup = make_person("Jan", "Kowalski", birth_date=date(1944, 5, 14))
    login(auth, "director")
    asked = auth.post(f"/residents/{jan.id}/merge", {"action": "confirm", "drop_id": str(dup.id),
                                                    "reason": "Zarejestrowany dwa razy"})
    assert asked.status_code == 200 and "Potwierdź scalenie" in asked.text and "Tego nie można cofnąć." in asked.text
    assert "Zarejestrowany dwa razy" in asked.text
    db.session.expire_all()
    assert db.session.get(Resident, dup.id).merged_into_id is None
    done = auth.post(f"/residents/{jan.id}/merge", {"action": "confirm", "drop_id": str(dup.id),
                                                   "reason": "Zarejestrowany dwa razy", "confirmed": "yes"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Resident, dup.id).merged_into_id == jan.id


def test_information_clause_from_a_stale_page_is_a_409_and_records_nothing(client, auth, jan):
    from portal.extensions import db
    from portal.residents import services as ops

    login(auth, "front_desk")
    page = client.get(f"/residents/{jan.id}").text
    seen = re.search(r'information-clause">\s*<input[^>]*>\s*<input type="hidden" name="version" value="(\d+)"',
                     page).group(1)
    # A colleague records the clause from their own screen first.
    colleague = auth.user("front_desk", "colleague")
    ops.record_information_clause(db.session, jan, actor=colleague)
    db.session.commit()

    response = auth.post(f"/residents/{jan.id}/information-clause", {"version": seen})
    assert response.status_code == 409
    text = " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
    assert "Ktoś inny zmienił dane tej osoby w międzyczasie" in text
    assert "Nic nie zostało zmienione." in text
    assert re.search(r"Klauzula informacyjna \d\d\.\d\d\.\d{4} \d\d:\d\d poinformowana teraz", text)
    assert colleague.full_name in text  # the clause as recorded now, and by whom
    assert len(events_of(jan, "information_clause")) == 1


def test_a_merge_that_loses_a_race_is_a_409_and_asks_again(client, auth, jan, make_person, monkeypatch):
    """Someone saves the kept record while the merge runs: the version column
    stops the merge; both records are shown again, nothing merged."""
    from sqlalchemy import text

    from portal.extensions import db
    from portal.residents import services as ops

    dup = make_person("Jan", "Kowalski", birth_date=date(1944, 5, 14), phone="", email="jan@poczta.example")
    login(auth, "director")
    merge = ops.merge_residents

    def racing_merge(session, keep, drop, **kwargs):
        with db.engine.begin() as other:  # another worker saves the kept record in the meantime
            other.execute(text("UPDATE resident SET version = version + 1, city = 'Ryki' WHERE id = :id"),
                          {"id": keep.id})
        return merge(session, keep, drop, **kwargs)

    monkeypatch.setattr(ops, "merge_residents", racing_merge)
    response = auth.post(f"/residents/{jan.id}/merge", {"action": "confirm", "drop_id": str(dup.id),
                                                       "reason": "Zarejestrowany dwa razy", "confirmed": "yes"})
    assert response.status_code == 409
    text_shown = " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
    assert "Ktoś inny zmienił jeden z rekordów w międzyczasie" in text_shown
    assert "Potwierdź scalenie" in text_shown and "Ryki" in text_shown
    assert 'value="Zarejestrowany dwa razy"' in response.text or "Zarejestrowany dwa razy" in response.text
    db.session.expire_all()
    assert dup.merged_into_id is None and events_of(dup, "merge") == []
