"""Domain signals: what happened, told after it committed.

A service (explicit session, never commits) queues a signal on its session:

    signals.emit(session, signals.request_registered, request_id=request.id, ...)

and it is sent once that session's transaction commits. It is dropped when
the transaction rolls back (or the session closes without committing), and
when the savepoint it was queued in rolls back. A feature that wants to know
(notifications, reports) connects a receiver, without importing the sender:

    @signals.request_registered.connect
    def on_registered(app, **payload): ...

The sender is the Flask app the signal was emitted in (None outside an app
context); `signal.connect(receiver, sender=app)` listens to one app only.

Payloads carry ids, numbers and codes, never personal data: each signal
declares its keys (`signal.payload`) and `emit` refuses other keys and
values that are not plain (no ORM objects: they are expired after the commit
and carry a person's data). A receiver runs after the commit, outside any
transaction: one that writes opens and commits its own unit of work. A
receiver that raises cannot undo or break the change that committed: its
exception is logged (its type and code path, never its message) and the
other receivers still run.
"""
import logging
import traceback
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from blinker import Namespace
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

log = logging.getLogger(__name__)

_space = Namespace()


def _define(name, doc, *keys):
    signal = _space.signal(name, doc)
    signal.payload = frozenset(keys + ("actor_id",))
    return signal


# The desk (portal/desk/services.py).
request_registered = _define(
    "request_registered", "A request was registered (status is where it starts: new, assigned or closed).",
    "request_id", "number", "kind", "channel", "status", "coordinator_id")
request_assigned = _define(
    "request_assigned", "A request was given to a coordinator (at registration or later; a handover names both).",
    "request_id", "number", "coordinator_id", "previous_coordinator_id")
request_closed = _define(
    "request_closed", "A request left the open statuses (status: how it ended at the desk).",
    "request_id", "number", "status")
# Assessments (portal/assessment/services.py).
assessment_completed = _define(
    "assessment_completed", "A needs assessment was completed (frozen).",
    "assessment_id", "number", "request_id", "coordinator_id")
# Individual plans (portal/plans, portal/casework).
plan_submitted = _define("plan_submitted", "A plan version was handed in for approval.",
                         "plan_id", "version_number")
plan_approved = _define("plan_approved", "A plan version was approved (number: the plan's number).",
                        "plan_id", "number", "version_number", "delegation_id")
plan_returned = _define("plan_returned", "A submitted plan version was returned for changes.",
                        "plan_id", "version_number")
plan_signed = _define("plan_signed", "A signature was recorded on an approved plan version (version_status: "
                      "'signed' once both signatures are in).",
                      "plan_id", "version_number", "signature_id", "signer_role", "version_status")
plan_closed = _define("plan_closed", "A plan was closed with its summary.", "plan_id", "number")
grant_made = _define("grant_made", "A single service was granted without a plan.",
                     "grant_id", "request_id", "service_id")
# Catalogue management (portal/manage/services.py).
service_changed = _define(
    "service_changed", "A catalogue service was created, edited or changed status (change: created, updated, "
    "status; status: the service's status now).", "service_id", "change", "status")
# Events and notices (portal/events/services.py).
event_published = _define("event_published", "An event was published (or published again after a cancellation).",
                          "event_id", "slug")
notice_started = _define("notice_started", "An urgent notice was put up (it shows from starts_at until ends_at).",
                         "notice_id", "starts_at", "ends_at", "display")

ALL = tuple(_space.values())

PLAIN = (str, int, float, Decimal, date, datetime, type(None))  # bool is an int

_QUEUE = "portal.signals.queue"
_COMMITTED = "portal.signals.committed"


@dataclass(frozen=True)
class _Queued:
    transaction: object  # the session transaction or savepoint it was queued in
    signal: object
    sender: object
    payload: dict


def emit(session, signal, **payload):
    """Queue `signal` on the session, to be sent after its transaction commits."""
    keys = getattr(signal, "payload", None)
    if keys is None:
        raise TypeError(f"{signal!r} is not a portal signal")
    if set(payload) != keys:
        raise TypeError(f"{signal.name} takes {sorted(keys)}, not {sorted(payload)}")
    for key, value in payload.items():
        if not isinstance(value, PLAIN):
            raise TypeError(f"{signal.name}: {key} must be an id, a number or a code, not {type(value).__name__}")
    if isinstance(session, scoped_session):
        session = session()  # db.session: the app context's own session
    if session.get_transaction() is None:
        session.begin()  # the unit of work the signal belongs to (a service has usually begun it already)
    transaction = session.get_nested_transaction() or session.get_transaction()
    sender = current_app._get_current_object() if has_app_context() else None
    session.info.setdefault(_QUEUE, []).append(_Queued(transaction, signal, sender, payload))


def _receiver_name(receiver):
    return f"{getattr(receiver, '__module__', '?')}.{getattr(receiver, '__qualname__', type(receiver).__name__)}"


def _code_path(exc):
    return "; ".join(f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno} {f.name}"
                     for f in traceback.extract_tb(exc.__traceback__)[-6:])


def _send(queued):
    for item in queued:
        for receiver in item.signal.receivers_for(item.sender):
            try:
                receiver(item.sender, **item.payload)
            except Exception as exc:  # the change committed: a receiver cannot take it back
                # The type and the code path only: the message may quote personal data.
                log.error("signal %s: receiver %s failed: %s at %s", item.signal.name, _receiver_name(receiver),
                          type(exc).__name__, _code_path(exc))


def _within(transaction, ended):
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_commit")
def _mark_committed(session):
    """The transaction committing now (the savepoint released, or the whole
    transaction); its signals are sent when it has ended (below), so that a
    receiver may use the session again."""
    if session.info.get(_QUEUE):
        committing = session.get_nested_transaction() or session.get_transaction()
        session.info.setdefault(_COMMITTED, set()).add(committing)


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session, transaction):
    committed = session.info.get(_COMMITTED)
    was_committed = committed is not None and transaction in committed
    if was_committed:
        committed.discard(transaction)
    queued = session.info.get(_QUEUE)
    if not queued:
        return
    if transaction.parent is None:
        # The whole transaction: committed, send; rolled back or closed, drop.
        del session.info[_QUEUE]
        if was_committed:
            _send(queued)
    elif transaction.nested and not was_committed:
        # A savepoint rolled back: what was queued in it goes with it.
        session.info[_QUEUE] = [item for item in queued if not _within(item.transaction, transaction)]
