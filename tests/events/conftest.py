"""Factories for event tests."""
from datetime import date, time

import pytest


@pytest.fixture
def make_event(app):
    """A published public event (10:00–12:00 on the given day unless told);
    keyword arguments are fields of the service's data dict."""
    from portal.events import services
    from portal.extensions import db

    def make(title="Klub Seniora", day=date(2026, 1, 13), *, status="published", **fields):
        data = {
            "title": title, "start_date": day, "start_time": time(10), "end_date": day, "end_time": time(12),
            "frequency": "none", "free": True, "public": True, "category": "club",
        }
        data.update(fields)
        event = services.create_event(db.session, data, actor=None, status=status)
        db.session.commit()
        return event

    return make
