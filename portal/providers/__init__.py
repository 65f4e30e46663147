"""A provider's own pages (issue 15 §1): its organisation's profile, its
services and their assured date, a reminder when an entry is older than six
months; and the services organiser's page of a provider's accounts. The
deliveries and attendance of a provider's services are the delivery
register's pages, scoped by portal/delivery/access.py."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("providers", __name__)

menus.register("providers.profile", _l("Moja organizacja"), (Role.PROVIDER,), order=11)
menus.register("providers.services", _l("Usługi organizacji"), (Role.PROVIDER,), order=12)

from . import hooks, views  # noqa: E402,F401
