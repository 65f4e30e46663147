"""Account-page helpers: logging in (with a second factor when asked), the
one-time link read back from the page, TOTP codes from pyotp at the portal's
frozen clock, and a real SMTP server."""
import html
import re
from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from tests.conftest import Auth, csrf_from
from tests.desk.test_desk_mail import smtp  # noqa: F401  (fixture: a real aiosmtpd server)
from tests.helpers import stored as fresh  # noqa: F401  (the accounts tests take it from here)
from tests.helpers import visible_text as text_of  # noqa: F401  (likewise)

NOON = datetime(2026, 1, 13, 11, 0, tzinfo=timezone.utc)  # 12:00 in Warsaw
NEW_PASSWORD = "pochmurny rower sześć jabłek"
LINK_RE = re.compile(r'<code class="one-time-link">([^<]+)</code>')
SECRET_RE = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')
RECOVERY_RE = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def link_path(page):
    match = LINK_RE.search(page)
    assert match, "no one-time link on the page"
    url = html.unescape(match.group(1))
    return url[url.index("/set-password/"):]


def secret_from(page):
    match = SECRET_RE.search(page)
    assert match, "no TOTP secret on the page"
    return match.group(1).replace(" ", "")


def code_at(secret, moment, steps=0):
    return pyotp.TOTP(secret).at(moment + timedelta(seconds=30 * steps))


def post(client, url, data=None, **kwargs):
    """A form post with the CSRF token of the page at `url` (or of /login)."""
    page = client.get(url)
    token = csrf_from(page.text if page.status_code < 400 else client.get("/login").text)
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def password_step(client, username, password=Auth.PASSWORD):
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


@pytest.fixture
def clock(app):
    """The portal's clock frozen at NOON; `clock.move(seconds)` moves it."""

    class Clock:
        now = NOON

        def move(self, **delta):
            self.now = self.now + timedelta(**delta)
            app.config["FIXED_NOW"] = self.now

    c = Clock()
    app.config["FIXED_NOW"] = NOON
    return c


@pytest.fixture
def admin(auth):
    return auth.login("admin", "admin")


@pytest.fixture
def anna(make_user):
    from portal.auth.models import User
    from portal.extensions import db

    user = make_user("front_desk", "recepcja", "Anna Recepcyjna")
    user.email = "anna.recepcyjna@cus.example"
    db.session.commit()
    return db.session.get(User, user.id)


def audit(action=None, object_id=None):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    query = db.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    return list(db.session.scalars(query))
