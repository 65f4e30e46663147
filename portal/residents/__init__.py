"""Residents: find, register and keep the people the centre serves."""
from flask import Blueprint

bp = Blueprint("residents", __name__, url_prefix="/residents")

from . import hooks, views  # noqa: E402,F401
