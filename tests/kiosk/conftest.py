"""Kiosk fixtures: screens, events and notices made through the models the
events part keeps (the kiosk reads them through portal.events.services)."""
from datetime import date, datetime, time, timedelta

import pytest

from portal.timeutil import WARSAW

OFFICE = "07:30-15:30,07:30-15:30,07:30-15:30,07:30-15:30,07:30-15:30,,"


def local(*args):
    return datetime(*args, tzinfo=WARSAW)


@pytest.fixture
def make_screen(app):
    from kiosk.models import Screen
    from kiosk.services import new_token
    from tests.helpers import saved

    def make(name="Hol — parter", *, hours=OFFICE, always_on=False, **fields):
        return saved(Screen(name=name, token=fields.pop("token", None) or new_token(), hours=hours,
                            always_on=always_on, **fields))

    return make


@pytest.fixture
def make_event(app):
    """A published public event on one day (or all day); returns the Event."""
    from portal.core import versions
    from portal.events.models import Event
    from tests.helpers import saved

    counter = {"n": 0}

    def make(title="Dzień Seniora", day=None, start="10:00", end="12:00", *, all_day=False, **fields):
        counter["n"] += 1
        day = day or date.today()
        event = Event(
            slug=fields.pop("slug", f"wydarzenie-{counter['n']}"), title=title,
            summary=fields.pop("summary", "Spotkanie dla mieszkańców"),
            start_date=day, end_date=fields.pop("end_date", day), all_day=all_day,
            start_time=None if all_day else time.fromisoformat(start),
            end_time=None if all_day else time.fromisoformat(end),
            status=fields.pop("status", "published"), public=fields.pop("public", True), **fields)
        return saved(event, versions.EVENTS)

    return make


@pytest.fixture
def make_notice(app):
    from portal.core import versions
    from portal.events.models import Notice
    from tests.helpers import saved

    def make(text="Centrum nieczynne 24 grudnia", starts_at=None, ends_at=None, **fields):
        starts_at = starts_at or datetime.now(WARSAW) - timedelta(hours=1)
        notice = Notice(text=text, starts_at=starts_at, ends_at=ends_at or starts_at + timedelta(days=1), **fields)
        return saved(notice, versions.EVENTS)

    return make
