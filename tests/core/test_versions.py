"""Data versions (portal/core/versions.py) on the real database: a bump moves
its counter in the caller's transaction, concurrent bumps all count, and the
migration carries the three old counters over and back."""
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.core import versions
from portal.extensions import db
from tests.conftest import make_app
from tests.helpers import fresh_database

BEFORE = "0013_notice_display"
REVISION = "0014_data_version"


def _seen_elsewhere(name):
    """The counter as another connection sees it: committed values only."""
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT counter FROM data_version WHERE name = :name"),
                                  {"name": name}).scalar() or 0  # no row before the first bump


@pytest.mark.parametrize("name", versions.NAMES)
def test_a_bump_moves_its_counter_with_the_transaction(app, name):
    start = versions.current(db.session, name)
    others = {other: versions.current(db.session, other) for other in versions.NAMES if other != name}
    versions.bump(db.session, name)
    assert versions.current(db.session, name) == start + 1  # the transaction sees its own bump
    assert _seen_elsewhere(name) == start  # nobody else before the commit
    db.session.commit()
    assert _seen_elsewhere(name) == start + 1
    versions.bump(db.session, name)
    db.session.rollback()
    assert versions.current(db.session, name) == start + 1  # rolled back with the change
    assert {other: versions.current(db.session, other) for other in others} == others


def test_the_counter_reads_inside_a_bigger_statement(app):
    versions.bump(db.session, versions.DESK)
    db.session.commit()
    row = db.session.execute(select(versions.counter_of(versions.DESK), versions.counter_of(versions.EVENTS))).one()
    assert tuple(row) == (versions.current(db.session, versions.DESK), versions.current(db.session, versions.EVENTS))


def test_the_first_bump_makes_the_row(app):
    db.session.execute(text("DELETE FROM data_version WHERE name = 'events'"))
    assert versions.current(db.session, versions.EVENTS) == 0
    versions.bump(db.session, versions.EVENTS)
    versions.bump(db.session, versions.EVENTS)
    assert versions.current(db.session, versions.EVENTS) == 2
    db.session.rollback()  # the counters stay as the other tests left them


def test_an_unknown_name_is_refused(app):
    with pytest.raises(ValueError):
        versions.bump(db.session, "catalog")
    with pytest.raises(ValueError):
        versions.current(db.session, "desk_state")


def test_concurrent_bumps_all_count(app):
    """Each thread its own connection and transactions, as parallel requests."""
    workers, each = 4, 10
    start = versions.current(db.session, versions.DESK)
    db.session.commit()
    engine = db.engine

    def work(_n):
        for _ in range(each):
            with Session(engine) as session:
                versions.bump(session, versions.DESK)
                session.commit()

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(work, range(workers)))
    assert versions.current(db.session, versions.DESK) == start + workers * each


# --- the migration --------------------------------------------------------------------------

@pytest.fixture
def empty_database(database_url, tmp_path):
    """A new, empty database of the same kind as the run's."""
    with fresh_database(database_url, tmp_path / "versions.sqlite3", "versions") as url:
        yield url


def test_the_migration_keeps_the_counters_both_ways(empty_database):
    from flask_migrate import downgrade, upgrade

    old = {"catalogue_version": 41, "desk_state": 7, "events_version": 1234}
    app = make_app(empty_database)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for table, value in old.items():
                connection.execute(text(f"UPDATE {table} SET value = :value WHERE id = 1"), {"value": value})
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            assert dict(connection.execute(text("SELECT name, counter FROM data_version")).all()) == {
                "catalogue": 41, "desk": 7, "events": 1234}
            tables = set(db.inspect(connection).get_table_names())
        assert not tables & set(old)
        versions.bump(db.session, versions.DESK)
        db.session.commit()
        db.session.remove()

        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert {table: connection.execute(text(f"SELECT id, value FROM {table}")).all() for table in old} == {
                "catalogue_version": [(1, 41)], "desk_state": [(1, 8)], "events_version": [(1, 1234)]}
            assert "data_version" not in db.inspect(connection).get_table_names()
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT counter FROM data_version WHERE name = 'desk'")).scalar() == 8
        db.engine.dispose()


def test_a_request_keeps_the_counters_it_first_saw(app):
    """as_request_saw: one read per request, kept for the rest of it; the next request sees the new value."""
    versions.bump(db.session, versions.EVENTS)
    db.session.commit()
    start = versions.current(db.session, versions.EVENTS)
    # Each request has its own app context (flask.g), as when served.
    with app.app_context(), app.test_request_context("/"):
        assert versions.as_request_saw(db.session, versions.EVENTS) == start
        with Session(db.engine) as other:
            versions.bump(other, versions.EVENTS)
            versions.bump(other, versions.CATALOGUE)
            other.commit()
        assert versions.as_request_saw(db.session, versions.EVENTS) == start  # as this request first saw it
        assert versions.current(db.session, versions.EVENTS) == start + 1  # a fresh read
    with app.app_context(), app.test_request_context("/"):
        assert versions.as_request_saw(db.session, versions.EVENTS) == start + 1
    assert versions.as_request_saw(db.session, versions.EVENTS) == start + 1  # outside a request: read now


def test_a_page_statement_reads_every_counter_for_the_request(app):
    """every_counter() inside a page's own statement, then remember(): the
    request's as_request_saw answers from it without a statement of its own
    (the service page's first view and the notice banner share one round trip)."""
    from sqlalchemy import event, select

    versions.bump(db.session, versions.EVENTS)
    versions.bump(db.session, versions.EVENTS)
    versions.bump(db.session, versions.CATALOGUE)
    db.session.commit()
    executed = []
    with app.app_context(), app.test_request_context("/"):
        text_value = db.session.scalar(select(versions.every_counter()))
        seen = versions.remember(text_value)
        assert seen[versions.EVENTS] == versions.current(db.session, versions.EVENTS)
        assert seen[versions.CATALOGUE] == versions.current(db.session, versions.CATALOGUE)
        assert seen.get(versions.DESK, 0) == versions.current(db.session, versions.DESK)

        def count(*_args):
            executed.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert versions.as_request_saw(db.session, versions.EVENTS) == seen[versions.EVENTS]
            assert versions.as_request_saw(db.session, versions.DESK) == seen.get(versions.DESK, 0)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert executed == []
    assert versions.remember("") == {}
