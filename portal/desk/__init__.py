"""The one window: requests, the desk board and the public contact form."""
from flask import Blueprint

bp = Blueprint("desk", __name__)

from . import hooks, views  # noqa: E402,F401
