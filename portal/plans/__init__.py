"""Individual plans (IPUS), single grants of a service and waiting lists."""
from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/plans")

from . import cli, hooks, views  # noqa: E402,F401
