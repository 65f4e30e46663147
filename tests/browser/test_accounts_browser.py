"""Staff accounts in real Chromium under the production CSP, axe-core
(WCAG 2.1 AA) on each page of the path: the administrator creates an
account, the person sets a password through the one-time link, turns on
two-factor sign-in and logs in with a code from pyotp."""
import re
from datetime import datetime, timezone

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.staff import login, logout

pytestmark = pytest.mark.browser

PASSWORD = "pochmurny rower sześć jabłek"


def test_account_pages_are_accessible(app, page, make_user):
    from portal.timeutil import now

    make_user("admin", "admin", "Adam Administrator")
    make_user("front_desk", "recepcja", "Anna Recepcyjna")

    login(page, "admin")
    page.get_by_role("link", name="Konta pracowników").first.click()
    expect(page.get_by_role("heading", name="Konta pracowników")).to_be_visible()
    expect(page.get_by_role("cell", name="Anna Recepcyjna")).to_be_visible()
    assert_accessible(page, "the accounts list")

    page.get_by_role("link", name="Anna Recepcyjna").click()
    expect(page.get_by_role("heading", name="Anna Recepcyjna")).to_be_visible()
    assert_accessible(page, "the account page")

    page.goto("/admin/users/new")
    page.fill("#username", "jkowalska")
    page.fill("#full_name", "Joanna Kowalska")
    page.select_option("#role", "coordinator")
    page.get_by_role("button", name="Załóż konto").click()
    expect(page.get_by_role("heading", name="Konto jkowalska jest założone")).to_be_visible()
    assert_accessible(page, "the new account's link")
    link = page.locator("code.one-time-link").inner_text()
    logout(page)

    page.goto(link[link.index("/set-password/"):])
    expect(page.get_by_role("heading", name="Ustaw hasło do Portalu CUS")).to_be_visible()
    assert_accessible(page, "the set-password page")
    page.fill("#password", PASSWORD)
    page.fill("#password_again", PASSWORD)
    page.get_by_role("button", name="Ustaw hasło").click()
    expect(page.get_by_text("Hasło jest ustawione.")).to_be_visible()

    page.fill("#username", "jkowalska")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()
    expect(page).to_have_url(re.compile(r"/staff$"))
    page.get_by_role("link", name="Moje konto").click()
    page.get_by_role("link", name="Włącz weryfikację dwuetapową").click()
    expect(page.get_by_role("img", name="Kod QR do zeskanowania aplikacją uwierzytelniającą")).to_be_visible()
    assert_accessible(page, "the two-factor setup page")
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(secret).at(now()))
    page.get_by_role("button", name="Potwierdź i włącz").click()
    expect(page.get_by_role("heading", name="Kody zapasowe")).to_be_visible()
    page.get_by_role("link", name="Zapisałem(-am) kody, przejdź dalej").click()
    logout(page)

    page.goto("/login")
    page.fill("#username", "jkowalska")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()
    expect(page).to_have_url(re.compile(r"/login/2fa$"))
    assert_accessible(page, "the login's second step")
    # The next 30-second step: the code just used for the setup is not accepted again.
    later = datetime.fromtimestamp(now().timestamp() + 30, timezone.utc)
    page.fill("#code", pyotp.TOTP(secret).at(later))
    page.get_by_role("button", name="Zaloguj").click()
    expect(page).to_have_url(re.compile(r"/staff$"))
    expect(page.get_by_role("heading", name="Dzień dobry, Joanna Kowalska")).to_be_visible()
