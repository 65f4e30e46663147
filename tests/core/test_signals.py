"""Domain signals (portal/core/signals.py) on the real database: sent after
the commit with their payload, never after a rollback, and a receiver that
raises cannot break the change that committed."""
import logging
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text

from portal.catalogue.models import Village
from portal.core import signals
from portal.extensions import db

LOGGER = "portal.core.signals"


def _village(name):
    village = Village(name=name, slug=name.lower())
    db.session.add(village)
    db.session.flush()
    return village


def _emit(session, service_id, change="updated"):
    signals.emit(session, signals.service_changed, service_id=service_id, change=change, status="active",
                 actor_id=None)


def _committed_villages():
    """What another connection sees: only committed rows."""
    with db.engine.connect() as connection:
        return set(connection.execute(text("SELECT name FROM village")).scalars())


def test_a_signal_is_sent_after_the_commit_with_its_payload(app, received):
    seen_at_send = []
    village = _village("Bęczków")
    _emit(db.session, village.id, "created")

    def check(_sender, **payload):
        # The change is committed when the receiver runs: another connection sees it.
        seen_at_send.append(_committed_villages())

    with signals.service_changed.connected_to(check, sender=app):
        assert received == []  # queued, not sent
        db.session.commit()
    assert received == [("service_changed", {"service_id": village.id, "change": "created", "status": "active",
                                              "actor_id": None})]
    assert seen_at_send == [{"Bęczków"}]
    db.session.commit()  # the next commit sends nothing again
    assert len(received) == 1


def test_signals_are_sent_in_the_order_they_were_emitted(app, received):
    for number in (1, 2, 3):
        _emit(db.session, number)
    db.session.commit()
    assert [payload["service_id"] for payload in received.of("service_changed")] == [1, 2, 3]


def test_a_rollback_drops_the_signal(app, received):
    village = _village("Wojcieszków")
    _emit(db.session, village.id)
    db.session.rollback()
    assert _committed_villages() == set()
    db.session.add(Village(name="Kock", slug="kock"))
    db.session.commit()  # a later unit of work does not carry it
    assert received == []


def test_a_session_closed_without_commit_drops_the_signal(app, received):
    _emit(db.session, 7)
    db.session.close()
    db.session.add(Village(name="Kock", slug="kock"))
    db.session.commit()
    assert received == []


def test_a_failed_flush_drops_the_signal(app, received):
    from sqlalchemy.exc import IntegrityError

    _village("Bęczków")
    db.session.commit()
    _emit(db.session, 1)
    db.session.add(Village(name="Bęczków", slug="beczkow-2"))  # the name is unique
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.commit()
    assert received == []


def test_a_savepoint_rolled_back_drops_only_its_signals(app, received):
    _emit(db.session, 1)
    savepoint = db.session.begin_nested()
    _emit(db.session, 2)
    savepoint.rollback()
    with db.session.begin_nested():
        _emit(db.session, 3)  # released: sent with the transaction, not at the release
    assert received == []
    db.session.commit()
    assert [payload["service_id"] for payload in received.of("service_changed")] == [1, 3]


def test_a_raising_receiver_does_not_break_the_commit(app, received, caplog):
    def broken(_sender, **payload):
        raise ValueError("Zdzisława Żółkiewska 44051401359")

    village = _village("Bęczków")
    _emit(db.session, village.id)
    with signals.service_changed.connected_to(broken, sender=app), caplog.at_level(logging.ERROR, LOGGER):
        db.session.commit()
    assert _committed_villages() == {"Bęczków"}
    assert received.names == ["service_changed"]  # the other receivers still ran
    logged = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert len(logged) == 1
    assert "service_changed" in logged[0] and "ValueError" in logged[0] and "broken" in logged[0]
    assert "Żółkiewska" not in caplog.text and "44051401359" not in caplog.text
    # The session goes on working.
    db.session.add(Village(name="Kock", slug="kock"))
    db.session.commit()
    assert _committed_villages() == {"Bęczków", "Kock"}


def test_a_receiver_may_use_the_session_after_the_commit(app, received):
    names = []

    def reads(_sender, **payload):
        names.append(db.session.scalar(select(Village.name).where(Village.id == payload["service_id"])))

    village = _village("Bęczków")
    _emit(db.session, village.id)
    with signals.service_changed.connected_to(reads, sender=app):
        db.session.commit()
    assert names == ["Bęczków"]


def test_a_receiver_of_another_app_hears_nothing(app, received):
    heard = []
    with signals.service_changed.connected_to(lambda sender, **payload: heard.append(payload), sender=object()):
        _emit(db.session, 1)
        db.session.commit()
    assert heard == [] and len(received) == 1


def test_emit_takes_exactly_the_declared_plain_payload(app):
    with pytest.raises(TypeError, match="takes"):
        signals.emit(db.session, signals.request_closed, request_id=1, number="Z/1/2026", actor_id=None)
    with pytest.raises(TypeError, match="takes"):
        signals.emit(db.session, signals.request_closed, request_id=1, number="Z/1/2026", status="withdrawn",
                     actor_id=None, last_name="Kowalska")
    with pytest.raises(TypeError, match="an id, a number or a code"):
        signals.emit(db.session, signals.service_changed, service_id=Village(name="x"), change="created",
                     status="active", actor_id=None)
    with pytest.raises(TypeError, match="not a portal signal"):
        signals.emit(db.session, object(), actor_id=None)
    signals.emit(db.session, signals.notice_started, notice_id=1, starts_at=datetime.now(timezone.utc),
                 ends_at=datetime.now(timezone.utc), display="full", actor_id=None)
    db.session.rollback()


def test_the_signals_the_features_send():
    assert {signal.name for signal in signals.ALL} == {
        "request_registered", "request_assigned", "request_closed", "assessment_completed", "plan_submitted",
        "plan_approved", "plan_returned", "plan_signed", "plan_closed", "grant_made", "service_changed",
        "event_published", "notice_started"}
    assert all("actor_id" in signal.payload for signal in signals.ALL)
