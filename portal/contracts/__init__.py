"""The centre's contracts with providers: commissioning, volume, amount, amendments (issue 15 §2).

Kept by the services organiser; the director reads them and may edit too.
The services module is imported as `contracts`."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("contracts", __name__, url_prefix="/contracts")

KEEPERS = (Role.SERVICES_ORGANISER, Role.DIRECTOR)

menus.register("contracts.index", _l("Umowy"), KEEPERS, order=127)

from . import hooks, views  # noqa: E402, F401
