"""The needs assessment (diagnoza potrzeb): recorded by the coordinator of
the case, read by them and the director, printed as the signed application."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("assessment", __name__, url_prefix="/assessments")

# The staff navigation (portal/core/menus.py): who sees which entry.
menus.register("assessment.index", _l("Diagnozy"), (Role.COORDINATOR, Role.DIRECTOR), order=50)

from . import hooks, views  # noqa: E402,F401
