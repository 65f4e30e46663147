"""The register of complaints and requests (skargi i wnioski, KPA dział VIII)."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import menus
from .access import REGISTER_ROLES

bp = Blueprint("complaints", __name__, url_prefix="/complaints")

# The staff navigation (portal/core/menus.py): the same roles as the list's row in tests/test_access.py.
menus.register("complaints.index", _l("Skargi i wnioski"), REGISTER_ROLES, order=95)

from . import views  # noqa: E402,F401
