"""What tells a kept report that its figures may have changed: the data
version RECORDS (core/versions.py), moved in the same transaction as any
change of a record a report counts.

No service calls it: a watcher on every ORM session notes when a flush
writes (adds, changes or deletes) an object of a watched model, or an
ORM-enabled INSERT, UPDATE or DELETE statement names one, and moves the
counter as that transaction's last statement, just before it commits (the
counter's row is locked for the commit only, so writers do not queue behind
each other's transactions; a rolled-back change moves nothing). A feature
added later is covered by its module alone, without remembering a bump.
Watched are the models of the features the reports read (WATCHED_MODULES),
but for those written on every read (UNWATCHED: the search counters the
public catalogue adds to on each search). The catalogue-use report reads
those counters and is never kept.

A report table kept by `kept_table` is keyed on this counter with the
delivery register's (DELIVERY: bumped by its own services), the period,
the language and the day (a deadline report's "overdue" moves at
midnight), so a report read again while nothing changed costs the reading
of the counters and the drawing of the page.
"""
import threading
from collections import OrderedDict

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..core import versions
from ..timeutil import local_now

WATCHED_MODULES = ("portal.plans.", "portal.casework.", "portal.quality.", "portal.desk.", "portal.residents.",
                   "portal.assessment.", "portal.catalogue.", "portal.delivery.", "portal.reports.",
                   "portal.contracts.", "portal.complaints.")
UNWATCHED = frozenset({"SearchCount"})
_MOVED = "reports_records_moved"  # the session's flag: a watched record was written in this transaction

CACHE_SIZE = 64  # tables kept per process, the least recently read dropped first
_lock = threading.Lock()


def watched(cls):
    return cls.__module__.startswith(WATCHED_MODULES) and cls.__name__ not in UNWATCHED


@event.listens_for(Session, "before_flush")
def _flush_watcher(session, _flush_context, _instances):
    if not session.info.get(_MOVED):
        session.info[_MOVED] = any(watched(type(obj)) for group in (session.new, session.dirty, session.deleted)
                                   for obj in group)


@event.listens_for(Session, "do_orm_execute")
def _statement_watcher(state):
    if state.is_insert or state.is_update or state.is_delete:
        mapper = state.bind_mapper
        if mapper is not None and watched(mapper.class_):
            state.session.info[_MOVED] = True


@event.listens_for(Session, "before_commit")
def _moved(session):
    # What is still pending is flushed now (the commit would flush it next),
    # so the watcher sees it; the counter then moves as the transaction's
    # last statement: its row is locked only for the commit itself.
    session.flush()
    if session.info.pop(_MOVED, False):
        versions.bump(session, versions.RECORDS)


@event.listens_for(Session, "after_rollback")
def _not_moved(session):
    session.info.pop(_MOVED, None)


def kept_table(name, session, period, build):
    """build(), or the table it gave for the same report, period, language
    and day while RECORDS and DELIVERY have not moved. The table is shared:
    callers only read it; the tables are the app's (one app, one database).
    Off when the setting REPORTS_CACHE is (default: on,
    off under TESTING)."""
    app = current_app
    if not app.config.get("REPORTS_CACHE", not app.testing):
        return build()
    key = (name, tuple(sorted(period.args().items())), str(get_locale()), local_now().date(),
           versions.as_request_saw(session, versions.RECORDS), versions.as_request_saw(session, versions.DELIVERY))
    with _lock:
        _tables = app.extensions.setdefault("reports_tables", OrderedDict())
        table = _tables.get(key)
        if table is not None:
            _tables.move_to_end(key)
            return table
    table = build()
    with _lock:
        _tables = app.extensions["reports_tables"]
        _tables[key] = table
        while len(_tables) > CACHE_SIZE:
            _tables.popitem(last=False)
    return table
