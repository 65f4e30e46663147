"""Staff change their own password: the current one, the new one twice; the
other sessions of the account end, this one stays."""
from tests.accounts.conftest import NEW_PASSWORD, audit, password_step, post, text_of
from tests.conftest import Auth, FreshContextClient


def test_the_header_links_to_the_own_account_page(client, auth):
    auth.login("front_desk")
    page = client.get("/staff")
    assert 'href="/account"' in page.text and "Moje konto" in text_of(page.text)
    text = text_of(client.get("/account").text)
    assert "Moje konto" in text and "Recepcja (jedno okienko)" in text and "Zmień hasło" in text


def test_changing_the_password_ends_the_other_sessions_only(app, client, auth):
    user = auth.login("coordinator")
    other = FreshContextClient(app)
    assert password_step(other, user.username).status_code == 303
    response = post(client, "/account/password", {"current_password": Auth.PASSWORD, "password": NEW_PASSWORD,
                                                   "password_again": NEW_PASSWORD})
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "Hasło jest zmienione. Sesje tego konta na innych komputerach zostały zakończone." in page.text
    assert other.get("/staff").status_code == 302
    assert password_step(FreshContextClient(app), user.username, Auth.PASSWORD).status_code == 422
    assert password_step(FreshContextClient(app), user.username, NEW_PASSWORD).status_code == 303
    [event] = audit("password_change")
    assert event.object_id == user.id and event.actor_id == user.id


def test_a_wrong_current_password_or_a_weak_new_one_is_said_at_the_field(client, auth):
    auth.login("director")
    response = post(client, "/account/password", {"current_password": "nie to", "password": NEW_PASSWORD,
                                                   "password_again": NEW_PASSWORD})
    assert response.status_code == 422
    assert "Obecne hasło jest nieprawidłowe." in text_of(response.text)
    response = post(client, "/account/password", {"current_password": Auth.PASSWORD, "password": "qwerty123456",
                                                   "password_again": "qwerty123456"})
    assert response.status_code == 422
    assert "To hasło jest zbyt popularne" in text_of(response.text)
    assert 'value="qwerty123456"' not in response.text
    response = post(client, "/account/password", {"current_password": Auth.PASSWORD, "password": NEW_PASSWORD,
                                                   "password_again": "coś innego"})
    assert response.status_code == 422 and "Hasła nie są takie same." in text_of(response.text)
    assert audit("password_change") == []


def test_wrong_current_passwords_are_limited(app, auth):
    from tests.auth.test_login_security import limited_app

    with limited_app(app) as limited:
        client = limited.test_client()
        user = Auth(client).login("services_organiser")
        for _ in range(5):
            response = post(client, "/account/password", {"current_password": "zgaduję", "password": NEW_PASSWORD,
                                                           "password_again": NEW_PASSWORD})
            assert response.status_code == 422
        response = post(client, "/account/password", {"current_password": Auth.PASSWORD, "password": NEW_PASSWORD,
                                                       "password_again": NEW_PASSWORD})
        assert response.status_code == 429
        assert "Zbyt wiele błędnych prób. Spróbuj ponownie za 15 minut." in text_of(response.text)
    assert user.username
