"""Following plans through to their end: the monitoring card, the closure
with its survey, and the coordinator's desk ("my cases", the director's view)."""
from flask import Blueprint

bp = Blueprint("casework", __name__, url_prefix="/cases")


@bp.record_once
def _install(state):
    from .desk import install_sql_functions

    install_sql_functions()


from . import views  # noqa: E402,F401
