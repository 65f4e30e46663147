"""A provider's accounts (issue 15 §1): the services organiser (and the
administrator) lists them, invites another (a set-password link, shown or
e-mailed), disables one after a confirmation; the administrator's staff
account page never turns a provider's account into a staff one."""
import html
import re

from portal.auth.models import Role
from tests.helpers import stored
from tests.helpers import visible_text as text_of
from tests.providers.conftest import audit

LINK_RE = re.compile(r'<code class="one-time-link">([^<]+)</code>')


def test_the_organiser_lists_a_providers_accounts(client, auth, world):
    auth.login(Role.SERVICES_ORGANISER)
    text = text_of(client.get(f"/manage/providers/{world.theirs.id}/accounts").text)
    assert "Konta realizatora: Fundacja Inna" in text
    assert "Irena Inna fundacja-inna aktywne jeszcze nie" in text
    assert "Stowarzyszenie Testowe" not in text.split("Konta realizatora: Fundacja Inna", 2)[-1]
    # The provider's page in the catalogue management leads there.
    assert f"/manage/providers/{world.theirs.id}/accounts" in client.get(
        f"/manage/providers/{world.theirs.id}/edit").text


def test_the_organiser_invites_an_account_and_its_link_sets_the_password(client, auth, world):
    from portal.auth.models import User
    from portal.extensions import db

    organiser = auth.login(Role.SERVICES_ORGANISER)
    response = auth.post(f"/manage/providers/{world.theirs.id}/accounts", {
        "username": "Jan.Fundacja", "full_name": "Jan Fundacyjny", "email": "jan@fundacja-inna.example"})
    assert response.status_code == 200
    assert "Konto jan.fundacja jest założone" in text_of(response.text)
    user = db.session.scalar(db.select(User).filter_by(username="jan.fundacja"))
    assert (user.role, user.provider_id, user.active) == ("provider", world.theirs.id, True)
    assert {e.action for e in audit() if e.actor_id == organiser.id} >= {"create", "password_link",
                                                                        "provider_account"}
    url = html.unescape(LINK_RE.search(response.text).group(1))
    auth.logout()
    path = url[url.index("/set-password/"):]
    page = client.get(path)
    assert page.status_code == 200
    from tests.conftest import csrf_from

    done = client.post(path, data={"csrf_token": csrf_from(page.text), "password": "pochmurny rower sześć jabłek",
                                   "password_again": "pochmurny rower sześć jabłek"})
    assert done.status_code == 303
    assert stored(User, user.id).password_hash != "!unusable"
    # The new account signs in and lands on its organisation's start page.
    login = client.get("/login")
    client.post("/login", data={"username": "jan.fundacja", "password": "pochmurny rower sześć jabłek",
                                "csrf_token": csrf_from(login.text)})
    assert "Klub Fundacji Innej" in text_of(client.get("/provider/services").text)


def test_an_invitation_by_email_goes_through_the_mail_server(client, auth, smtp, world):
    auth.login(Role.ADMIN)
    response = auth.post(f"/manage/providers/{world.theirs.id}/accounts", {
        "username": "ewa", "full_name": "Ewa Fundacyjna", "email": "ewa@fundacja-inna.example", "send_email": "y"})
    assert response.status_code == 200
    assert "Link do ustawienia hasła wysłano na adres ewa@fundacja-inna.example" in text_of(response.text)
    [(recipients, message)] = smtp.messages
    assert recipients == ["ewa@fundacja-inna.example"]
    assert "/set-password/" in message.get_content()
    assert [e.action for e in audit("password_link_sent")] == ["password_link_sent"]


def test_a_taken_login_is_refused_at_its_field_with_the_input_kept(client, auth, world):
    auth.login(Role.SERVICES_ORGANISER)
    response = auth.post(f"/manage/providers/{world.theirs.id}/accounts", {
        "username": "fundacja-inna", "full_name": "Druga Irena", "email": "druga@fundacja-inna.example"})
    assert response.status_code == 422
    assert "Ten login jest już zajęty." in text_of(response.text)
    assert "Druga Irena" in response.text and "druga@fundacja-inna.example" in response.text


def test_disabling_an_account_asks_first_then_ends_it(client, auth, world):
    from portal.auth.models import User

    auth.login(Role.SERVICES_ORGANISER)
    url = f"/manage/providers/{world.theirs.id}/accounts/{world.other_account.id}/disable"
    first = auth.post(url)
    assert first.status_code == 200 and "Wyłączyć konto fundacja-inna?" in text_of(first.text)
    assert stored(User, world.other_account.id).active is True
    done = auth.post(url, {"confirmed": "yes"})
    assert done.status_code == 303
    assert stored(User, world.other_account.id).active is False
    assert [e.object_id for e in audit("disable", "user_account")] == [world.other_account.id]
    assert "Konto fundacja-inna jest wyłączone." in text_of(client.get(done.headers["Location"]).text)


def test_an_account_of_another_provider_or_of_the_staff_is_not_found_there(client, auth, world, make_user):
    from portal.auth.models import User

    auth.login(Role.SERVICES_ORGANISER)
    clerk = make_user(Role.FRONT_DESK, "recepcja-x")
    for user_id in (world.other_account.id, clerk.id):
        assert auth.post(f"/manage/providers/{world.ours.id}/accounts/{user_id}/disable",
                         {"confirmed": "yes"}).status_code == 404
    assert stored(User, world.other_account.id).active and stored(User, clerk.id).active


def test_the_admins_account_page_keeps_a_provider_account_a_provider(client, auth, world):
    from portal.auth.models import User

    auth.login(Role.ADMIN)
    page = client.get(f"/admin/users/{world.other_account.id}")
    assert page.status_code == 200
    assert 'name="role"' not in page.text
    response = auth.post(f"/admin/users/{world.other_account.id}", {
        "full_name": "Irena Inna-Nowak", "email": "irena@fundacja-inna.example", "role": Role.ADMIN})
    assert response.status_code == 303
    saved = stored(User, world.other_account.id)
    assert (saved.full_name, saved.role, saved.provider_id) == ("Irena Inna-Nowak", "provider", world.theirs.id)
    assert audit("role_change") == []


def test_a_staff_account_cannot_be_made_a_provider_account(client, auth, world, make_user):
    from portal.auth.models import User

    auth.login(Role.ADMIN)
    clerk = make_user(Role.FRONT_DESK, "recepcja-y", "Ola Recepcyjna")
    response = auth.post(f"/admin/users/{clerk.id}", {"full_name": "Ola Recepcyjna", "role": Role.PROVIDER})
    assert response.status_code == 422
    assert stored(User, clerk.id).role == Role.FRONT_DESK
