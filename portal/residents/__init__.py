"""Residents: find, register and keep the people the centre serves."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("residents", __name__, url_prefix="/residents")

# The staff navigation (portal/core/menus.py): who sees which entry.
menus.register("residents.index", _l("Rejestr osób"), (Role.FRONT_DESK, Role.COORDINATOR, Role.DIRECTOR), order=40)

from . import hooks, views  # noqa: E402,F401
