"""Individual plans (IPUS), single grants of a service and waiting lists."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("plans", __name__, url_prefix="/plans")

# The staff navigation (portal/core/menus.py): who sees which entry.
menus.register("plans.index", _l("Plany (IPUS)"), (Role.COORDINATOR, Role.DIRECTOR), order=60)
menus.register("plans.waiting", _l("Listy oczekujących"), (Role.SERVICES_ORGANISER,), order=90)

from . import cli, hooks, views  # noqa: E402,F401
