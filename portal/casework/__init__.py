"""Following plans through to their end: the monitoring card, the closure
with its survey, and the coordinator's desk ("my cases", the director's view)."""
from flask import Blueprint

bp = Blueprint("casework", __name__, url_prefix="/cases")

from . import views  # noqa: E402,F401
