"""Random input never gives a 500 on the new-person, edit and search forms;
an invalid form comes back (422) with what was typed in every text field and
each message at its field."""
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from portal.input_guard import clean_form_text
from tests.residents.test_residents_views import Page

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Anything a browser can send: no surrogates (not encodable), NUL included.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
PESELISH = st.one_of(TEXT, st.sampled_from(["44051401359", "44051401358", "02381307589", "02211307589",
                                            "440 514 013 59", "", "00000000000"]),
                     st.text(alphabet="0123456789 -", min_size=9, max_size=13))
DATEISH = st.one_of(TEXT, st.sampled_from(["07.03.1950", "1950-03-07", "31.02.1950", "1.1.3000", ""]))
PHONEISH = st.one_of(TEXT, st.sampled_from(["601 234 567", "+48 25 753 10 01", "12", "+44 20 7946 0000", ""]))
CHOICE = st.one_of(TEXT, st.sampled_from(["", "phone", "email", "legal", "de_facto", "1", "999"]))

TEXT_FIELDS = ("first_name", "last_name", "pesel", "no_pesel_reason", "birth_date", "street", "house_number",
               "postal_code",
               "city", "phone", "email", "representative_name", "representative_phone", "representative_email",
               "representative_address")
SELECTS = ("village_id", "preferred_contact", "representative_kind")


def typed(value):
    """What a kept field shows: stripped, control characters dropped as the
    portal reads the form (an HTML parser reads a bare CR as LF)."""
    return clean_form_text(value).strip()


def same(shown, value):
    want = typed(value)
    return shown in (want, want.replace("\r\n", "\n").replace("\r", "\n"))


def check_kept(response, data, *, errors=True):
    page = Page(response.text)
    for name in TEXT_FIELDS:
        assert same(page.values.get(name, ""), data[name]), (name, page.values.get(name), data[name])
    if not errors:
        return
    error_ids = re.findall(r'<p class="error" id="([a-z_]+)-error">', response.text)
    assert error_ids, "an invalid form names the field at fault"
    for name in error_ids:
        tag = re.search(r'<(?:input|select|textarea)[^>]*\bid="%s"[^>]*>' % name, response.text)
        assert tag and f"{name}-error" in tag.group(0), name  # tied to its field for screen readers
    assert 'id="error-summary"' in response.text


random_person = st.fixed_dictionaries({
    "first_name": TEXT, "last_name": TEXT, "pesel": PESELISH, "no_pesel_reason": TEXT, "birth_date": DATEISH,
    "street": TEXT, "house_number": TEXT, "postal_code": TEXT, "city": TEXT, "village_id": CHOICE,
    "phone": PHONEISH,
    "email": TEXT, "preferred_contact": CHOICE, "representative_kind": CHOICE, "representative_name": TEXT,
    "representative_phone": PHONEISH, "representative_email": TEXT, "representative_address": TEXT,
    "informed": st.sampled_from(["", "y"]), "confirm_new": st.sampled_from(["", "1"]),
})
# Valid enough to be saved, to reach the duplicate checks and the save itself.
plausible_person = st.fixed_dictionaries({
    "first_name": st.sampled_from(["Jan", "Żaneta", "Łucja", "Anna Maria"]),
    "last_name": st.sampled_from(["Kowalski", "Łukasik", "Kowalska-Nowak"]),
    "pesel": st.sampled_from(["44051401359", "02211307589", ""]),
    "no_pesel_reason": st.sampled_from(["Cudzoziemiec", ""]),
    "birth_date": st.sampled_from(["", "07.03.1950", "1950-03-07"]),
    "street": st.sampled_from(["", "ul. Długa"]), "house_number": st.sampled_from(["", "5", "5/12"]),
    "postal_code": st.sampled_from(["", "21-407", "21407"]),
    "city": st.sampled_from(["", "Wojcieszków"]), "village_id": st.just(""),
    "phone": st.sampled_from(["", "601 234 567", "+48257531001"]), "email": st.sampled_from(["", "a@b.pl"]),
    "preferred_contact": st.sampled_from(["", "phone", "letter"]),
    "representative_kind": st.sampled_from(["", "legal"]), "representative_name": st.sampled_from(["", "Ewa Nowak"]),
    "representative_phone": st.sampled_from(["", "602 000 000"]), "representative_email": st.just(""),
    "representative_address": st.just(""),
    "informed": st.sampled_from(["", "y"]), "confirm_new": st.sampled_from(["", "1"]),
})
person = st.one_of(random_person, plausible_person)


@pytest.fixture
def desk(client, auth):
    auth.login("front_desk")
    return auth


@SETTINGS
@given(data=person)
def test_new_person_form_never_breaks(desk, data):
    response = desk.post("/residents/new", data)
    event(f"status {response.status_code}")
    assert response.status_code in (200, 303, 422), response.status_code
    if response.status_code == 422:
        check_kept(response, data)
    if response.status_code == 200:  # the "same person?" prompt keeps everything too
        page = Page(response.text)
        for name in TEXT_FIELDS:
            assert same(page.values.get(name, ""), data[name]), name


@SETTINGS
@given(data=person, version=st.one_of(TEXT, st.just("1")))
def test_edit_form_never_breaks(desk, make_person_once, data, version):
    resident_id = make_person_once()
    response = desk.post(f"/residents/{resident_id}/edit", {**data, "version": version})
    event(f"status {response.status_code}")
    assert response.status_code in (303, 409, 422), response.status_code
    if response.status_code in (409, 422):
        check_kept(response, data, errors=response.status_code == 422)


@SETTINGS
@given(q=TEXT, pesel=TEXT)
def test_searches_never_break(desk, client, q, pesel):
    assert desk.post("/residents/", {"q": q}).status_code == 200
    assert desk.post("/residents/", {"q": q}, headers={"HX-Request": "true",
                                                       "HX-Target": "resident-results"}).status_code == 200
    # A query in the address: never searched (303), or refused when it carries a control character (400).
    assert client.get("/residents/", query_string={"q": q}).status_code in (200, 303, 400)
    assert desk.post("/residents/pesel", {"pesel": pesel}).status_code in (200, 303, 422)


@pytest.fixture
def make_person_once(app):
    created = {}

    def make():
        if "id" not in created:
            from datetime import date

            from portal.auth.models import User
            from portal.extensions import db
            from portal.residents import services as ops

            actor = db.session.scalar(db.select(User))
            resident = ops.create_resident(db.session, {"first_name": "Jan", "last_name": "Nowak",
                                                        "no_pesel_reason": "x", "birth_date": date(1950, 1, 1)},
                                           actor=actor)
            db.session.commit()
            created["id"] = resident.id
        return created["id"]

    return make
