"""The reports' pages."""
from flask import render_template

from ..auth.access import role_required
from . import bp
from .access import REPORT_ROLES


@bp.get("/")
@role_required(*REPORT_ROLES)
def index():
    return render_template("reports/index.html")
