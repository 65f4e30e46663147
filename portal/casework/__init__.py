"""Following plans through to their end: the monitoring card, the closure
with its survey, and the coordinator's desk ("my cases", the director's view)."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("casework", __name__, url_prefix="/cases")

# The staff navigation (portal/core/menus.py): who sees which entry.
menus.register("casework.mine", _l("Moje sprawy"), (Role.COORDINATOR,), order=70)
menus.register("casework.overview", _l("Sprawy koordynatorów"), (Role.DIRECTOR,), order=80)

from . import views  # noqa: E402,F401
