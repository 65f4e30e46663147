"""Small helpers shared by the test modules of several features (the
fixtures are in tests/conftest.py; the HTML checker in tests/vnu.py)."""
import html as html_lib
import io
import re
from contextlib import contextmanager

# The demo seeders in the order `flask demo ensure` runs them; each needs the ones before it.
DEMO_STEPS = ("catalogue", "people", "assessments", "plans", "casework", "events", "quality", "sessions", "entries",
              "complaints", "screens")


def seed_demo(through):
    """The demo users and the demo data up to and including the step `through`
    (one of DEMO_STEPS), committed; returns what that last seeder returned."""
    from portal.auth.services import ensure_demo_users
    from portal.demo.assessments import seed_assessments
    from portal.demo.casework import seed_casework
    from portal.demo.catalogue import seed_catalogue
    from portal.demo.complaints import seed_complaints
    from portal.demo.delivery_entries import seed_delivery_entries
    from portal.demo.delivery_sessions import seed_sessions
    from portal.demo.events import seed_events
    from portal.demo.people import seed_people
    from portal.demo.plans import seed_plans
    from portal.demo.quality import seed_quality
    from portal.demo.screens import ensure_demo_screens
    from portal.extensions import db

    seeders = dict(zip(DEMO_STEPS, (seed_catalogue, seed_people, seed_assessments, seed_plans, seed_casework,
                                    seed_events, seed_quality, seed_sessions, seed_delivery_entries, seed_complaints,
                                    ensure_demo_screens), strict=True))
    ensure_demo_users()
    for step in DEMO_STEPS[:DEMO_STEPS.index(through) + 1]:
        result = seeders[step](db.session)
    db.session.commit()
    return result


@contextmanager
def fresh_database(database_url, sqlite_path, suffix):
    """A new, empty database of the run's kind: the SQLite file `sqlite_path`
    (not made yet), or the PostgreSQL database <the run's>_<suffix> fresh from
    CREATE DATABASE and dropped afterwards. Yields its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    from config import sqlite_url

    if database_url.startswith("sqlite"):
        yield sqlite_url(sqlite_path)
        return
    url = make_url(database_url)
    name = f"{url.database}_{suffix}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def switch(auth, username):
    """Log out whoever is logged in, log in as `username` (an existing account)."""
    if auth.token:
        auth.logout()
    auth.login(None, username)


def png(size=(40, 20), colour="white"):
    """The bytes of a small PNG image."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def saved(row, version=None):
    """`row` added to the session and committed (with the data version
    `version` moved in the same transaction, as the services do); returns it."""
    from portal.core import versions
    from portal.extensions import db

    db.session.add(row)
    if version:
        versions.bump(db.session, version)
    db.session.commit()
    return row


def stored(model, ident=None, **where):
    """The row as the database has it now (the session forgets what it holds
    first: the pages change rows in their own sessions): by primary key, or
    the one matching `where`."""
    from portal.extensions import db

    db.session.expire_all()
    if where:
        return db.session.scalar(db.select(model).filter_by(**where))
    return db.session.get(model, ident)


def visible_text(html):
    """The text a reader sees: scripts, styles, drawings and templates left
    out, tags read as spaces, entities decoded, whitespace squeezed."""
    html = re.sub(r"(?s)<(script|style|svg|template)\b[^>]*>.*?</\1>", " ", html)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def assert_in(text, *expected):
    """Every one of `expected` stands in `text`; a failure names the missing ones."""
    missing = [part for part in expected if part not in text]
    assert not missing, f"missing: {missing}"


def letters(number, width=4):
    """A word of letters only, different for every number ("aaaa", "aaab", ...)."""
    out = ""
    for _ in range(width):
        number, digit = divmod(number, 26)
        out = chr(ord("a") + digit) + out
    return out
