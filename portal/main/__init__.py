from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("main", __name__)

# The staff navigation (portal/core/menus.py): who sees which entry.
menus.register("main.dashboard", _l("Pulpit"), Role.ALL, order=10)

from . import views  # noqa: E402,F401
