"""Signing staff in and out in the browser tests that log in by username
(the plan, casework and whole-path tests, all on tests/plans/fixtures.py's people)."""
import re

from playwright.sync_api import expect

from tests.conftest import Auth


def login(page, username):
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", Auth.PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()
    expect(page).to_have_url(re.compile(r"/staff$"))


def logout(page):
    page.get_by_role("button", name="Wyloguj").click()
