"""The legal clock in one module: the desk's request deadline, the plan's
30-day deadline and the coordinator's desk count the same day from the same
code, and the states change on the same days. Pure functions: no Flask, no
database."""
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from portal.casework import desk as casework_desk
from portal.core import deadlines as d
from portal.core import holidays
from portal.desk import services as desk


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


RECEIVED = [
    utc(2026, 1, 31, 23, 30),   # 00:30 on 1 February in Warsaw
    utc(2026, 3, 28, 23, 30),   # the night the clocks go forward
    utc(2026, 10, 25, 1, 30),   # the second 02:30 of the night the clocks go back
    utc(2028, 1, 30, 12, 0),    # into a leap February
]


@pytest.mark.parametrize("received", RECEIVED)
def test_desk_plans_and_casework_share_one_clock(received):
    request = SimpleNamespace(received_at=received, kind="application")
    today = date(2026, 2, 1)
    due = d.received_day(request) + (date(2026, 1, 31) - date(2026, 1, 1))
    assert d.request_deadline(request, today).due == due
    assert desk.deadline(request, today) == d.request_deadline(request, today)
    assert d.plan_deadline(request, today).due == due
    [plan_due] = casework_desk.deadlines_of(today, received_at=received)
    assert (plan_due.kind, plan_due.due, plan_due.state) == ("plan_due", due, d.request_deadline(request, today).state)


def test_a_naive_instant_is_utc():
    assert d.warsaw_day(datetime(2026, 1, 31, 23, 30)) == date(2026, 2, 1)


@pytest.mark.parametrize("today, state, days_left", [
    (date(2026, 3, 24), "on_track", 8),
    (date(2026, 3, 25), "due_soon", 7),
    (date(2026, 4, 1), "due_soon", 0),
    (date(2026, 4, 2), "overdue", -1),
])
def test_states_change_on_the_same_days_everywhere(today, state, days_left):
    due = date(2026, 4, 1)
    assert d.countdown(due, today) == d.Deadline(due, days_left, state)
    assert casework_desk.state_of(due, today) == state


def test_information_requests_have_no_deadline():
    request = SimpleNamespace(received_at=utc(2026, 1, 1, 9), kind="information")
    assert d.request_deadline(request, date(2026, 1, 2)) is None
    assert desk.deadline(request, date(2026, 1, 2)) is None


def test_validity_and_contacts():
    assert d.max_valid_until(date(2028, 2, 29)) == date(2029, 2, 28)
    assert d.validity_problem(date(2026, 3, 1), date(2027, 3, 1)) == "too_long"
    assert d.next_quarterly_contact(date(2025, 11, 30)) == date(2026, 2, 28)
    assert (casework_desk.contact_due(None, date(2025, 11, 30), "quarterly")
            == d.next_quarterly_contact(date(2025, 11, 30)))


def test_monthly_contacts_and_the_later_of_contact_and_start():
    assert d.contact_months("monthly") == 1 and d.contact_months("quarterly") == 3
    assert d.contact_due(date(2026, 1, 31), date(2025, 12, 1), "monthly") == date(2026, 2, 28)
    assert d.contact_due(date(2025, 12, 1), date(2026, 1, 31), "quarterly") == date(2026, 4, 30)


def test_calling_back_counts_working_days_around_public_holidays():
    """The desk reads its call-back deadline here: 1 May 2026 is a Friday and
    a holiday, 3 May a Sunday and a holiday: a message of 1 May waits all of
    Monday 4 May."""
    assert desk.callback_due is d.callback_due
    due = d.callback_due(datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc))
    assert due == datetime(2026, 5, 4, 22, 0, tzinfo=timezone.utc)  # 00:00 on 5 May in Warsaw
    assert not holidays.is_working_day(date(2026, 5, 1))
    assert holidays.next_working_day(date(2026, 5, 1)) == date(2026, 5, 4)
