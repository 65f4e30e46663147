"""The deadlines of "my cases", computed in SQL, against frozen dates: 30
Warsaw days from the request, signatures 14 days after the approval day,
the quarterly (or monthly) contact clamped to the month's end, the end of
validity — around month ends, leap days and both summer-time changes, on
SQLite and PostgreSQL, and always equal to the Python reference
(portal/casework/desk.deadlines_of on top of portal/core/deadlines.py)."""
from datetime import date, datetime

import pytest

from portal.casework.desk import DeskFilters, deadlines_of, desk, plan_deadlines
from portal.extensions import db
from portal.timeutil import WARSAW
from tests.casework.fixtures import utc


def my_desk(user, today, **filters):
    return desk(db.session, filters=DeskFilters(coordinator_id=user.id, own=True, **filters), today=today)


def only_row(user, today):
    result = my_desk(user, today)
    assert len(result.rows) == 1, [r.name for r in result.rows]
    return result.rows[0]


def python_deadlines(case, today):
    """The Python reference for the same case."""
    plan = getattr(case, "plan", None)
    if plan is None:
        return deadlines_of(today, received_at=case.request.received_at)
    db.session.refresh(plan)
    return plan_deadlines(db.session, plan, today)


# --- 30 days from the request ------------------------------------------------------------------

@pytest.mark.parametrize("received, due", [
    (utc(2026, 1, 31, 23, 30), date(2026, 3, 3)),     # 00:30 on 1 Feb in Warsaw
    (utc(2026, 1, 31, 22, 59), date(2026, 3, 2)),     # 23:59 on 31 Jan
    (utc(2026, 1, 30, 12, 0), date(2026, 3, 1)),      # over the end of February
    (utc(2028, 1, 30, 12, 0), date(2028, 2, 29)),     # a leap year
    (utc(2026, 12, 15, 10, 0), date(2027, 1, 14)),    # over the new year
    (utc(2026, 3, 28, 23, 30), date(2026, 4, 28)),    # clocks forward: 00:30 CET on 29 March
    (utc(2026, 3, 29, 1, 30), date(2026, 4, 28)),     # 03:30 CEST
    (utc(2026, 3, 29, 21, 59), date(2026, 4, 28)),    # 23:59 CEST
    (utc(2026, 3, 29, 22, 0), date(2026, 4, 29)),     # 00:00 CEST on the 30th
    (utc(2026, 10, 24, 22, 0), date(2026, 11, 24)),   # clocks back: 00:00 CEST on 25 October
    (utc(2026, 10, 25, 0, 30), date(2026, 11, 24)),   # 02:30 CEST, first pass
    (utc(2026, 10, 25, 1, 30), date(2026, 11, 24)),   # 02:30 CET, second pass
    (utc(2026, 10, 25, 22, 59), date(2026, 11, 24)),  # 23:59 CET
    (utc(2026, 10, 25, 23, 0), date(2026, 11, 25)),   # 00:00 CET on the 26th
])
def test_plan_due_is_thirty_warsaw_days_after_the_request(case_rows, people, received, due):
    case = case_rows(received=received)
    today = date(2026, 1, 1)
    row = only_row(people.coordinator, today)
    assert (row.next.kind, row.next.due) == ("plan_due", due)
    assert row.deadlines == python_deadlines(case, today)


def test_plan_due_states_on_the_boundaries(case_rows, people):
    case_rows(received=datetime(2026, 3, 2, 9, 0, tzinfo=WARSAW))  # due 1 April
    for today, state, days in ((date(2026, 3, 24), "on_track", 8), (date(2026, 3, 25), "due_soon", 7),
                               (date(2026, 4, 1), "due_soon", 0), (date(2026, 4, 2), "overdue", -1)):
        row = only_row(people.coordinator, today)
        assert (row.next.state, row.next.days_left) == (state, days), today
        counts = my_desk(people.coordinator, today).counts
        assert (counts.overdue, counts.due_soon, counts.on_track) == (
            int(state == "overdue"), int(state == "due_soon"), int(state == "on_track"))


def test_plan_due_ends_with_the_first_submission(case_rows, people):
    case_rows(plan="draft")
    assert only_row(people.coordinator, date(2026, 5, 12)).next.kind == "plan_due"
    other = case_rows(plan="submitted", first_submitted_on=date(2026, 5, 10))
    rows = {r.plan_id: r for r in my_desk(people.coordinator, date(2026, 5, 12)).rows}
    submitted = rows[other.plan.id]
    assert submitted.next is None and submitted.deadlines == []
    assert submitted.stage == "plan_submitted"


# --- signatures -------------------------------------------------------------------------------------

@pytest.mark.parametrize("approved_at, due", [
    (utc(2026, 3, 28, 22, 59), date(2026, 4, 11)),   # 23:59 CET on 28 March
    (utc(2026, 3, 28, 23, 30), date(2026, 4, 12)),   # 00:30 CET on 29 March, the night the clocks go forward
    (utc(2026, 10, 24, 22, 0), date(2026, 11, 8)),   # 00:00 CEST on 25 October
    (utc(2026, 10, 25, 22, 59), date(2026, 11, 8)),  # 23:59 CET on 25 October
    (utc(2026, 10, 25, 23, 0), date(2026, 11, 9)),   # 00:00 CET on 26 October
    (utc(2026, 12, 31, 23, 30), date(2027, 1, 15)),  # 00:30 on New Year's Day
])
def test_signatures_are_due_two_weeks_after_the_approval_day(case_rows, people, approved_at, due):
    case = case_rows(plan="approved", approved_at=approved_at, valid_from=date(2026, 3, 1),
                     valid_until=date(2027, 2, 28))
    row = only_row(people.coordinator, date(2026, 3, 1))
    assert (row.next.kind, row.next.due) == ("signature", due)
    assert [d.kind for d in row.deadlines] == ["signature", "expiry"]  # no contact before signing
    assert row.deadlines == python_deadlines(case, date(2026, 3, 1))


# --- the monitoring contact ----------------------------------------------------------------------------

@pytest.mark.parametrize("valid_from, contacts, frequency, due", [
    (date(2026, 5, 1), [date(2026, 11, 30)], "quarterly", date(2027, 2, 28)),   # clamped to February
    (date(2027, 6, 1), [date(2027, 11, 30)], "quarterly", date(2028, 2, 29)),   # a leap February
    (date(2026, 5, 1), [date(2026, 5, 31)], "quarterly", date(2026, 8, 31)),
    (date(2026, 5, 1), [date(2026, 8, 31), date(2026, 6, 15)], "quarterly", date(2026, 11, 30)),  # the last
    (date(2026, 5, 31), [], "quarterly", date(2026, 8, 31)),    # no contact yet: from the plan's start
    (date(2026, 6, 1), [date(2026, 5, 20)], "quarterly", date(2026, 9, 1)),  # a contact before the start
    (date(2026, 1, 31), [], "monthly", date(2026, 2, 28)),
    (date(2026, 1, 31), [date(2026, 3, 31)], "monthly", date(2026, 4, 30)),
    (date(2026, 10, 25), [], "quarterly", date(2027, 1, 25)),    # the day the clocks go back
])
def test_contact_is_due_months_after_the_last_one(case_rows, people, valid_from, contacts, frequency, due):
    case = case_rows(plan="active", valid_from=valid_from, valid_until=date(valid_from.year + 1, 5, 1),
                     contacts=contacts, frequency=frequency)
    today = valid_from
    row = only_row(people.coordinator, today)
    assert {d.kind: d.due for d in row.deadlines}["contact"] == due
    assert row.deadlines == python_deadlines(case, today)


def test_a_quarter_without_contact_is_overdue(case_rows, people):
    case_rows(plan="active", valid_from=date(2026, 2, 12), valid_until=date(2027, 2, 11))
    row = only_row(people.coordinator, date(2026, 5, 12))
    assert (row.next.kind, row.next.due, row.next.state, row.next.days_left) == (
        "contact", date(2026, 5, 12), "due_soon", 0)
    row = only_row(people.coordinator, date(2026, 5, 13))
    assert (row.next.kind, row.next.state, row.next.days_left) == ("contact", "overdue", -1)
    assert my_desk(people.coordinator, date(2026, 5, 13), state="overdue").total == 1


# --- expiry and the next deadline --------------------------------------------------------------------------

def test_expiry_and_the_earliest_deadline_wins(case_rows, people):
    case = case_rows(plan="active", valid_from=date(2026, 1, 10), valid_until=date(2026, 6, 30),
                     contacts=[date(2026, 4, 20)])
    row = only_row(people.coordinator, date(2026, 6, 25))
    assert [(d.kind, d.due) for d in row.deadlines] == [("contact", date(2026, 7, 20)), ("expiry", date(2026, 6, 30))]
    assert (row.next.kind, row.next.state, row.next.days_left) == ("expiry", "due_soon", 5)
    assert row.deadlines == python_deadlines(case, date(2026, 6, 25))
    # An expired plan that is still open is overdue until it is closed or updated.
    assert only_row(people.coordinator, date(2026, 7, 1)).next.state == "overdue"


def test_an_update_awaiting_signatures_while_the_plan_runs(case_rows, people):
    """A signed plan whose update is approved but not yet signed: both the
    contact and the signatures are due."""
    case = case_rows(plan="active", version_status="approved", approved_at=utc(2026, 6, 1, 8),
                     valid_from=date(2026, 5, 1), valid_until=date(2027, 4, 30))
    row = only_row(people.coordinator, date(2026, 6, 2))
    assert [(d.kind, d.due) for d in row.deadlines] == [
        ("signature", date(2026, 6, 15)), ("contact", date(2026, 8, 1)), ("expiry", date(2027, 4, 30))]
    assert row.deadlines == python_deadlines(case, date(2026, 6, 2))


# --- the SQL date arithmetic against Python's ---------------------------------------------------------------

def test_warsaw_day_in_sql_matches_zoneinfo_at_every_clock_change(app):
    """SQLite has no time zone data and follows the EU rule written in SQL;
    PostgreSQL uses its own data. Both must give zoneinfo's Warsaw day around
    every change from 2000 to 2040 (and at midnights on either side)."""
    from datetime import timedelta

    from sqlalchemy import literal, select

    from portal.casework.desk import warsaw_day
    from portal.extensions import UTCDateTime
    from portal.timeutil import to_local

    offsets = [timedelta(seconds=s) for s in (-3601, -1, 0, 1, 3599, 3600, 7200)]
    for year in range(2000, 2041):
        instants = []
        for month in (3, 10):
            last_sunday = max(date(year, month, d) for d in range(25, 32) if date(year, month, d).weekday() == 6)
            change = datetime(last_sunday.year, month, last_sunday.day, 1, 0, tzinfo=utc(2000, 1, 1).tzinfo)
            instants += [change + o for o in offsets]
            # Local midnights either side of the change day (22:00 / 23:00 UTC).
            instants += [utc(year, month, last_sunday.day - 1, 22, 0), utc(year, month, last_sunday.day - 1, 23, 0),
                         utc(year, month, last_sunday.day, 21, 59, 59), utc(year, month, last_sunday.day, 22, 0),
                         utc(year, month, last_sunday.day, 23, 0)]
        row = db.session.execute(select(*(warsaw_day(literal(i, UTCDateTime())) for i in instants))).one()
        assert list(row) == [to_local(i).date() for i in instants], year


def test_months_in_sql_match_add_months_for_every_day(app):
    from datetime import timedelta

    from sqlalchemy import Date, literal, select

    from portal.casework.desk import plus_months
    from portal.core.deadlines import add_months

    days = [date(2027, 1, 1) + timedelta(days=n) for n in range(731)]  # a common and a leap year
    for months in (1, 3):
        for start in range(0, len(days), 150):
            chunk = days[start:start + 150]
            row = db.session.execute(select(*(plus_months(literal(d, Date()), literal(months)) for d in chunk))).one()
            assert list(row) == [add_months(d, months) for d in chunk], (months, chunk[0])
