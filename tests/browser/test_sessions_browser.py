"""Ticking a club's attendance with the keyboard only (Tab, Space, Enter) in
real Chromium under the production CSP, and axe-core on the attendance
screen: a club of 30 ticked in one pass, saved with one Enter."""
from datetime import date, time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser import staff
from tests.browser.conftest import assert_accessible
from tests.delivery.sessions_fixtures import club, frozen, grant  # noqa: F401

pytestmark = pytest.mark.browser

SURNAMES = ["Adamczyk", "Bąk", "Cieślak", "Ćwik", "Dudek", "Florczak", "Górecki", "Jabłoński", "Kaczmarek", "Lis",
            "Łukasik", "Mazur", "Nowak", "Olszewski", "Pawlak", "Rutkowski", "Sikora", "Śliwa", "Tomczak", "Urban",
            "Wójcik", "Zając", "Żak", "Baran", "Kowal", "Michalak", "Sowa", "Wrona", "Zięba", "Kruk"]


def test_a_club_is_ticked_with_the_keyboard(page, app, club, grant, frozen, make_user):  # noqa: F811
    from portal.delivery import sessions
    from portal.delivery.models import Attendance, GroupSession
    from portal.extensions import db

    organiser = make_user("services_organiser", "organizator", "Dariusz Organizator")
    people = [grant(club, "Anna", surname) for surname in SURNAMES]
    made = sessions.create_session(db.session, club, {
        "held_on": date(2026, 5, 14), "starts": time(10), "ends": time(13), "place": "Świetlica",
        "provider_id": club.provider_id, "leader": "Maria Wiśniewska", "topic": "Gimnastyka"}, actor=organiser)
    db.session.commit()

    staff.login(page, organiser)
    page.goto(f"/delivery/sessions/{made.id}")
    expect(page.locator("h1")).to_have_text("Klub Seniora w Burzcu: 14 maja 2026")
    assert_accessible(page)
    for _ in range(80):  # from the top of the page to the first person
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "present":
            break
    ticked = set()
    for number in range(30):
        assert page.evaluate("document.activeElement.name") == "present"
        if number % 3:  # two of every three came
            page.keyboard.press("Space")
            ticked.add(int(page.evaluate("document.activeElement.value")))
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "other_participants"
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Zapisano obecność: 20 osób z listy.")
    db.session.expire_all()
    assert set(db.session.scalars(select(Attendance.resident_id))) == ticked
    assert len(ticked) == 20 and ticked <= {p.id for p in people}
    stored = db.session.get(GroupSession, made.id)
    assert (stored.status, stored.other_participants) == ("held", 4)
    expect(page.locator("input[name=present]:checked")).to_have_count(20)
