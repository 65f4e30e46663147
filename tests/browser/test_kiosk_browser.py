"""The kiosk screen in real Chromium, under the production CSP: the rotation,
a staff edit arriving without a reload, the server going away and coming
back, the page renewed in place (new code with the server stopped half way,
the nightly refresh), night mode, axe-core on the screen and the staff pages,
and memory over 1,000 slides measured through the Chrome DevTools Protocol.

Short slide and check times come from test-only settings (KIOSK_TEST_SECONDS,
KIOSK_CHECK_SECONDS), or the page's clock is paused and moved on by the test;
every wait is for a condition on the page, never a fixed time."""
import re
import threading
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from portal.timeutil import WARSAW
from tests.browser.conftest import CHROMIUM, FreshAppContext, PageProblems, assert_accessible  # noqa: F401
from tests.browser.staff import login
from tests.kiosk.conftest import OFFICE, local, make_event, make_notice, make_screen  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def kiosk_app(app):
    app.config.update(KIOSK_TEST_SECONDS=0.4, KIOSK_CHECK_SECONDS=0.5, KIOSK_TEST_HOOKS=True)
    return app


@pytest.fixture
def services(make_service):
    """Three services with free places: three slides."""
    return [make_service(name, capacity_maximum=places) for name, places in
            (("Klub Seniora w Bęczkowie", 12), ("Rehabilitacja w domu", 8), ("Warsztaty rękodzieła", 5))]


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

    def __init__(self, app, wrap=None):
        from werkzeug.serving import make_server

        self.app = app
        self.wrap = wrap or (lambda wsgi: wsgi)
        self.make_server = make_server
        self.server = None
        self.thread = None
        self.port = 0

    def start(self):
        self.server = self.make_server("127.0.0.1", self.port, self.wrap(FreshAppContext(self.app)), threaded=True)
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


@contextmanager
def rotating_screen(browser, kiosk_app, screen):
    """The screen's page on a Restartable server, seen rotating: (server, page)."""
    server = Restartable(kiosk_app)
    server.start()
    try:
        with screen_page(browser, server.url) as page:
            page.goto(f"/kiosk/{screen.token}")
            expect(page.locator("#kiosk-position-value")).to_have_text("2/3")  # rotating
            yield server, page
    finally:
        if server.server is not None:
            server.stop()


def test_offline_keeps_the_content_and_recovers_by_itself(browser, kiosk_app, services, make_screen, make_notice):
    screen = make_screen(always_on=True)
    with rotating_screen(browser, kiosk_app, screen) as (server, page):
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


def test_a_reload_without_the_database_shows_the_kept_set(browser, kiosk_app, services, make_screen):
    """The page itself answers without the database (the set comes from localStorage)."""
    from sqlalchemy.exc import OperationalError

    from portal.extensions import db

    screen = make_screen(always_on=True)
    with rotating_screen(browser, kiosk_app, screen) as (_server, page):
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


# --- renewing the page in place (new code, the nightly refresh) ----------------------------------

class PageCut:
    """WSGI middleware: once armed, the next request for the screen's page gets
    only the first half of the page, either
    - as a well-formed 200 response (Content-Length of the half): only the
      page's own end marker tells it did not arrive whole; or
    - with `stop_server`, after the test has stopped the server (it waits for
      `stopped`) and with the whole page's Content-Length: the connection
      closes early, as when the server goes away half way."""

    def __init__(self, path):
        self.path = path
        self.app = None
        self.armed = None
        self.requested = threading.Event()
        self.stopped = threading.Event()

    def wrap(self, app):
        self.app = app
        return self

    def arm(self, stop_server=False):
        self.requested.clear()
        self.stopped.clear()
        self.armed = "stop" if stop_server else "half"

    def __call__(self, environ, start_response):
        if not (self.armed and environ["REQUEST_METHOD"] == "GET" and environ["PATH_INFO"] == self.path):
            return self.app(environ, start_response)
        mode, self.armed = self.armed, None
        answer = []
        body = b"".join(self.app(environ, lambda status, headers, exc_info=None: answer.append((status, headers))))
        half = body[: len(body) // 2]
        status, headers = answer[0]
        if mode == "half":
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"] + [("Content-Length",
                                                                                          str(len(half)))]
        self.requested.set()
        if mode == "stop":
            self.stopped.wait(10)
        start_response(status, headers)
        return [half]


# Counts the page's fetch() calls by path, at the call: two running copies of
# the kiosk code would make two heartbeats per check period.
COUNT_FETCHES = """
(() => {
  const counts = {};
  const original = window.fetch;
  window.fetch = function (url) {
    const path = new URL(String(url), location.href).pathname;
    counts[path] = (counts[path] || 0) + 1;
    return original.apply(this, arguments);
  };
  window.__fetches = path => counts[path] || 0;
})();
"""

CHECK_MS = 15_000
SLIDE_MS = 10_000


def open_screen(page, path):
    """The screen on a paused clock: timers fire only when the test moves time
    on; every main-frame navigation after the first load is recorded."""
    start = datetime.now(WARSAW).replace(microsecond=0)
    page.add_init_script(COUNT_FETCHES)
    page.clock.install(time=start)
    page.goto(path)
    page.clock.pause_at(start + timedelta(minutes=1))
    page.evaluate("window.__kiosk.idle()")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    page.evaluate("window.__marker = 'the first page'")
    return start + timedelta(minutes=1), navigations


def run_check(page):
    """One check period: the check timers fire, then the check runs to its end."""
    page.clock.run_for(CHECK_MS)
    page.evaluate("window.__kiosk.idle()")


def files(page):
    """The page's stylesheets and scripts, as paths."""
    return page.evaluate("""() => Array.from(
        document.querySelectorAll('link[rel="stylesheet"], script[src]'),
        e => { const url = new URL(e.href || e.src); return url.pathname + url.search; })""")


def assert_one_copy_running(page, heartbeat):
    for _ in range(2):
        before = page.evaluate("p => window.__fetches(p)", heartbeat)
        run_check(page)
        assert page.evaluate("p => window.__fetches(p)", heartbeat) == before + 1


def test_new_code_with_the_server_stopped_mid_renewal_keeps_the_slides(browser, kiosk_app, services, make_screen,
                                                                       monkeypatch):
    """The issue: new code made the screen reload and the server went away at
    that moment: Chromium showed ERR_CONNECTION_REFUSED and the script was
    gone. Now the page is fetched first and swapped in only when whole."""
    from kiosk import services as ops

    kiosk_app.config.update(KIOSK_TEST_SECONDS=SLIDE_MS / 1000, KIOSK_CHECK_SECONDS=CHECK_MS / 1000)
    screen = make_screen(always_on=True)
    path = f"/kiosk/{screen.token}"
    cut = PageCut(path)
    server = Restartable(kiosk_app, wrap=cut.wrap)
    server.start()
    try:
        with screen_page(browser, server.url) as page:
            navigations = open_screen(page, path)[1]
            old = page.evaluate("window.__kiosk.state().code")
            assert files(page) == [f"/static/kiosk/kiosk.css?v={old}", f"/static/kiosk/kiosk.js?v={old}"]
            position = page.locator("#kiosk-position-value")
            offline = page.locator("#kiosk-offline")

            monkeypatch.setattr(ops, "code_version", lambda root: "0123456789ab")  # a deployment
            cut.arm()
            run_check(page)  # the check answers the new code: the page is fetched, but half of it
            assert cut.requested.is_set()
            expect(page.locator("#kiosk")).to_have_attribute("data-code", old)
            assert files(page) == [f"/static/kiosk/kiosk.css?v={old}", f"/static/kiosk/kiosk.js?v={old}"]

            cut.arm(stop_server=True)
            page.clock.run_for(CHECK_MS)  # the page is fetched again...
            assert cut.requested.wait(10)
            server.stop()  # ...and the server goes away before it arrived
            cut.stopped.set()
            page.evaluate("window.__kiosk.idle()")

            expect(page.locator("#kiosk")).to_have_attribute("data-code", old)
            assert files(page) == [f"/static/kiosk/kiosk.css?v={old}", f"/static/kiosk/kiosk.js?v={old}"]
            for _ in range(2):  # the last good slides keep rotating, the checks fail
                before = position.inner_text()
                page.clock.run_for(SLIDE_MS)
                expect(position).not_to_have_text(before)
                expect(shown(page)).to_have_count(1)
                expect(shown(page).locator("h2")).not_to_have_text("")
                run_check(page)
            expect(offline).to_have_text(re.compile(r"^dane z \d\d:\d\d$"))
            expect(offline).to_be_visible()

            server.start()  # the server is back: the next check renews the page in place
            run_check(page)
            expect(page.locator("#kiosk")).to_have_attribute("data-code", "0123456789ab")
            assert page.evaluate("window.__kiosk.state().code") == "0123456789ab"
            assert files(page) == ["/static/kiosk/kiosk.css?v=0123456789ab", "/static/kiosk/kiosk.js?v=0123456789ab"]
            expect(offline).to_be_hidden()
            expect(shown(page)).to_have_count(1)
            before = position.inner_text()
            page.clock.run_for(SLIDE_MS)
            expect(position).not_to_have_text(before)
            assert_one_copy_running(page, f"{path}/heartbeat")

            assert page.evaluate("window.__marker") == "the first page"  # the same document all along
            assert navigations == []
            assert page.url == f"{server.url}{path}"
    finally:
        if server.server is not None:
            server.stop()


def test_the_nightly_refresh_renews_the_page_in_place(browser, live_server, kiosk_app, services, make_screen):
    """The same code: the running copy starts again on the fetched page."""
    kiosk_app.config.update(KIOSK_TEST_SECONDS=SLIDE_MS / 1000, KIOSK_CHECK_SECONDS=CHECK_MS / 1000)
    screen = make_screen(always_on=True)
    path = f"/kiosk/{screen.token}"
    with screen_page(browser, live_server) as page:
        loaded, navigations = open_screen(page, path)
        before = files(page)
        page.evaluate("""() => { document.body.setAttribute('data-first-body', '');
                                 document.querySelector('script[src]').setAttribute('data-first-script', ''); }""")
        requested = []
        page.on("request", lambda r: requested.append(r.url))

        night = loaded.replace(hour=3, minute=5, second=0) + timedelta(days=1)  # 03:05, 20 hours on at least
        if night - loaded <= timedelta(hours=20):
            night += timedelta(days=1)
        page.clock.pause_at(night)  # the check timer fires once on the way: that check renews the page
        page.evaluate("window.__kiosk.idle()")

        expect(page.locator("body[data-first-body]")).to_have_count(0)  # a new body...
        expect(shown(page)).to_have_count(1)
        assert files(page) == before  # ...with the same code, started again (no file loaded)
        expect(page.locator("script[src][data-first-script]")).to_have_count(1)
        assert not [url for url in requested if "/static/" in url]
        assert page.evaluate("p => window.__fetches(p)", path) == 1
        assert_one_copy_running(page, f"{path}/heartbeat")
        assert page.evaluate("p => window.__fetches(p)", path) == 1  # once a night, not at every check
        assert page.evaluate("window.__marker") == "the first page"
        assert navigations == []


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


# --- what a day shows (issue 10) ------------------------------------------------------------------

# Every visible piece of text on the screen, with its font size and whether its
# box runs past the slide (cut off) or past the screen.
TEXT_BOXES = """() => {
  const out = [];
  const slide = document.querySelector('#kiosk-set > .slide:not([hidden])');
  const bottom = slide ? slide.getBoundingClientRect().bottom : innerHeight;
  const walker = document.createTreeWalker(document.getElementById('kiosk'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el.checkVisibility() || el.closest('.visually-hidden')) { continue; }
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    out.push({text: node.textContent.trim(), size: parseFloat(getComputedStyle(el).fontSize),
              cut: !!(slide && slide.contains(el) && box.bottom > bottom + 1), off: box.right > innerWidth});
  }
  return out;
}"""


def assert_readable(page, label):
    """Text >= 40 px, nothing cut off at the bottom of the slide or the screen's edge."""
    boxes = page.evaluate(TEXT_BOXES)
    assert boxes, label
    small = [b["text"] for b in boxes if b["size"] < 40]
    cut = [b["text"] for b in boxes if b["cut"] or b["off"]]
    assert not small, f"{label}: text under 40 px: {small}"
    assert not cut, f"{label}: text cut off: {cut}"


def test_night_wins_over_notices_and_a_banner_notice_keeps_the_rotation(browser, live_server, kiosk_app, services,
                                                                        make_screen, make_notice):
    """The office screen shone with a notice on Friday at 21:13 while the health
    page called it sleeping; a notice for Monday hid every event from Friday."""
    from tests.browser.conftest import _close_and_check, _open_page

    friday = local(2026, 12, 4, 15, 0)
    kiosk_app.config.update(FIXED_NOW=friday, KIOSK_TEST_SECONDS=600, KIOSK_CHECK_SECONDS=600)
    screen = make_screen(hours=OFFICE)
    full = make_notice("Awaria ogrzewania — zajęcia w świetlicy odwołane", starts_at=local(2026, 12, 4, 12),
                       ends_at=local(2026, 12, 5, 12))
    make_notice("Od poniedziałku centrum pracuje od 7:00 do 15:00", starts_at=local(2026, 12, 4, 12),
                ends_at=local(2026, 12, 12, 0), display="banner")
    context, page, problems = _open_page(browser, live_server, viewport={"width": 1920, "height": 1080})
    banner = page.locator(".kiosk-banner:not([hidden])")
    try:
        page.clock.install(time=friday)
        page.goto(f"/kiosk/{screen.token}")
        expect(shown(page)).to_have_attribute("data-key", f"notice-{full.id}")  # open: the notice has the screen
        expect(banner).to_have_text("Ważny komunikat: Od poniedziałku centrum pracuje od 7:00 do 15:00")

        page.clock.run_for("31:00")  # 15:31: closed, the night wins over both notices
        night = page.locator("#kiosk-night")
        expect(night).to_be_visible()
        expect(night).to_contain_text("Zapraszamy w poniedziałek od 7:30")
        expect(page.locator("#kiosk-set > .slide:not([hidden])")).to_have_count(0)
        expect(banner).to_have_count(0)

        page.clock.pause_at(local(2026, 12, 7, 7, 30, 5))  # Monday: the full notice has ended
        page.clock.run_for("00:40")
        expect(night).to_be_hidden()
        expect(shown(page)).to_have_attribute("data-kind", "service")
        for _ in range(3):  # the rotation goes on, the banner above every slide
            key = page.evaluate("window.__kiosk.advance()")
            assert key.startswith("service-")
            expect(banner).to_contain_text("Od poniedziałku centrum pracuje")
        assert_readable(page, "a slide under a banner")
        page.clock.resume()  # axe-core waits on timers of its own
        assert_accessible(page, "kiosk with a banner notice")
    finally:
        _close_and_check(context, problems)


def test_a_new_item_for_today_is_shown_next(browser, live_server, kiosk_app, make_service, make_screen, make_event):
    """A new event appeared after 169 s: 13 slides of 16-20 s were ahead of it."""
    from portal.events import services as events
    from portal.extensions import db
    from tests.browser.conftest import _close_and_check, _open_page

    nine = local(2026, 10, 12, 9, 0)
    kiosk_app.config.update(FIXED_NOW=nine, KIOSK_TEST_SECONDS=600, KIOSK_CHECK_SECONDS=600)  # the test drives both
    for name in ("Klub Seniora", "Rehabilitacja w domu", "Warsztaty rękodzieła", "Kawiarenka", "Biblioteka"):
        make_service(name, capacity_maximum=5)
    screen = make_screen(always_on=True)
    context, page, problems = _open_page(browser, live_server, viewport={"width": 1920, "height": 1080})

    def check():
        before = page.evaluate("window.__kiosk.state().version")
        page.evaluate("window.__kiosk.check()")
        page.wait_for_function("v => window.__kiosk.state().version !== v", arg=before)

    try:
        page.clock.install(time=nine)
        page.goto(f"/kiosk/{screen.token}")
        page.evaluate("window.__kiosk.advance()")
        expect(page.locator("#kiosk-position-value")).to_have_text("2/5")

        event = make_event("Spotkanie z dietetykiem", date(2026, 10, 12), "12:00", "13:30")
        check()
        assert page.evaluate("window.__kiosk.advance()") == "today-2026-10-12-1"  # next, not after 3 more
        expect(shown(page)).to_contain_text("Spotkanie z dietetykiem")
        expect(page.locator("#kiosk-position-value")).to_have_text("1/6")
        assert page.evaluate("window.__kiosk.advance()").startswith("service-")  # then the rotation goes on
        assert page.evaluate("window.__kiosk.advance()").startswith("service-")

        make_service("Wypożyczalnia sprzętu", capacity_maximum=3)  # a change, but none for today
        check()
        assert page.evaluate("window.__kiosk.advance()").startswith("service-")

        data = events.event_data(event)
        events.update_event(db.session, event, {**data, "title": "Spotkanie z dietetyczką"}, actor=None,
                            expected_version=event.version)
        db.session.commit()
        check()
        assert page.evaluate("window.__kiosk.advance()") == "today-2026-10-12-1"  # changed: next again
        expect(shown(page)).to_contain_text("Spotkanie z dietetyczką")
    finally:
        _close_and_check(context, problems)


def test_the_day_the_centre_and_the_today_slide(browser, live_server, kiosk_app, make_screen, make_event):
    from tests.browser.conftest import _close_and_check, _open_page

    morning = local(2026, 10, 12, 9, 0)
    kiosk_app.config.update(FIXED_NOW=morning, KIOSK_TEST_SECONDS=600, KIOSK_CHECK_SECONDS=600)
    make_event("Spotkanie z dietetykiem", date(2026, 10, 12), "10:00", "11:30",
               summary="Jak jeść zdrowo po sześćdziesiątce: rozmowa, porady i przepisy do zabrania do domu.",
               registration_needed=True, registration_phone="257531001", free=False, price="10 zł")
    make_event("Wieczorek taneczny dla seniorów i ich rodzin w remizie OSP", date(2026, 10, 12), "18:00", "22:00",
               summary="Zagra zespół „Jarzębina”.")
    screen = make_screen(always_on=True, show_free_services=False)
    context, page, problems = _open_page(browser, live_server, viewport={"width": 1920, "height": 1080})
    try:
        page.clock.install(time=morning)
        page.goto(f"/kiosk/{screen.token}")
        top = page.locator(".kiosk-top")
        expect(top.locator(".kiosk-centre")).to_have_text("Centrum Usług Społecznych w Wojcieszkowie")
        expect(top.locator("[data-date]")).to_have_text("poniedziałek, 12 października")
        today = shown(page)
        expect(today.locator(".today-card")).to_have_count(2)  # few events: a big card each
        expect(today.locator(".today-card").first).to_contain_text("Zapisy: tel. 25 753 10 01")
        expect(today.locator(".slide-qr svg")).to_be_visible()
        expect(today.locator(".slide-qr figcaption")).to_have_text("Wszystkie wydarzenia: zeskanuj kod telefonem")
        assert_readable(page, "Dziś with two cards")
        assert_accessible(page, "kiosk: Dziś with two cards")

        page.clock.pause_at(local(2026, 10, 12, 23, 59, 30))  # the date follows midnight without the server
        page.clock.run_for("01:00")
        expect(top.locator("[data-date]")).to_have_text("wtorek, 13 października")
        expect(top.locator("[data-clock]")).to_have_text("00:00")
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
    from portal.core import versions as data_versions
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
            data_versions.bump(db.session, data_versions.EVENTS)
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
