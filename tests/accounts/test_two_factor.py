"""Two-factor sign-in, end to end with pyotp making the codes at the portal's
frozen clock: enrolment, login with a code, a recovery code once, wrong and
replayed codes refused, the roles that require it, the administrator's reset."""
from tests.accounts.conftest import (
    RECOVERY_RE,
    audit,
    code_at,
    fresh,
    password_step,
    post,
    secret_from,
    text_of,
)
from tests.conftest import Auth, FreshContextClient, csrf_from


def enrol(client):
    """Turn two-factor sign-in on from the own account page; (secret, recovery codes)."""
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    secret = secret_from(page.text)
    from portal.timeutil import now

    response = post(client, "/account/two-factor", {"password": Auth.PASSWORD, "code": code_at(secret, now())})
    assert response.status_code == 200, text_of(response.text)[:500]
    codes = RECOVERY_RE.findall(response.text)
    return secret, codes


def enrolled(auth, client, role, clock=None):
    """A `role` account that turned two-factor sign-in on and signed out (a
    minute ago with `clock`): (the account, its secret, its recovery codes)."""
    user = auth.login(role)
    secret, codes = enrol(client)
    auth.logout()
    if clock is not None:
        clock.move(minutes=1)
    return user, secret, codes


def at_the_code_step(app, user):
    """A new browser past the password step of `user`'s login, asked for the code."""
    browser = FreshContextClient(app)
    password_step(browser, user.username)
    return browser


def test_enrolment_shows_a_qr_code_and_ten_recovery_codes_once(app, client, auth, clock):
    from portal.auth.models import RecoveryCode, User
    from portal.extensions import db

    user = auth.login("coordinator")
    page = client.get("/account/two-factor")
    text = text_of(page.text)
    assert "Włącz weryfikację dwuetapową" in text and "albo wpisując ręcznie klucz:" in text
    assert '<svg role="img" aria-label="Kod QR do zeskanowania aplikacją uwierzytelniającą"' in page.text
    assert "<img" not in page.text.split("<main", 1)[1]  # drawn inline, nothing fetched
    secret = secret_from(page.text)
    # A reload shows the same key (the app may already hold it).
    assert secret_from(client.get("/account/two-factor").text) == secret
    wrong = post(client, "/account/two-factor", {"password": Auth.PASSWORD, "code": "000000"})
    assert wrong.status_code == 422 and "Nieprawidłowy kod." in text_of(wrong.text)
    # An open session alone is not enough: the password is asked too.
    no_password = post(client, "/account/two-factor", {"password": "nie moje", "code": code_at(secret, clock.now)})
    assert no_password.status_code == 422 and "Hasło jest nieprawidłowe." in text_of(no_password.text)
    assert not fresh(User, user.id).totp_enabled
    response = post(client, "/account/two-factor", {"password": Auth.PASSWORD, "code": code_at(secret, clock.now)})
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Weryfikacja dwuetapowa jest włączona" in text and "portal nie pokaże ich ponownie" in text
    codes = RECOVERY_RE.findall(response.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = fresh(User, user.id)
    assert stored.totp_enabled
    # The secret and the codes are not stored in clear.
    assert secret not in stored.totp_secret and stored.totp_secret.startswith("v1:")
    hashes = db.session.scalars(db.select(RecoveryCode.code_hash).filter_by(user_id=user.id)).all()
    assert len(hashes) == 10 and not {c.replace("-", "") for c in codes} & set(hashes)
    assert all(c.replace("-", "") not in h for c in codes for h in hashes)
    # The account page says it is on, and the codes are not shown again.
    page = client.get("/account")
    assert "Włączona od 13 stycznia 2026." in text_of(page.text)
    assert "Zostało Ci 10 kodów zapasowych." in text_of(page.text)
    assert codes[0] not in page.text
    assert [e.action for e in audit(object_id=user.id) if e.action.startswith("totp")] == ["totp_enable"]


def test_the_secret_is_encrypted_for_its_own_account(app, auth, clock, client):
    """A ciphertext copied onto another account does not decrypt there."""
    import pytest

    from portal.auth import crypto
    from portal.auth.models import User

    user = auth.login("coordinator")
    secret, _codes = enrol(client)
    stored = fresh(User, user.id).totp_secret
    key = app.config["SECRET_KEY"]
    assert crypto.decrypt_secret(key, user.id, stored) == secret
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_secret(key, user.id + 1, stored)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_secret("another-secret-key", user.id, stored)


def test_login_asks_for_the_code_after_the_password(app, client, auth, clock):
    user, secret, _codes = enrolled(auth, client, "director", clock)
    browser = FreshContextClient(app)
    response = password_step(browser, user.username)
    assert response.status_code == 303 and response.headers["Location"].endswith("/login/2fa")
    # No session yet: staff pages still send to the login.
    assert browser.get("/staff").status_code == 302
    page = browser.get("/login/2fa")
    assert "Hasło jest prawidłowe. Wpisz sześciocyfrowy kod" in text_of(page.text)
    response = post(browser, "/login/2fa", {"code": code_at(secret, clock.now)})
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff")
    assert user.full_name in browser.get("/staff").text


def test_a_wrong_code_is_refused_and_a_used_code_cannot_be_replayed(app, client, auth, clock):
    user, secret, _codes = enrolled(auth, client, "front_desk", clock)
    first = at_the_code_step(app, user)
    valid = {code_at(secret, clock.now, step) for step in (-1, 0, 1)}
    wrong = post(first, "/login/2fa", {"code": next(c for c in ("123456", "654321", "111111") if c not in valid)})
    assert wrong.status_code == 422
    assert "Nieprawidłowy kod albo kod już użyty." in text_of(wrong.text)
    assert first.get("/staff").status_code == 302
    code = code_at(secret, clock.now)
    assert post(first, "/login/2fa", {"code": code}).status_code == 303
    # The same code, in the same 30 seconds, from another browser that has the password too.
    second = at_the_code_step(app, user)
    replay = post(second, "/login/2fa", {"code": code})
    assert replay.status_code == 422 and "kod już użyty" in text_of(replay.text)
    # Nor the code of the step before (still inside the drift window).
    assert post(second, "/login/2fa", {"code": code_at(secret, clock.now, -1)}).status_code == 422
    # The next step's code works.
    clock.move(seconds=30)
    assert post(second, "/login/2fa", {"code": code_at(secret, clock.now)}).status_code == 303
    failed = audit("login_2fa_failed")
    assert len(failed) == 3 and all(e.object_id == user.id for e in failed)


def test_a_recovery_code_works_once(app, client, auth, clock):
    user, _secret, codes = enrolled(auth, client, "coordinator")
    browser = at_the_code_step(app, user)
    response = post(browser, "/login/2fa", {"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 303
    page = browser.get(response.headers["Location"])
    assert "Zalogowano kodem zapasowym. Pozostałe kody zapasowe: 9." in text_of(page.text)
    again = at_the_code_step(app, user)
    refused = post(again, "/login/2fa", {"code": codes[3]})
    assert refused.status_code == 422
    assert [e.action for e in audit("recovery_code_used")] == ["recovery_code_used"]


def test_the_pending_login_expires_after_five_minutes(app, client, auth, clock):
    user, secret, _codes = enrolled(auth, client, "coordinator")
    browser = at_the_code_step(app, user)
    clock.move(minutes=5)
    assert "Hasło jest prawidłowe" in text_of(browser.get("/login/2fa").text)
    clock.move(seconds=1)
    page = browser.get("/login/2fa")
    assert "Logowanie wygasło" in text_of(page.text)
    response = post(browser, "/login/2fa", {"code": code_at(secret, clock.now)})
    assert response.status_code == 400 and browser.get("/staff").status_code == 302


def test_a_pending_login_ends_when_the_administrator_resets_the_account(app, client, auth, clock):
    from portal.auth.models import User
    from portal.extensions import db

    user, _secret, _codes = enrolled(auth, client, "coordinator")
    browser = at_the_code_step(app, user)
    stored = fresh(User, user.id)
    stored.password_hash = "!unusable"
    db.session.commit()
    assert "Logowanie wygasło" in text_of(browser.get("/login/2fa").text)


def test_codes_are_limited_per_account(app, auth, clock):
    from tests.auth.test_login_security import limited_app

    user = auth.user("coordinator", "koordynatorka")
    with limited_app(app, FIXED_NOW=clock.now) as limited:
        client = limited.test_client()
        Auth(client).login("coordinator", "koordynatorka")
        secret, _codes = enrol(client)
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/staff").text)})
        browser = limited.test_client()
        password_step(browser, user.username)
        for _ in range(4):
            assert post(browser, "/login/2fa", {"code": "000000"}).status_code == 422
        locked = post(browser, "/login/2fa", {"code": "000000"})
        assert locked.status_code == 429
        right = post(browser, "/login/2fa", {"code": code_at(secret, clock.now)})
        assert right.status_code == 429
        assert "Zbyt wiele błędnych kodów. Spróbuj ponownie za 15 minut" in text_of(right.text)
        assert len(audit("login_2fa_lockout")) == 1


def test_a_required_role_sets_it_up_right_after_the_password(app, client, auth, clock):
    from portal.auth.models import User

    auth.login("admin", "admin")
    page = client.get("/admin/users/two-factor")
    assert "Zalecane dla ról, które widzą dane osobowe mieszkańców: Recepcja (jedno okienko), Koordynator IPUS, " \
           "Dyrektor." in text_of(page.text)
    response = post(client, "/admin/users/two-factor", {"roles": ["front_desk", "coordinator", "director"]})
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert "Osoby z tych ról, które nie mają jeszcze weryfikacji dwuetapowej, ustawią ją przy następnym logowaniu." in \
        text_of(page.text)
    for role in ("front_desk", "coordinator", "director"):
        assert 'checked id="roles-' in page.text.split(f'value="{role}"')[0].rsplit("<input", 1)[1]
    assert "checked" not in page.text.split('value="admin"')[0].rsplit("<input", 1)[1]
    [event] = audit("update")
    assert event.object_type == "two_factor_role" and event.changes["roles"][1] == ["coordinator", "director",
                                                                                    "front_desk"]
    user = auth.user("front_desk", "recepcja")
    browser = FreshContextClient(app)
    response = password_step(browser, "recepcja")
    assert response.headers["Location"].endswith("/login/2fa/setup")
    # Nothing else is reachable before the setup: there is no session.
    for path in ("/staff", "/residents/", "/account"):
        assert browser.get(path).status_code == 302, path
    page = browser.get("/login/2fa/setup")
    assert "Rola „Recepcja (jedno okienko)” wymaga logowania z drugim składnikiem." in text_of(page.text)
    secret = secret_from(page.text)
    response = post(browser, "/login/2fa/setup", {"code": code_at(secret, clock.now)})
    assert response.status_code == 200
    assert len(RECOVERY_RE.findall(response.text)) == 10
    assert browser.get("/staff").status_code == 200
    assert fresh(User, user.id).totp_enabled
    # The next login asks for a code.
    clock.move(minutes=1)
    later = FreshContextClient(app)
    assert password_step(later, "recepcja").headers["Location"].endswith("/login/2fa")
    # A required role cannot turn it off.
    assert "nie można jej wyłączyć" in text_of(browser.get("/account/two-factor/disable").text)


def test_a_role_change_into_a_required_role_ends_the_sessions_without_it(app, client, auth, clock):
    from portal.auth.twofactor import set_required_roles
    from portal.extensions import db

    set_required_roles(db.session, ["coordinator"], actor=None)
    db.session.commit()
    organiser = auth.user("services_organiser", "organizator")
    desk = FreshContextClient(app)
    assert password_step(desk, "organizator").status_code == 303
    auth.login("admin", "admin")
    post(client, f"/admin/users/{organiser.id}", {"full_name": organiser.full_name, "role": "coordinator"})
    assert desk.get("/staff").status_code == 302
    assert password_step(desk, "organizator").headers["Location"].endswith("/login/2fa/setup")


def test_the_administrator_resets_a_lost_second_factor(app, client, auth, clock):
    from portal.auth.models import RecoveryCode, User
    from portal.extensions import db

    person = FreshContextClient(app)
    owner = Auth(person)
    user = owner.login("coordinator", "koordynatorka")
    enrol(person)
    auth.login("admin", "admin")
    page = client.get(f"/admin/users/{user.id}")
    assert "włączona od 13 stycznia 2026 (10 kodów zapasowych)" in text_of(page.text)
    confirm = client.get(f"/admin/users/{user.id}/two-factor/reset")
    assert "Wyłączyć weryfikację dwuetapową konta koordynatorka?" in text_of(confirm.text)
    assert fresh(User, user.id).totp_enabled
    response = post(client, f"/admin/users/{user.id}/two-factor/reset")
    assert response.status_code == 303
    assert not fresh(User, user.id).totp_enabled
    assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode).filter_by(user_id=user.id)) == 0
    [event] = audit("totp_reset")
    assert event.object_id == user.id
    # The password alone logs in again (the role does not require a second factor).
    assert password_step(FreshContextClient(app), "koordynatorka").headers["Location"].endswith("/staff")
    assert "Reset weryfikacji dwuetapowej przez administratora" in text_of(
        client.get(f"/admin/users/{user.id}/history").text)


def test_the_owner_turns_it_off_with_password_and_code(app, client, auth, clock):
    from portal.auth.models import User

    user = auth.login("services_organiser")
    secret, codes = enrol(client)
    page = client.get("/account/two-factor/disable")
    assert "Aby potwierdzić, wpisz hasło i kod." in text_of(page.text)
    clock.move(seconds=30)
    response = post(client, "/account/two-factor/disable",
                    {"password": "zle haslo", "code": code_at(secret, clock.now)})
    assert response.status_code == 422 and "Hasło jest nieprawidłowe." in text_of(response.text)
    response = post(client, "/account/two-factor/disable", {"password": Auth.PASSWORD, "code": "111111"})
    assert response.status_code == 422 and "Nieprawidłowy kod albo kod już użyty." in text_of(response.text)
    response = post(client, "/account/two-factor/disable", {"password": Auth.PASSWORD, "code": codes[0]})
    assert response.status_code == 303
    assert "Weryfikacja dwuetapowa jest wyłączona." in client.get(response.headers["Location"]).text
    assert not fresh(User, user.id).totp_enabled
    assert [e.action for e in audit(object_id=user.id) if e.action.startswith("totp")] == ["totp_enable",
                                                                                         "totp_disable"]


def test_the_list_shows_who_has_it(app, client, auth, clock):
    user = auth.login("coordinator", "koordynatorka")
    enrol(client)
    auth.logout()
    auth.login("admin", "admin")
    text = text_of(client.get("/admin/users").text)
    assert f"{user.full_name} koordynatorka Koordynator IPUS aktywne 13 stycznia 2026, 12:00 0 włączona" in text


def test_the_page_asked_for_before_the_login_opens_after_the_code(app, client, auth, clock):
    user, secret, _codes = enrolled(auth, client, "coordinator", clock)
    browser = FreshContextClient(app)
    assert browser.get("/account/password").headers["Location"].endswith("/login?next=/account/password")
    token = csrf_from(browser.get("/login?next=/account/password").text)
    response = browser.post("/login?next=/account/password",
                            data={"username": user.username, "password": Auth.PASSWORD, "csrf_token": token})
    assert response.headers["Location"].endswith("/login/2fa")
    response = post(browser, "/login/2fa", {"code": code_at(secret, clock.now)})
    assert response.headers["Location"].endswith("/account/password")
