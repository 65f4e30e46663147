"""The portal's clock set to a past day while a demo step runs, so that what
the step writes (dates, history, audit log) is dated as if it had happened then."""
from contextlib import contextmanager
from datetime import datetime, time

from flask import current_app

from ..timeutil import WARSAW, local_now


@contextmanager
def on_day(day, hour=10):
    """The portal's clock on `day` at `hour` (never later than now) while a step runs."""
    app = current_app
    before = app.config.get("FIXED_NOW")
    moment = min(datetime.combine(day, time(hour), tzinfo=WARSAW), local_now())
    app.config["FIXED_NOW"] = moment
    try:
        yield moment.date()
    finally:
        app.config["FIXED_NOW"] = before
