"""Random input never gives a 500 on the registration and contact forms,
and an invalid form comes back with what was typed."""
import re
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from portal.input_guard import clean_form_text
from portal.timeutil import WARSAW
from tests.conftest import csrf_from

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Anything a browser can send: no surrogates (not encodable), NUL included.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
CHOICE = st.one_of(TEXT, st.sampled_from(["phone", "in_person", "information", "application", "self", "urgent", ""]))


def kept(page, value):
    """The value is on the page as the templates escape it (stripped, NUL
    dropped; an HTML parser would read a bare CR as LF, so either is fine)."""
    text = clean_form_text(value).strip()
    if not text:
        return True
    return any(str(escape(variant)) in page
               for variant in (text, text.replace("\r\n", "\n").replace("\r", "\n")))


@pytest.fixture
def desk_client(client, auth):
    auth.login("front_desk")
    return client, auth.token


@SETTINGS
@given(question=TEXT, answer=TEXT, needs=TEXT, q=TEXT, first=TEXT, pesel=TEXT, birth=TEXT, phone=TEXT,
       channel=CHOICE, kind=CHOICE, applicant=CHOICE, urgency=CHOICE, routed=CHOICE, village=TEXT,
       coordinator=TEXT, services=st.lists(TEXT, max_size=3), action=st.sampled_from(["save", "enter", "find", ""]))
def test_registration_never_breaks(desk_client, question, answer, needs, q, first, pesel, birth, phone, channel,
                                   kind, applicant, urgency, routed, village, coordinator, services, action):
    client, token = desk_client
    data = {"csrf_token": token, "question": question, "answer": answer, "needs_description": needs, "q": q,
            "new_first_name": first, "new_pesel": pesel, "new_birth_date": birth, "new_phone": phone,
            "channel": channel, "kind": kind, "applicant": applicant, "urgency": urgency, "routed_to": routed,
            "new_village_id": village, "coordinator_id": coordinator, "service_ids": services, "action": action}
    response = client.post("/desk/requests/new", data=data)
    assert response.status_code in (200, 303, 422), response.status_code
    if response.status_code in (200, 422):
        page = response.text
        for value in (question, answer, needs):
            assert kept(page, value), value
        if response.status_code == 422:
            for value in (q, first):
                assert kept(page, value), value
    for target in ("person-results", "service-results", "picked", "coordinator-field", "person"):
        fragment = client.post("/desk/requests/new", data={**data, "service_q": q},
                               headers={"HX-Request": "true", "HX-Target": target})
        assert fragment.status_code == 200
        assert "<script" not in fragment.text.lower()


@SETTINGS
@given(name=TEXT, phone=TEXT, email=TEXT, message=TEXT, service=TEXT,
       wants=st.sampled_from(["", "question", "service", "complaint", "x"]), website=st.sampled_from(["", "x"]))
def test_contact_never_breaks(app, client, name, phone, email, message, service, wants, website):
    from portal.desk.views import contact_token

    app.config["FIXED_NOW"] = datetime(2026, 5, 12, 10, 0, tzinfo=WARSAW)
    token = csrf_from(client.get("/contact").text)
    started = contact_token(app.config["FIXED_NOW"] - timedelta(seconds=30))
    data = {"csrf_token": token, "started": started, "name": name, "phone": phone, "email": email,
            "message": message, "service": service, "kind": wants, "website": website}
    response = client.post("/contact", data=data)
    assert response.status_code in (303, 422)
    if response.status_code == 422:
        for value in (name, message, phone, email):
            assert kept(response.text, value), value
        assert not re.search(r'id="website"[^>]*value="x"', response.text)
