"""The catalogue use report's counting rules (portal/reports/catalogue_use.py)."""
from datetime import date

from portal.catalogue.models import SearchCount
from portal.extensions import db
from portal.reports.catalogue_use import catalogue_use
from tests.reports.indicators_fixtures import frozen, rows, warsaw  # noqa: F401

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def _count(day, text, searches, misses=0, results=1):
    db.session.add(SearchCount(day=day, query=text, searches=searches, misses=misses,
                               results=0 if misses else results))
    db.session.commit()


def test_most_searched_words_and_searches_with_no_result_in_the_period(app, rows):
    _count(date(2026, 7, 1), "rehabilitacja", 5)
    _count(date(2026, 9, 30), "rehabilitacja", 2)
    _count(date(2026, 6, 30), "rehabilitacja", 50)  # before the period
    _count(date(2026, 10, 1), "basen", 50, misses=50)  # after it
    _count(date(2026, 8, 3), "opieka", 7)
    _count(date(2026, 8, 3), "niania", 4, misses=4)
    _count(date(2026, 8, 4), "niania", 2, misses=1)
    _count(date(2026, 8, 4), "dentysta", 1, misses=1)
    rows.person("Marek", "Kowalczyk")
    _count(date(2026, 8, 5), "kowalczyk", 9, misses=9)  # a registered name: never shown
    use = catalogue_use(db.session, *Q3)
    assert [(t.text, t.searches, t.misses) for t in use.most_searched] == [
        ("opieka", 7, 0), ("rehabilitacja", 7, 0), ("niania", 6, 5), ("dentysta", 1, 1)]
    assert [(t.text, t.misses) for t in use.no_result] == [("niania", 5), ("dentysta", 1)]
    assert (use.searches, use.misses) == (7 + 7 + 6 + 1 + 9, 5 + 1 + 9)


def test_services_named_in_the_periods_requests(app, rows):
    club = rows.make_service("Klub Seniora", unit="person")
    care = rows.make_service("Opieka w domu", unit="hour")
    rows.request(warsaw(2026, 7, 1, 0, 30), services=[club, care])
    rows.request(warsaw(2026, 8, 1), services=[care])
    rows.request(warsaw(2026, 6, 30, 23, 30), services=[club])  # before the period
    use = catalogue_use(db.session, *Q3)
    assert [(s.name, s.requests) for s in use.requested] == [("Opieka w domu", 2), ("Klub Seniora", 1)]
