"""The search index rebuilt in the background after a catalogue edit
(portal/catalogue/search.py, get_index): the old index answers while the new
one is built, the new one after; one rebuild at a time; a failure keeps the
old index and is tried again later; a version that moves during a rebuild is
picked up next. On the real database, through the public search page; the
rebuild thread is held at its steps by threading.Event, never by timing."""
import logging
import threading

import pytest

from portal.catalogue import search

WAIT = 30  # seconds: a hang detector, not a speed check


@pytest.fixture
def background(app):
    app.config["SEARCH_INDEX_IN_BACKGROUND"] = True
    yield app
    _wait()  # never leave a rebuild reading a database the next test empties


@pytest.fixture
def held(monkeypatch):
    """The rebuild thread stops when its new index is built, before the swap,
    until `release` is set; `started` lists the rebuild threads."""
    reached, release, started = threading.Event(), threading.Event(), []

    def hook(step):
        if step == "start":
            started.append(threading.current_thread())
        if step == "built":
            reached.set()
            assert release.wait(WAIT), "the test never released the rebuild"

    monkeypatch.setattr(search, "rebuild_hook", hook)
    yield reached, release, started
    release.set()


def _running():
    from portal.extensions import db

    return search.rebuild_running(db.session)


def _wait():
    from portal.extensions import db

    assert search.wait_for_rebuild(db.session, WAIT)


def _found(client, query):
    return client.get(f"/services?q={query}").text


def test_the_old_index_answers_during_a_rebuild_and_the_new_one_after(background, client, make_service, held):
    reached, release, _started = held
    make_service("Klub Seniora")
    assert "Klub Seniora" in _found(client, "klub")  # the first index of the process: built there and then

    make_service("Klub Malucha")
    assert "Klub Malucha" not in _found(client, "malucha")  # answered by the old index
    assert reached.wait(WAIT)
    thread = _running()
    assert thread is not None
    page = _found(client, "klub")
    assert "Klub Seniora" in page and "Klub Malucha" not in page
    assert _running() is thread  # one rebuild at a time

    release.set()
    thread.join(WAIT)
    assert _running() is None
    page = _found(client, "klub")
    assert "Klub Seniora" in page and "Klub Malucha" in page


def test_a_failed_rebuild_keeps_the_old_index_and_is_tried_again_later(background, client, make_service,
                                                                       monkeypatch, caplog):
    def broken(step):
        raise RuntimeError("the database went away")

    make_service("Klub Seniora")
    assert "Klub Seniora" in _found(client, "klub")
    background.config["SEARCH_INDEX_RETRY_SECONDS"] = 3600
    monkeypatch.setattr(search, "rebuild_hook", broken)
    make_service("Klub Malucha")
    with caplog.at_level(logging.ERROR, logger="portal.catalogue.search"):
        assert "Klub Malucha" not in _found(client, "malucha")
        _wait()
    assert "search index rebuild failed" in caplog.text
    page = _found(client, "klub")
    assert "Klub Seniora" in page and "Klub Malucha" not in page
    assert _running() is None  # not before the retry time

    monkeypatch.setattr(search, "rebuild_hook", None)
    background.config["SEARCH_INDEX_RETRY_SECONDS"] = 0  # the retry time has come
    _found(client, "klub")
    _wait()
    assert "Klub Malucha" in _found(client, "malucha")


def test_a_version_moving_during_a_rebuild_is_picked_up_next(background, client, make_service, held):
    reached, release, started = held
    make_service("Klub Seniora")
    _found(client, "klub")
    make_service("Klub Malucha")
    _found(client, "klub")
    assert reached.wait(WAIT)
    first = _running()
    make_service("Klub Rodzica")  # while the rebuild runs
    release.set()
    first.join(WAIT)

    page = _found(client, "klub")  # the rebuilt index, and the next rebuild starts
    assert "Klub Malucha" in page and "Klub Rodzica" not in page
    _wait()
    assert len(started) == 2 and started[0] is first
    assert "Klub Rodzica" in _found(client, "klub")


def test_an_edit_shows_in_the_next_search_when_rebuilding_inline(app, client, make_service):
    """The tests' setting (and an in-memory SQLite database, which another
    thread could not see): the rebuild happens in the search itself."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    make_service("Klub Seniora")
    _found(client, "klub")
    make_service("Klub Malucha")
    assert "Klub Malucha" in _found(client, "malucha")
    assert _running() is None

    app.config["SEARCH_INDEX_IN_BACKGROUND"] = True
    with Session(create_engine("sqlite://")) as memory:
        assert not search._in_background(memory)


def test_a_rebuild_on_postgresql_outlasts_the_idle_in_transaction_limit(background, database_url, client,
                                                                        make_service, monkeypatch):
    """A build reads in one transaction with long stretches of Python between
    its statements (about a minute at 50,000 services, beyond the server's
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS): it lifts that limit for its own
    transaction only."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's limit; SQLite has none")
    from sqlalchemy import text

    from portal.extensions import db

    seen = []

    def hook(step):
        if step == "built":
            seen.append(db.session.execute(text("SHOW idle_in_transaction_session_timeout")).scalar())

    make_service("Klub Seniora")
    _found(client, "klub")
    monkeypatch.setattr(search, "rebuild_hook", hook)
    make_service("Klub Malucha")
    _found(client, "klub")
    _wait()
    assert seen == ["15min"]
    assert "Klub Malucha" in _found(client, "klub")
    assert db.session.execute(text("SHOW idle_in_transaction_session_timeout")).scalar() == "1min"
