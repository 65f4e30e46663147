"""Events of the centre (public calendar, iCalendar feeds) and urgent notices."""
from flask import Blueprint

bp = Blueprint("events", __name__)

from . import views  # noqa: E402,F401
