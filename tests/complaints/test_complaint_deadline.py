"""The one-month deadline of a complaint or a request (KPA art. 237 §1, art. 57 §3–4), in core/deadlines.py."""
from datetime import date

import pytest

from portal.core.deadlines import complaint_deadline, complaint_due


@pytest.mark.parametrize("received, due", [
    # The same day of the next month.
    (date(2026, 4, 2), date(2026, 5, 4)),      # 2 May 2026 is a Saturday -> Monday 4 May
    (date(2026, 5, 15), date(2026, 6, 15)),    # a Monday: stays
    # No such day: the month's last day (art. 57 §3).
    (date(2028, 1, 31), date(2028, 2, 29)),    # a leap year, a Tuesday
    (date(2026, 3, 31), date(2026, 4, 30)),    # a Thursday
    # ...moved on from a Saturday or a Sunday (art. 57 §4).
    (date(2026, 1, 31), date(2026, 3, 2)),     # 28 February 2026 is a Saturday
    (date(2027, 1, 31), date(2027, 3, 1)),     # 28 February 2027 is a Sunday
    # ...and from a public holiday.
    (date(2026, 10, 11), date(2026, 11, 12)),  # 11 November: Independence Day
    (date(2026, 3, 6), date(2026, 4, 7)),      # 6 April 2026: Easter Monday
    (date(2026, 11, 24), date(2026, 12, 28)),  # 24 Dec 2026: Wigilia (a day off since 2025), then the holidays
    (date(2025, 12, 1), date(2026, 1, 2)),     # 1 January: New Year's Day
])
def test_one_month_then_the_next_working_day(received, due):
    assert complaint_due(received) == due


def test_days_left_like_the_other_deadlines():
    due = complaint_due(date(2026, 4, 2))
    assert complaint_deadline(due, date(2026, 4, 14)).state == "on_track"
    assert complaint_deadline(due, date(2026, 4, 27)).days_left == 7
    assert complaint_deadline(due, date(2026, 4, 27)).state == "due_soon"
    assert complaint_deadline(due, date(2026, 5, 4)).days_left == 0
    late = complaint_deadline(due, date(2026, 5, 6))
    assert (late.state, late.days_left) == ("overdue", -2)
