"""Login, logout, server-side sessions, accounts from the command line."""
import pytest

from tests.conftest import Auth, csrf_from


def login_form(client):
    return csrf_from(client.get("/login").text)


def test_login_page_has_the_documented_fields(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="username"' in page.text and 'name="password"' in page.text


def test_passwords_are_argon2id(app, auth):
    user = auth.user("front_desk")
    assert user.password_hash.startswith("$argon2id$")


def test_login_and_logout(client, auth):
    user = auth.user("coordinator")
    response = client.post("/login", data={"username": user.username, "password": Auth.PASSWORD,
                                           "csrf_token": login_form(client)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/staff")
    assert user.full_name in client.get("/staff").text
    token = csrf_from(client.get("/staff").text)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/staff").status_code == 302


def test_wrong_password_keeps_the_username_and_says_why(client, auth):
    auth.user("front_desk", "recepcja2")
    response = client.post("/login", data={"username": "recepcja2", "password": "nope",
                                           "csrf_token": login_form(client)})
    assert response.status_code == 422
    assert "Nieprawidłowy login lub hasło." in response.text
    assert 'value="recepcja2"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_empty_form_has_messages_at_fields(client):
    response = client.post("/login", data={"username": "", "password": "", "csrf_token": login_form(client)})
    assert response.status_code == 422
    assert "Podaj login." in response.text and "Podaj hasło." in response.text


def test_unknown_user_is_refused_like_a_wrong_password(client):
    response = client.post("/login", data={"username": "ghost", "password": "whatever-123",
                                           "csrf_token": login_form(client)})
    assert response.status_code == 422
    assert "Nieprawidłowy login lub hasło." in response.text


def test_inactive_user_cannot_log_in(client, auth):
    from portal.extensions import db

    user = auth.user("director")
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": Auth.PASSWORD,
                                           "csrf_token": login_form(client)})
    assert response.status_code == 422


def test_each_login_gets_a_new_server_side_session(client, auth):
    from portal.auth.models import UserSession
    from portal.extensions import db

    user = auth.login("front_desk")
    first = {s.token for s in db.session.scalars(db.select(UserSession).filter_by(user_id=user.id))}
    auth.logout()
    auth.login("front_desk")
    db.session.expire_all()
    second = {s.token for s in db.session.scalars(db.select(UserSession).filter_by(user_id=user.id))}
    assert len(first) == 1 and len(second) == 1
    assert first != second


def test_session_cookie_changes_at_login(client, auth):
    user = auth.user("front_desk")
    client.get("/login")
    before = client.get_cookie("cus_session").value
    client.post("/login", data={"username": user.username, "password": Auth.PASSWORD,
                                "csrf_token": login_form(client)})
    after = client.get_cookie("cus_session").value
    assert before != after


def test_logout_ends_the_session_on_the_server(app, client, auth):
    """A copy of the cookie taken before logout is worthless after it."""
    auth.login("director")
    stolen = client.get_cookie("cus_session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("cus_session", stolen)
    assert thief.get("/staff").status_code == 302


def test_idle_session_expires(app, client, auth):
    from datetime import timedelta

    from portal.timeutil import now

    auth.login("front_desk")
    assert client.get("/staff").status_code == 200
    app.config["FIXED_NOW"] = now() + timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    assert client.get("/staff").status_code == 302


def test_next_parameter_is_local_only(client, auth):
    user = auth.user("front_desk")
    token = login_form(client)
    response = client.post("/login?next=https://evil.example/x",
                           data={"username": user.username, "password": Auth.PASSWORD, "csrf_token": token})
    assert response.headers["Location"].endswith("/staff")


def test_next_parameter_returns_to_the_page(client, auth):
    user = auth.user("services_organiser")
    token = login_form(client)
    response = client.post("/login?next=/services%3Fq%3Dklub",
                           data={"username": user.username, "password": Auth.PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/services?q=klub"


def test_login_is_rate_limited(app):
    from portal.extensions import limiter
    from tests.conftest import make_app

    # The limiter is one object for every app in the process: restore it.
    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True)
    try:
        client = limited.test_client()
        with limited.app_context():
            token = login_form(client)
            # Eleven different logins: the per-account lockout (5) is not what is measured here.
            codes = [client.post("/login", data={"username": f"x{n}", "password": "y", "csrf_token": token}).status_code
                     for n in range(11)]
            assert codes[:10] == [422] * 10
            assert codes[10] == 429
            assert "Zbyt wiele prób" in client.post("/login", data={"csrf_token": token}).text
            limiter.reset()
    finally:
        limiter.enabled = False


def test_cli_creates_a_user_and_resets_the_password(app, runner):
    from portal.auth.models import User, UserSession
    from portal.auth.passwords import verify_password
    from portal.extensions import db

    result = runner.invoke(args=["users", "create", "jnowak", "--name", "Jan Nowak", "--role", "coordinator",
                                 "--password", "dlugie-haslo-w-gminie"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(username="jnowak"))
    assert user.role == "coordinator"
    db.session.add(UserSession(user_id=user.id))
    db.session.commit()
    result = runner.invoke(args=["users", "reset-password", "jnowak", "--password", "nowe-haslo-na-zime"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert verify_password(user.password_hash, "nowe-haslo-na-zime")
    assert db.session.scalars(db.select(UserSession).filter_by(user_id=user.id)).all() == []


def test_cli_refuses_short_passwords_and_unknown_roles(runner):
    result = runner.invoke(args=["users", "create", "x", "--name", "X", "--role", "coordinator", "--password", "short"])
    assert result.exit_code != 0 and "at least 12" in result.output
    result = runner.invoke(args=["users", "create", "x", "--name", "X", "--role", "king",
                                 "--password", "long-enough-1"])
    assert result.exit_code != 0


def test_demo_users_only_in_demo_mode(app, runner):
    from portal.auth.models import User
    from portal.extensions import db

    app.config["DEMO_MODE"] = False
    result = runner.invoke(args=["demo", "ensure"])
    assert "Production mode" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


@pytest.mark.parametrize("username", ["recepcja", "koordynator", "organizator", "animator", "dyrektor", "admin"])
def test_demo_users_log_in_with_the_documented_password(app, client, username):
    from portal.auth.services import ensure_demo_users
    from portal.extensions import db

    ensure_demo_users()
    db.session.commit()
    response = client.post("/login", data={"username": username, "password": "demo-cus",
                                           "csrf_token": login_form(client)})
    assert response.status_code == 303


def test_login_and_logout_are_audited(app, auth):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    user = auth.login("front_desk")
    auth.logout()
    actions = [e.action for e in db.session.scalars(
        db.select(AuditEvent).filter_by(actor_id=user.id).order_by(AuditEvent.id))]
    assert actions[-2:] == ["login", "logout"]
