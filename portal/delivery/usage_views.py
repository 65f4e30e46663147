"""A service's use, counted from the delivery register (figures.py): the
services organiser's and the director's page per service, and the list of
every service's use in a year. Counts only, never a person: nothing here is
personal data, so nothing is written to a person's access trail.

The period is a year, or a month of it (GET ?year=2026&month=5); a year or
month out of range falls back to the current one.
"""
from datetime import date

from flask import Blueprint
from flask import request as http_request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.access import role_required
from ..auth.models import Role
from ..catalogue.models import Service
from ..core import menus
from ..core.views import found
from ..extensions import db
from ..i18n import month_names
from ..text import polish_order
from ..timeutil import month_bounds
from ..validation import whole_number
from ..web import render as _render
from ..web import today as _today
from . import figures

bp = Blueprint("usage", __name__, url_prefix="/delivery")
READERS = (Role.SERVICES_ORGANISER, Role.DIRECTOR)
FIRST_YEAR = 2000

menus.register("usage.index", _l("Wykorzystanie usług"), READERS, order=125)


def _period(today):
    """(start, end, year, month) from ?year= and ?month=."""
    year = whole_number(http_request.args.get("year"))
    if year is None or not FIRST_YEAR <= year <= today.year + 1:
        year = today.year
    month = whole_number(http_request.args.get("month"))
    if month is not None and not 1 <= month <= 12:
        month = None
    if month is None:
        return date(year, 1, 1), date(year, 12, 31), year, None
    return (*month_bounds(year, month), year, month)


def _choices(today):
    years = [(y, str(y)) for y in range(today.year + 1, today.year - 6, -1)]
    return years


@bp.route("/usage")
@role_required(*READERS)
def index():
    today = _today()
    start, end, year, month = _period(today)
    services = db.session.scalars(select(Service).where(Service.status != "archived")
                                  .order_by(polish_order(Service.name), Service.id)).all()
    rows = [figures.usage(db.session, service, start, end, today) for service in services]
    return _render("delivery/usage_index.html", rows=rows, start=start, end=end, year=year, month=month,
                   years=_choices(today), months=month_names(), today=today)


@bp.route("/services/<int:service_id>/usage")
@role_required(*READERS)
def service_usage(service_id):
    today = _today()
    service = found(db.session.get(Service, service_id))
    start, end, year, month = _period(today)
    used = figures.usage(db.session, service, start, end, today)
    return _render("delivery/usage.html", service=service, used=used, start=start, end=end, year=year,
                   month=month, years=_choices(today), months=month_names(), today=today)
