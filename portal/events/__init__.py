"""Events of the centre (public calendar, iCalendar feeds) and urgent notices."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("events", __name__)

# The staff navigation (portal/core/menus.py): who sees which entry.
STAFF = (Role.COMMUNITY_ORGANISER, Role.DIRECTOR, Role.ADMIN)
menus.register("events.manage", _l("Zarządzanie wydarzeniami"), STAFF, order=130)
menus.register("events.notices", _l("Komunikaty pilne"), STAFF, order=140)

from . import views  # noqa: E402,F401
