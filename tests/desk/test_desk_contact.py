"""The public contact form: stored once as a web-form request, spam kept out
by a honeypot, a minimum fill time and a rate limit, input kept on error."""
import re
from datetime import datetime, timedelta

import pytest

from portal.timeutil import WARSAW
from tests.conftest import csrf_from

SHOWN = datetime(2026, 5, 12, 10, 0, 0, tzinfo=WARSAW)


@pytest.fixture
def shown(app):
    """The form is shown at SHOWN and sent 20 s later, unless a test moves the clock."""
    app.config["FIXED_NOW"] = SHOWN
    return SHOWN


def open_form(client, query=""):
    page = client.get("/contact" + query)
    assert page.status_code == 200
    started = re.search(r'name="started" type="hidden" value="([^"]+)"'
                        r'|id="started" name="started" type="hidden" value="([^"]+)"', page.text)
    token = started.group(1) or started.group(2)
    return page, {"csrf_token": csrf_from(page.text), "started": token}


def after(app, seconds):
    app.config["FIXED_NOW"] = SHOWN + timedelta(seconds=seconds)


def stored():
    from portal.desk.models import Request
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalars(db.select(Request)).all()


GOOD = {"name": "Halina Wiśniewska", "phone": "601 234 567", "email": "", "message": "Czy mogę zapisać mamę do klubu?"}


def test_contact_is_stored_once_as_a_web_form_request(app, client, shown, make_service):
    club = make_service("Klub Seniora w Bęczkowie")
    page, hidden = open_form(client, f"?service={club.slug}")
    assert f'<option selected value="{club.slug}">' in page.text
    after(app, 20)
    response = client.post("/contact", data={**hidden, **GOOD, "service": club.slug})
    assert response.status_code == 303 and response.headers["Location"].endswith("/contact/thanks")
    [item] = stored()
    assert (item.channel, item.kind, item.status, item.resident_id) == ("web_form", "information", "new", None)
    assert (item.contact_name, item.contact_phone, item.contact_email) == ("Halina Wiśniewska", "+48601234567", None)
    assert item.message == GOOD["message"] and [s.id for s in item.services] == [club.id]
    assert item.created_by_id is None and item.history[0].actor_id is None
    thanks = client.get(response.headers["Location"])
    assert "Odpowiemy w ciągu 3 dni roboczych" in thanks.text and app.config["CENTRE_PHONE"] in thanks.text
    assert "Wiśniewska" not in thanks.text


def test_contact_wanting_a_service_is_an_application(app, client, shown):
    _page, hidden = open_form(client)
    after(app, 5)
    response = client.post("/contact", data={**hidden, **GOOD, "phone": "", "email": "h.w@poczta.pl",
                                             "kind": "service"})
    assert response.status_code == 303
    [item] = stored()
    assert item.kind == "application" and item.contact_email == "h.w@poczta.pl" and item.status == "new"


def test_the_board_shows_web_form_requests(app, client, auth, shown):
    _page, hidden = open_form(client)
    after(app, 5)
    client.post("/contact", data={**hidden, **GOOD})
    auth.login("front_desk")
    board = client.get("/desk/").text
    assert "Halina Wiśniewska" in board and "formularz internetowy" in board


@pytest.mark.parametrize("fields, message", [
    ({"name": ""}, "Podaj imię i nazwisko."),
    ({"phone": "", "email": ""}, "Podaj telefon albo e-mail"),
    ({"phone": "12345"}, "Numer telefonu: 9 cyfr"),
    ({"email": "nie-adres"}, "Podaj poprawny adres e-mail"),
    ({"message": "  "}, "Napisz, w czym możemy pomóc."),
    ({"service": "no-such-service"}, "Wybierz jedną z możliwości."),
])
def test_invalid_input_is_kept_with_the_message_at_the_field(app, client, shown, fields, message):
    _page, hidden = open_form(client)
    after(app, 20)
    data = {**hidden, **GOOD, **fields}
    response = client.post("/contact", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert 'class="error"' in response.text
    for key in ("name", "phone", "email"):
        if data[key]:
            assert f'value="{data[key]}"' in response.text
    if data["message"].strip():
        assert data["message"] in response.text
    assert stored() == []


def test_honeypot_is_refused_and_nothing_stored(app, client, shown):
    _page, hidden = open_form(client)
    after(app, 20)
    response = client.post("/contact", data={**hidden, **GOOD, "website": "http://spam.example"})
    assert response.status_code == 422
    assert "wypełniony automatycznie" in response.text
    assert 'value="Halina Wiśniewska"' in response.text and GOOD["message"] in response.text
    assert "spam.example" not in response.text
    assert stored() == []


def test_too_fast_is_refused_then_accepted_when_sent_again(app, client, shown):
    _page, hidden = open_form(client)
    after(app, 2)
    response = client.post("/contact", data={**hidden, **GOOD})
    assert response.status_code == 422 and "zbyt szybko" in response.text
    assert 'value="Halina Wiśniewska"' in response.text and GOOD["message"] in response.text
    assert stored() == []
    # The re-rendered form carries a fresh time stamp: sent again later, it goes through.
    again = re.search(r'name="started" type="hidden" value="([^"]+)"', response.text).group(1)
    after(app, 10)
    response = client.post("/contact", data={**hidden, **GOOD, "started": again})
    assert response.status_code == 303
    assert len(stored()) == 1


@pytest.mark.parametrize("started", ["", "garbage", "eyJ0IjoxfQ.forged.signature"])
def test_bad_signature_is_refused(app, client, shown, started):
    _page, hidden = open_form(client)
    after(app, 20)
    response = client.post("/contact", data={**hidden, **GOOD, "started": started})
    assert response.status_code == 422 and "Formularz wygasł" in response.text
    assert 'value="Halina Wiśniewska"' in response.text
    assert stored() == []


def test_a_token_signed_with_another_key_or_salt_is_refused(app, client, shown):
    from itsdangerous import URLSafeTimedSerializer

    _page, hidden = open_form(client)
    after(app, 20)
    for serializer in (URLSafeTimedSerializer("another-secret", salt="contact-form"),
                       URLSafeTimedSerializer(app.secret_key, salt="another-salt")):
        token = serializer.dumps({"t": SHOWN.timestamp()})
        response = client.post("/contact", data={**hidden, **GOOD, "started": token})
        assert response.status_code == 422
    assert stored() == []


def test_expired_form_is_refused(app, client, shown):
    _page, hidden = open_form(client)
    after(app, 25 * 3600)
    response = client.post("/contact", data={**hidden, **GOOD})
    assert response.status_code == 422 and "Formularz wygasł" in response.text
    assert stored() == []


def test_contact_is_rate_limited_per_address(app):
    from portal.extensions import db, limiter
    from tests.conftest import make_app

    # The limiter is one object for every app in the process: restore it.
    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True,
                       FIXED_NOW=SHOWN)
    try:
        client = limited.test_client()
        with limited.app_context():
            def fresh_form():
                limited.config["FIXED_NOW"] = SHOWN
                page = client.get("/contact")
                limited.config["FIXED_NOW"] = SHOWN + timedelta(seconds=30)
                return csrf_from(page.text), re.search(r'name="started" type="hidden" value="([^"]+)"',
                                                       page.text).group(1)

            codes = []
            for n in range(6):
                token, started = fresh_form()  # each message its own form (a token is good for one)
                codes.append(client.post("/contact", data={"csrf_token": token, "started": started, **GOOD,
                                                           "message": f"Wiadomość {n}"}).status_code)
            assert codes == [303] * 5 + [429]
            assert "Zbyt wiele prób" in client.post("/contact", data={"csrf_token": token}).text
            assert client.get("/contact").status_code == 200  # reading the form is not limited
            token, started = fresh_form()
            other = client.post("/contact", data={"csrf_token": token, "started": started, **GOOD},
                                environ_base={"REMOTE_ADDR": "10.0.0.9"})
            assert other.status_code == 303  # another address has its own allowance
            from portal.desk.models import Request

            assert db.session.scalar(db.select(db.func.count()).select_from(Request)) == 6
            limiter.reset()
    finally:
        limiter.enabled = False


def test_contact_page_has_the_honeypot_hidden_from_people(client):
    html = client.get("/contact").text
    assert re.search(r'<div class="visually-hidden" aria-hidden="true">\s*<label for="website">', html)
    assert re.search(r'<input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off">',
                     html)


def test_a_resent_or_replayed_form_stores_one_message(app, client, shown):
    """The review replayed the timing token for a day; a double click or a
    browser's resend after a timeout gave a second request too."""
    _page, hidden = open_form(client)
    after(app, 20)
    first = client.post("/contact", data={**hidden, **GOOD})
    again = client.post("/contact", data={**hidden, **GOOD})
    replayed = client.post("/contact", data={**hidden, **GOOD, "message": "Inna wiadomość, ten sam token"})
    after(app, 20 * 3600)
    later = client.post("/contact", data={**hidden, **GOOD, "message": "Następnego dnia"})
    for response in (first, again, replayed, later):
        assert response.status_code == 303 and response.headers["Location"].endswith("/contact/thanks")
    [item] = stored()
    assert item.message == GOOD["message"]


def test_a_huge_message_is_refused_before_it_is_read_or_echoed(app, client, shown):
    _page, hidden = open_form(client)
    after(app, 20)
    huge = "Ż" * (9 * 1024 * 1024 // 2)
    response = client.post("/contact", data={**hidden, **GOOD, "message": huge})
    assert response.status_code == 413
    assert len(response.data) < 20_000 and "ŻŻŻŻ" not in response.text
    assert stored() == []


def test_a_message_over_the_limit_comes_back_whole_with_the_limit_named(app, client, shown):
    _page, hidden = open_form(client)
    after(app, 20)
    long_text = "Proszę o pomoc. " * 400  # 6,400 characters
    response = client.post("/contact", data={**hidden, **GOOD, "message": long_text})
    assert response.status_code == 422
    assert "Wpisz najwyżej 5000 znaków." in response.text
    assert long_text.strip() in response.text
    assert stored() == []
