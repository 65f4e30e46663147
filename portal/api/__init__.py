"""The public read-only API for the municipality's website (issue 15 §3): HSDS 3.1.

Two blueprints: `bp`, the JSON API under /api/v1 (problem-details errors,
ETags, CORS for API_CORS_ORIGINS, a rate limit), and `embed_bp`, the
script-free pages of the catalogue and the events a website puts in an
iframe (/embed/...), the only pages the configured origins may frame."""
from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # read-only: nothing to forge, and a POST gets its 405 as problem JSON
embed_bp = Blueprint("embed", __name__, url_prefix="/embed")

from . import embed, views  # noqa: E402,F401
