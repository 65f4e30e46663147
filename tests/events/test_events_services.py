"""Occurrences for pages and kiosks, notices and the version marker, on the database."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from portal.core import versions
from portal.events import services
from portal.events.models import Event, Notice
from portal.extensions import db

WARSAW = ZoneInfo("Europe/Warsaw")


def at(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=WARSAW)


@pytest.fixture
def frozen(app):
    def freeze(moment):
        app.config["FIXED_NOW"] = moment
    return freeze


def test_occurrences_are_aware_warsaw_and_sorted(app, frozen, make_event):
    frozen(at(2026, 1, 1))
    make_event("Warsztaty", date(2026, 1, 14), start_time=time(9), end_time=time(11))
    make_event("Klub Seniora", date(2026, 1, 6), frequency="weekly", skip_holidays=True)
    found = services.occurrences(db.session, at(2026, 1, 1), at(2026, 1, 21))
    assert [(o.title, o.start) for o in found] == [
        ("Klub Seniora", at(2026, 1, 13, 10)), ("Warsztaty", at(2026, 1, 14, 9)),
        ("Klub Seniora", at(2026, 1, 20, 10))]
    assert all(o.start.tzinfo.key == "Europe/Warsaw" for o in found)
    assert found[0].end == at(2026, 1, 13, 12) and not found[0].cancelled


def test_drafts_never_and_private_only_for_staff(app, frozen, make_event):
    frozen(at(2026, 1, 1))
    make_event("Szkic", status="draft")
    make_event("Spotkanie zespołu", public=False)
    window = (at(2026, 1, 1), at(2026, 2, 1))
    assert [o.title for o in services.occurrences(db.session, *window)] == []
    assert [o.title for o in services.occurrences(db.session, *window, public_only=False)] == ["Spotkanie zespołu"]


def test_cancelled_event_shows_until_it_would_have_ended(app, frozen, make_event):
    event = make_event("Dzień Seniora", date(2026, 1, 13))
    services.set_event_status(db.session, event, "cancel", actor=None, note="choroba prowadzącej")
    db.session.commit()
    window = (at(2026, 1, 13), at(2026, 1, 14))
    frozen(at(2026, 1, 13, 11, 59))
    (occ,) = services.occurrences(db.session, *window)
    assert occ.cancelled
    frozen(at(2026, 1, 13, 12, 0))
    assert services.occurrences(db.session, *window) == []


def test_one_cancelled_date_of_a_series(app, frozen, make_event):
    frozen(at(2026, 1, 1))
    make_event("Klub Seniora", date(2026, 1, 6), frequency="weekly", cancelled_dates=[date(2026, 1, 13)],
               skipped_dates=[date(2026, 1, 20)])
    found = services.occurrences(db.session, at(2026, 1, 1), at(2026, 1, 28))
    assert [(o.start.date(), o.cancelled) for o in found] == [
        (date(2026, 1, 6), False), (date(2026, 1, 13), True), (date(2026, 1, 27), False)]


def test_filters_by_audience_and_village(app, frozen, make_event, make_village):
    from portal.catalogue.models import Place, TargetGroup

    frozen(at(2026, 1, 1))
    seniors, youth = db.session.scalars(db.select(TargetGroup).order_by(TargetGroup.position)).all()[:2]
    village = make_village("Burzec")
    place = Place(name="Świetlica w Burzcu", village=village)
    db.session.add(place)
    db.session.commit()
    make_event("Dla seniorów", audience_ids=[seniors.id], place_id=place.id, room="sala 2")
    make_event("Dla młodzieży", audience_ids=[youth.id])
    make_event("Dla wszystkich")
    window = (at(2026, 1, 13), at(2026, 1, 14))
    titles = lambda **kw: sorted(o.title for o in services.occurrences(db.session, *window, **kw))  # noqa: E731
    assert titles(audience_ids=[seniors.id]) == ["Dla seniorów", "Dla wszystkich"]
    assert titles(village_id=village.id) == ["Dla seniorów"]
    (occ,) = services.occurrences(db.session, *window, village_id=village.id)
    assert (occ.place_name, occ.room, occ.village_id, occ.audience_ids) == (
        "Świetlica w Burzcu", "sala 2", village.id, (seniors.id,))


def test_window_is_half_open_and_series_far_ahead_is_found(app, frozen, make_event):
    frozen(at(2026, 1, 1))
    make_event("Klub", date(2026, 1, 6), frequency="weekly")
    assert services.occurrences(db.session, at(2026, 1, 6, 12), at(2026, 1, 13, 10)) == []
    far = services.occurrences(db.session, at(2030, 3, 1), at(2030, 3, 8))
    assert [o.start for o in far] == [at(2030, 3, 5, 10)]


def test_series_with_until_is_not_a_candidate_after_it(app, frozen, make_event):
    frozen(at(2026, 1, 1))
    event = make_event("Kurs", date(2026, 1, 6), frequency="weekly", until=date(2026, 2, 3))
    assert event.span_end is not None
    assert services.occurrences(db.session, at(2026, 2, 4), at(2026, 3, 1)) == []
    assert [o.start.date() for o in services.occurrences(db.session, at(2026, 2, 3), at(2026, 2, 4))] == [
        date(2026, 2, 3)]


def test_active_notices_newest_first_and_end_exclusive(app):
    now = datetime(2026, 12, 20, 12, tzinfo=timezone.utc)
    old = Notice(text="Stary", starts_at=now - timedelta(days=2), ends_at=now + timedelta(hours=1))
    new = Notice(text="Nowy", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1))
    future = Notice(text="Przyszły", starts_at=now + timedelta(hours=2), ends_at=now + timedelta(days=2))
    ended = Notice(text="Skończony", starts_at=now - timedelta(days=3), ends_at=now)
    db.session.add_all([old, new, future, ended])
    db.session.commit()
    assert [n.text for n in services.active_notices(db.session, now)] == ["Nowy", "Stary"]
    assert [n.text for n in services.active_notices(db.session, now + timedelta(hours=1))] == ["Nowy"]
    assert [n.text for n in services.active_notices(db.session, now + timedelta(hours=2))] == ["Przyszły", "Nowy"]
    assert services.next_notice_change(db.session, now) == now + timedelta(hours=1)


def test_notice_actions_check_input_and_move_the_version(app, frozen):
    frozen(at(2026, 12, 20, 12))
    before = versions.current(db.session, versions.EVENTS)
    with pytest.raises(services.DataError) as error:
        services.create_notice(db.session, "x" * 141, at(2026, 12, 25), actor=None)
    assert error.value.field == "text"
    with pytest.raises(services.DataError) as error:
        services.create_notice(db.session, "Centrum nieczynne", at(2026, 12, 20, 11), actor=None)
    assert error.value.field == "ends_at"
    notice = services.create_notice(db.session, "Centrum nieczynne 24 grudnia", at(2026, 12, 25), actor=None)
    db.session.commit()
    assert versions.current(db.session, versions.EVENTS) == before + 1
    assert services.active_notices(db.session, at(2026, 12, 20, 12)) == [notice]
    assert services.end_notice(db.session, notice, actor=None)
    db.session.commit()
    assert services.active_notices(db.session, at(2026, 12, 20, 12)) == []
    assert versions.current(db.session, versions.EVENTS) == before + 2


def test_every_event_change_moves_the_version(app, frozen, make_event):
    frozen(at(2026, 1, 1))
    v0 = versions.current(db.session, versions.EVENTS)
    event = make_event()
    v1 = versions.current(db.session, versions.EVENTS)
    data = services.event_data(event)
    data["title"] = "Klub Seniora — zmiana"
    services.update_event(db.session, event, data, actor=None, expected_version=event.version)
    db.session.commit()
    v2 = versions.current(db.session, versions.EVENTS)
    services.set_event_status(db.session, event, "cancel", actor=None)
    db.session.commit()
    assert v0 < v1 < v2 < versions.current(db.session, versions.EVENTS)


def test_update_refuses_an_old_version(app, make_event):
    event = make_event()
    data = services.event_data(event)
    with pytest.raises(services.VersionConflict):
        services.update_event(db.session, event, data, actor=None, expected_version=event.version - 1)


def test_duplicate_is_a_draft_with_its_own_address(app, make_event):
    event = make_event("Święto Pieroga", date(2026, 8, 15), frequency="none")
    copy = services.duplicate_event(db.session, event, actor=None)
    db.session.commit()
    assert (copy.status, copy.title, copy.slug, copy.start_date) == (
        "draft", "Święto Pieroga", "swieto-pieroga-2", date(2026, 8, 15))
    assert event.slug == "swieto-pieroga"


@pytest.mark.parametrize("changes, field", [
    ({"end_time": time(9)}, "end_time"),
    ({"end_date": date(2026, 1, 12)}, "end_date"),
    ({"frequency": "weekly", "until": date(2026, 1, 1)}, "until"),
    ({"free": False, "price": None}, "price"),
    ({"frequency": "weekly", "end_date": date(2026, 2, 13)}, "end_date"),
])
def test_invalid_data_is_refused_at_a_field(app, make_event, changes, field):
    data = {"title": "X", "start_date": date(2026, 1, 13), "start_time": time(10), "end_date": date(2026, 1, 13),
            "end_time": time(12), "frequency": "none", "free": True}
    data.update(changes)
    with pytest.raises(services.DataError) as error:
        services.create_event(db.session, data, actor=None)
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
