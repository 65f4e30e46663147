"""Catalogue management for the services organiser."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("manage", __name__, url_prefix="/manage")

# The staff navigation (portal/core/menus.py): who sees which entry.
MANAGERS = (Role.SERVICES_ORGANISER, Role.ADMIN)
menus.register("manage.services", _l("Usługi"), MANAGERS, order=100)
menus.register("manage.providers", _l("Realizatorzy"), MANAGERS, order=110)
menus.register("manage.synonyms", _l("Wyszukiwanie"), MANAGERS, order=120)

from . import situation_views, views  # noqa: E402,F401
