"""The kiosk screen in real Chromium, under the production CSP: the rotation,
a staff edit arriving without a reload, the server going away and coming
back, night mode, axe-core on the screen and the staff pages, and memory over
1,000 slides measured through the Chrome DevTools Protocol.

Short slide and check times come from test-only settings (KIOSK_TEST_SECONDS,
KIOSK_CHECK_SECONDS); every wait is for a condition on the page, never a
fixed time."""
import re
import threading
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from portal.timeutil import WARSAW
from tests.browser.conftest import CHROMIUM, FreshAppContext, PageProblems, assert_accessible  # noqa: F401
from tests.kiosk.conftest import OFFICE, local, make_event, make_notice, make_screen  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def kiosk_app(app):
    app.config.update(KIOSK_TEST_SECONDS=0.4, KIOSK_CHECK_SECONDS=0.5, KIOSK_TEST_HOOKS=True)
    return app


@pytest.fixture
def services(make_service):
    """Three services with free places: three slides."""
    return [make_service(name, capacity_maximum=places) for name, places in
            (("Klub Seniora w Bęczkowie", 12), ("Rehabilitacja w domu", 8), ("Warsztaty rękodzieła", 5))]


def login(page, user):
    page.goto("/login")
    page.fill("#username", user.username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()
    expect(page).to_have_url(re.compile(r"/staff$"))


def shown(page):
    """The slide on screen (exactly one visible slide or the night screen)."""
    return page.locator("#kiosk-set > .slide:not([hidden]), #kiosk-night:not([hidden])")


def test_the_rotation_advances(page, kiosk_app, services, make_screen):
    screen = make_screen(always_on=True)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"/kiosk/{screen.token}")
    position = page.locator("#kiosk-position-value")
    expect(position).to_have_text("1/3")
    seen = set()
    for expected in ("2/3", "3/3", "1/3"):
        expect(position).to_have_text(expected)
        expect(shown(page)).to_have_count(1)
        seen.add(shown(page).locator("h2").inner_text())
    assert seen == {s.name for s in services}
    expect(page.locator(".kiosk-clock time")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    assert_accessible(page, "kiosk rotation")


def test_a_staff_edit_appears_on_a_running_screen_without_a_reload(browser, live_server, kiosk_app, make_service,
                                                                   make_screen, make_user):
    from tests.browser.conftest import _close_and_check, _open_page

    extra = make_service("Wypożyczalnia sprzętu rehabilitacyjnego")  # no free places: not shown yet
    make_service("Klub Seniora w Bęczkowie", capacity_maximum=12)
    screen = make_screen(always_on=True)
    organiser = make_user(Role.COMMUNITY_ORGANISER)

    kiosk_context, kiosk, kiosk_problems = _open_page(browser, live_server)
    staff_context, staff, staff_problems = _open_page(browser, live_server)
    try:
        kiosk.goto(f"/kiosk/{screen.token}")
        kiosk.evaluate("window.__sameDocument = true")
        expect(kiosk.locator("#kiosk-position-value")).to_have_text("1/1")

        login(staff, organiser)
        staff.goto(f"/staff/kiosk/{screen.id}/edit")
        staff.get_by_label(extra.name).check()
        staff.get_by_role("button", name="Zapisz ekran").click()
        expect(staff.locator(".flash-success")).to_contain_text("Zapisano zmiany")

        expect(kiosk.locator("#kiosk-set .slide h2", has_text=extra.name)).to_have_count(1)
        expect(kiosk.locator("#kiosk-position-value")).to_have_text("2/2")
        expect(kiosk.locator("#kiosk-set > .slide:not([hidden]) h2")).to_have_text(extra.name)
        assert kiosk.evaluate("window.__sameDocument") is True  # no reload happened
    finally:
        _close_and_check(kiosk_context, kiosk_problems)
        _close_and_check(staff_context, staff_problems)


# --- offline -------------------------------------------------------------------------------

class Restartable:
    """The test's app over HTTP on a fixed port that can be stopped and
    started again (a kiosk must find its server where it was)."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self.app = app
        self.make_server = make_server
        self.server = None
        self.thread = None
        self.port = 0

    def start(self):
        self.server = self.make_server("127.0.0.1", self.port, FreshAppContext(self.app), threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, name="kiosk-server", daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
        self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def screen_page(browser, base_url):
    """A kiosk page whose failed requests while the server is down are expected:
    only script errors and CSP violations fail the test."""
    context = browser.new_context(base_url=base_url, locale="pl-PL", timezone_id="Europe/Warsaw",
                                  viewport={"width": 1920, "height": 1080})
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "Content Security Policy" in m.text
            else None)
    try:
        yield page
    finally:
        context.close()
    assert not problems, problems


def test_offline_keeps_the_content_and_recovers_by_itself(browser, kiosk_app, services, make_screen, make_notice):
    screen = make_screen(always_on=True)
    server = Restartable(kiosk_app)
    server.start()
    try:
        with screen_page(browser, server.url) as page:
            page.goto(f"/kiosk/{screen.token}")
            expect(page.locator("#kiosk-position-value")).to_have_text("2/3")  # rotating
            offline = page.locator("#kiosk-offline")
            expect(offline).to_be_hidden()

            server.stop()
            expect(offline).to_be_visible()
            expect(offline).to_have_text(re.compile(r"^dane z \d\d:\d\d$"))
            # Still rotating the last good set, never a blank frame or an error page.
            for expected in ("1/3", "2/3", "3/3"):
                expect(page.locator("#kiosk-position-value")).to_have_text(expected)
                expect(shown(page)).to_have_count(1)
                expect(shown(page).locator("h2")).not_to_have_text("")
            assert page.url.endswith(f"/kiosk/{screen.token}")

            notice = make_notice("Centrum nieczynne 24 grudnia")  # changed while the screen was cut off
            server.start()
            expect(offline).to_be_hidden()
            expect(shown(page)).to_have_attribute("data-key", f"notice-{notice.id}")
            expect(shown(page)).to_contain_text("Centrum nieczynne 24 grudnia")
            assert page.evaluate("window.localStorage.length") == 1
    finally:
        if server.server is not None:
            server.stop()


def test_a_reload_without_the_database_shows_the_kept_set(browser, kiosk_app, services, make_screen):
    """The page itself answers without the database (the set comes from localStorage)."""
    from sqlalchemy.exc import OperationalError

    from portal.extensions import db

    screen = make_screen(always_on=True)
    server = Restartable(kiosk_app)
    server.start()
    try:
        with screen_page(browser, server.url) as page:
            page.goto(f"/kiosk/{screen.token}")
            expect(page.locator("#kiosk-position-value")).to_have_text("2/3")

            def broken(*args, **kwargs):
                raise OperationalError("SELECT", {}, Exception("database away"))

            original = db.session.scalar
            kiosk_app.config["KIOSK_CHECK_SECONDS"] = 600  # the reloaded page should not refresh meanwhile
            db.session.scalar = broken
            try:
                page.reload()
                expect(page.locator("#kiosk-set")).to_have_attribute("data-v", re.compile(r"\d"))
                expect(page.locator("#kiosk-set .slide h2", has_text="Rehabilitacja w domu")).to_have_count(1)
                expect(shown(page)).to_have_count(1)
            finally:
                db.session.scalar = original
    finally:
        server.stop()


# --- night ---------------------------------------------------------------------------------

def test_night_mode(browser, live_server, kiosk_app, services, make_screen):
    from tests.browser.conftest import _close_and_check, _open_page

    friday_evening = local(2026, 10, 16, 19, 0)
    kiosk_app.config["FIXED_NOW"] = friday_evening
    screen = make_screen(hours=OFFICE)
    context, page, problems = _open_page(browser, live_server, viewport={"width": 1920, "height": 1080})
    try:
        page.clock.install(time=friday_evening)
        page.goto(f"/kiosk/{screen.token}")
        night = page.locator("#kiosk-night")
        expect(night).to_be_visible()
        expect(night).to_contain_text("Zapraszamy w poniedziałek od 7:30")
        expect(page.locator("#kiosk-set > .slide:not([hidden])")).to_have_count(0)
        expect(night.locator(".night-clock")).to_have_text("19:00")
        assert_accessible(page, "kiosk night")
        before = night.get_attribute("class")
        page.clock.run_for("01:05")  # against burn-in, the text moves a little every minute
        expect(night).not_to_have_class(before)
        expect(night.locator(".night-clock")).to_have_text("19:01")
        # Monday morning the same page wakes up by itself.
        page.clock.pause_at(local(2026, 10, 19, 7, 30, 5))
        page.clock.run_for("00:40")
        expect(night).to_be_hidden()
        expect(shown(page)).to_have_count(1)
    finally:
        _close_and_check(context, problems)


# --- accessibility of the screen and the staff pages -------------------------------------------

def test_kiosk_pages_are_accessible(page, kiosk_app, services, make_screen, make_event, make_notice, make_user):
    kiosk_app.config["KIOSK_TEST_SECONDS"] = 600
    make_event("Święto Pieroga", date.today() + timedelta(days=3), "14:00", "18:00")
    screen = make_screen(always_on=True)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"/kiosk/{screen.token}")
    for _ in range(4):
        assert_accessible(page, f"kiosk slide {page.locator('#kiosk-position-value').inner_text()}")
        page.evaluate("window.__kiosk.advance()")
    make_notice("Centrum nieczynne 24 grudnia")
    expect(shown(page)).to_have_attribute("data-kind", "notice")
    assert_accessible(page, "kiosk notice")

    login(page, make_user(Role.COMMUNITY_ORGANISER))
    page.set_viewport_size({"width": 1280, "height": 900})
    for path in ("/staff/kiosk/", "/staff/kiosk/new", f"/staff/kiosk/{screen.id}/edit", "/staff/kiosk/health"):
        page.goto(path)
        assert_accessible(page, path)
    page.goto("/staff/kiosk/new")
    page.fill("#closes_1", "")
    page.get_by_role("button", name="Zapisz ekran").click()
    expect(page.locator("#name-error")).to_contain_text("Podaj nazwę ekranu")
    expect(page.locator("#closes_1-error")).to_contain_text("godzinę zamknięcia")
    assert_accessible(page, "screen form with errors")


# --- memory --------------------------------------------------------------------------------------

def heap_and_nodes(cdp):
    cdp.send("HeapProfiler.collectGarbage")
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["JSHeapUsedSize"], metrics["Nodes"]


def test_no_memory_growth_over_1000_slides(browser, live_server, kiosk_app, services, make_screen, make_event):
    from portal.events.services import bump_events_version
    from portal.extensions import db
    from tests.browser.conftest import _close_and_check, _open_page

    kiosk_app.config.update(KIOSK_TEST_SECONDS=600, KIOSK_CHECK_SECONDS=600)  # the test drives both
    for offset in range(1, 6):
        make_event(f"Spotkanie {offset}", date.today() + timedelta(days=offset), "10:00", "12:00")
    screen = make_screen(always_on=True)
    context, page, problems = _open_page(browser, live_server, viewport={"width": 1920, "height": 1080})
    try:
        page.goto(f"/kiosk/{screen.token}")
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        advance = """async n => {
            for (let i = 0; i < n; i++) {
                window.__kiosk.advance();
                if (i % 10 === 9) { await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0))); }
            }
            return window.__kiosk.state();
        }"""
        versions = set()
        state = page.evaluate("window.__kiosk.state()")
        figures = []
        for round_ in range(10):
            # Each hundred slides brings a new slide set, as a staff edit or
            # midnight does (the same slides: the DOM is replaced, not added to).
            bump_events_version(db.session)
            db.session.commit()
            page.evaluate("window.__kiosk.check()")
            page.wait_for_function("v => window.__kiosk.state().version !== v", arg=state["version"])
            state = page.evaluate(advance, 100)
            assert state["mode"] == "rotation" and state["count"] == 8
            versions.add(state["version"])
            figures.append(heap_and_nodes(cdp))
        (heap_100, nodes_100), (heap_1000, nodes_1000) = figures[0], figures[-1]
        print("heap and nodes per 100 slides:", figures)
        assert len(versions) == 10  # every round swapped in a new set
        assert heap_1000 <= heap_100 * 1.10, f"JS heap {heap_100:.0f} -> {heap_1000:.0f} bytes"
        assert nodes_1000 <= nodes_100 * 1.10, f"DOM nodes {nodes_100:.0f} -> {nodes_1000:.0f}"
    finally:
        _close_and_check(context, problems)


def test_the_health_page_follows_a_running_screen(browser, live_server, kiosk_app, services, make_screen, make_user):
    from tests.browser.conftest import _close_and_check, _open_page

    kiosk_app.config.update(KIOSK_HEALTH_POLL_SECONDS=0.5, KIOSK_TEST_SECONDS=600)
    screen = make_screen("Hol — parter", always_on=True)
    staff_context, staff, staff_problems = _open_page(browser, live_server)
    kiosk_context, kiosk, kiosk_problems = _open_page(browser, live_server)
    try:
        login(staff, make_user(Role.COMMUNITY_ORGANISER))
        staff.goto("/staff/kiosk/health")
        staff.evaluate("window.__sameDocument = true")
        item = staff.locator(".screen-health-item", has_text="Hol — parter")
        expect(item.locator(".badge")).to_have_text("brak połączenia")

        kiosk.goto(f"/kiosk/{screen.token}")
        heading = kiosk.locator("#kiosk-set > .slide:not([hidden]) h2").inner_text()
        expect(item.locator(".badge")).to_have_text("działa")
        expect(item).to_contain_text(f"1/3: {heading}")
        expect(item.locator(".kiosk-preview .slide h2")).to_have_text(heading)  # the same slide, scaled down
        assert staff.evaluate("window.__sameDocument") is True
        assert_accessible(staff, "health with a live screen")
    finally:
        _close_and_check(kiosk_context, kiosk_problems)
        _close_and_check(staff_context, staff_problems)
