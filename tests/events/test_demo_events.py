"""Demo events: a year of them relative to today, idempotent, from `flask demo ensure`."""
from datetime import datetime, time, timedelta

import pytest

from portal.catalogue.schedule import is_public_holiday
from portal.demo.catalogue import seed_catalogue
from portal.demo.events import CENTRE_PHONE, seed_events
from portal.events import services
from portal.events.models import Event, Notice
from portal.extensions import db
from portal.timeutil import WARSAW, local_now


@pytest.fixture
def seeded(app):
    seed_catalogue(db.session)
    counts = seed_events(db.session)
    db.session.commit()
    return counts


def test_demo_events_from_the_source_documents(seeded):
    titles = set(db.session.scalars(db.select(Event.title)))
    for name in ("Dzień Seniora", "Święto Pieroga", "Dożynki gminne", "Wakacje z naturą",
                 "Warsztaty świąteczne bożonarodzeniowe", "Warsztaty wielkanocne", "Klub Seniora w Bęczkowie"):
        assert name in titles
    assert seeded["events"] == len(titles)
    # every event has a place from the demo catalogue
    assert all(e.place_id for e in db.session.scalars(db.select(Event)))


def test_there_is_always_something_upcoming_and_a_year_of_it(seeded):
    today = local_now().date()
    start = datetime.combine(today, time(0), tzinfo=WARSAW)
    two_weeks = services.occurrences(db.session, start, start + timedelta(days=14))
    assert len({o.title for o in two_weeks}) >= 2
    year = services.occurrences(db.session, start, start + timedelta(days=366))
    titles = {o.title for o in year}
    assert {"Dzień Seniora", "Święto Pieroga", "Dożynki gminne", "Wakacje z naturą"} <= titles
    club = [o for o in year if o.title == "Klub Seniora w Bęczkowie"]
    assert len(club) >= 45
    assert all(o.start.weekday() == 1 and (o.start.hour, o.start.minute) == (10, 0) for o in club)
    assert not any(is_public_holiday(o.start.date()) for o in club)
    assert any(o.cancelled for o in club)  # one meeting is shown as cancelled
    assert "Wyjazd do kina w Łukowie" not in titles  # a draft


def test_no_personal_data_phones_are_the_centres(seeded):
    phones = {e.registration_phone for e in db.session.scalars(db.select(Event)) if e.registration_phone}
    assert phones == {CENTRE_PHONE}


def test_seeding_twice_adds_nothing(seeded):
    count = db.session.scalar(db.select(db.func.count(Event.id)))
    assert seed_events(db.session) == {}
    assert db.session.scalar(db.select(db.func.count(Event.id))) == count
    assert db.session.scalar(db.select(db.func.count(Notice.id))) == 1


def test_flask_demo_ensure_seeds_events_once(app, runner):
    app.config["DEMO_MODE"] = True
    result = runner.invoke(args=["demo", "ensure"])
    assert result.exit_code == 0, result.output
    assert "Demo events" in result.output
    count = db.session.scalar(db.select(db.func.count(Event.id)))
    assert count > 10
    again = runner.invoke(args=["demo", "ensure"])
    assert "Demo events" not in again.output
    assert db.session.scalar(db.select(db.func.count(Event.id))) == count
