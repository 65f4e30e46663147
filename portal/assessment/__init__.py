"""The needs assessment (diagnoza potrzeb): recorded by the coordinator of
the case, read by them and the director, printed as the signed application."""
from flask import Blueprint

bp = Blueprint("assessment", __name__, url_prefix="/assessments")

from . import hooks, views  # noqa: E402,F401
