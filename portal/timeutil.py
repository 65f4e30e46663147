"""Time in one place: the portal stores UTC and shows Europe/Warsaw.

Tests freeze the clock with the FIXED_NOW setting (an aware datetime) rather
than patching, so the same code path runs in tests and in production.
"""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

WARSAW = ZoneInfo("Europe/Warsaw")


def now():
    """The current instant, timezone-aware (UTC)."""
    if has_app_context():
        fixed = current_app.config.get("FIXED_NOW")
        if fixed is not None:
            return fixed.astimezone(timezone.utc)
    return datetime.now(timezone.utc)


def local_now():
    return now().astimezone(WARSAW)


def month_bounds(year, month):
    """The first and the last day of a calendar month."""
    first = date(year, month, 1)
    return first, shift_month_start(first, 1) - timedelta(days=1)


def shift_month(year, month, step):
    """(year, month) `step` months later (earlier when negative)."""
    index = year * 12 + month - 1 + step
    return index // 12, index % 12 + 1


def shift_month_start(first_day, step):
    """The first day of the month `step` months from `first_day`'s."""
    return date(*shift_month(first_day.year, first_day.month, step), 1)


def to_local(moment):
    if moment is None:
        return None
    if moment.tzinfo is None:  # stored naive means UTC (SQLite drops tzinfo)
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WARSAW)
