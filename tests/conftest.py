"""Shared fixtures.

Every test that uses `app` (or anything built on it) runs twice: on SQLite
and on PostgreSQL (TEST_DATABASE_URL). The schema comes from the Alembic
migrations, exactly as in production. Without TEST_DATABASE_URL the
PostgreSQL runs are skipped, and the run ends with a loud notice.
"""
import os
import re
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config import TestConfig, normalise_database_url, sqlite_url  # noqa: E402

# Property tests assert what they find, never how long it took: no per-example
# deadline and no "input generation is slow" check, which a busy CI machine
# tripped (a fresh clone's run, test_make_pesel_always_parses_back: 4 inputs
# in 1.08 s). Files that set their own settings keep them.
settings.register_profile("portal", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("portal")

PG_URL = os.environ.get("TEST_DATABASE_URL")
PG_SKIP_REASON = "PostgreSQL not tested: TEST_DATABASE_URL is not set (.ci/run sets it)"
REDIS_SKIP_PREFIX = "Redis not reachable at"
# pytest-xdist runs the suite in several processes (`make test` uses one per
# core); each takes a PostgreSQL database of its own, <name>_<worker>.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
# Reference data seeded by migrations survives between tests.
KEEP_TABLES = {"alembic_version", "area", "target_group", "data_version"}

# Counted from the test reports, which reach the controlling process under
# xdist too: the loud notices at the end must not depend on who collected.
_skipped_pg = []
_skipped_redis = []
# The shared store for rate limits; .ci/run starts Debian's redis-server when
# nothing answers here. Each test module that needs it takes its own database number.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")


def _compile_translations():
    """The .mo files from the .po catalogues, so a run never reads stale ones."""
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(ROOT / "portal" / "translations")],
        check=False, capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.exit(f"the translations did not compile:\n{result.stderr}", returncode=3)


def pytest_sessionstart(session):
    if not WORKER:  # once, before any worker starts (make test compiles them too)
        _compile_translations()


def pytest_runtest_logreport(report):
    if not report.skipped or not isinstance(report.longrepr, tuple):
        return
    reason = str(report.longrepr[2])
    if PG_SKIP_REASON in reason:
        _skipped_pg.append(report.nodeid)
    elif REDIS_SKIP_PREFIX in reason:
        _skipped_redis.append(report.nodeid)


def pytest_terminal_summary(terminalreporter):
    if _skipped_redis:
        terminalreporter.write_sep("!", "REDIS TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(_skipped_redis)} tests of the shared rate-limit store did not run: nothing answers at "
            f"{REDIS_URL}. Run .ci/run (it starts Debian's redis-server) or start one.", red=True)
    if _skipped_pg:
        terminalreporter.write_sep("!", "POSTGRESQL TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(_skipped_pg)} database tests did not run on PostgreSQL because TEST_DATABASE_URL "
            "is not set. Run .ci/run (or set TEST_DATABASE_URL) to test both databases.",
            red=True,
        )


def _migrate(url):
    from flask_migrate import upgrade

    from portal import create_app

    config = type("MigrateConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    with app.app_context():
        upgrade()
        from portal.extensions import db

        db.engine.dispose()


def _worker_database(url):
    """The worker's own database beside TEST_DATABASE_URL's, created when missing."""
    if not WORKER:
        return url
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{WORKER}"
    engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        url = sqlite_url(tmp_path_factory.mktemp("db") / "test.sqlite3")
    else:
        if not PG_URL:
            pytest.skip(PG_SKIP_REASON)
        url = _worker_database(normalise_database_url(PG_URL))
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    _migrate(url)
    return url


def _clean(db):
    from portal.catalogue import search, statistics

    search._indexes.clear()
    statistics.forget_counts()
    # DELETE beats TRUNCATE on PostgreSQL for tables this small. The audit
    # log refuses deletion by trigger; only the tests lift that, briefly.
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with db.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        else:
            triggers = conn.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_event'")).all()
            for name, _sql in triggers:
                conn.execute(text(f"DROP TRIGGER {name}"))
        for table in tables:
            conn.execute(table.delete())
        # Deleting rows is a change like any other: move the version counters,
        # so nothing rendered and kept for an earlier test is served again.
        conn.execute(text("UPDATE data_version SET counter = counter + 1"))
        if postgres:
            conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
        else:
            for _name, sql in triggers:
                conn.execute(text(sql))


def make_app(database_url, **overrides):
    from portal import create_app

    settings = {"SQLALCHEMY_DATABASE_URI": database_url}
    if database_url.startswith("postgresql"):
        # A test database need not survive a crash: skip the fsync per commit.
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": "-c synchronous_commit=off"}}
    settings.update(overrides)
    return create_app(type("AppTestConfig", (TestConfig,), settings))


_apps = {}


@pytest.fixture
def app(database_url):
    """One app per database for the whole run (creating one costs more than
    most tests); its configuration is restored before every test."""
    from portal.extensions import db

    if database_url not in _apps:
        created = make_app(database_url)
        _apps[database_url] = (created, dict(created.config))
    app, settings = _apps[database_url]
    app.config.clear()
    app.config.update(settings)
    with app.app_context():
        _clean(db)
        yield app
        db.session.remove()


@pytest.fixture
def fresh_app(database_url):
    """An app of the test's own, for tests that add routes or change
    settings read only at start-up."""
    from portal.extensions import db

    app = make_app(database_url)
    with app.app_context():
        _clean(db)
        yield app
        db.session.remove()
        db.engine.dispose()


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in production: the test's
    own context (and its `g`, session and logged-in user) does not leak in."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def csrf_from(html):
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def provider_for(role):
    """A provider account's organisation: one test provider, made on first use
    (None for the centre's staff roles)."""
    from portal.auth.models import Role
    from portal.catalogue.models import Provider
    from portal.extensions import db

    if role != Role.PROVIDER:
        return None
    provider = db.session.scalar(db.select(Provider).filter_by(slug="test-realizator"))
    if provider is None:
        provider = Provider(name="Stowarzyszenie Testowe „Realizator”", slug="test-realizator",
                            provider_type="association")
        db.session.add(provider)
        db.session.flush()
    return provider.id


class Auth:
    """Log in as a role through the real login form."""

    PASSWORD = "correct horse battery"

    def __init__(self, client):
        self.client = client
        self.token = None

    def user(self, role, username=None):
        from portal.auth.models import User
        from portal.auth.services import create_user
        from portal.extensions import db

        username = username or f"test-{role}"
        user = db.session.scalar(db.select(User).filter_by(username=username))
        if user is None:
            user = create_user(username, f"Test {role}", role, self.PASSWORD, provider_id=provider_for(role))
            db.session.commit()
        return user

    def login(self, role, username=None):
        user = self.user(role, username)
        page = self.client.get("/login")
        response = self.client.post(
            "/login",
            data={"username": user.username, "password": self.PASSWORD, "csrf_token": csrf_from(page.text)},
        )
        assert response.status_code == 303, response.text[:500]
        self.token = csrf_from(self.client.get("/staff").text)
        return user

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.token})

    def token_as(self, role):
        """Log in as `role` (None: stay anonymous); the CSRF token the visitor's forms carry."""
        if role:
            self.login(role)
            return self.token
        return csrf_from(self.client.get("/login").text)

    def post(self, url, data=None, **kwargs):
        """POST with the session's CSRF token."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.token or csrf_from(self.client.get("/login").text))
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def redis_url(request):
    """A real Redis database of the test's own (number from the module's
    REDIS_DB, default 1), emptied before the test. Skipped loudly without Redis."""
    import redis

    number = getattr(request.module, "REDIS_DB", 1)
    url = f"{REDIS_URL.rstrip('/')}/{number}"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()
    except redis.RedisError as exc:
        pytest.skip(f"{REDIS_SKIP_PREFIX} {url}: {type(exc).__name__}")
    yield url
    client.flushdb()
    client.close()


# --- factories -------------------------------------------------------------

@pytest.fixture
def make_user(app):
    """A staff account with the test password, created once per username."""
    from portal.auth.models import User
    from portal.auth.services import create_user
    from portal.extensions import db

    def make(role, username=None, full_name=None):
        username = username or f"u-{role}"
        user = db.session.scalar(db.select(User).filter_by(username=username))
        if user is None:
            user = create_user(username, full_name or f"Test {role}", role, Auth.PASSWORD,
                               provider_id=provider_for(role))
            db.session.commit()
        return user

    return make


@pytest.fixture
def desk_user(make_user):
    """A receptionist (front desk) with an account of her own."""
    return make_user("front_desk", "desk-anna", "Anna Recepcyjna")


@pytest.fixture
def make_provider(app):
    from portal.catalogue.models import Provider
    from tests.helpers import saved

    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        n = counter["n"]
        values = {"name": f"Stowarzyszenie Testowe {n}", "slug": f"stowarzyszenie-testowe-{n}",
                  "provider_type": "association"}
        values.update(fields)
        return saved(Provider(**values))

    return make


@pytest.fixture
def make_village(app):
    from portal.catalogue.models import Village
    from portal.catalogue.search import fold
    from tests.helpers import saved

    def make(name):
        return saved(Village(name=name, slug=fold(name).replace(" ", "-")))

    return make


@pytest.fixture
def make_service(app, make_provider):
    """A published service; keyword arguments override any field.

    areas / groups take codes; rules take (weekday, "HH:MM", "HH:MM")."""
    from portal.catalogue.models import Area, Place, ScheduleRule, Service, TargetGroup
    from portal.catalogue.search import fold
    from portal.core import versions
    from portal.extensions import db
    from tests.helpers import saved

    def make(name="Klub Seniora", *, areas=("social_assistance",), groups=(), rules=(), places=(),
             provider=None, **fields):
        slug = fields.pop("slug", None) or fold(name).replace(" ", "-")[:120]
        service = Service(name=name, slug=slug, description=fields.pop("description", f"Opis: {name}"),
                          provider=provider or make_provider(), **fields)
        db.session.add(service)
        service.areas = list(db.session.scalars(db.select(Area).where(Area.code.in_(areas))))
        service.target_groups = list(db.session.scalars(db.select(TargetGroup).where(TargetGroup.code.in_(groups))))
        for place in places:
            if not isinstance(place, Place):
                place = Place(name=place)
            service.places.append(place)
        for weekday, opens, closes in rules:
            service.schedule_rules.append(ScheduleRule(
                weekday=weekday, opens=time.fromisoformat(opens), closes=time.fromisoformat(closes)))
        return saved(service, versions.CATALOGUE)

    return make


@pytest.fixture
def today():
    """The portal's today: the Warsaw date (UTC's is a day behind from 22:00 or 23:00 UTC)."""
    from portal.timeutil import local_now

    return local_now().date()


class Received(list):
    """The portal signals an app sent, as (name, payload) in order."""

    def of(self, name):
        return [payload for sent, payload in self if sent == name]

    @property
    def names(self):
        return [name for name, _payload in self]


@pytest.fixture
def received(app):
    """Every portal signal (portal/core/signals.py) the app sends during the test."""
    from functools import partial

    from portal.core import signals

    log = Received()

    def receive(name, _sender, **payload):
        log.append((name, payload))

    receivers = [(signal, partial(receive, signal.name)) for signal in signals.ALL]
    for signal, receiver in receivers:
        signal.connect(receiver, sender=app, weak=False)
    yield log
    for signal, receiver in receivers:
        signal.disconnect(receiver, sender=app)
