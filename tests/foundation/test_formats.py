"""Polish formats of dates, times and money, in Europe/Warsaw."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from flask_babel import force_locale

from portal import i18n


@pytest.fixture
def ctx():
    from config import TestConfig
    from portal import create_app

    app = create_app(TestConfig)
    with app.test_request_context("/"):
        yield


def test_long_and_short_dates(ctx):
    assert i18n.format_date_long(date(2026, 1, 13)) == "13 stycznia 2026"
    assert i18n.format_date_short(date(2026, 1, 13)) == "wt., 13.01.2026"


def test_english_dates(ctx):
    with force_locale("en"):
        assert i18n.format_date_long(date(2026, 1, 13)) == "13 January 2026"


def test_times_are_shown_in_warsaw_across_summer_time(ctx):
    winter = datetime(2026, 1, 13, 9, 30, tzinfo=timezone.utc)
    summer = datetime(2026, 7, 13, 9, 30, tzinfo=timezone.utc)
    assert i18n.format_time(winter) == "10:30"
    assert i18n.format_time(summer) == "11:30"
    # 00:30 UTC on 29 March is 01:30 CET; 01:30 UTC is 03:30 CEST.
    assert i18n.format_time(datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc)) == "01:30"
    assert i18n.format_time(datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)) == "03:30"
    # Late evening UTC is already the next day in Warsaw.
    assert i18n.format_date_numeric(datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)) == "01.01.2027"


@pytest.mark.parametrize("amount, text", [
    (Decimal("1234.5"), "1\u00a0234,50\u00a0zł"),
    (Decimal("0"), "0,00\u00a0zł"),
    (Decimal("25"), "25,00\u00a0zł"),
    (Decimal("1234567.891"), "1\u00a0234\u00a0567,89\u00a0zł"),
])
def test_money(ctx, amount, text):
    assert i18n.format_money(amount) == text


def test_numbers_are_grouped(ctx):
    assert i18n.format_number(12345) == "12\u00a0345"


# --- counts with a noun: Polish plural forms (1 / 2–4 / 5+, the teens, 22) -----------------------

UNIT_FORMS = {  # unit: the forms for 1, 2, 5, 12, 22
    "hour": ("godzina", "godziny", "godzin", "godzin", "godziny"),
    "meeting": ("spotkanie", "spotkania", "spotkań", "spotkań", "spotkania"),
    "person": ("osoba", "osoby", "osób", "osób", "osoby"),
    "month": ("miesiąc", "miesiące", "miesięcy", "miesięcy", "miesiące"),
    "day": ("dzień", "dni", "dni", "dni", "dni"),
    "visit": ("wizyta", "wizyty", "wizyt", "wizyt", "wizyty"),
    "trip": ("przejazd", "przejazdy", "przejazdów", "przejazdów", "przejazdy"),
    "loan": ("wypożyczenie", "wypożyczenia", "wypożyczeń", "wypożyczeń", "wypożyczenia"),
    "package": ("pakiet", "pakiety", "pakietów", "pakietów", "pakiety"),
}
COUNTS = (1, 2, 5, 12, 22)


@pytest.mark.parametrize("unit", sorted(UNIT_FORMS))
def test_quantities_in_a_service_unit_take_the_polish_plural_form(ctx, unit):
    shown = [i18n.unit_quantity(n, unit) for n in COUNTS]
    assert shown == [f"{n} {form}" for n, form in zip(COUNTS, UNIT_FORMS[unit])]


def test_quantities_in_english_and_in_a_unit_typed_by_hand(ctx):
    with force_locale("en"):
        assert [i18n.unit_quantity(n, "visit") for n in (1, 2, 12)] == ["1 visit", "2 visits", "12 visits"]
    assert i18n.unit_quantity(3, "sesje grupowe") == "3 sesje grupowe"


def test_fractions_of_a_unit_take_the_genitive_singular_and_whole_decimals_the_plural(ctx):
    from decimal import Decimal

    assert i18n.unit_quantity(Decimal("1.5"), "hour") == "1,5 godziny"
    assert i18n.unit_quantity(Decimal("0.50"), "day") == "0,5 dnia"
    assert i18n.unit_quantity(Decimal("12.25"), "hour") == "12,25 godziny"
    assert i18n.unit_quantity(Decimal("5.00"), "hour") == "5 godzin"
    assert i18n.unit_quantity(Decimal("22"), "meeting") == "22 spotkania"
    with force_locale("en"):
        assert i18n.unit_quantity(Decimal("1.5"), "hour") == "1.5 hours"


def test_ages_in_years(ctx):
    assert [str(i18n.years(n)) for n in COUNTS] == ["1 rok", "2 lata", "5 lat", "12 lat", "22 lata"]
    assert [str(i18n.from_age(n)) for n in (1, 2, 60)] == ["od 1 roku", "od 2 lat", "od 60 lat"]
    assert [str(i18n.up_to_age(n)) for n in (1, 3, 18)] == ["do 1 roku", "do 3 lat", "do 18 lat"]
    with force_locale("en"):
        assert [str(i18n.years(n)) for n in (1, 22)] == ["1 year", "22 years"]
