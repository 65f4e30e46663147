"""The front desk and deadlines report's counting rules (portal/reports/desk_report.py):
Warsaw months at their boundaries and across the summer-time change, the
30-day rule through the legal clock, the overdue counts of today."""
from datetime import UTC, date, datetime
from decimal import Decimal

from portal.extensions import db
from portal.reports.desk_report import desk_report, plan_timing, requests_by_month
from tests.reports.indicators_fixtures import TODAY, frozen, rows, warsaw  # noqa: F401

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def test_requests_count_in_the_warsaw_month_they_came_in(app, rows):
    # 22:30 UTC on 30 June is 00:30 on 1 July in Warsaw (summer time).
    rows.request(datetime(2026, 6, 30, 22, 30, tzinfo=UTC), channel="phone")
    rows.request(datetime(2026, 6, 30, 21, 30, tzinfo=UTC), channel="phone")  # 23:30 on 30 June: not Q3
    rows.request(datetime(2026, 9, 30, 21, 59, tzinfo=UTC), channel="email", kind="information")  # 23:59
    rows.request(datetime(2026, 9, 30, 22, 0, tzinfo=UTC), channel="email")  # midnight of 1 October
    rows.request(warsaw(2026, 8, 14), channel="in_person")
    rows.request(warsaw(2026, 8, 17), channel="in_person", kind="information")
    found = requests_by_month(db.session, *Q3)
    assert found == {("phone", "application"): {(2026, 7): 1},
                     ("email", "information"): {(2026, 9): 1},
                     ("in_person", "application"): {(2026, 8): 1},
                     ("in_person", "information"): {(2026, 8): 1}}


def test_months_after_the_change_to_winter_time(app, rows):
    # Winter time from 25 October 2026: 23:30 UTC on 31 October is 00:30 on 1 November.
    rows.request(datetime(2026, 10, 31, 23, 30, tzinfo=UTC))
    rows.request(datetime(2026, 10, 31, 22, 30, tzinfo=UTC))  # 23:30 on 31 October
    found = requests_by_month(db.session, date(2026, 10, 1), date(2026, 11, 30))
    assert found == {("phone", "application"): {(2026, 10): 1, (2026, 11): 1}}
    report = desk_report(db.session, date(2026, 10, 1), date(2026, 11, 30), TODAY)
    assert report.months == [(2026, 10), (2026, 11)]
    assert report.count(month=(2026, 11)) == 1 and report.count(channel="phone") == 2


def test_days_from_request_to_plan_and_the_share_within_30_days(app, rows):
    def case(received_at, submitted_on, status="active"):
        person = rows.person()
        request = rows.request(received_at, resident=person)
        request.status = "handed_to_plan"
        db.session.commit()
        return rows.plan(person, request=request, submitted_on=submitted_on, status=status,
                         signed_at=datetime.combine(submitted_on, datetime.min.time(), tzinfo=UTC))

    case(warsaw(2026, 7, 1, 9), date(2026, 7, 31))  # 30 days: met
    case(warsaw(2026, 7, 1, 9), date(2026, 8, 1))  # 31 days: late
    # 23:30 on 30 June in Warsaw (21:30 UTC): the clock counts from 30 June, so 30 July is the 30th day.
    case(datetime(2026, 6, 30, 21, 30, tzinfo=UTC), date(2026, 7, 30))
    case(warsaw(2026, 5, 1), date(2026, 6, 30))  # made before the period
    case(warsaw(2026, 7, 1), date(2026, 7, 10), status="cancelled")  # cancelled: not a plan made
    timing = plan_timing(db.session, *Q3)
    assert (timing.plans, timing.within, timing.late) == (3, 2, 1)
    assert timing.median_days == Decimal(30) and timing.mean_days == Decimal("30.3")
    assert timing.within_percent == Decimal("66.7")
    assert plan_timing(db.session, date(2026, 10, 1), date(2026, 12, 31)).median_days is None


def test_overdue_plans_and_missed_contacts_are_counted_as_of_today(app, rows):
    # An application of 1 September without a plan: due 1 October, overdue on 15 October.
    rows.request(warsaw(2026, 9, 1, 9))
    # One of 20 September: due 20 October, not yet.
    rows.request(warsaw(2026, 9, 20, 9))
    # A running plan from 1 June without a contact: due 1 September, missed.
    person = rows.person()
    request = rows.request(warsaw(2026, 5, 1), resident=person)
    request.status = "handed_to_plan"
    db.session.commit()
    rows.plan(person, request=request, submitted_on=date(2026, 5, 20), signed_at=warsaw(2026, 5, 25),
              valid_from=date(2026, 6, 1))
    # A running plan from 1 September: its contact is due 1 December.
    other = rows.person()
    rows.plan(other, submitted_on=date(2026, 9, 1), signed_at=warsaw(2026, 9, 1), valid_from=date(2026, 9, 1))
    report = desk_report(db.session, *Q3, TODAY)
    assert (report.overdue_plans, report.missed_contacts) == (1, 1)
