"""The administrator's account pages, read back as the administrator sees them."""
import hashlib
import re

from tests.accounts.conftest import NEW_PASSWORD, audit, fresh, link_path, password_step, post, text_of
from tests.conftest import FreshContextClient, csrf_from


def test_the_list_shows_each_account_as_the_administrator_reads_it(app, client, admin, anna, clock, auth):
    from portal.auth.models import User
    from portal.extensions import db

    # Anna logged in on 13 January at noon (Warsaw) from another computer.
    other = app.test_client()
    assert password_step(other, "recepcja").status_code == 303
    bare = auth.user("coordinator", "bez-logowania")
    bare.active = False
    db.session.commit()

    page = client.get("/admin/users")
    assert page.status_code == 200
    text = text_of(page.text)
    row = re.search(r"Anna Recepcyjna recepcja (.*?) (?=Test coordinator|Test admin|$)", text).group(1)
    assert row.startswith("Recepcja (jedno okienko) aktywne 13 stycznia 2026, 12:00 1 wyłączona")
    assert "Test coordinator bez-logowania Koordynator IPUS wyłączone jeszcze nie 0" in text
    # The administrator's own row: logged in now, one session (this one).
    assert "Test admin admin Administrator aktywne" in text
    assert fresh(User, anna.id).last_login_at is not None


def test_an_account_is_created_with_a_one_time_link_and_no_password(client, admin):
    from portal.auth.models import PasswordLink, User
    from portal.auth.services import UNUSABLE_PASSWORD
    from portal.extensions import db

    page = client.get("/admin/users/new")
    assert "Nowe konto" in page.text and "Nie wpisujesz hasła" in text_of(page.text)
    response = post(client, "/admin/users/new", {"username": " JKowalska ", "full_name": "Joanna Kowalska",
                                                  "email": "", "role": "coordinator"})
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Konto jkowalska jest założone" in text and "Koordynator IPUS" in text
    path = link_path(response.text)
    token = path.rsplit("/", 1)[1]
    user = db.session.scalar(db.select(User).filter_by(username="jkowalska"))
    assert user.full_name == "Joanna Kowalska" and user.role == "coordinator" and user.email is None
    assert user.password_hash == UNUSABLE_PASSWORD
    # Stored only as a hash; the token is nowhere in the database's link row or the audit log.
    [link] = db.session.scalars(db.select(PasswordLink).filter_by(user_id=user.id)).all()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in link.token_hash
    for event in audit(object_id=user.id):
        assert token not in (event.summary + str(event.changes) + str(event.reason))
    assert [e.action for e in audit(object_id=user.id)] == ["create", "password_link"]
    assert all(e.actor_id == admin.id for e in audit(object_id=user.id))
    # The account cannot log in before the link is used.
    assert password_step(FreshContextClient(client.application), "jkowalska", "").status_code == 422


def test_the_link_page_says_until_when_in_polish(client, admin, clock):
    response = post(client, "/admin/users/new", {"username": "nowa", "full_name": "Nowa Osoba", "role": "front_desk"})
    # 72 hours from Tuesday 13 January 2026, 12:00 in Warsaw.
    assert "Link działa tylko raz, do 16 stycznia 2026, godz. 12:00." in text_of(response.text)


def test_create_form_errors_keep_the_input(client, admin, anna):
    response = post(client, "/admin/users/new", {"username": "recepcja", "full_name": "", "email": "zly-adres",
                                                  "role": "nobody", "send_email": "y"})
    assert response.status_code == 422
    text = text_of(response.text)
    assert "Wpisz imię i nazwisko." in text
    assert "Wpisz adres e-mail w postaci nazwa@domena.pl." in text
    assert "Wybierz rolę z listy." in text
    assert 'value="zly-adres"' in response.text and 'value="recepcja"' in response.text
    response = post(client, "/admin/users/new",
                    {"username": "recepcja", "full_name": "Druga Anna", "role": "front_desk"})
    assert response.status_code == 422
    assert "Ten login jest już zajęty." in text_of(response.text)
    assert 'value="Druga Anna"' in response.text
    response = post(client, "/admin/users/new", {"username": "Łukasz!", "full_name": "Ł", "role": "front_desk"})
    assert response.status_code == 422 and "małe litery bez polskich znaków" in text_of(response.text)


def test_the_link_is_emailed_instead_when_asked(client, admin, smtp, clock):
    from portal.auth.models import User
    from portal.extensions import db

    response = post(client, "/admin/users/new", {"username": "ewa", "full_name": "Ewa Nowak", "role": "director",
                                                  "email": "ewa.nowak@cus.example", "send_email": "y"})
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Link do ustawienia hasła wysłano na adres ewa.nowak@cus.example" in text
    assert "/set-password/" not in response.text  # not shown: it went by e-mail
    [(recipients, message)] = smtp.messages
    assert recipients == ["ewa.nowak@cus.example"]
    body = message.get_body(("plain",)).get_content()
    assert "Dzień dobry, Ewa Nowak," in body and "loginie ewa" in body
    url = re.search(r"http://\S+/set-password/\S+", body).group(0)
    user = db.session.scalar(db.select(User).filter_by(username="ewa"))
    assert [e.action for e in audit(object_id=user.id)] == ["create", "password_link", "password_link_sent"]
    # The link from the e-mail works.
    public = FreshContextClient(client.application)
    path = url[url.index("/set-password/"):]
    assert "Ustaw hasło do Portalu CUS" in public.get(path).text


def test_when_the_mail_server_refuses_the_link_is_shown(app, client, admin):
    from tests.desk.test_desk_mail import free_port

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)  # nothing listens there
    response = post(client, "/admin/users/new", {"username": "ewa", "full_name": "Ewa Nowak", "role": "director",
                                                  "email": "ewa.nowak@cus.example", "send_email": "y"})
    text = text_of(response.text)
    assert "Nie udało się wysłać e-maila" in text
    assert link_path(response.text).startswith("/set-password/")


def test_role_change_takes_effect_at_the_next_click(app, client, admin, anna):
    desk = FreshContextClient(app)
    assert password_step(desk, "recepcja").status_code == 303
    assert desk.get("/residents/").status_code == 200
    assert desk.get("/plans/").status_code == 403
    response = post(client, f"/admin/users/{anna.id}", {"full_name": "Anna Recepcyjna", "role": "coordinator",
                                                         "email": "anna.recepcyjna@cus.example"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert "Zapisano zmiany konta." in page.text and "Koordynator IPUS" in text_of(page.text)
    assert desk.get("/plans/").status_code == 200  # same session, new role
    [change] = audit("role_change")
    assert change.changes == {"role": ["front_desk", "coordinator"]} and change.actor_id == admin.id
    history = text_of(client.get(f"/admin/users/{anna.id}/history").text)
    assert "Zmiana roli Test admin Recepcja (jedno okienko) → Koordynator IPUS" in history


def test_name_and_email_changes_are_audited_without_the_address(client, admin, anna):
    response = post(client, f"/admin/users/{anna.id}", {"full_name": "Anna Nowak-Recepcyjna", "role": "front_desk",
                                                         "email": "anna.nowak@cus.example"})
    assert response.status_code == 303
    [update] = audit("update", anna.id)
    assert update.changes["full_name"] == ["Anna Recepcyjna", "Anna Nowak-Recepcyjna"]
    assert "anna.nowak" not in str(update.changes) + update.summary
    assert "Zmiana danych konta Test admin imię i nazwisko, e-mail" in text_of(
        client.get(f"/admin/users/{anna.id}/history").text)


def test_the_edit_form_comes_back_with_the_input_on_error(client, admin, anna):
    response = post(client, f"/admin/users/{anna.id}", {"full_name": "", "role": "front_desk", "email": "nie-adres"})
    assert response.status_code == 422
    assert "Wpisz imię i nazwisko." in text_of(response.text) and 'value="nie-adres"' in response.text


def test_disable_asks_first_then_ends_every_session(app, client, admin, anna):
    from portal.auth.models import User, UserSession
    from portal.extensions import db

    desk = FreshContextClient(app)
    assert password_step(desk, "recepcja").status_code == 303
    assert desk.get("/staff").status_code == 200
    page = client.get(f"/admin/users/{anna.id}/disable")
    text = text_of(page.text)
    assert "Wyłączyć konto recepcja?" in text and "Wszystkie otwarte sesje tego konta kończą się od razu." in text
    assert "Wyłącz konto" in text
    assert fresh(User, anna.id).active  # the first step changes nothing
    response = post(client, f"/admin/users/{anna.id}/disable")
    assert response.status_code == 303
    assert "Konto recepcja jest wyłączone" in client.get(response.headers["Location"]).text
    assert not fresh(User, anna.id).active
    assert db.session.scalar(db.select(db.func.count()).select_from(UserSession).filter_by(user_id=anna.id)) == 0
    # Her open browser is logged out at its next request; the login is refused.
    assert desk.get("/staff").status_code == 302
    assert password_step(desk, "recepcja").status_code == 422
    # History kept: the account is still listed, disabled; enabling brings it back.
    assert "wyłączone" in text_of(client.get("/admin/users").text)
    token = csrf_from(client.get(f"/admin/users/{anna.id}").text)
    assert client.post(f"/admin/users/{anna.id}/enable", data={"csrf_token": token}).status_code == 303
    assert fresh(User, anna.id).active
    assert password_step(desk, "recepcja").status_code == 303
    assert [e.action for e in audit(object_id=anna.id) if e.action in ("disable", "enable")] == ["disable", "enable"]


def test_the_last_administrator_cannot_disable_or_demote_themselves(client, admin, auth):
    from portal.auth.models import User

    page = client.get(f"/admin/users/{admin.id}/disable")
    assert "To jedyne aktywne konto administratora" in text_of(page.text)
    assert 'class="button button-danger">Wyłącz konto' not in page.text
    response = post(client, f"/admin/users/{admin.id}/disable")
    assert response.status_code == 409
    assert fresh(User, admin.id).active
    response = post(client, f"/admin/users/{admin.id}", {"full_name": "Test admin", "role": "director"})
    assert response.status_code == 422
    assert "To jedyne aktywne konto administratora. Najpierw nadaj rolę administratora innej osobie." in text_of(
        response.text)
    assert fresh(User, admin.id).role == "admin"
    # With a second administrator, stepping down is allowed.
    auth.user("admin", "drugi-admin")
    response = post(client, f"/admin/users/{admin.id}", {"full_name": "Test admin", "role": "director"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff")
    assert fresh(User, admin.id).role == "director"


def test_reset_makes_a_new_link_ends_sessions_and_the_old_password_stops(app, client, admin, anna):
    desk = FreshContextClient(app)
    assert password_step(desk, "recepcja").status_code == 303
    first = link_path(post(client, "/admin/users/new", {"username": "x-old", "full_name": "X Old",
                                                         "role": "front_desk"}).text)
    page = client.get(f"/admin/users/{anna.id}/reset")
    assert "Obecne hasło przestaje działać." in text_of(page.text)
    response = post(client, f"/admin/users/{anna.id}/reset")
    assert response.status_code == 200
    assert "Konto recepcja jest zresetowane" in text_of(response.text)
    path = link_path(response.text)
    assert desk.get("/staff").status_code == 302
    assert password_step(desk, "recepcja").status_code == 422  # the old password no longer works
    public = FreshContextClient(app)
    response = post(public, path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 303
    assert password_step(public, "recepcja", NEW_PASSWORD).status_code == 303
    assert first != path
    assert [e.action for e in audit(object_id=anna.id) if e.action.startswith(("reset", "password"))] == [
        "reset", "password_link", "password_change", "password_link_used"]


def test_a_second_reset_replaces_the_first_link(client, admin, anna):
    first = link_path(post(client, f"/admin/users/{anna.id}/reset").text)
    second = link_path(post(client, f"/admin/users/{anna.id}/reset").text)
    public = FreshContextClient(client.application)
    assert public.get(first).status_code == 404
    assert "Ten link nie działa" in text_of(public.get(first).text)
    assert public.get(second).status_code == 200


def test_an_administrator_cannot_reset_their_own_account_here(client, admin):
    page = client.get(f"/admin/users/{admin.id}/reset")
    assert "Własne hasło zmienisz na stronie Moje konto." in text_of(page.text)
    response = post(client, f"/admin/users/{admin.id}/reset")
    assert "/set-password/" not in response.text
    assert audit("reset") == []


def test_sessions_are_listed_without_tokens_and_can_be_ended(app, client, admin, anna, clock):
    from portal.auth.models import UserSession
    from portal.extensions import db

    desks = [FreshContextClient(app), FreshContextClient(app)]
    for desk in desks:
        assert password_step(desk, "recepcja").status_code == 303
    rows = db.session.scalars(db.select(UserSession).filter_by(user_id=anna.id).order_by(UserSession.id)).all()
    page = client.get(f"/admin/users/{anna.id}")
    text = text_of(page.text)
    assert "Otwarte sesje" in text and text.count("13 stycznia 2026, 12:00 13 stycznia 2026, 12:00 Zakończ") == 2
    for row in rows:
        assert row.token not in page.text
    # End one: that browser is logged out, the other stays.
    confirm = client.get(f"/admin/users/{anna.id}/sessions/{rows[0].id}/end")
    assert "Zakończyć tę sesję konta recepcja?" in text_of(confirm.text)
    assert post(client, f"/admin/users/{anna.id}/sessions/{rows[0].id}/end").status_code == 303
    statuses = sorted(d.get("/staff").status_code for d in desks)
    assert statuses == [200, 302]
    # End all.
    page = client.get(f"/admin/users/{anna.id}/sessions/end")
    assert "Zakończyć wszystkie sesje konta recepcja?" in text_of(page.text)
    response = post(client, f"/admin/users/{anna.id}/sessions/end")
    assert "Zakończono 1 sesję." in client.get(response.headers["Location"]).text
    assert [d.get("/staff").status_code for d in desks] == [302, 302]
    assert [e.action for e in audit("sessions_end")] == ["sessions_end", "sessions_end"]
    # Another account's session id is not found under this account.
    assert client.get(f"/admin/users/{admin.id}/sessions/{rows[1].id}/end").status_code == 404


def test_history_lists_every_change_with_who_and_when(client, admin, anna, clock):
    post(client, f"/admin/users/{anna.id}", {"full_name": "Anna Recepcyjna", "role": "director"})
    post(client, f"/admin/users/{anna.id}/disable")
    token = csrf_from(client.get(f"/admin/users/{anna.id}").text)
    client.post(f"/admin/users/{anna.id}/enable", data={"csrf_token": token})
    text = text_of(client.get(f"/admin/users/{anna.id}/history").text)
    assert "13.01.2026 12:00 Włączenie konta Test admin" in text
    assert "13.01.2026 12:00 Wyłączenie konta Test admin" in text
    assert "Zmiana roli Test admin Recepcja (jedno okienko) → Dyrektor" in text
    assert "Utworzenie konta" in text


def test_the_administrator_still_sees_no_resident_data(client, admin):
    for path in ("/residents/", "/desk/", "/plans/", "/assessments/", "/cases/all"):
        assert client.get(path).status_code == 403, path


def test_other_roles_cannot_open_the_account_pages(client, auth, anna):
    for role in ("front_desk", "coordinator", "director", "services_organiser", "community_organiser"):
        auth.login(role)
        assert client.get("/admin/users").status_code == 403
        assert client.get(f"/admin/users/{anna.id}").status_code == 403
        auth.logout()


def test_the_nav_shows_the_account_pages_to_the_administrator(client, admin):
    text = text_of(client.get("/staff").text)
    assert "Konta pracowników" in text and "Koordynatorzy miejscowości" in text and "Moje konto" in text


def test_the_link_uses_the_configured_address_never_the_host_header(app):
    """A forged Host header (a proxy that passes it through) must not send the
    one-time link to another server: the link is built from PUBLIC_BASE_URL."""
    from portal.accounts.views import _link_url

    app.config["PUBLIC_BASE_URL"] = "https://cus.wojcieszkow.pl/"
    try:
        with app.test_request_context("/admin/users/new", base_url="http://evil.example"):
            link = _link_url("abc")
    finally:
        app.config["PUBLIC_BASE_URL"] = ""
    assert link == "https://cus.wojcieszkow.pl/set-password/abc"
