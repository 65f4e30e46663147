"""The front desk and deadlines report's counting rules (portal/reports/desk_report.py):
Warsaw months at their boundaries and across the summer-time change, the
30-day rule through the legal clock, the overdue counts of today."""
from datetime import UTC, date, datetime, timedelta
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


def test_missed_monitoring_contacts_in_the_period(app, rows):
    from portal.casework.models import MonitoringEntry
    from portal.plans.models import PlanItem
    from portal.reports.desk_report import missed_contacts

    club = rows.make_service("Klub Seniora", unit="person")

    def plan(valid_from, contacts=(), frequency="quarterly", closed_on=None):
        row = rows.plan(rows.person(), signed_at=warsaw(valid_from.year, valid_from.month, valid_from.day),
                        valid_from=valid_from, status="closed" if closed_on else "active")
        version = row.versions[0]
        version.check_frequency = frequency
        row.closed_on = closed_on
        item = PlanItem(plan_version_id=version.id, service_id=club.id, period_from=valid_from,
                        period_to=valid_from + timedelta(days=300), quantity=1, unit="person")
        db.session.add(item)
        db.session.flush()
        for day in contacts:
            db.session.add(MonitoringEntry(plan_id=row.id, plan_item_id=item.id, service_id=club.id, contact_on=day,
                                           contact_kind="phone", scope_delivered="zajęcia", satisfaction=5))
        db.session.commit()

    # Due 15 July, the contact came on 20 July: one missed in Q3; the next is due 20 October.
    plan(date(2026, 4, 15), [date(2026, 7, 20)])
    # Monthly: on time until 1 August; due 1 September with no contact: one missed.
    plan(date(2026, 4, 1), [date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1)],
         frequency="monthly")
    # From 31 May: due 31 August (the month's end), met on that day.
    plan(date(2026, 5, 31), [date(2026, 8, 31)])
    # Due 30 June (31 March + 3 months, clamped): missed before the period, not in it.
    plan(date(2026, 3, 31))
    # Closed on the day its contact was due: the closing conversation is the contact.
    plan(date(2026, 1, 10), [date(2026, 4, 10)], closed_on=date(2026, 7, 10))
    assert missed_contacts(db.session, *Q3, TODAY) == 2
    assert missed_contacts(db.session, date(2026, 4, 1), date(2026, 6, 30), TODAY) == 1
    # Up to today only: nothing due after 15 October has been missed yet.
    assert missed_contacts(db.session, date(2026, 10, 1), date(2026, 12, 31), TODAY) == 0
    assert desk_report(db.session, *Q3, TODAY).missed_in_period == 2


def test_the_kept_report_follows_new_requests_and_plans(app, rows):
    app.config["REPORTS_CACHE"] = True
    rows.request(warsaw(2026, 8, 3))
    assert desk_report(db.session, *Q3, TODAY).count() == 1
    assert desk_report(db.session, *Q3, TODAY).count() == 1  # kept
    person = rows.person()
    request = rows.request(warsaw(2026, 8, 4), resident=person)
    assert desk_report(db.session, *Q3, TODAY).count() == 2
    rows.plan(person, request=request, submitted_on=date(2026, 8, 20), signed_at=warsaw(2026, 8, 25))
    assert desk_report(db.session, *Q3, TODAY).timing.plans == 1
