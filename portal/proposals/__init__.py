"""A provider's proposed new services and changes, reviewed by the services organiser (issue 15 §1)."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

PROVIDERS = (Role.PROVIDER,)
# As the catalogue management pages (portal/manage): the organiser and the administrator.
REVIEWERS = (Role.SERVICES_ORGANISER, Role.ADMIN)
menus.register("proposals.mine", _l("Propozycje zmian"), PROVIDERS, order=105)
menus.register("proposals.queue", _l("Propozycje realizatorów"), REVIEWERS, order=115)

from . import views  # noqa: E402,F401
