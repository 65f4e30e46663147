"""The import's cell parsers, without a database or a request."""
from datetime import time
from decimal import Decimal

import pytest


def test_parse_schedule():
    from portal.manage.importer import CellError, parse_schedule

    rules = parse_schedule("pn 10:00-12:00; Śr. 16-18:30\nsob, nd 9.00 – 10.00")
    assert [(r["weekday"], r["opens"], r["closes"]) for r in rules] == [
        (0, time(10), time(12)), (2, time(16), time(18, 30)), (5, time(9), time(10)), (6, time(9), time(10))]
    assert [r["weekday"] for r in parse_schedule("wt-czw 8:00-9:00")] == [1, 2, 3]
    assert parse_schedule("") == []
    for bad in ("pn", "xx 10:00-12:00", "pn 12:00-10:00", "pn 25:00-26:00", "pt-pn 10-11", "10:00-12:00"):
        with pytest.raises(CellError):
            parse_schedule(bad)


def test_parse_fee_and_flags():
    from portal.manage.importer import CellError, parse_bool, parse_fee, parse_int

    assert parse_fee("") is None and parse_fee("0") is None and parse_fee("0,00 zł") is None
    assert parse_fee("1 234,50 zł") == Decimal("1234.50") and parse_fee("12.5") == Decimal("12.5")
    for bad in ("-1", "12,345", "dwa", "1e3"):
        with pytest.raises(CellError):
            parse_fee(bad)
    assert parse_bool("TAK") is True and parse_bool("") is False and parse_bool("Nie") is False
    with pytest.raises(CellError):
        parse_bool("może")
    assert parse_int("60", 0, 130) == 60
    with pytest.raises(CellError):
        parse_int("131", 0, 130)


def test_delimiter_sniffing():
    from portal.manage.importer import sniff_delimiter

    assert sniff_delimiter("nazwa;realizator;opis") == ";"
    assert sniff_delimiter("nazwa,realizator,opis") == ","
    assert sniff_delimiter("nazwa") == ";"
