"""The public catalogue of social services and its management."""
from flask import Blueprint

bp = Blueprint("catalogue", __name__)

from . import views  # noqa: E402,F401
