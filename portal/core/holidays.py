"""Poland's statutory days off work, and working days.

The public holidays (ustawa z dnia 18 stycznia 1951 r. o dniach wolnych od
pracy, as amended) as kept by the `holidays` package, Easter by `dateutil`.
Every feature that counts days against them reads them here: the catalogue's
opening hours and the events' recurrences skip them, the desk's call-back
deadline (core/deadlines.py) counts working days around them. Pure functions:
no database, no Flask.
"""
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

from dateutil.easter import easter
from holidays.countries import Poland

__all__ = ["easter_sunday", "polish_public_holidays", "is_public_holiday", "is_working_day", "next_working_day"]


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday."""
    return easter(year)


class _Poland(Poland):
    # The library covers 1925..2100; outside that range the nearest rules it
    # knows apply (today's statute after 2100), so that any date a form
    # accepts gets an answer, as it always did.
    start_year = 1
    end_year = 9999


# The names the portal has always shown, where the library's Polish names
# differ; days it adds (such as the one-off 12 November 2018) keep its name.
_NAMES = {
    "Niedziela Wielkanocna": "Wielkanoc",
    "Święto Trzech Króli": "Trzech Króli",
    "Święto Państwowe": "Święto Pracy",
    "Święto Narodowe Trzeciego Maja": "Święto Konstytucji 3 Maja",
    "Dzień Bożego Ciała": "Boże Ciało",
    "Wniebowzięcie Najświętszej Marii Panny": "Wniebowzięcie NMP",
    "Uroczystość Wszystkich Świętych": "Wszystkich Świętych",
}


def _name(names: str) -> str:
    # The library joins the names of two holidays on one date with "; ".
    return "; ".join(_NAMES.get(name, name) for name in names.split("; "))


@lru_cache(maxsize=None)
def _holidays(year: int) -> Mapping[date, str]:
    # Statutory days off work (ustawa z dnia 18 stycznia 1951 r. o dniach
    # wolnych od pracy, as amended: Trzech Króli again from 2011, Wigilia from
    # 2025), as kept by the `holidays` package.
    days = {day: _name(names) for day, names in _Poland(years=year, language="pl").items()}
    return MappingProxyType(dict(sorted(days.items())))


def polish_public_holidays(year: int) -> dict[date, str]:
    """Date -> Polish name, in date order. A fresh dict: callers may change it
    without corrupting the per-year cache."""
    return dict(_holidays(year))


def is_public_holiday(day: date) -> bool:
    return day in _holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday, except Polish public holidays."""
    return day.weekday() < 5 and not is_public_holiday(day)


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
