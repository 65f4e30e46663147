"""Staff accounts in the portal: the administrator's account pages, the
one-time set-password link, each person's own account (password, two-factor
sign-in), and the village -> coordinator rule."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)


@bp.record_once
def _on_register(state):
    from .logredact import install

    install()


from . import views  # noqa: E402,F401
