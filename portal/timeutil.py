"""Time in one place: the portal stores UTC and shows Europe/Warsaw.

Tests freeze the clock with the FIXED_NOW setting (an aware datetime) rather
than patching, so the same code path runs in tests and in production.
"""
from datetime import datetime, timezone
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


def to_local(moment):
    if moment is None:
        return None
    if moment.tzinfo is None:  # stored naive means UTC (SQLite drops tzinfo)
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WARSAW)
