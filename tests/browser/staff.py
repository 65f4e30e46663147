"""What staff do in the browser tests, shared by them: signing in and out
through the real login form, and the steps of a plan's approval and signing
(on tests/plans/fixtures.py's people)."""
import re

from playwright.sync_api import expect

from tests.conftest import Auth


def login(page, user, password=Auth.PASSWORD):
    """Sign `user` (an account or its username) in through the login form and land on /staff."""
    page.goto("/login")
    page.fill("#username", getattr(user, "username", user))
    page.fill("#password", password)
    page.get_by_role("button", name="Zaloguj").click()
    expect(page).to_have_url(re.compile(r"/staff$"))


def logout(page):
    page.get_by_role("button", name="Wyloguj").click()


def approve_plan(page, number):
    """From a submitted plan's page: approve it, through the confirmation, and see its number."""
    page.get_by_role("button", name="Zatwierdź plan…").click()
    expect(page.locator("h1")).to_have_text("Zatwierdzić plan?")
    page.get_by_role("button", name="Zatwierdź plan", exact=True).click()
    expect(page.locator("h1")).to_have_text(number)


def sign_for_the_director(page, name="Celina Dyrektor"):
    """From an approved plan's page: record the director's signature."""
    page.get_by_role("link", name="Zapisz podpis").click()
    page.check("#signer_role-director")
    page.fill("#signer_name", name)
    page.get_by_role("button", name="Zapisz podpis").click()


def submit(page, button, **fields):
    """Fill the form's fields (by id: id=value) and press the button named `button`."""
    for field, value in fields.items():
        page.fill(f"#{field}", value)
    page.get_by_role("button", name=button).click()
