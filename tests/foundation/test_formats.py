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
