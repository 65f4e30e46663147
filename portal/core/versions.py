"""Data versions: one counter per kind of data that something caches.

A counter moves in the same transaction as every change a cache could show,
so a reader compares one number instead of the data:

- "catalogue": the search index of each process, the kiosk's marker;
- "desk": the desk board's poll and its rendered regions, the casework desk;
- "events": the notice banner, the kiosk's marker;
- "delivery": the delivery register (the casework desk's warnings);
- "records": what the reports count (plans, grants, closures, requests,
  surveys, the catalogue's records, imported history): moved by the
  reports' flush watcher (portal/reports/freshness.py) as the last
  statement of each transaction that wrote such a record; no service calls it.

    versions.bump(session, versions.DESK)      # in the service, before the caller commits
    versions.current(session, versions.DESK)   # one primary-key read
    versions.counter_of(versions.DESK)         # the same read inside a bigger statement
    versions.as_request_saw(session, versions.CATALOGUE)  # every counter, read once per request

The counters only grow (a restored backup brings its own). A new kind of data
adds its name to NAMES; its row appears with its first bump.
"""
from flask import g, has_request_context
from sqlalchemy import String, cast, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

CATALOGUE = "catalogue"
DESK = "desk"
EVENTS = "events"
DELIVERY = "delivery"  # sessions, attendance, entries, consultations (portal/delivery)
RECORDS = "records"  # every record a report counts (portal/reports/freshness.py)
NAMES = (CATALOGUE, DESK, EVENTS, DELIVERY, RECORDS)

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class DataVersion(db.Model):
    """One row per name; `counter` moves on every change of that data."""

    __tablename__ = "data_version"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    counter: Mapped[int] = mapped_column(default=0)

    def __repr__(self):
        return f"<DataVersion {self.name} {self.counter}>"


def _known(name):
    if name not in NAMES:
        raise ValueError(f"unknown data version {name!r}")
    return name


def current(session, name) -> int:
    """The counter now (0 before the first bump)."""
    return session.scalar(select(DataVersion.counter).where(DataVersion.name == _known(name))) or 0


def as_request_saw(session, name) -> int:
    """The counter as this request first saw it: the request's first call
    reads every counter in one statement and keeps them (flask.g) for the
    rest of the request. For pages that only read — the public service page
    and the notice banner every page shows read two counters for one round
    trip. A request that bumps a counter and then needs the new value reads
    it with `current`. Outside a request, the same as `current`."""
    if not has_request_context():
        return current(session, name)
    seen = g.get("_data_versions")
    if seen is None:
        seen = g._data_versions = dict(session.execute(select(DataVersion.name, DataVersion.counter)).all())
    return seen.get(_known(name)) or 0


def every_counter():
    """Every counter as one text value ("name:counter,…"), a scalar subquery
    for a statement that reads a page's data: pass the value to `remember`,
    and the request's `as_request_saw` needs no statement of its own (the
    service page's first view and the notice banner: one round trip)."""
    return select(func.aggregate_strings(DataVersion.name + ":" + cast(DataVersion.counter, String), ",")
                  ).scalar_subquery()


def remember(text) -> dict:
    """Keep the counters `every_counter()` read as what this request saw
    (when it has not read them already) and return them, {name: counter}."""
    seen = dict((name, int(counter)) for name, _, counter in
                (pair.rpartition(":") for pair in (text or "").split(",") if pair))
    if has_request_context() and g.get("_data_versions") is None:
        g._data_versions = seen
    return seen


def counter_of(name):
    """The counter as a scalar subquery, for a statement that reads it with
    other values in one round trip (NULL before the first bump)."""
    return select(DataVersion.counter).where(DataVersion.name == _known(name)).scalar_subquery()


def bump(session, name) -> None:
    """Move the counter in the session's transaction: call it in the service
    that makes the change, so the change and the new number commit (or roll
    back) together. One statement that increments in the database (an upsert
    on the name), so concurrent bumps each count and the first one creates
    the row."""
    session.execute(_increment(session.get_bind().dialect.name, name))


def _increment(dialect, name):
    statement = _INSERTS[dialect](DataVersion).values(name=_known(name), counter=1)
    return statement.on_conflict_do_update(index_elements=[DataVersion.name],
                                           set_={"counter": DataVersion.counter + 1})
