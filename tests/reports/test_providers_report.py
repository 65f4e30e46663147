"""The providers report's counting rules (portal/reports/providers_report.py)."""
from datetime import date
from decimal import Decimal

from portal.delivery import figures
from portal.extensions import db
from portal.reports.providers_report import providers_report
from tests.reports.indicators_fixtures import TODAY, frozen, rows  # noqa: F401

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def _world(rows):
    ngo = rows.make_provider(name="Stowarzyszenie Razem", slug="razem", provider_type="association")
    pes = rows.make_provider(name="Spółdzielnia Socjalna Pomoc", slug="pomoc", provider_type="social_economy")
    gmina = rows.make_provider(name="Centrum Usług Społecznych", slug="cus", provider_type="municipal_unit")
    club = rows.make_service("Klub Seniora", unit="person", provider=ngo)
    care = rows.make_service("Opieka w domu", unit="hour", provider=pes)
    advice = rows.make_service("Poradnictwo prawne", unit="hour", provider=gmina)
    transport = rows.make_service("Transport", unit="trip", provider=gmina)
    rows.make_service("Archiwalna", unit="hour", provider=ngo, status="archived")
    zofia, marek, ewa = rows.person(), rows.person("Marek", "Kowalczyk"), rows.person("Ewa", "Nowak")
    rows.session(club, date(2026, 7, 1), attendees=[zofia, marek])  # 2 units
    rows.session(club, date(2026, 9, 30), attendees=[zofia])  # 1 unit
    rows.session(club, date(2026, 8, 5), attendees=[ewa], status="cancelled")  # nothing
    rows.session(club, date(2026, 6, 30), attendees=[ewa])  # before the period
    rows.entry(care, zofia, date(2026, 8, 3), "2.5")
    rows.consultation(advice, date(2026, 8, 4), minutes=90, resident=ewa)  # 1.5 hours
    rows.consultation(advice, date(2026, 8, 5), minutes=30)  # anonymous: 0.5 hours, no person
    # Transport ran but only in October.
    rows.entry(transport, marek, date(2026, 10, 1), "4")
    return ngo, pes, gmina, club, care, advice


def test_shares_count_services_people_and_units_by_the_delivering_provider(app, rows):
    _world(rows)
    report = providers_report(db.session, *Q3)
    shares = {row.code: row for row in report.shares}
    assert report.minimum == 30
    # Services delivered: the club (NGO), care (PES), advice (gmina); transport did not run in Q3.
    assert (shares["services"].ngo, shares["services"].total) == (2, 3)
    assert shares["services"].percent == Decimal("66.7") and shares["services"].met
    # The catalogue by the period's end: the services were added today (15 October), after Q3.
    assert (shares["catalogue"].ngo, shares["catalogue"].total) == (0, 0)
    year = {row.code: row for row in providers_report(db.session, date(2026, 1, 1), date(2026, 12, 31)).shares}
    # Five services, one archived; two of the four not archived are NGO/PES.
    assert (year["catalogue"].ngo, year["catalogue"].total) == (2, 4)
    # People: Zofia and Marek (club, care) by NGOs; Ewa by the gmina's advice.
    assert (shares["people"].ngo, shares["people"].total) == (2, 3)
    # Units: 3 attendances + 2.5 hours by NGOs; 2 hours of advice by the gmina.
    assert (shares["units"].ngo, shares["units"].total) == (Decimal("5.5"), Decimal("7.5"))
    assert shares["units"].percent == Decimal("73.3")
    by_type = {row.provider_type: row for row in report.types}
    assert (by_type["association"].services, by_type["association"].people, by_type["association"].units) == (
        1, 2, Decimal(3))
    assert by_type["municipal_unit"].services == 1


def test_units_agree_with_the_services_use_page(app, rows):
    _ngo, _pes, _gmina, club, care, advice = _world(rows)
    report = providers_report(db.session, *Q3)
    total = sum(figures.usage(db.session, service, *Q3, TODAY).units for service in (club, care, advice))
    assert {row.code: row for row in report.shares}["units"].total == total


def test_the_minimum_is_a_setting_and_a_share_below_it_is_not_met(app, rows):
    _world(rows)
    app.config["REPORTS_MIN_NGO_SHARE"] = 70
    shares = {row.code: row for row in providers_report(db.session, *Q3).shares}
    assert shares["units"].met  # 73.3 >= 70
    assert not shares["services"].met  # 66.7 < 70
    assert not shares["people"].met


def test_an_empty_period_has_no_share(app, rows):
    _world(rows)
    shares = {row.code: row for row in providers_report(db.session, date(2025, 1, 1), date(2025, 3, 31)).shares}
    assert shares["services"].percent is None and not shares["services"].met
    assert shares["people"].total == 0
