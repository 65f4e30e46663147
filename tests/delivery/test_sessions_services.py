"""Group sessions' services: planning ahead from the schedule (holidays,
closures, summer time, idempotence), the session's own rules, cancelling,
attendance and head counts — on the data stored."""
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.core.errors import DataError, TransitionError, VersionConflict
from portal.delivery import sessions
from portal.delivery.models import Attendance, EventHeadCount, GroupSession
from portal.extensions import db


def _days(service, year, month):
    return [(s.held_on, s.starts, s.ends) for s in sessions.sessions_in_month(db.session, service, year, month)]


def test_planning_a_month_skips_the_public_holiday_and_is_idempotent(club, staff):
    # November 2026: Tuesdays 3, 10, 17, 24 and Thursdays 5, 12, 19, 26; 11 November is a
    # Wednesday, so take a service meeting on Wednesdays too.
    from portal.catalogue.models import ScheduleRule

    club.schedule_rules.append(ScheduleRule(weekday=2, opens=time(16), closes=time(18)))
    db.session.commit()
    planned = sessions.plan_month(db.session, club, 2026, 11, actor=staff.organiser)
    db.session.commit()
    days = [d for d, _s, _e in _days(club, 2026, 11)]
    assert date(2026, 11, 11) not in days  # Independence Day
    assert date(2026, 11, 4) in days and date(2026, 11, 18) in days
    assert planned.created == len(days) == 8 + 3
    stored = db.session.scalars(select(GroupSession).where(GroupSession.service_id == club.id)).all()
    assert {s.status for s in stored} == {"planned"}
    assert {s.provider_id for s in stored} == {club.provider_id}
    assert {s.place for s in stored} == {"Świetlica w Burzcu — Burzec 48"}

    again = sessions.plan_month(db.session, club, 2026, 11, actor=staff.organiser)
    db.session.commit()
    assert again.created == 0 and again.existing == 11
    assert len(_days(club, 2026, 11)) == 11


def test_a_closure_and_a_cancelled_session_are_not_planned_again(club, staff):
    from portal.catalogue.models import Closure

    club.closures.append(Closure(starts_on=date(2026, 7, 13), ends_on=date(2026, 7, 26), reason="Urlop"))
    db.session.commit()
    sessions.plan_month(db.session, club, 2026, 7, actor=staff.organiser)
    db.session.commit()
    days = [d for d, _s, _e in _days(club, 2026, 7)]
    assert not any(date(2026, 7, 13) <= d <= date(2026, 7, 26) for d in days)
    first = sessions.sessions_in_month(db.session, club, 2026, 7)[0]
    sessions.cancel_session(db.session, first, "Choroba prowadzącej", actor=staff.organiser,
                            expected_version=first.version)
    db.session.commit()
    assert sessions.plan_month(db.session, club, 2026, 7, actor=staff.organiser).created == 0
    db.session.commit()
    assert db.session.get(GroupSession, first.id).status == "cancelled"


def test_sessions_across_the_end_of_summer_time_keep_their_wall_clock_time(make_service, staff):
    # 25 October 2026 is the last Sunday of October: 03:00 CEST becomes 02:00 CET.
    night = make_service("Grupa wsparcia nocna", unit="meeting", rules=[(6, "01:30", "03:30"), (6, "17:00", "19:00")])
    sessions.plan_month(db.session, night, 2026, 10, actor=staff.organiser)
    db.session.commit()
    days = _days(night, 2026, 10)
    assert (date(2026, 10, 25), time(1, 30), time(3, 30)) in days
    evenings = [(d, s) for d, s, _e in days if s == time(17)]
    assert (date(2026, 10, 18), time(17)) in evenings and (date(2026, 10, 25), time(17)) in evenings


def test_an_overnight_rule_is_left_to_enter_by_hand(make_service, staff):
    vigil = make_service("Dyżur nocny", unit="meeting", rules=[(4, "22:00", "02:00")])
    planned = sessions.plan_month(db.session, vigil, 2026, 5, actor=staff.organiser)
    assert planned.created == 0 and planned.overnight == 4  # five Fridays, 1 May a holiday


def test_only_group_services_are_planned(make_service, staff):
    care = make_service("Opieka w domu", unit="hour", rules=[(0, "08:00", "12:00")])
    assert care.delivery_mode == "individual"
    with pytest.raises(TransitionError):
        sessions.plan_month(db.session, care, 2026, 5, actor=staff.organiser)


def _data(club, **changes):
    data = {"held_on": date(2026, 5, 14), "starts": time(10), "ends": time(13), "place": "Świetlica",
            "provider_id": club.provider_id, "leader": "Maria Wiśniewska", "topic": "Gimnastyka"}
    data.update(changes)
    return data


def test_a_session_ends_after_it_starts_and_is_one_per_start(club, staff):
    with pytest.raises(DataError) as refused:
        sessions.create_session(db.session, club, _data(club, ends=time(9)), actor=staff.organiser)
    assert refused.value.field == "ends"
    db.session.rollback()
    sessions.create_session(db.session, club, _data(club), actor=staff.organiser)
    db.session.commit()
    with pytest.raises(DataError) as taken:
        sessions.create_session(db.session, club, _data(club, topic="Inny"), actor=staff.organiser)
    assert taken.value.field == "starts"


def test_a_stale_edit_is_a_conflict(club, staff):
    made = sessions.create_session(db.session, club, _data(club), actor=staff.organiser)
    db.session.commit()
    sessions.update_session(db.session, made, _data(club, leader="Ktoś"), actor=staff.organiser,
                            expected_version=made.version)
    db.session.commit()
    with pytest.raises(VersionConflict):
        sessions.update_session(db.session, made, _data(club, leader="Inny"), actor=staff.organiser,
                                expected_version=1)


def test_cancelling_needs_a_reason_and_only_a_planned_session(club, staff):
    made = sessions.create_session(db.session, club, _data(club), actor=staff.organiser)
    db.session.commit()
    with pytest.raises(DataError):
        sessions.cancel_session(db.session, made, "  ", actor=staff.organiser, expected_version=made.version)
    sessions.confirm_held(db.session, made, actor=staff.organiser, expected_version=made.version)
    db.session.commit()
    with pytest.raises(TransitionError):
        sessions.cancel_session(db.session, made, "Deszcz", actor=staff.organiser, expected_version=made.version)


def test_attendance_is_stored_and_marks_the_session_held(club, members, staff, grant):
    outsider = grant(club, "Olga", "Późna", start=date(2026, 6, 1))  # not yet granted on 14 May
    made = sessions.create_session(db.session, club, _data(club), actor=staff.organiser)
    db.session.commit()
    listed = sessions.attendance_list(db.session, made)
    # Polish order: Ć before K, L before Ł, Z before Ż.
    assert [p.last_name for p in listed] == ["Ćwik", "Kowalski", "Łukasik", "Nowak", "Zając"]
    assert outsider.id not in {p.id for p in listed}
    version = made.version
    sessions.save_attendance(db.session, made, [members[0].id, members[2].id], 3, actor=staff.organiser,
                             expected_version=version)
    db.session.commit()
    assert set(db.session.scalars(select(Attendance.resident_id).where(Attendance.session_id == made.id))) == {
        members[0].id, members[2].id}
    stored = db.session.get(GroupSession, made.id)
    assert stored.status == "held" and stored.other_participants == 3 and stored.version > version
    # Untick one, tick another: only the difference changes; a stale page is a conflict.
    sessions.save_attendance(db.session, stored, [members[2].id, members[4].id], 0, actor=staff.organiser,
                             expected_version=stored.version)
    db.session.commit()
    assert set(db.session.scalars(select(Attendance.resident_id).where(Attendance.session_id == made.id))) == {
        members[2].id, members[4].id}
    with pytest.raises(VersionConflict):
        sessions.save_attendance(db.session, stored, [], 0, actor=staff.organiser, expected_version=version)
    db.session.rollback()
    with pytest.raises(DataError) as refused:
        sessions.save_attendance(db.session, stored, [outsider.id], 0, actor=staff.organiser,
                                 expected_version=stored.version)
    assert refused.value.field == "present"


def test_a_person_recorded_stays_on_the_list_when_the_grant_ends_later(club, grant, staff):
    person = grant(club, "Jan", "Krótki", end=date(2026, 5, 14))
    made = sessions.create_session(db.session, club, _data(club), actor=staff.organiser)
    db.session.commit()
    sessions.save_attendance(db.session, made, [person.id], 0, actor=staff.organiser, expected_version=made.version)
    db.session.commit()
    from portal.plans.models import ServiceGrant

    db.session.scalar(select(ServiceGrant).where(ServiceGrant.resident_id == person.id)).status = "cancelled"
    db.session.commit()
    listed = sessions.attendance_list(db.session, made)
    assert [(p.id, p.present, p.expected) for p in listed] == [(person.id, True, False)]


def test_no_attendance_on_a_cancelled_session(club, members, staff):
    made = sessions.create_session(db.session, club, _data(club), actor=staff.organiser)
    sessions.cancel_session(db.session, made, "Awaria ogrzewania", actor=staff.organiser, expected_version=None)
    db.session.commit()
    with pytest.raises(TransitionError):
        sessions.save_attendance(db.session, made, [members[0].id], 0, actor=staff.organiser,
                                 expected_version=made.version)


def test_the_list_shown_is_in_each_persons_access_trail(club, members, staff):
    made = sessions.create_session(db.session, club, _data(club), actor=staff.organiser)
    db.session.commit()
    people = sessions.attendance_list(db.session, made)
    sessions.note_list_shown(db.session, made, people, actor=staff.director, action="print")
    db.session.commit()
    trail = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "resident",
                                                        AuditEvent.action == "print")).all()
    assert {e.object_id for e in trail} == {m.id for m in members}
    assert {e.reason for e in trail} == {f"attendance list of group session {made.id}"}
    assert all(e.actor_id == staff.director.id for e in trail)


def test_head_counts_of_past_occurrences(app, staff):
    from portal.events import services as events
    from portal.timeutil import WARSAW

    picnic = events.create_event(db.session, {
        "title": "Piknik rodzinny",
        "start_date": date(2026, 6, 6), "start_time": time(12), "end_date": date(2026, 6, 6),
        "end_time": time(18), "frequency": "weekly", "weekdays": "5", "until": date(2026, 7, 4), "free": True,
        "public": True, "category": "culture"}, actor=None, status="published")
    db.session.commit()
    moment = datetime(2026, 6, 21, 9, tzinfo=WARSAW)
    days = sessions.past_occurrences(picnic, moment)
    assert days == [date(2026, 6, 20), date(2026, 6, 13), date(2026, 6, 6)]
    changed = sessions.save_head_counts(db.session, picnic, {date(2026, 6, 6): 450, date(2026, 6, 13): None},
                                        actor=staff.community, allowed_days=set(days))
    db.session.commit()
    assert changed == 1
    assert [(c.occurs_on, c.head_count) for c in db.session.scalars(select(EventHeadCount))] == [
        (date(2026, 6, 6), 450)]
    with pytest.raises(DataError):
        sessions.save_head_counts(db.session, picnic, {date(2026, 6, 27): 10}, actor=staff.community,
                                  allowed_days=set(days))
    sessions.save_head_counts(db.session, picnic, {date(2026, 6, 6): None}, actor=staff.community,
                              allowed_days=set(days))
    db.session.commit()
    assert db.session.scalars(select(EventHeadCount)).all() == []
    assert sessions.past_occurrences(picnic, moment - timedelta(days=30)) == []
