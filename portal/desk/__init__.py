"""The one window: requests, the desk board and the public contact form."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("desk", __name__)

# The staff navigation (portal/core/menus.py): who sees which entry.
DESK = (Role.FRONT_DESK, Role.COORDINATOR, Role.DIRECTOR)
menus.register("desk.board", _l("Zgłoszenia"), DESK, order=20)
menus.register("desk.new_request", _l("Nowe zgłoszenie"), DESK, order=30)

from . import hooks, views  # noqa: E402,F401
