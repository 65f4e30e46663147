"""Desk operations called directly: registering, the status flow, assignment,
the 30-day plan deadline, eligibility hints and the board."""
from datetime import date, datetime, timezone

import pytest

from portal.timeutil import WARSAW

# --- fixtures (imported by the other desk test modules) ---------------------------------

@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator", "koord-jan", "Jan Koordynator")


@pytest.fixture
def make_resident(app):
    from portal.catalogue.search import fold
    from portal.extensions import db
    from portal.residents.models import Resident

    def make(first_name="Janina", last_name="Kowalska", *, birth_date=date(1950, 3, 7), village=None, phone=None,
             pesel=None, **fields):
        resident = Resident(first_name=first_name, last_name=last_name, search_first=fold(first_name),
                            search_last=fold(last_name), birth_date=birth_date, village=village, phone=phone,
                            pesel=pesel, **fields)
        db.session.add(resident)
        db.session.commit()
        return resident

    return make


def freeze(app, *args):
    """Freeze the clock at a Warsaw wall-clock time."""
    app.config["FIXED_NOW"] = datetime(*args, tzinfo=WARSAW)
    return app.config["FIXED_NOW"]


def register(data, actor):
    from portal.desk.services import register_request
    from portal.extensions import db

    item = register_request(db.session, data, actor=actor)
    db.session.commit()
    return item


# --- registering ------------------------------------------------------------------------------

@pytest.mark.parametrize("channel", ["in_person", "phone", "email", "letter", "web_form"])
@pytest.mark.parametrize("applicant", ["self", "legal_representative", "de_facto_carer"])
def test_register_information_answered_closes_at_once(app, desk_user, make_resident, channel, applicant):
    resident = make_resident()
    item = register({"kind": "information", "channel": channel, "applicant": applicant, "resident_id": resident.id,
                     "question": "Kiedy działa klub seniora?", "answer": "We wtorki 10–12."}, desk_user)
    assert item.status == "closed_information"
    assert item.closed_at is not None
    assert (item.channel, item.applicant, item.resident_id) == (channel, applicant, resident.id)
    assert [(c.from_status, c.to_status) for c in item.history] == [(None, "new"), ("new", "closed_information")]
    assert all(c.actor_id == desk_user.id for c in item.history)


def test_register_information_routed_closes_with_route(app, desk_user):
    item = register({"kind": "information", "channel": "phone", "question": "Zasiłek rodzinny?",
                     "routed_to": "family_benefits", "routed_note": "pokój 12"}, desk_user)
    assert item.status == "closed_information"
    assert item.routed_to == "family_benefits" and item.routed_note == "pokój 12"
    assert item.resident_id is None  # an anonymous question is allowed
    assert item.history[-1].to_status == "closed_information"


def test_register_information_unanswered_stays_new(app, desk_user):
    item = register({"kind": "information", "channel": "email", "question": "Proszę o telefon."}, desk_user)
    assert item.status == "new" and item.closed_at is None


def test_register_defaults(app, desk_user, make_resident):
    resident = make_resident()
    item = register({"kind": "application", "channel": "phone", "resident_id": resident.id,
                     "needs_description": "Potrzebuję pomocy w domu."}, desk_user)
    assert item.applicant == "self" and item.urgency == "normal" and item.status == "new"
    assert item.created_by_id == desk_user.id
    assert item.number == f"Z/{item.id}/{item.received_at.year}"


def test_register_application_with_coordinator_is_assigned(app, desk_user, coordinator, make_resident,
                                                           make_service):
    resident = make_resident()
    service = make_service("Usługi opiekuńcze")
    item = register({"kind": "application", "channel": "in_person", "resident_id": resident.id,
                     "needs_description": "Mama po udarze.", "urgency": "urgent",
                     "coordinator_id": coordinator.id, "service_ids": [service.id]}, desk_user)
    assert item.status == "assigned" and item.coordinator_id == coordinator.id
    assert item.urgency == "urgent"
    assert [s.id for s in item.services] == [service.id]
    assert [c.to_status for c in item.history] == ["new", "assigned"]


def test_register_records_audit_and_bumps_the_desk(app, desk_user):
    from portal.audit.models import AuditEvent
    from portal.core import versions
    from portal.extensions import db

    before = versions.current(db.session, versions.DESK)
    item = register({"kind": "information", "channel": "phone", "question": "?"}, desk_user)
    assert versions.current(db.session, versions.DESK) == before + 1
    event = db.session.scalar(db.select(AuditEvent).filter_by(object_type="request", object_id=item.id))
    assert event.action == "create" and event.actor_id == desk_user.id


@pytest.mark.parametrize("data, field", [
    ({"kind": "information", "channel": "phone"}, "question"),
    ({"kind": "application", "channel": "phone", "needs_description": "x"}, "resident"),
    ({"kind": "other", "channel": "phone", "question": "x"}, "kind"),
    ({"kind": "information", "channel": "fax", "question": "x"}, "channel"),
    ({"kind": "information", "channel": "phone", "question": "x", "routed_to": "mars"}, "routed_to"),
    ({"kind": "information", "channel": "phone", "question": "x", "applicant": "neighbour"}, "applicant"),
    ({"kind": "information", "channel": "phone", "question": "x", "service_ids": [999999]}, "service_ids"),
])
def test_register_refuses_bad_data(app, desk_user, data, field):
    from portal.desk.services import DataError, register_request
    from portal.extensions import db

    with pytest.raises(DataError) as error:
        register_request(db.session, data, actor=desk_user)
    assert error.value.field == field
    db.session.rollback()


def test_register_refuses_a_non_coordinator(app, desk_user, make_resident):
    from portal.desk.services import DataError, register_request
    from portal.extensions import db

    resident = make_resident()
    with pytest.raises(DataError):
        register_request(db.session, {"kind": "application", "channel": "phone", "resident_id": resident.id,
                                      "needs_description": "x", "coordinator_id": desk_user.id}, actor=desk_user)
    db.session.rollback()


# --- the status flow --------------------------------------------------------------------------

@pytest.fixture
def application(app, desk_user, make_resident):
    resident = make_resident()
    return register({"kind": "application", "channel": "phone", "resident_id": resident.id,
                     "needs_description": "Pomoc w domu."}, desk_user)


def test_full_flow_is_recorded_with_who_and_when(app, desk_user, coordinator, make_resident):
    from portal.desk.services import assign, change_status
    from portal.extensions import db

    freeze(app, 2026, 3, 2, 8, 45)
    application = register({"kind": "application", "channel": "phone", "resident_id": make_resident().id,
                            "needs_description": "Pomoc w domu."}, desk_user)
    freeze(app, 2026, 3, 2, 9, 0)
    assign(db.session, application, coordinator, actor=desk_user)
    db.session.commit()
    freeze(app, 2026, 3, 5, 11, 30)
    change_status(db.session, application, "in_assessment", actor=coordinator, note="wizyta w domu")
    db.session.commit()
    freeze(app, 2026, 3, 20, 14, 0)
    change_status(db.session, application, "handed_to_plan", actor=coordinator)
    db.session.commit()
    db.session.expire_all()
    history = [(c.from_status, c.to_status, c.actor_id, c.at) for c in application.history]
    assert history[1:] == [
        ("new", "assigned", desk_user.id, datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)),
        ("assigned", "in_assessment", coordinator.id, datetime(2026, 3, 5, 10, 30, tzinfo=timezone.utc)),
        ("in_assessment", "handed_to_plan", coordinator.id, datetime(2026, 3, 20, 13, 0, tzinfo=timezone.utc)),
    ]
    assert application.history[2].note == "wizyta w domu"
    assert application.status == "handed_to_plan"
    assert application.closed_at == datetime(2026, 3, 20, 13, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("kind, path, to_status, allowed", [
    ("information", [], "closed_information", True),
    ("information", [], "withdrawn", True),
    ("information", [], "in_assessment", False),
    ("information", [], "handed_to_plan", False),
    ("information", [], "assigned", False),  # no coordinator yet
    ("application", [], "closed_information", False),
    ("application", [], "withdrawn", True),
    ("application", [], "in_assessment", False),
    ("application", ["assign"], "in_assessment", True),
    ("application", ["assign"], "closed_information", False),
    ("application", ["assign"], "handed_to_plan", False),
    ("application", ["assign"], "withdrawn", True),
    ("application", ["assign", "in_assessment"], "closed_information", True),
    ("application", ["assign", "in_assessment"], "handed_to_plan", True),
    ("application", ["assign", "in_assessment"], "withdrawn", True),
    ("application", ["assign", "in_assessment"], "new", False),
    ("application", ["assign", "in_assessment"], "assigned", False),
    ("application", ["withdrawn"], "new", False),
    ("application", ["withdrawn"], "assigned", False),
    ("application", ["assign", "in_assessment", "handed_to_plan"], "withdrawn", False),
    ("information", ["closed_information"], "withdrawn", False),
    ("information", [], "bogus", False),
])
def test_transitions(app, desk_user, coordinator, make_resident, kind, path, to_status, allowed):
    from portal.desk.services import TransitionError, assign, change_status
    from portal.extensions import db

    resident = make_resident()
    item = register({"kind": kind, "channel": "phone", "resident_id": resident.id, "question": "?",
                     "needs_description": "potrzeby"}, desk_user)
    for step in path:
        if step == "assign":
            assign(db.session, item, coordinator, actor=desk_user)
        else:
            change_status(db.session, item, step, actor=desk_user)
    db.session.commit()
    before = len(item.history)
    if allowed:
        change_status(db.session, item, to_status, actor=desk_user)
        db.session.commit()
        assert item.status == to_status
        assert len(item.history) == before + 1
    else:
        with pytest.raises(TransitionError):
            change_status(db.session, item, to_status, actor=desk_user)
        db.session.rollback()
        assert len(item.history) == before


def test_change_status_refuses_a_stale_version(app, application, desk_user):
    from portal.core.errors import VersionConflict
    from portal.desk.services import change_status
    from portal.extensions import db

    version = application.version
    change_status(db.session, application, "withdrawn", actor=desk_user, expected_version=version)
    db.session.commit()
    with pytest.raises(VersionConflict):
        change_status(db.session, application, "withdrawn", actor=desk_user, expected_version=version)


def test_close_as_information_keeps_the_answer(app, desk_user):
    from portal.desk.services import change_status
    from portal.extensions import db

    item = register({"kind": "information", "channel": "phone", "question": "Czy jest logopeda?"}, desk_user)
    change_status(db.session, item, "closed_information", actor=desk_user, note="Tak, w czwartki.")
    db.session.commit()
    assert item.answer == "Tak, w czwartki." and item.closed_at is not None


def test_reassignment_keeps_the_status_and_is_recorded(app, application, desk_user, coordinator, make_user):
    from portal.desk.services import assign
    from portal.extensions import db

    other = make_user("coordinator", "koord-ewa", "Ewa Druga")
    assign(db.session, application, coordinator, actor=desk_user)
    assign(db.session, application, other, actor=desk_user)
    db.session.commit()
    assert application.status == "assigned" and application.coordinator_id == other.id
    last = application.history[-1]
    assert (last.from_status, last.to_status, last.note) == ("assigned", "assigned", "Jan Koordynator → Ewa Druga")


def test_assign_refuses_closed_requests_and_non_coordinators(app, application, desk_user, coordinator):
    from portal.desk.services import DataError, TransitionError, assign, change_status
    from portal.extensions import db

    with pytest.raises(DataError):
        assign(db.session, application, desk_user, actor=desk_user)
    change_status(db.session, application, "withdrawn", actor=desk_user)
    db.session.commit()
    with pytest.raises(TransitionError):
        assign(db.session, application, coordinator, actor=desk_user)


def test_coordinator_for_village(app, coordinator, make_village, make_user):
    from portal.desk.models import VillageCoordinator
    from portal.desk.services import coordinator_for_village
    from portal.extensions import db

    village, other = make_village("Bęczków"), make_village("Burzec")
    db.session.add(VillageCoordinator(village_id=village.id, user_id=coordinator.id))
    db.session.commit()
    assert coordinator_for_village(db.session, village.id) == coordinator
    assert coordinator_for_village(db.session, other.id) is None
    assert coordinator_for_village(db.session, None) is None
    coordinator.active = False
    db.session.commit()
    assert coordinator_for_village(db.session, village.id) is None


# --- the 30-day deadline --------------------------------------------------------------------------

def _application_at(received_at):
    from portal.desk.models import Request

    return Request(kind="application", channel="phone", received_at=received_at, status="new")


@pytest.mark.parametrize("received, today, due, days_left, state", [
    # Received 10:00 in Warsaw on 2 March: plan due 1 April.
    (datetime(2026, 3, 2, 10, 0, tzinfo=WARSAW), date(2026, 3, 2), date(2026, 4, 1), 30, "on_track"),
    (datetime(2026, 3, 2, 10, 0, tzinfo=WARSAW), date(2026, 3, 24), date(2026, 4, 1), 8, "on_track"),
    (datetime(2026, 3, 2, 10, 0, tzinfo=WARSAW), date(2026, 3, 25), date(2026, 4, 1), 7, "due_soon"),
    (datetime(2026, 3, 2, 10, 0, tzinfo=WARSAW), date(2026, 4, 1), date(2026, 4, 1), 0, "due_soon"),
    (datetime(2026, 3, 2, 10, 0, tzinfo=WARSAW), date(2026, 4, 2), date(2026, 4, 1), -1, "overdue"),
    # Across month ends: 31 January -> 2 March (February has 28 days in 2026), a leap year, the year end.
    (datetime(2026, 1, 31, 12, 0, tzinfo=WARSAW), date(2026, 2, 28), date(2026, 3, 2), 2, "due_soon"),
    (datetime(2028, 1, 31, 12, 0, tzinfo=WARSAW), date(2028, 2, 1), date(2028, 3, 1), 29, "on_track"),
    (datetime(2025, 12, 15, 9, 0, tzinfo=WARSAW), date(2026, 1, 20), date(2026, 1, 14), -6, "overdue"),
    # A call at 00:30 Warsaw time is still 22:30/23:30 UTC of the day before: Warsaw's day counts.
    (datetime(2026, 3, 1, 0, 30, tzinfo=WARSAW), date(2026, 3, 1), date(2026, 3, 31), 30, "on_track"),
    (datetime(2026, 7, 1, 0, 30, tzinfo=WARSAW), date(2026, 7, 1), date(2026, 7, 31), 30, "on_track"),
    # Across the change to summer time (29 March 2026).
    (datetime(2026, 3, 20, 23, 30, tzinfo=WARSAW), date(2026, 4, 19), date(2026, 4, 19), 0, "due_soon"),
])
def test_deadline(received, today, due, days_left, state):
    from portal.desk.services import deadline

    result = deadline(_application_at(received.astimezone(timezone.utc)), today)
    assert (result.due, result.days_left, result.state) == (due, days_left, state)


def test_deadline_is_none_for_information():
    from portal.desk.models import Request
    from portal.desk.services import deadline

    assert deadline(Request(kind="information", received_at=datetime.now(timezone.utc)), date.today()) is None


def test_deadline_from_a_stored_request_with_frozen_time(app, desk_user, make_resident):
    """received_at comes from the frozen clock, survives the database (UTC) and
    counts in Warsaw: 31 March 23:30 Warsaw is 21:30 UTC."""
    from portal.desk.services import deadline
    from portal.extensions import db

    freeze(app, 2026, 3, 31, 23, 30)
    resident = make_resident()
    item = register({"kind": "application", "channel": "phone", "resident_id": resident.id,
                     "needs_description": "x"}, desk_user)
    db.session.expire_all()
    assert item.received_at == datetime(2026, 3, 31, 21, 30, tzinfo=timezone.utc)
    result = deadline(item, date(2026, 4, 30))
    assert (result.due, result.days_left, result.state) == (date(2026, 4, 30), 0, "due_soon")
    assert deadline(item, date(2026, 4, 22)).state == "on_track"
    assert deadline(item, date(2026, 5, 1)).days_left == -1


# --- eligibility hints -----------------------------------------------------------------------------

def test_eligibility_hints_say_ages_in_polish_plural_forms(app, make_service, make_resident):
    """The review saw "Osoba ma 34 lat"; 22 is "22 lata", 12 "12 lat", 1 "1 rok"."""
    from portal.desk.services import eligibility_hints

    today = date(2026, 3, 7)
    club = make_service("Klub Seniora", minimum_age=60)
    nursery = make_service("Żłobek", maximum_age=1)
    app.test_request_context().push()
    shown = {age: [str(h) for h in eligibility_hints(club, make_resident(
        "Ola", f"Wiek{age}", birth_date=date(2026 - age, 1, 1)), set(), today=today)] for age in (1, 2, 5, 12, 22, 34)}
    assert shown == {1: ["Osoba ma 1 rok, a usługa jest od 60 lat."], 2: ["Osoba ma 2 lata, a usługa jest od 60 lat."],
                     5: ["Osoba ma 5 lat, a usługa jest od 60 lat."], 12: ["Osoba ma 12 lat, a usługa jest od 60 lat."],
                     22: ["Osoba ma 22 lata, a usługa jest od 60 lat."],
                     34: ["Osoba ma 34 lata, a usługa jest od 60 lat."]}
    toddler = make_resident("Jaś", "Mały", birth_date=date(2023, 1, 1))
    assert [str(h) for h in eligibility_hints(nursery, toddler, set(), today=today)] == [
        "Osoba ma 3 lata, a usługa jest do 1 roku."]


def test_eligibility_hints(app, make_service, make_resident, make_village):
    from portal.desk.services import eligibility_hints

    village = make_village("Wojcieszków")
    senior_club = make_service("Klub Seniora", minimum_age=60, residents_only=True)
    youth = make_service("Świetlica dla młodzieży", minimum_age=7, maximum_age=18)
    group_only = make_service("Grupa wsparcia", groups=("seniors",), target_groups_only=True,
                              requires_disability_certificate=True)
    plain = make_service("Poradnictwo prawne")
    today = date(2026, 3, 7)
    young = make_resident("Ola", "Nowak", birth_date=date(2000, 3, 8), village=village)
    old = make_resident("Jan", "Stary", birth_date=date(1950, 1, 1), village=None)
    unknown = make_resident("Ktoś", "Bezdaty", birth_date=None, village=village)
    villages = {village.id}
    app.test_request_context().push()  # hints are translated when shown

    hints = [str(h) for h in eligibility_hints(senior_club, young, villages, today=today)]
    assert hints == ["Osoba ma 25 lat, a usługa jest od 60 lat."]  # 26 only tomorrow
    hints = [str(h) for h in eligibility_hints(senior_club, old, villages, today=today)]
    assert len(hints) == 1 and "tylko dla mieszkańców gminy" in hints[0]
    assert [str(h) for h in eligibility_hints(youth, old, villages, today=today)] == [
        "Osoba ma 76 lat, a usługa jest do 18 lat."]
    assert "nie znamy daty urodzenia" in str(eligibility_hints(youth, unknown, villages, today=today)[0])
    hints = [str(h) for h in eligibility_hints(group_only, young, villages, today=today)]
    assert len(hints) == 2 and "sprawdź, czy osoba do nich należy" in hints[0] and "orzeczenie" in hints[1]
    assert eligibility_hints(plain, old, villages, today=today) == []
    assert eligibility_hints(senior_club, None, villages, today=today) == []


# --- the board --------------------------------------------------------------------------------------

@pytest.fixture
def busy_desk(app, desk_user, coordinator, make_user, make_resident):
    """Requests over two days; the clock ends at 3 March 2026, 12:00 Warsaw."""
    from portal.desk.services import change_status
    from portal.extensions import db

    other = make_user("coordinator", "koord-ewa", "Ewa Druga")
    resident = make_resident()
    freeze(app, 2026, 3, 2, 10, 0)
    old_closed = register({"kind": "information", "channel": "phone", "question": "?", "answer": "!"}, desk_user)
    old_open = register({"kind": "application", "channel": "in_person", "resident_id": resident.id,
                         "needs_description": "x", "coordinator_id": coordinator.id}, desk_user)
    freeze(app, 2026, 3, 3, 0, 15)  # just after midnight in Warsaw: already "today"
    today_closed = register({"kind": "information", "channel": "email", "question": "?",
                             "routed_to": "pup"}, desk_user)
    freeze(app, 2026, 3, 3, 9, 0)
    today_new = register({"kind": "application", "channel": "phone", "resident_id": resident.id,
                          "needs_description": "y"}, desk_user)
    today_other = register({"kind": "application", "channel": "phone", "resident_id": resident.id,
                            "needs_description": "z", "coordinator_id": other.id}, desk_user)
    change_status(db.session, today_other, "in_assessment", actor=other)
    db.session.commit()
    freeze(app, 2026, 3, 3, 12, 0)
    return {"old_closed": old_closed, "old_open": old_open, "today_closed": today_closed,
            "today_new": today_new, "today_other": today_other, "other": other}


def _board(**filters):
    from portal.desk.services import BoardFilters, board
    from portal.extensions import db

    return board(db.session, filters=BoardFilters(**filters), today=date(2026, 3, 3))


def test_board_shows_today_and_open(app, busy_desk):
    result = _board()
    ids = [r.id for r in result.rows]
    assert busy_desk["old_closed"].id not in ids
    assert set(ids) == {busy_desk[k].id for k in ("old_open", "today_closed", "today_new", "today_other")}
    assert ids[0] == busy_desk["today_other"].id  # newest first
    # The counts are the register's (what each status link shows), not today's.
    assert result.counts == {"new": 1, "assigned": 1, "in_assessment": 1, "closed_information": 2,
                             "withdrawn": 0, "handed_to_plan": 0,
                             "closed_plan": 0, "service_granted": 0}
    assert result.total == 4 and result.working
    assert result.deadlines[busy_desk["old_open"].id].days_left == 29
    assert busy_desk["today_closed"].id not in result.deadlines


def test_board_filters(app, busy_desk, coordinator):
    assert [r.id for r in _board(status="new").rows] == [busy_desk["today_new"].id]
    assert _board(status="new").counts["assigned"] == 1  # counts ignore the status filter
    assert {r.id for r in _board(channel="phone").rows} == {busy_desk["today_new"].id, busy_desk["today_other"].id}
    assert _board(channel="phone").counts == {"new": 1, "assigned": 0, "in_assessment": 1,
                                              "closed_information": 1, "withdrawn": 0, "handed_to_plan": 0,
                                              "closed_plan": 0, "service_granted": 0}
    assert [r.id for r in _board(coordinator=str(coordinator.id)).rows] == [busy_desk["old_open"].id]
    assert {r.id for r in _board(coordinator="none").rows} == {busy_desk["today_new"].id,
                                                               busy_desk["today_closed"].id}
    own = _board(only_coordinator_id=busy_desk["other"].id)
    assert [r.id for r in own.rows] == [busy_desk["today_other"].id] and own.total == 1


def test_board_status_filter_searches_the_whole_register(app, busy_desk):
    """Issue 10, 1.5: a status shows every request in it, not only today's."""
    closed = _board(status="closed_information")
    assert {r.id for r in closed.rows} == {busy_desk["old_closed"].id, busy_desk["today_closed"].id}
    assert closed.total == closed.counts["closed_information"] == 2
    assert not closed.working


def test_board_date_range_by_the_warsaw_day_a_request_came_in(app, busy_desk):
    yesterday = _board(date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))
    assert {r.id for r in yesterday.rows} == {busy_desk["old_closed"].id, busy_desk["old_open"].id}
    assert yesterday.counts["closed_information"] == 1 and yesterday.total == 2
    # 00:15 on 3 March in Warsaw is 23:15 UTC on the 2nd, and belongs to the 3rd.
    today = _board(date_from=date(2026, 3, 3))
    assert busy_desk["today_closed"].id in {r.id for r in today.rows} and today.total == 3
    assert _board(date_to=date(2026, 3, 1)).total == 0
    closed_yesterday = _board(status="closed_information", date_to=date(2026, 3, 2))
    assert [r.id for r in closed_yesterday.rows] == [busy_desk["old_closed"].id]


@pytest.mark.parametrize("received, due", [
    # Friday 14:00 -> Monday 14:00
    ((2026, 12, 4, 14, 0), (2026, 12, 7, 14, 0)),
    # Saturday: counts from Monday morning, due at the end of Monday
    ((2026, 12, 5, 10, 0), (2026, 12, 8, 0, 0)),
    # Wednesday before Christmas: 24 (Wigilia, a holiday from 2025), 25, 26 and the weekend
    ((2026, 12, 23, 10, 0), (2026, 12, 28, 10, 0)),
    # Thursday before Easter Monday 2026 (6 April): Friday is a working day
    ((2026, 4, 2, 9, 30), (2026, 4, 3, 9, 30)),
    ((2026, 4, 3, 9, 30), (2026, 4, 7, 9, 30)),
    # 1 May (Friday) and 3 May (Sunday): Thursday 30 April -> Monday 4 May
    ((2026, 4, 30, 15, 0), (2026, 5, 4, 15, 0)),
    # Across the spring clock change: the same wall-clock time
    ((2026, 3, 27, 8, 0), (2026, 3, 30, 8, 0)),
])
def test_callback_due_after_one_working_day(received, due):
    from portal.desk.services import callback_due

    moment = datetime(*received, tzinfo=WARSAW)
    assert callback_due(moment.astimezone(timezone.utc)).astimezone(WARSAW) == datetime(*due, tzinfo=WARSAW)


def test_board_lists_web_form_requests_to_call_back(app, desk_user, coordinator):
    from portal.desk.services import BoardFilters, assign, board, change_status
    from portal.extensions import db

    freeze(app, 2026, 12, 4, 14, 0)  # Friday
    waiting = register({"kind": "information", "channel": "web_form", "contact_name": "Ewa Pytająca",
                        "contact_phone": "+48601234567", "message": "Kiedy jest klub?"}, None)
    answered = register({"kind": "information", "channel": "web_form", "contact_name": "Adam Zadowolony",
                         "message": "?"}, None)
    taken = register({"kind": "application", "channel": "web_form", "contact_name": "Olga Chętna",
                      "message": "Chcę usługę"}, None)
    register({"kind": "information", "channel": "phone", "question": "?"}, desk_user)
    change_status(db.session, answered, "closed_information", actor=desk_user, note="oddzwoniono")
    assign(db.session, taken, coordinator, actor=desk_user)
    db.session.commit()

    friday = freeze(app, 2026, 12, 4, 15, 0)
    result = board(db.session, filters=BoardFilters(), today=friday.date(), moment=friday)
    assert [c.request.id for c in result.callbacks] == [waiting.id] and result.callback_total == 1
    assert result.callbacks_overdue == 0
    # The board goes stale by itself at midnight, or when a call-back passes its working day.
    assert result.expires == datetime(2026, 12, 5, 0, 0, tzinfo=WARSAW)
    saturday = freeze(app, 2026, 12, 5, 9, 0)
    result = board(db.session, filters=BoardFilters(), today=saturday.date(), moment=saturday)
    assert result.expires == datetime(2026, 12, 6, 0, 0, tzinfo=WARSAW)
    morning = freeze(app, 2026, 12, 7, 10, 0)  # Monday: due at 14:00
    result = board(db.session, filters=BoardFilters(), today=morning.date(), moment=morning)
    assert result.expires == datetime(2026, 12, 7, 14, 0, tzinfo=WARSAW) and result.callbacks_overdue == 0
    monday = freeze(app, 2026, 12, 7, 14, 0)
    result = board(db.session, filters=BoardFilters(), today=monday.date(), moment=monday)
    assert result.callbacks_overdue == 1
    own = board(db.session, filters=BoardFilters(only_coordinator_id=coordinator.id), today=monday.date(),
                moment=monday)
    assert own.callbacks == []


def test_board_pages_newest_first(app, busy_desk, monkeypatch):
    from portal.desk import services
    from portal.extensions import db

    monkeypatch.setattr(services, "BOARD_PAGE_SIZE", 3)
    everything = [r.id for r in _board().rows]  # the first page of three
    first = services.board(db.session, filters=services.BoardFilters(), today=date(2026, 3, 3), page=1)
    second = services.board(db.session, filters=services.BoardFilters(), today=date(2026, 3, 3), page=2)
    beyond = services.board(db.session, filters=services.BoardFilters(), today=date(2026, 3, 3), page=99)
    assert (first.pages, first.total) == (2, 4)
    assert [r.id for r in first.rows] == everything and len(everything) == 3
    assert [r.id for r in second.rows] == [r.id for r in beyond.rows] and beyond.page == 2
    assert len(second.rows) == 1 and second.rows[0].id not in everything


def test_desk_version_moves_on_every_change(app, application, desk_user, coordinator):
    from portal.core import versions
    from portal.desk.services import assign, change_status
    from portal.extensions import db

    start = versions.current(db.session, versions.DESK)
    assign(db.session, application, coordinator, actor=desk_user)
    db.session.commit()
    assert versions.current(db.session, versions.DESK) == start + 1
    change_status(db.session, application, "in_assessment", actor=coordinator)
    db.session.commit()
    assert versions.current(db.session, versions.DESK) == start + 2
