"""The quality of the services (issue 13 §2): satisfaction surveys answered
on paper or through a one-time link, quality standards approved by the
director and accepted by providers, on-site checks of providers.

Other features print survey slips through `portal.quality.surveys`."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("quality", __name__)

# Who does what (tests/test_access.py holds the same rows).
QUALITY = (Role.SERVICES_ORGANISER, Role.DIRECTOR)
PAPER = (Role.FRONT_DESK, Role.COORDINATOR, Role.SERVICES_ORGANISER, Role.DIRECTOR)

# The staff navigation (portal/core/menus.py). The organiser and the director
# reach the paper entry from the quality page; the desk and the coordinators
# from the menu.
menus.register("quality.paper", _l("Ankiety z papieru"), (Role.FRONT_DESK, Role.COORDINATOR), order=45)
menus.register("quality.index", _l("Jakość usług"), QUALITY, order=126)

from . import views  # noqa: E402,F401
