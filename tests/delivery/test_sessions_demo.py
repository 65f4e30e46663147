"""Demo group sessions: a year of the demo's group services that plans and
grants use, attended only by people whose commitments cover the day, a few
cancelled, the rest of the year planned; head counts of past events."""
from datetime import date

from sqlalchemy import func, select

from portal.delivery.commitments import commitments
from portal.delivery.models import Attendance, EventHeadCount, GroupSession
from portal.extensions import db
from portal.timeutil import local_now
from tests.helpers import seed_demo


def test_demo_sessions(app):
    from portal.demo.delivery_sessions import seed_sessions

    seed_demo(through="events")
    counts = seed_sessions(db.session)
    db.session.commit()
    assert counts["sessions"] > 100 and counts["held"] > 50 and counts["cancelled"] >= 1
    assert counts["attendance"] > 100 and counts["head_counts"] >= 1
    today = local_now().date()
    statuses = dict(db.session.execute(select(GroupSession.status, func.count()).group_by(GroupSession.status)).all())
    assert statuses["held"] == counts["held"] and statuses["cancelled"] == counts["cancelled"]
    assert db.session.scalar(select(func.max(GroupSession.held_on)).where(GroupSession.status != "planned")) <= today
    assert db.session.scalar(select(func.min(GroupSession.held_on))) >= date(2026, 1, 1)
    # Everyone who came had a plan item or a grant for that service on that day.
    covered = {}
    for c in commitments(db.session):
        covered.setdefault((c.resident_id, c.service_id), []).append((c.start, c.end))
    rows = db.session.execute(select(Attendance.resident_id, GroupSession.service_id, GroupSession.held_on)
                              .join(GroupSession, GroupSession.id == Attendance.session_id)).all()
    assert rows and all(any(a <= day <= b for a, b in covered[(person, service)]) for person, service, day in rows)
    assert db.session.scalar(select(func.count(EventHeadCount.id))) == counts["head_counts"]
    assert seed_sessions(db.session) is None  # a second run adds nothing
