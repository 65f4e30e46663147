"""Organisations that ask to become providers: the public form and the organiser's review (issue 15 §1)."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("applications", __name__)

# Who reviews the applications (as the catalogue's management pages), and who may read them.
REVIEWERS = (Role.SERVICES_ORGANISER, Role.ADMIN)
READERS = REVIEWERS + (Role.DIRECTOR,)

# The staff navigation (portal/core/menus.py): the queue's row in tests/test_access.py.
menus.register("applications.index", _l("Zgłoszenia realizatorów"), READERS, order=115)

from . import views  # noqa: E402,F401
