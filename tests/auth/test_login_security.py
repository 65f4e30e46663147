"""Findings of the security review on logins and sessions (issue 9):
rate limits per address and per account, the audit of failed logins, the
trusted-proxy count, idle and absolute session lifetimes, the password
policy and the production secret."""
from contextlib import contextmanager
from datetime import timedelta

from tests.conftest import Auth, FreshContextClient, csrf_from, make_app


@contextmanager
def limited_app(app, **settings):
    """An app with rate limits on (the suite runs with them off). The limiter
    is one object in the process: its state is restored afterwards."""
    from portal.extensions import db, limiter

    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True, **settings)
    limited.test_client_class = FreshContextClient
    try:
        with limited.app_context():
            limiter.reset()
            yield limited
            limiter.reset()
            db.session.remove()
    finally:
        limiter.enabled = False
        with limited.app_context():
            db.engine.dispose()


def attempt(client, username, password, address, **kwargs):
    token = csrf_from(client.get("/login", environ_base={"REMOTE_ADDR": address}).text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address}, **kwargs)


def audit_actions(db, action=None):
    from portal.audit.models import AuditEvent

    query = db.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def test_five_wrong_passwords_lock_that_address_out_of_that_account_only(app, auth):
    auth.user("front_desk", "recepcja")
    auth.user("coordinator", "koordynator")
    with limited_app(app) as limited:
        desk_a, desk_b = limited.test_client(), limited.test_client()
        codes = [attempt(desk_a, "recepcja", "zle-haslo", "10.0.0.1").status_code for _ in range(5)]
        assert codes == [422] * 5
        locked = attempt(desk_a, "recepcja", Auth.PASSWORD, "10.0.0.1")
        assert locked.status_code == 429
        assert "Zbyt wiele nieudanych prób logowania na to konto z tego komputera" in locked.text
        # The owner at her own desk still logs in; so does another account at the attacked desk.
        assert attempt(desk_b, "recepcja", Auth.PASSWORD, "10.0.0.2").status_code == 303
        assert attempt(desk_a, "koordynator", Auth.PASSWORD, "10.0.0.1").status_code == 303


def test_failed_logins_and_lockouts_are_in_the_audit_log(app, auth):
    from portal.extensions import db

    user = auth.user("front_desk", "recepcja")
    with limited_app(app) as limited:
        client = limited.test_client()
        for _ in range(5):
            attempt(client, "recepcja", "zle-haslo", "10.0.0.7")
        attempt(client, "recepcja", "zle-haslo", "10.0.0.7")
        attempt(client, "Moje-Tajne-Haslo-W-Polu-Login", "x", "10.0.0.8")
    failed = audit_actions(db, "login_failed")
    assert len(failed) == 6
    assert failed[0].object_id == user.id and "recepcja" in failed[0].summary and "10.0.0.7" in failed[0].summary
    # A login that names no account is not stored: it may be a password typed in the wrong field.
    assert failed[-1].object_id is None and "Tajne" not in failed[-1].summary.lower()
    assert "tajne" not in failed[-1].summary.lower()
    lockouts = audit_actions(db, "login_lockout")
    assert [e.object_id for e in lockouts] == [user.id]
    assert "15" in lockouts[0].summary
    refused = audit_actions(db, "login_refused")
    assert len(refused) == 1 and refused[0].object_id == user.id


def test_an_account_under_attack_slows_down_for_unknown_browsers_only(app, auth):
    auth.user("director", "dyrektor")
    with limited_app(app) as limited:
        own_desk = limited.test_client()
        # The director logged in at her desk before: the browser carries the device cookie.
        assert attempt(own_desk, "dyrektor", Auth.PASSWORD, "10.1.0.1").status_code == 303
        own_desk.post("/logout", data={"csrf_token": csrf_from(own_desk.get("/staff").text)})
        # Twenty wrong passwords from twenty addresses (four each, under the per-address lockout).
        attacker = limited.test_client()
        for n in range(20):
            assert attempt(attacker, "dyrektor", "zgaduje", f"10.2.0.{n // 4}").status_code == 422
        stranger = limited.test_client()
        first = attempt(stranger, "dyrektor", "zgaduje-dalej", "10.3.0.1")
        assert first.status_code == 422  # one try a minute still goes through
        second = attempt(stranger, "dyrektor", Auth.PASSWORD, "10.3.0.2")
        assert second.status_code == 429
        assert "chwilowo chronione przed zgadywaniem" in second.text
        # The known browser is not slowed, from whatever address.
        assert attempt(own_desk, "dyrektor", Auth.PASSWORD, "10.1.0.9").status_code == 303


def test_the_client_address_comes_from_the_trusted_proxy_only(app, auth):
    auth.user("front_desk", "recepcja")

    def wrong(client, forwarded):
        return attempt(client, "recepcja", "zle", "127.0.0.1", headers={"X-Forwarded-For": forwarded}).status_code

    # No proxy configured: a forged header changes nothing, every try counts for 127.0.0.1.
    with limited_app(app) as limited:
        client = limited.test_client()
        codes = [wrong(client, f"192.0.2.{n}") for n in range(6)]
        assert codes == [422] * 5 + [429]
    # One proxy in front: each desk is counted on its own address.
    with limited_app(app, TRUSTED_PROXIES=1) as limited:
        client = limited.test_client()
        codes = [wrong(client, f"192.0.2.{n}") for n in range(6)]
        assert codes == [422] * 6


def test_the_per_address_limit_is_shared_by_every_account(app):
    with limited_app(app) as limited:
        client = limited.test_client()
        codes = [attempt(client, f"konto{n}", "zle", "10.9.0.1").status_code for n in range(11)]
        assert codes == [422] * 10 + [429]
        assert attempt(client, "konto99", "zle", "10.9.0.2").status_code == 422


# --- sessions ----------------------------------------------------------------------------------

def test_idle_timeout_is_thirty_minutes_by_default():
    from config import Config

    assert Config.SESSION_IDLE_MINUTES == 30 and Config.SESSION_MAX_HOURS == 12


def test_a_session_ends_after_its_absolute_lifetime_even_when_used(app, client, auth):
    from portal.timeutil import now

    auth.login("front_desk")
    start = now()
    # Used every 20 minutes for 12 hours: never idle, still ended.
    for minutes in range(20, 12 * 60, 20):
        app.config["FIXED_NOW"] = start + timedelta(minutes=minutes)
        assert client.get("/staff").status_code == 200, minutes
    app.config["FIXED_NOW"] = start + timedelta(hours=12, minutes=1)
    assert client.get("/staff").status_code == 302


def test_a_background_refresh_does_not_keep_a_session_alive(app, client, auth):
    from portal.timeutil import now

    auth.login("front_desk")
    start = now()
    for minutes in (10, 20, 29):
        app.config["FIXED_NOW"] = start + timedelta(minutes=minutes)
        assert client.get("/desk/board?poll=1").status_code == 200
    app.config["FIXED_NOW"] = start + timedelta(minutes=31)
    response = client.get("/desk/board?poll=1", headers={"HX-Request": "true", "HX-Target": "board"})
    # The page goes to the login form as a whole, not into the board's region.
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=")
    assert client.get("/staff").status_code == 302


def test_the_board_polls_with_the_background_marker(app, client, auth):
    auth.login("front_desk")
    assert "poll=1" in client.get("/desk/board").text


def test_ended_session_rows_are_purged_at_the_next_login(app, client, auth):
    from portal.auth.models import UserSession
    from portal.extensions import db
    from portal.timeutil import now

    user = auth.user("coordinator")
    old = now() - timedelta(hours=13)
    db.session.add_all([UserSession(user_id=user.id, created_at=old, last_seen_at=old),
                        UserSession(user_id=user.id, created_at=now() - timedelta(hours=1),
                                    last_seen_at=now() - timedelta(minutes=45))])
    db.session.commit()
    auth.login("coordinator")
    db.session.expire_all()
    rows = db.session.scalars(db.select(UserSession).filter_by(user_id=user.id)).all()
    assert len(rows) == 1 and rows[0].created_at > now() - timedelta(minutes=1)
