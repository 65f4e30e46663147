"""Staff accounts in the portal: the administrator's account pages, the
one-time set-password link, each person's own account (password, two-factor
sign-in), and the village -> coordinator rule."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..auth.models import Role
from ..core import menus

bp = Blueprint("accounts", __name__)

# The staff navigation (portal/core/menus.py): who sees which entry.
menus.register("accounts.villages", _l("Koordynatorzy miejscowości"), (Role.DIRECTOR, Role.ADMIN), order=160)
menus.register("accounts.index", _l("Konta pracowników"), (Role.ADMIN,), order=170)


@bp.record_once
def _on_register(state):
    from .logredact import install

    install()


from . import views  # noqa: E402,F401
