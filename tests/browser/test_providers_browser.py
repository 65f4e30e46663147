"""A provider's account in real Chromium (issue 15 §1): it signs in, sees its
organisation's profile, confirms a service's entry is current, and ticks the
attendance of its own club's session; axe-core on each of its pages."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.auth.models import Role
from tests.browser import staff
from tests.browser.conftest import assert_accessible
from tests.providers.conftest import TODAY, world  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_provider_confirms_its_entry_and_ticks_attendance(page, app, world, make_user):  # noqa: F811
    from portal.catalogue.models import Service
    from portal.delivery.models import Attendance, GroupSession
    from portal.extensions import db

    account = make_user(Role.PROVIDER, "realizator", "Renata Realizatorka")
    staff.login(page, account)
    expect(page.locator("#start-provider")).to_contain_text("Wpisy do potwierdzenia (starsze niż 6 miesięcy)")
    expect(page.locator("#start-reminders")).to_contain_text("Dane 1 usługi nie były potwierdzane")
    assert_accessible(page, "start page")

    page.get_by_role("link", name="Moja organizacja").first.click()
    expect(page.locator("h1")).to_have_text("Stowarzyszenie Testowe „Realizator”")
    expect(page.locator("dl.facts")).to_contain_text("5260250274")
    assert_accessible(page, "profile")

    page.get_by_role("link", name="Usługi organizacji").first.click()
    expect(page.get_by_role("row", name="Klub Seniora w Burzcu")).to_contain_text("do potwierdzenia")
    assert_accessible(page, "services")
    page.get_by_role("button", name="Potwierdzam, że dane są aktualne — Klub Seniora w Burzcu").click()
    expect(page.locator(".flash")).to_contain_text("Potwierdzono aktualność usługi „Klub Seniora w Burzcu”.")
    expect(page.get_by_role("row", name="Klub Seniora w Burzcu")).to_contain_text(
        "potwierdzono aktualność 12 maja 2026")
    db.session.expire_all()
    assert db.session.get(Service, world.club.id).assured_date == TODAY

    page.get_by_role("link", name="Zajęcia grupowe").first.click()
    expect(page.locator("main")).not_to_contain_text("Klub Fundacji Innej")
    page.goto(f"/delivery/sessions/{world.session.id}")
    expect(page.locator("#present-list")).to_contain_text("Zając Żaneta")
    expect(page.locator("main")).not_to_contain_text("44051401359")
    assert_accessible(page, "attendance")
    page.get_by_label("Zając Żaneta").check()
    page.get_by_role("button", name="Zapisz obecność").click()
    expect(page.locator(".flash")).to_contain_text("Zapisano obecność: 1 osoba z listy.")
    db.session.expire_all()
    assert list(db.session.scalars(select(Attendance.resident_id))) == [world.zajac.id]
    assert db.session.get(GroupSession, world.session.id).status == "held"
