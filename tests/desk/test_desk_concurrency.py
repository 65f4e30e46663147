"""20 parallel submissions of the desk form and of the public contact form
against a running server: every request stored exactly once, no 5xx, and the
desk version moved once per request (the single-row UPDATE serialises)."""
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from portal.timeutil import WARSAW
from tests.browser.conftest import serving
from tests.conftest import Auth

PARALLEL = 20
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that reports redirects instead of following them."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def open(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, html):
        match = TOKEN.search(html)
        return match.group(1) or match.group(2)


def _count(model, **filters):
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**filters))


def test_parallel_desk_submissions(app, desk_user):
    from portal.core import versions
    from portal.desk.models import Request
    from portal.extensions import db

    start = versions.current(db.session, versions.DESK)
    username = desk_user.username
    with serving(app) as base:
        def submit(n):
            browser = Browser(base)
            _status, page = browser.open("/login")
            status, _ = browser.open("/login", {"username": username, "password": Auth.PASSWORD,
                                                "csrf_token": browser.token(page)})
            assert status == 303
            _status, page = browser.open("/desk/requests/new")
            return browser.open("/desk/requests/new", {
                "csrf_token": browser.token(page), "channel": "phone", "applicant": "self",
                "kind": "information", "question": f"Pytanie numer {n}", "answer": "Odpowiedź",
                "action": "save"})[0]

        with ThreadPoolExecutor(PARALLEL) as pool:
            codes = list(pool.map(submit, range(PARALLEL)))
    assert codes == [303] * PARALLEL
    assert _count(Request) == PARALLEL
    for n in range(PARALLEL):
        assert _count(Request, question=f"Pytanie numer {n}") == 1
    assert versions.current(db.session, versions.DESK) == start + PARALLEL


def test_parallel_contact_submissions(app):
    from portal.desk.models import Request

    shown = datetime(2026, 5, 12, 10, 0, tzinfo=WARSAW)
    app.config["FIXED_NOW"] = shown
    with serving(app) as base:
        browsers = [Browser(base) for _ in range(PARALLEL)]
        forms = []
        for browser in browsers:
            _status, page = browser.open("/contact")
            started = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
            forms.append({"csrf_token": browser.token(page), "started": started})
        app.config["FIXED_NOW"] = shown + timedelta(seconds=30)

        def submit(n):
            return browsers[n].open("/contact", {**forms[n], "name": f"Osoba {n}", "phone": "601234567",
                                                 "message": f"Wiadomość numer {n}"})[0]

        with ThreadPoolExecutor(PARALLEL) as pool:
            codes = list(pool.map(submit, range(PARALLEL)))
    assert codes == [303] * PARALLEL
    assert _count(Request, channel="web_form") == PARALLEL
    for n in range(PARALLEL):
        assert _count(Request, message=f"Wiadomość numer {n}") == 1
