"""The indicators report's counting rules (portal/reports/indicators.py), on
both databases, with frozen time and at the periods' boundaries."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from portal.catalogue.models import Indicator
from portal.core.errors import DataError
from portal.extensions import db
from portal.reports import indicators
from portal.reports.history import HistoryImport, HistoryRow
from portal.reports.indicators_models import IndicatorMeasure, IndicatorValue
from tests.reports.indicators_fixtures import TODAY, frozen, rows, warsaw  # noqa: F401

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def _indicator(service, name, unit, target, year=2026, evidence="lista obecności"):
    row = Indicator(service_id=service.id, name=name, unit=unit, target_value=target, year=year, evidence=evidence)
    db.session.add(row)
    db.session.commit()
    return row


@pytest.mark.parametrize(("name", "unit", "service_unit", "measure"), [
    ("liczba uczestników klubu", "osoba", "person", "participants"),
    ("liczba osób deklarujących poprawę jakości życia", "osoba", "person", "entered"),
    ("liczba przejazdów", "przejazd", "trip", "units"),
    ("liczba godzin opieki", "godz.", "hour", "hours"),
    ("liczba spotkań grupy", "spotkanie", "meeting", "sessions"),
    ("liczba osób, które podjęły zatrudnienie", "osoba", "meeting", "entered"),
    ("liczba wypożyczeń sprzętu", "wypożyczenie", "loan", "units"),
    ("liczba rodziców, którzy ukończyli cykl", "osoba", "meeting", "entered"),
    ("liczba dzieci objętych zajęciami", "osoba", "person", "participants"),
    ("liczba osób korzystających z poradnictwa", "osoba", "hour", "participants"),
    ("liczba osób uczestniczących w spotkaniach Klubu", "osoba", "meeting", "participants"),
    ("liczba osób deklarujących poprawę dobrostanu psychicznego", "osoba", "meeting", "entered"),
    ("liczba członków klubu", "osoba", "person", "entered"),
    ("liczba godzin dyżurów", "godzina", "hour", "hours"),
])
def test_the_measure_is_guessed_from_the_name_and_unit(name, unit, service_unit, measure):
    assert indicators.guess_measure(name, unit, service_unit) == measure


def test_computed_indicators_count_the_delivery_register_in_the_period_only(app, rows):
    club = rows.make_service("Klub Seniora", unit="person")
    participants = _indicator(club, "liczba uczestników klubu", "osoba", 25)
    sessions = _indicator(club, "liczba spotkań klubu", "spotkanie", 40)
    hours = _indicator(club, "liczba godzin zajęć", "godz.", 80)
    zofia, marek = rows.person(), rows.person("Marek", "Kowalczyk")
    rows.session(club, date(2026, 7, 1), attendees=[zofia, marek])  # the first day of Q3
    rows.session(club, date(2026, 9, 30), attendees=[zofia], starts="16:00", ends="17:30")  # the last day
    rows.session(club, date(2026, 6, 30), attendees=[zofia, marek])  # the day before: Q2
    rows.session(club, date(2026, 10, 1), attendees=[marek])  # the day after: Q4
    rows.session(club, date(2026, 8, 4), status="cancelled")  # counts nothing

    found = {f.indicator_id: f for f in indicators.service_indicators(db.session, *Q3)}
    assert found[participants.id].actual == 2
    assert found[sessions.id].actual == 2
    assert found[hours.id].actual == Decimal("3.5")
    assert found[participants.id].percent == 8  # 2 of 25
    assert not found[participants.id].attained
    assert all(f.computed and not f.chosen for f in found.values())


def test_entered_indicators_show_the_value_of_that_very_period(app, rows):
    club = rows.make_service("Klub Seniora", unit="person")
    improved = _indicator(club, "liczba osób deklarujących poprawę", "osoba", 30)
    organiser = rows.coordinator
    indicators.save_value(db.session, improved, *Q3, {"measure": "entered", "value": Decimal(31),
                                                      "evidence": "ankiety, teczka 3/2026"}, actor=organiser)
    db.session.commit()
    (figure,) = indicators.service_indicators(db.session, *Q3)
    assert (figure.measure, figure.actual, figure.entered.evidence) == ("entered", Decimal(31),
                                                                        "ankiety, teczka 3/2026")
    assert figure.attained and figure.percent == 103
    # Another period (the year) has no value yet: none is carried over.
    (year,) = indicators.service_indicators(db.session, *YEAR)
    assert year.actual is None and year.percent is None and year.entered is None


def test_an_indicator_of_another_year_is_not_shown_and_one_without_a_year_always_is(app, rows):
    club = rows.make_service("Klub Seniora", unit="person")
    _indicator(club, "liczba uczestników 2025", "osoba", 10, year=2025)
    always = _indicator(club, "liczba uczestników", "osoba", 10, year=None)
    assert [f.indicator_id for f in indicators.service_indicators(db.session, *YEAR)] == [always.id]
    across = indicators.service_indicators(db.session, date(2025, 12, 1), date(2026, 1, 31))
    assert len(across) == 2


def test_the_organisers_choice_of_measure_wins_over_the_guess(app, rows):
    club = rows.make_service("Klub Seniora", unit="person")
    rows.session(club, date(2026, 8, 4), attendees=[rows.person()])
    members = _indicator(club, "liczba członków klubu", "osoba", 20)
    (guessed,) = indicators.service_indicators(db.session, *Q3)
    assert guessed.measure == "entered" and guessed.actual is None
    indicators.save_value(db.session, members, *Q3, {"measure": "participants"}, actor=rows.coordinator)
    db.session.commit()
    assert db.session.get(IndicatorMeasure, members.id).measure == "participants"
    (chosen,) = indicators.service_indicators(db.session, *Q3)
    assert (chosen.measure, chosen.chosen, chosen.actual) == ("participants", True, 1)


@pytest.mark.parametrize(("data", "field"), [
    ({"measure": "guess"}, "measure"),
    ({"measure": "entered", "value": None, "evidence": "lista"}, "value"),
    ({"measure": "entered", "value": Decimal(-1), "evidence": "lista"}, "value"),
    ({"measure": "entered", "value": Decimal("10000000000"), "evidence": "lista"}, "value"),
    ({"measure": "entered", "value": Decimal(3), "evidence": "   "}, "evidence"),
])
def test_a_value_is_refused_at_its_field(app, rows, data, field):
    club = rows.make_service("Klub Seniora", unit="person")
    indicator = _indicator(club, "liczba osób z poprawą", "osoba", 30)
    with pytest.raises(DataError) as refused:
        indicators.save_value(db.session, indicator, *Q3, data, actor=rows.coordinator)
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.query(IndicatorValue).count() == 0


def test_entering_again_replaces_the_periods_value(app, rows):
    club = rows.make_service("Klub Seniora", unit="person")
    indicator = _indicator(club, "liczba osób z poprawą", "osoba", 30)
    for value in (5, 7):
        indicators.save_value(db.session, indicator, *Q3, {"measure": "entered", "value": Decimal(value),
                                                           "evidence": "ankieta"}, actor=rows.coordinator)
        db.session.commit()
    assert [v.value for v in db.session.query(IndicatorValue)] == [Decimal(7)]


def test_new_users_are_people_whose_first_service_falls_in_the_period(app, rows):
    club = rows.make_service("Klub Seniora", unit="person")
    # Signed at 23:30 UTC on 30 June = 01:30 on 1 July in Warsaw: Q3.
    first = rows.person()
    rows.plan(first, signed_at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    # A grant at 21:59 UTC on 30 September = 23:59 in Warsaw: still Q3.
    second = rows.person()
    rows.grant(second, club, datetime(2026, 9, 30, 21, 59, tzinfo=UTC))
    # A grant at 22:00 UTC on 30 September = midnight of 1 October in Warsaw: Q4.
    rows.grant(rows.person(), club, datetime(2026, 9, 30, 22, 0, tzinfo=UTC))
    # Served before the period: a new plan in it does not make them new.
    earlier = rows.person()
    rows.grant(earlier, club, warsaw(2026, 3, 2))
    rows.plan(earlier, signed_at=warsaw(2026, 8, 1))
    # A cancelled grant, and a plan never signed, count nothing.
    rows.grant(rows.person(), club, warsaw(2026, 8, 3), status="cancelled")
    rows.plan(rows.person(), signed_at=None, status="approved")
    # History: a case whose first row is in Q3, one that started before.
    imported = HistoryImport(filename="stare.csv", row_count=3)
    imported.rows = [HistoryRow(kind="service", day=date(2026, 7, 1), case_ref="A/1"),
                     HistoryRow(kind="plan", day=date(2026, 2, 1), case_ref="A/2"),
                     HistoryRow(kind="service", day=date(2026, 8, 1), case_ref="A/2")]
    db.session.add(imported)
    db.session.commit()

    assert indicators.new_users(db.session, *Q3) == (2, 1)
    assert indicators.new_users(db.session, date(2026, 10, 1), date(2026, 12, 31)) == (1, 0)
    centre = {f.code: f for f in indicators.centre_indicators(db.session, *Q3)}
    assert centre["new_users"].value == 3


def test_new_services_and_satisfaction(app, rows):
    from portal.quality.models import SurveyAnswer, SurveyScore

    app.config["FIXED_NOW"] = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 00:30 on 1 July in Warsaw
    club = rows.make_service("Klub Seniora", unit="person")
    app.config["FIXED_NOW"] = datetime(2026, 6, 30, 21, 30, tzinfo=UTC)  # 23:30 on 30 June
    rows.make_service("Opieka wytchnieniowa", unit="hour")
    assert indicators.new_services(db.session, *Q3) == 1

    for day, scores in ((date(2026, 7, 1), (5, 4)), (date(2026, 9, 30), (3,)), (date(2026, 6, 30), (1, 1))):
        answer = SurveyAnswer(service_id=club.id, answered_on=day, channel="paper")
        answer.scores = [SurveyScore(position=n, question=f"Pytanie {n}", score=s) for n, s in enumerate(scores)]
        db.session.add(answer)
    db.session.commit()
    assert indicators.satisfaction(db.session, *Q3) == (Decimal("4.00"), 2)
    assert indicators.satisfaction(db.session, date(2026, 10, 1), date(2026, 12, 31)) == (None, 0)


def test_computed_values_are_the_services_use_page_figures(app, rows):
    """Each computed measure of each service against delivery/figures.usage (one
    service), on sessions, entries and consultations in and around the period."""
    from portal.delivery import figures

    club = rows.make_service("Klub Seniora", unit="person")
    care = rows.make_service("Opieka w domu", unit="hour")
    advice = rows.make_service("Poradnictwo prawne", unit="hour")
    rides = rows.make_service("Transport", unit="trip")
    talks = rows.make_service("Porady rodzinne", unit="meeting")
    zofia, marek, ewa = rows.person(), rows.person("Marek", "Kowalczyk"), rows.person("Ewa", "Nowak")
    rows.session(club, date(2026, 7, 1), attendees=[zofia, marek])
    rows.session(club, date(2026, 9, 30), attendees=[zofia], starts="16:00", ends="17:45", others=3)
    rows.session(club, date(2026, 8, 4), status="cancelled", attendees=[ewa])
    rows.session(club, date(2026, 6, 30), attendees=[ewa])
    rows.session(talks, date(2026, 8, 6), attendees=[])  # held, no one on record
    rows.entry(care, zofia, date(2026, 7, 2), "1.5")
    rows.entry(care, ewa, date(2026, 8, 2), "2")
    rows.entry(care, ewa, date(2026, 10, 2), "9")
    rows.entry(rides, marek, date(2026, 7, 5), "2")
    rows.consultation(advice, date(2026, 7, 9), minutes=45, resident=marek)
    rows.consultation(advice, date(2026, 7, 9), minutes=30)
    rows.consultation(talks, date(2026, 9, 1), minutes=50, resident=ewa)
    services = (club, care, advice, rides, talks)
    chosen = {}
    for service in services:
        for measure in indicators.COMPUTED:
            indicator = _indicator(service, f"{measure} {service.name}", "x", 10)
            indicators.save_value(db.session, indicator, *Q3, {"measure": measure}, actor=rows.coordinator)
            chosen[indicator.id] = (service, measure)
    db.session.commit()
    found = {f.indicator_id: f.actual for f in indicators.service_indicators(db.session, *Q3)}
    for indicator_id, (service, measure) in chosen.items():
        one = figures.usage(db.session, service, *Q3, TODAY)
        expected = {"participants": one.participants, "hours": one.hours, "sessions": one.sessions_held,
                    "units": one.units}[measure]
        assert found[indicator_id] == expected, (service.name, measure)
    assert found[next(i for i, (s, m) in chosen.items() if s is club and m == "hours")] == Decimal("3.75")


def test_centre_targets_are_yearly_and_shown_for_periods_within_the_year(app, rows):
    club = rows.make_service("Klub Seniora", unit="person")
    rows.grant(rows.person(), club, warsaw(2026, 8, 3))
    indicators.save_centre_target(db.session, "new_users", 2026, 4, actor=rows.coordinator)
    indicators.save_centre_target(db.session, "satisfaction", 2026, 4, actor=rows.coordinator)
    db.session.commit()
    centre = {f.code: f for f in indicators.centre_indicators(db.session, *Q3)}
    assert (centre["new_users"].target, centre["new_users"].value, centre["new_users"].percent) == (4, 1, 25)
    assert centre["new_services"].target is None and centre["new_services"].percent is None
    # A period across two years has no yearly target.
    across = {f.code: f for f in indicators.centre_indicators(db.session, date(2026, 12, 1), date(2027, 1, 31))}
    assert across["new_users"].target is None
    with pytest.raises(DataError) as refused:
        indicators.save_centre_target(db.session, "satisfaction", 2026, 6, actor=rows.coordinator)
    assert refused.value.field == "target"
    indicators.save_centre_target(db.session, "new_users", 2026, None, actor=rows.coordinator)
    db.session.commit()
    assert indicators.centre_targets(db.session, 2026) == {"satisfaction": 4}
