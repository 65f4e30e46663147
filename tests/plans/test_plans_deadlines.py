"""The plan's deadlines, computed from frozen dates: 30 days from the request
(Warsaw calendar days, around month ends and both summer-time changes), one
year of validity (29 February included) and quarterly contacts."""
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from portal.core import deadlines as d
from portal.timeutil import WARSAW


def request_at(moment, kind="application"):
    return SimpleNamespace(received_at=moment, kind=kind)


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


# --- 30 days from the request ------------------------------------------------------------

@pytest.mark.parametrize("received, due", [
    # 00:30 in Warsaw on the 1st is still the 31st in UTC: the Warsaw day counts.
    (utc(2026, 1, 31, 23, 30), date(2026, 3, 3)),          # 1 Feb (CET) + 30
    (utc(2026, 1, 31, 22, 59), date(2026, 3, 2)),          # 31 Jan 23:59 CET + 30
    (utc(2026, 1, 30, 12, 0), date(2026, 3, 1)),           # over the end of February
    (utc(2028, 1, 30, 12, 0), date(2028, 2, 29)),          # a leap year
    (utc(2026, 12, 15, 10, 0), date(2027, 1, 14)),         # over the new year
    # The night the clocks go forward (29 March 2026, 02:00 CET -> 03:00 CEST).
    (utc(2026, 3, 28, 23, 30), date(2026, 4, 28)),         # 00:30 CET on the 29th
    (utc(2026, 3, 29, 0, 30), date(2026, 4, 28)),          # 01:30 CET
    (utc(2026, 3, 29, 1, 30), date(2026, 4, 28)),          # 03:30 CEST
    (utc(2026, 3, 29, 21, 59), date(2026, 4, 28)),         # 23:59 CEST
    (utc(2026, 3, 29, 22, 0), date(2026, 4, 29)),          # 00:00 CEST on the 30th
    # The night the clocks go back (25 October 2026, 03:00 CEST -> 02:00 CET).
    (utc(2026, 10, 24, 22, 0), date(2026, 11, 24)),        # 00:00 CEST on the 25th
    (utc(2026, 10, 25, 0, 30), date(2026, 11, 24)),        # 02:30 CEST (first pass)
    (utc(2026, 10, 25, 1, 30), date(2026, 11, 24)),        # 02:30 CET (second pass)
    (utc(2026, 10, 25, 22, 59), date(2026, 11, 24)),       # 23:59 CET
    (utc(2026, 10, 25, 23, 0), date(2026, 11, 25)),        # 00:00 CET on the 26th
])
def test_due_thirty_warsaw_days_after_the_request(received, due):
    deadline = d.plan_deadline(request_at(received), date(2026, 1, 1))
    assert deadline.due == due


def test_states_before_submission():
    request = request_at(datetime(2026, 3, 2, 9, 0, tzinfo=WARSAW))  # due 1 April
    assert d.plan_deadline(request, date(2026, 3, 24)).state == "on_track"
    assert d.plan_deadline(request, date(2026, 3, 24)).days_left == 8
    assert d.plan_deadline(request, date(2026, 3, 25)).state == "due_soon"
    assert d.plan_deadline(request, date(2026, 4, 1)).state == "due_soon"
    assert d.plan_deadline(request, date(2026, 4, 1)).days_left == 0
    overdue = d.plan_deadline(request, date(2026, 4, 3))
    assert (overdue.state, overdue.days_left) == ("overdue", -2)
    assert str(overdue.label) == "po terminie"


def test_states_after_submission_do_not_move_with_today():
    request = request_at(datetime(2026, 3, 2, 9, 0, tzinfo=WARSAW))  # due 1 April
    met = d.plan_deadline(request, date(2026, 9, 1), submitted_on=date(2026, 4, 1))
    assert (met.state, met.days_left) == ("met", 0)
    late = d.plan_deadline(request, date(2026, 9, 1), submitted_on=date(2026, 4, 4))
    assert (late.state, late.days_left) == ("late", -3)
    assert d.submitted_late(request, date(2026, 4, 1)) is False
    assert d.submitted_late(request, date(2026, 4, 2)) is True


def test_the_desk_and_the_plans_count_the_same_deadline():
    from portal.desk.services import deadline

    for received in (utc(2026, 3, 28, 23, 30), utc(2026, 10, 25, 1, 30), utc(2026, 2, 28, 23, 0)):
        request = request_at(received)
        assert d.plan_deadline(request, date(2026, 5, 1)).due == deadline(request, date(2026, 5, 1)).due


def test_no_deadline_without_an_application():
    assert d.plan_deadline(request_at(utc(2026, 1, 1, 9), kind="information"), date(2026, 1, 2)) is None
    assert d.plan_deadline(None, date(2026, 1, 2)) is None


# --- validity --------------------------------------------------------------------------------

@pytest.mark.parametrize("start, last", [
    (date(2026, 2, 28), date(2027, 2, 27)),
    (date(2026, 3, 1), date(2027, 2, 28)),
    (date(2027, 3, 1), date(2028, 2, 29)),   # the year holds 29 February 2028
    (date(2028, 2, 28), date(2029, 2, 27)),
    (date(2028, 2, 29), date(2029, 2, 28)),  # no 29 February in 2029
    (date(2026, 1, 1), date(2026, 12, 31)),
    (date(2026, 12, 31), date(2027, 12, 30)),
])
def test_at_most_one_year(start, last):
    assert d.max_valid_until(start) == last
    assert d.validity_problem(start, last) is None
    assert d.validity_problem(start, date.fromordinal(last.toordinal() + 1)) == "too_long"


def test_validity_order():
    assert d.validity_problem(date(2026, 5, 2), date(2026, 5, 1)) == "order"
    assert d.validity_problem(date(2026, 5, 2), date(2026, 5, 2)) is None


# --- quarterly contacts and expiry ---------------------------------------------------------------

@pytest.mark.parametrize("last, due", [
    (date(2026, 1, 15), date(2026, 4, 15)),
    (date(2025, 11, 30), date(2026, 2, 28)),
    (date(2027, 11, 30), date(2028, 2, 29)),
    (date(2026, 5, 31), date(2026, 8, 31)),
    (date(2026, 3, 31), date(2026, 6, 30)),
    (date(2026, 10, 31), date(2027, 1, 31)),
    (date(2026, 12, 31), date(2027, 3, 31)),
])
def test_next_quarterly_contact(last, due):
    assert d.next_quarterly_contact(last) == due


def test_contact_and_expiry_states():
    contact = d.contact_deadline(date(2026, 1, 15), date(2026, 4, 1))
    assert (contact.due, contact.days_left, contact.state) == (date(2026, 4, 15), 14, "due_soon")
    assert d.contact_deadline(date(2026, 1, 15), date(2026, 3, 31)).state == "on_track"
    assert d.contact_deadline(date(2026, 1, 15), date(2026, 4, 16)).state == "overdue"
    assert d.expiry(date(2026, 12, 31), date(2026, 12, 1)).state == "due_soon"
    assert d.expiry(date(2026, 12, 31), date(2026, 11, 30)).state == "on_track"
    assert d.expiry(date(2026, 12, 31), date(2027, 1, 1)).state == "overdue"


def test_add_months_backwards():
    assert d.add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert d.add_months(date(2026, 1, 31), -2) == date(2025, 11, 30)
