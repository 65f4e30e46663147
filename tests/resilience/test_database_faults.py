"""When the database misbehaves (issue 16, findings 1 and 2).

Against real servers, not mocks: on PostgreSQL the portal talks to the real
server through a TCP proxy the test makes hang or refuse (tests/servers.py
FaultyProxy); a bare TCP listener that accepts and never answers stands in
for a hung server. On SQLite: a database file that cannot be opened, and a
writer holding the lock.

Time limits here are hang detectors (a generous HANG seconds), never speed
checks."""
import logging
import os
import socket
import threading
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import Auth, FreshContextClient, csrf_from, make_app
from tests.servers import FaultyProxy

HANG = 30  # seconds after which a request counts as hung


def finishes(call, limit=HANG):
    """call() in a thread; its result, or a failure when it is still running after `limit` s."""
    box = {}

    def run():
        try:
            box["result"] = call()
        except BaseException as exc:  # noqa: BLE001 - reported below
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), f"no answer within {limit} s: the portal hangs on the database"
    if "error" in box:
        raise box["error"]
    return box["result"]


def with_port(url, port):
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host))


LIMITS = {"DB_CONNECT_TIMEOUT": 2, "DB_PING_TIMEOUT": 1, "DB_POOL_TIMEOUT": 2, "DB_CLIENT_TIMEOUT": 3,
          "HEALTH_TIMEOUT": 1.5, "SQLITE_BUSY_TIMEOUT_MS": 300}


@contextmanager
def portal(url, **settings):
    from portal.extensions import db

    served = make_app(url, **{**LIMITS, **settings})
    served.test_client_class = FreshContextClient
    try:
        yield served
    finally:
        with served.app_context():
            db.engine.dispose()


@contextmanager
def sqlite_portal(database_url, tmp_path):
    """A portal on the test's SQLite file reached through a link, and a
    function that takes the file away (a lost disk, a wrong mount): new
    connections then cannot open it."""
    from portal.extensions import db

    link = tmp_path / "portal.sqlite3"
    os.symlink(urlsplit(database_url).path, link)
    with portal(f"sqlite:///{link}") as served:
        def lose_the_file():
            os.unlink(link)
            os.symlink(tmp_path / "gone" / "portal.sqlite3", link)
            with served.app_context():
                db.engine.dispose()
        yield served, lose_the_file


@contextmanager
def lost_sqlite_file(database_url, tmp_path, desk, caplog):
    """The receptionist `desk` logged in to a portal on the test's SQLite
    file, then the file lost, and the log read from INFO on: yields the
    receptionist's client and another one."""
    with sqlite_portal(database_url, tmp_path) as (served, lose_the_file):
        receptionist, other = served.test_client(), served.test_client()
        login(receptionist, desk.username)
        lose_the_file()
        caplog.set_level(logging.INFO)
        yield receptionist, other


def login(client, username):
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": Auth.PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text[:300]


def assert_outage_page(response):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    text = response.text
    assert "Usługa chwilowo niedostępna" in text and '<html lang="pl">' in text
    assert "Internal Server Error" not in text
    assert response.headers["Cache-Control"] == "no-store"


def assert_log_is_clean(caplog, *secrets):
    lines = [r.getMessage() for r in caplog.records]
    assert not any(r.exc_info or r.exc_text for r in caplog.records), "a traceback was logged"
    for line in lines:
        assert "Traceback" not in line
        for secret in ("Connection refused", "connection failed", "timeout expired", "server closed",
                       "unable to open", "database is locked", *secrets):
            assert secret.lower() not in line.lower(), line
    return lines


# --- a listener that never answers --------------------------------------------------------------

@pytest.fixture
def silent_listener():
    """Accepts connections and never says a word: a hung database server."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(5)
    for sock in accepted:
        sock.close()
    listener.close()


def test_a_hung_database_gives_503_on_healthz_and_pages_instead_of_hanging(silent_listener, caplog):
    caplog.set_level(logging.INFO)
    url = f"postgresql+psycopg://postgres@127.0.0.1:{silent_listener}/test"
    with portal(url) as served:
        client = served.test_client()
        health = finishes(lambda: client.get("/healthz"))
        assert health.status_code == 503
        assert health.json == {"status": "unavailable", "database": "not_answering"}
        # While that check is still stuck, the next one does not pile up another wait.
        again = finishes(lambda: client.get("/healthz"), limit=HANG)
        assert again.status_code == 503
        assert_outage_page(finishes(lambda: client.get("/services")))
        assert_outage_page(finishes(lambda: client.get("/events")))
    assert_log_is_clean(caplog)


# --- PostgreSQL through a proxy that fails ----------------------------------------------------------

@pytest.fixture
def proxied(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the proxy stands between the portal and PostgreSQL; SQLite has its own tests below")
    port = urlsplit(database_url.replace("+psycopg", "")).port or 5432
    with FaultyProxy(port) as proxy:
        with portal(with_port(database_url, proxy.port)) as served:
            yield proxy, served


@pytest.mark.parametrize("fault", ["refuse", "hang"])
def test_an_outage_gives_everyone_the_polish_503_page(proxied, auth, fault, caplog):
    proxy, served = proxied
    desk = auth.user("front_desk", "recepcja")
    anonymous, receptionist = served.test_client(), served.test_client()
    login(receptionist, desk.username)
    assert receptionist.get("/desk/board").status_code == 200
    caplog.set_level(logging.INFO)
    proxy.set_mode(fault)
    for client, path in ((anonymous, "/"), (anonymous, "/services"), (receptionist, "/desk/board"),
                         (receptionist, "/residents/"), (receptionist, "/staff")):
        assert_outage_page(finishes(lambda: client.get(path)))
    health = finishes(lambda: anonymous.get("/healthz"))
    assert health.status_code == 503
    lines = assert_log_is_clean(caplog, desk.full_name)
    assert sum("database unavailable" in line for line in lines) == 5  # one line per failed page
    # Back again: the same session goes on, nothing to restart.
    proxy.set_mode("pass")
    page = finishes(lambda: receptionist.get("/desk/board"))
    assert page.status_code == 200 and desk.full_name in page.text
    def healthy_again():
        # A check still stuck from the outage may answer 503 once more; then 200.
        while anonymous.get("/healthz").status_code != 200:
            pass
        return True

    assert finishes(healthy_again)


# --- SQLite --------------------------------------------------------------------------------------

def test_sqlite_that_cannot_be_opened_gives_the_503_page_to_a_logged_in_receptionist(app, database_url, auth,
                                                                                     tmp_path, caplog):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's own failure; PostgreSQL has the proxy tests")
    desk = auth.user("front_desk", "recepcja")
    with lost_sqlite_file(database_url, tmp_path, desk, caplog) as (receptionist, anonymous):
        assert_outage_page(receptionist.get("/desk/board"))
        assert_outage_page(anonymous.get("/services"))
        assert anonymous.get("/healthz").status_code == 503
    assert_log_is_clean(caplog, desk.full_name)


def test_sqlite_locked_by_a_writer_answers_503_after_the_busy_timeout(app, database_url, auth, caplog):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's lock")
    import sqlite3

    path = urlsplit(database_url).path
    desk = auth.user("front_desk", "recepcja")
    with portal(database_url) as served:
        receptionist = served.test_client()
        login(receptionist, desk.username)
        token = csrf_from(receptionist.get("/desk/requests/new").text)
        holder = sqlite3.connect(path, timeout=0)
        holder.execute("BEGIN IMMEDIATE")  # a writer that does not let go
        try:
            caplog.set_level(logging.INFO)
            response = finishes(lambda: receptionist.post("/desk/requests/new", data={
                "csrf_token": token, "channel": "phone", "kind": "information", "question": "Godziny otwarcia?",
                "answer": "7:30-15:30", "action": "save"}))
            assert_outage_page(response)
        finally:
            holder.rollback()
            holder.close()
    assert_log_is_clean(caplog)


def test_the_busy_timeout_and_the_postgresql_limits_come_from_the_settings(app):
    from config import Config
    from portal.database import engine_options

    pg = engine_options({**vars(Config), "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@h/db",
                         "SQLALCHEMY_ENGINE_OPTIONS": {}})
    args = pg["connect_args"]
    assert args["connect_timeout"] == 3 and args["keepalives"] == 1 and args["tcp_user_timeout"] == 30000
    assert "statement_timeout=15000" in args["options"] and "lock_timeout=10000" in args["options"]
    assert pg["pool_timeout"] == 10 and pg["pool_pre_ping"] is False  # portal.database pings with a deadline
    lite = engine_options({**vars(Config), "SQLALCHEMY_DATABASE_URI": "sqlite:///x.db", "SQLITE_BUSY_TIMEOUT_MS": 2500,
                           "SQLALCHEMY_ENGINE_OPTIONS": {}})
    assert lite["connect_args"] == {"timeout": 2.5}
