"""The public registration form: what a visitor reads, one application per form, the input kept on a
refusal (422), the spam guard shared with the contact form, the correction through the one-time link."""
import html
import re
from datetime import timedelta

from werkzeug.datastructures import MultiDict

from tests.applications.conftest import DATA, NOW, form_data
from tests.conftest import csrf_from


def visible(page):
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def open_form(client, path="/providers/register"):
    page = client.get(path)
    assert page.status_code == 200
    started = re.search(r'id="started" name="started" type="hidden" value="([^"]+)"', page.text)
    return page, {"csrf_token": csrf_from(page.text), **({"started": started.group(1)} if started else {})}


def after(app, seconds):
    app.config["FIXED_NOW"] = NOW + timedelta(seconds=seconds)


def post(client, hidden, **changes):
    return client.post("/providers/register", data=MultiDict(list(hidden.items()) + form_data(**changes)))


def stored():
    from portal.applications.models import ProviderApplication
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalars(db.select(ProviderApplication)).all()


def test_the_form_asks_the_questions_of_the_providers_survey(client, frozen):
    page, _hidden = open_form(client)
    text = visible(page.text)
    for words in ("Zgłoś organizację jako realizatora usług", "Nazwa organizacji", "Rodzaj organizacji",
                  "Koło gospodyń wiejskich", "Grupa nieformalna", "Inna jednostka publiczna", "NIP", "REGON", "KRS",
                  "Osoba do kontaktu", "Doświadczenie organizacji", "Proponowane usługi", "Usługa 1", "Usługa 5",
                  "Dla kogo", "Lokal i dostępność", "Winda", "Pętla indukcyjna", "Kadra",
                  "Grupa nieformalna nie podaje NIP, REGON ani KRS.", "Wyślij zgłoszenie"):
        assert words in text, words
    assert "Urząd gminy" not in text  # the municipality's own kinds are not for the public
    assert re.search(r'<div class="visually-hidden" aria-hidden="true">\s*<label for="website">', page.text)


def test_an_application_is_stored_once_and_thanked_for(app, client, frozen):
    _page, hidden = open_form(client)
    after(app, 30)
    response = post(client, hidden)
    assert response.status_code == 303 and response.headers["Location"].endswith("/providers/register/thanks")
    [application] = stored()
    assert (application.name, application.status, application.nip) == (DATA["name"], "new", DATA["nip"])
    assert application.proposed_services[0]["name"] == "Warsztaty kulinarne dla seniorów"
    assert application.accessibility == ["accessible_toilet", "step_free"] and application.staff_count == 4
    thanks = visible(client.get(response.headers["Location"]).text)
    assert "Dziękujemy za zgłoszenie" in thanks and "odpowie e-mailem" in thanks
    assert "Wróblewska" not in thanks
    # The same form again (a double click, a resend): still one application.
    assert post(client, hidden).status_code == 303
    assert len(stored()) == 1


def test_bad_input_comes_back_as_typed_with_the_message_at_the_field(app, client, frozen):
    _page, hidden = open_form(client)
    after(app, 30)
    response = post(client, hidden, nip="537-265-01-17", contact_phone="601 234 56", **{"services-0-name": ""})
    assert response.status_code == 422
    text = visible(response.text)
    assert "Popraw zaznaczone pola" in text
    assert "Nieprawidłowy NIP (suma kontrolna się nie zgadza)." in text
    assert "Numer telefonu: 9 cyfr, opcjonalnie z +48." in text
    assert "Podaj nazwę usługi." in text
    assert 'value="537-265-01-17"' in response.text and 'value="601 234 56"' in response.text
    assert 'value="Fundacja „Razem w Bęczkowie”"' in response.text
    assert "Raz w tygodniu gotujemy razem w świetlicy." in response.text
    assert re.search(r'<input[^>]*checked[^>]*value="step_free"|<input[^>]*value="step_free"[^>]*checked',
                     response.text)
    assert stored() == []


def test_a_rule_of_the_service_comes_back_at_its_field(app, client, frozen):
    _page, hidden = open_form(client)
    after(app, 30)
    response = post(client, hidden, krs="")
    assert response.status_code == 422
    assert "Podaj numer KRS: ta forma organizacji jest wpisana do KRS." in visible(response.text)
    assert 'id="krs-error"' in response.text and 'value="Fundacja „Razem w Bęczkowie”"' in response.text
    # An informal group needs no numbers.
    _page, hidden = open_form(client)
    after(app, 60)
    response = post(client, hidden, provider_type="informal_group", nip="", regon="", krs="",
                    name="Grupa sąsiedzka „Dobry Sąsiad”")
    assert response.status_code == 303
    [group] = stored()
    assert (group.provider_type, group.nip) == ("informal_group", None)


def test_every_service_row_left_empty_is_refused(app, client, frozen):
    _page, hidden = open_form(client)
    after(app, 30)
    response = post(client, hidden, **{f"services-0-{name}": "" for name in ("name", "description", "target_group",
                                                                             "area")})
    assert response.status_code == 422
    assert "Opisz co najmniej jedną usługę, którą chcesz prowadzić." in visible(response.text)


def test_the_spam_guard_of_the_contact_form(app, client, frozen):
    _page, hidden = open_form(client)
    after(app, 1)
    fast = post(client, hidden)
    assert fast.status_code == 422
    assert "Formularz został wysłany zbyt szybko." in visible(fast.text)
    assert 'value="Fundacja „Razem w Bęczkowie”"' in fast.text
    after(app, 30)
    trapped = post(client, hidden, website="http://spam.example")
    assert trapped.status_code == 422 and "wygląda na wypełniony automatycznie" in visible(trapped.text)
    assert not re.search(r'id="website"[^>]*value="http', trapped.text)
    expired = post(client, {**hidden, "started": "zmyslony-token"})
    assert expired.status_code == 422 and "Formularz wygasł." in visible(expired.text)
    after(app, 25 * 3600)
    assert "Formularz wygasł." in visible(post(client, hidden).text)
    assert stored() == []
    # The contact form's token is not good here.
    from portal.desk.views import contact_token

    after(app, 0)
    token = contact_token()
    after(app, 30)
    assert post(client, {**hidden, "started": token}).status_code == 422


def test_a_body_over_the_limit_is_refused_before_it_is_read(app, client, frozen):
    _page, hidden = open_form(client)
    after(app, 30)
    response = post(client, hidden, experience="Ż" * (300 * 1024))
    assert response.status_code == 413 and "ŻŻŻŻ" not in response.text
    assert stored() == []


def test_the_form_is_rate_limited_per_address(app):
    from portal.extensions import limiter
    from tests.conftest import make_app

    # The limiter is one object for every app in the process: restore it.
    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True, FIXED_NOW=NOW)
    try:
        client = limited.test_client()
        with limited.app_context():
            codes = []
            for n in range(6):
                limited.config["FIXED_NOW"] = NOW
                _page, hidden = open_form(client)
                limited.config["FIXED_NOW"] = NOW + timedelta(seconds=30)
                codes.append(post(client, hidden, name=f"Organizacja {n}").status_code)
            assert codes == [303] * 5 + [429]
            assert client.get("/providers/register").status_code == 200
            limiter.reset()
    finally:
        limiter.enabled = False


def _asked(auth, make_application):
    from portal.applications import services as applications
    from portal.auth.models import Role
    from portal.extensions import db

    application = make_application()
    token = applications.ask_for_more(db.session, application, "Prosimy o numer KRS i opis lokalu.",
                                      actor=auth.user(Role.SERVICES_ORGANISER), expected_version=1)
    db.session.commit()
    return application, token


def test_the_applicant_corrects_the_application_through_the_link(app, client, auth, make_application):
    application, token = _asked(auth, make_application)
    path = f"/providers/register/{token}"
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    text = visible(page.text)
    assert "Uzupełnij zgłoszenie" in text and "Prosimy o numer KRS i opis lokalu." in text
    assert 'value="Fundacja „Razem w Bęczkowie”"' in page.text and "Warsztaty kulinarne dla seniorów" in page.text
    hidden = {"csrf_token": csrf_from(page.text)}
    bad = client.post(path, data=MultiDict(list(hidden.items()) + form_data(regon="123")))
    assert bad.status_code == 422 and "REGON ma 9 lub 14 cyfr." in visible(bad.text)
    assert 'value="123"' in bad.text
    done = client.post(path, data=MultiDict(list(hidden.items()) + form_data(premises="Świetlica, parter, 60 m².")))
    assert done.status_code == 303 and done.headers["Location"].endswith("/providers/register/thanks?corrected=1")
    assert "Poprawione zgłoszenie wróciło do organizatora" in visible(client.get(done.headers["Location"]).text)
    [stored_application] = stored()
    assert (stored_application.status, stored_application.premises) == ("updated", "Świetlica, parter, 60 m².")
    again = client.get(path)
    assert again.status_code == 404 and "Ten link już nie działa" in visible(again.text)
    assert client.get("/providers/register/zmyslony").status_code == 404


def test_the_correction_link_never_reaches_the_access_log():
    from portal.accounts.logredact import redact

    line = '127.0.0.1 - - "GET /providers/register/AbC-123_xyz HTTP/1.1" 200 -'
    assert redact(line) == '127.0.0.1 - - "GET /providers/register/[…] HTTP/1.1" 200 -'
    thanks = '127.0.0.1 - - "GET /providers/register/thanks?corrected=1 HTTP/1.1" 200 -'
    assert redact(thanks) == thanks
