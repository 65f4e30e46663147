"""Delivered against planned and a service's use (portal/delivery/figures.py):
the counting rules, on both databases, with frozen time."""
from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from portal.delivery import figures
from portal.delivery.commitments import commitments, expected_people, plan_commitments
from portal.delivery.models import Attendance, Consultation, DeliveryEntry, GroupSession
from portal.extensions import db
from tests.plans.fixtures import TODAY, frozen, make_case, people, plans  # noqa: F401


@pytest.fixture
def case(make_case, plans):
    """An active plan (signed today, 12 May 2026): a club counted in places
    and two hours of care at home."""
    case = make_case()
    case.plan = plans.active(case)
    case.club, case.care = case.services
    return case


def _items(case):
    return {item.service_id: item for item in case.plan.version_in_force.items}


def _entry(case, day, quantity, service=None):
    service = service or case.care
    db.session.add(DeliveryEntry(service_id=service.id, resident_id=case.resident.id, provider_id=service.provider_id,
                                 delivered_on=day, quantity=Decimal(quantity), unit=service.unit, delivered_by="Ola"))
    db.session.commit()


def _session(service, day, status="held", starts="10:00", ends="12:00", others=0, attendees=()):
    row = GroupSession(service_id=service.id, provider_id=service.provider_id, held_on=day,
                       starts=time.fromisoformat(starts), ends=time.fromisoformat(ends), status=status,
                       other_participants=others)
    row.attendances = [Attendance(resident_id=person.id) for person in attendees]
    db.session.add(row)
    db.session.commit()
    return row


@pytest.mark.parametrize(("day", "starts", "ends", "hours"), [
    (date(2026, 5, 12), "17:00", "19:30", Decimal("2.5")),
    # Summer time ends on 25 October 2026: 03:00 goes back to 02:00.
    (date(2026, 10, 25), "01:00", "04:00", Decimal(4)),
    # Summer time starts on 29 March 2026: 02:00 jumps to 03:00.
    (date(2026, 3, 29), "01:00", "04:00", Decimal(2)),
])
def test_session_hours_are_the_time_that_really_passed(day, starts, ends, hours):
    assert figures.session_hours(day, time.fromisoformat(starts), time.fromisoformat(ends)) == hours


def test_commitments_and_expected_people_follow_the_plan_in_force(case):
    items = _items(case)
    found = commitments(db.session, resident_ids=[case.resident.id])
    assert {(c.kind, c.source_id, c.item_id, c.service_id) for c in found} == {
        ("plan", case.plan.id, items[s.id].id, s.id) for s in case.services}
    club = items[case.club.id]
    assert [p.id for p in expected_people(db.session, case.club.id, club.period_from)] == [case.resident.id]
    assert expected_people(db.session, case.club.id, club.period_from - timedelta(days=1)) == []
    assert expected_people(db.session, case.club.id, club.period_to + timedelta(days=1)) == []


def test_delivered_against_planned_counts_entries_inside_the_period_only(case):
    care = _items(case)[case.care.id]
    _entry(case, care.period_from, "1.5")
    _entry(case, care.period_from + timedelta(days=3), "0.5")
    _entry(case, care.period_from - timedelta(days=1), "4")  # before the plan: not this item's
    progress = figures.plan_progress(db.session, case.plan, TODAY)[care.id]
    assert progress.delivered == Decimal(2)
    assert progress.last_delivery == care.period_from + timedelta(days=3)
    assert progress.planned == care.quantity == 2
    assert not progress.over
    _entry(case, care.period_from + timedelta(days=4), "1")
    assert figures.plan_progress(db.session, case.plan, TODAY)[care.id].over


def test_only_held_sessions_count_and_a_place_is_never_over(case):
    club = _items(case)[case.club.id]
    day = club.period_from
    _session(case.club, day, attendees=[case.resident])
    _session(case.club, day + timedelta(days=2), attendees=[case.resident])
    _session(case.club, day + timedelta(days=7), status="cancelled", attendees=[case.resident])
    _session(case.club, day + timedelta(days=9), status="planned", attendees=[case.resident])
    progress = figures.plan_progress(db.session, case.plan, TODAY)[club.id]
    assert progress.delivered == 2
    assert progress.planned == 1 and club.unit == "person"
    assert not progress.over  # one place in the club, attended twice


def test_no_delivery_for_thirty_days_is_a_warning_but_not_on_the_first_day(case):
    care = _items(case)[case.care.id]
    start = care.period_from
    by_day = lambda today: figures.plan_progress(db.session, case.plan, today)[care.id]  # noqa: E731
    assert not by_day(start).stale
    assert not by_day(start + timedelta(days=30)).stale
    assert by_day(start + timedelta(days=31)).stale
    _entry(case, start + timedelta(days=20), "1")
    assert not by_day(start + timedelta(days=50)).stale
    assert by_day(start + timedelta(days=51)).stale
    assert set(figures.warnings_for(db.session, [case.resident.id], start + timedelta(days=51))) == {case.resident.id}
    assert figures.warnings_for(db.session, [case.resident.id], start + timedelta(days=1)) == {}


def test_a_services_use_in_a_period(case, make_case, plans):
    other = make_case(services=[case.club, case.care])
    plans.active(other)
    day = _items(case)[case.club.id].period_from
    _session(case.club, day, others=3, attendees=[case.resident, other.resident])
    _session(case.club, day + timedelta(days=2), starts="10:00", ends="11:30", attendees=[case.resident])
    _session(case.club, day + timedelta(days=4), status="cancelled")
    _session(case.club, day + timedelta(days=6), status="planned")
    db.session.add_all([
        Consultation(service_id=case.club.id, resident_id=None, provider_id=case.club.provider_id,
                     given_on=day, minutes=45, kind="other"),
        Consultation(service_id=case.club.id, resident_id=other.resident.id, provider_id=case.club.provider_id,
                     given_on=day, minutes=30, kind="family"),
    ])
    db.session.commit()
    used = figures.usage(db.session, case.club, day, day + timedelta(days=30), day + timedelta(days=3))
    assert (used.sessions_held, used.sessions_cancelled, used.sessions_planned) == (2, 1, 1)
    assert used.hours == Decimal("3.5") + Decimal("1.25")  # sessions 2 h + 1.5 h, consultations 45 + 30 min
    assert used.units == 3 + 2  # three attendances, two consultations
    assert used.participants == 2
    assert used.others == 3 + 1  # the head count and the anonymous consultation
    assert used.current_users == 2
    assert figures.usage(db.session, case.club, day, day, day + timedelta(days=40)).current_users == 0
    assert used.by_month == {(2026, 5): Decimal(5)}


def test_a_plan_awaiting_signatures_is_not_warned_about(make_case, plans):
    case = make_case()
    plan = plans.draft(case)
    plans.submit(plan)
    plans.approve(plan)  # approved, not signed
    item = next(i for i in plan.version_in_force.items if i.unit == "hour")
    later = item.period_from + timedelta(days=60)
    progress = figures.plan_progress(db.session, plan, later)[item.id]
    assert progress.running and not progress.stale
    assert figures.warnings_for(db.session, [case.resident.id], later) == {}
    plans.sign_both(plan)
    assert figures.plan_progress(db.session, plan, later)[item.id].stale


def test_a_consultation_counts_its_hours_for_a_service_in_hours_and_one_otherwise(case):
    care, club = _items(case)[case.care.id], _items(case)[case.club.id]
    for service, minutes in ((case.care, 90), (case.club, 45)):
        db.session.add(Consultation(service_id=service.id, resident_id=case.resident.id,
                                    provider_id=service.provider_id, given_on=TODAY, minutes=minutes, kind="family"))
    db.session.commit()
    progress = figures.plan_progress(db.session, case.plan, TODAY)
    assert progress[care.id].delivered == Decimal("1.5")
    assert progress[club.id].delivered == 1


def _by_query(plan):
    return sorted((c for c in commitments(db.session, resident_ids=[plan.resident_id]) if c.source_id == plan.id
                   and c.kind == "plan"), key=lambda c: c.item_id)


def _loaded(plan):
    return sorted(plan_commitments(plan), key=lambda c: c.item_id)


def test_a_loaded_plans_commitments_are_the_queries(make_case, plans):
    """The plan's own pages read its commitments from the loaded plan
    (plan_commitments); they are what commitments() finds in the database,
    in every state of the plan."""
    case = make_case()
    plan = plans.draft(case)
    assert _loaded(plan) == _by_query(plan) == []  # a draft holds nothing
    plans.submit(plan)
    plans.approve(plan)
    assert _loaded(plan) == _by_query(plan) and len(_loaded(plan)) == 2
    assert not any(c.signed for c in _loaded(plan))  # approved, awaiting signatures
    plans.sign_both(plan)
    assert _loaded(plan) == _by_query(plan) and all(c.signed for c in _loaded(plan))
    # Closed: the items end on the closing day; an item that had not begun is gone.
    first = min(item.period_from for item in plan.version_in_force.items)
    plan.status, plan.closed_on = "closed", first + timedelta(days=3)
    later = plan.version_in_force.items[-1]
    later.period_from = first + timedelta(days=10)
    db.session.commit()
    found = _loaded(plan)
    assert found == _by_query(plan)
    assert [(c.start, c.end) for c in found] == [(first, first + timedelta(days=3))]
    plan.status = "cancelled"
    db.session.commit()
    assert _loaded(plan) == _by_query(plan) == []


def test_a_merge_counts_the_person_once_and_moves_the_registers_version(case, make_case, make_user):
    from portal.auth.models import Role
    from portal.core import versions
    from portal.residents import services as residents

    care = _items(case)[case.care.id]
    duplicate = make_case().resident
    _entry(case, care.period_from, "2")
    db.session.add(DeliveryEntry(service_id=case.care.id, resident_id=duplicate.id,
                                 provider_id=case.care.provider_id, delivered_on=care.period_from,
                                 quantity=Decimal(1), unit=case.care.unit, delivered_by="Ola"))
    db.session.commit()
    day = care.period_from
    assert figures.usage(db.session, case.care, day, day, day).participants == 2
    before = versions.current(db.session, versions.DELIVERY)
    residents.merge_residents(db.session, case.resident, duplicate, actor=make_user(Role.DIRECTOR, "dyr-scal"),
                              reason="duplikat")
    db.session.commit()
    assert versions.current(db.session, versions.DELIVERY) == before + 1
    assert figures.usage(db.session, case.care, day, day, day).participants == 1
