"""What every template can use."""
import json

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user

from .auth.models import Role
from .catalogue.models import ACCESSIBILITY
from .core import menus
from .timeutil import local_now
from .validation import format_phone


def _nav():
    """Staff navigation for the current role: (endpoint, label), from the
    entries each feature registers (portal/core/menus.py)."""
    if not current_user.is_authenticated:
        return []
    return [(entry.endpoint, entry.label) for entry in menus.for_role(current_user.role)
            if entry.endpoint in current_app.view_functions]


def init_app(app):
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_template_filter(format_phone, "phone")

    @app.context_processor
    def inject():
        staff = current_user.is_authenticated
        htmx_config = {
            "allowEval": False,
            "allowScriptTags": False,
            "includeIndicatorStyles": False,
            "selfRequestsOnly": True,
            "historyCacheSize": 0 if staff else 10,
            "refreshOnHistoryMiss": True,
            "defaultSwapStyle": "innerHTML",
        }
        return {
            "staff_nav": _nav(),
            "current_lang": str(get_locale() or "pl"),
            "htmx_config": json.dumps(htmx_config),
            "centre_name": app.config["CENTRE_NAME"],
            "municipality_name": app.config["MUNICIPALITY_NAME"],
            "Role": Role,
            "request_path": request.full_path.rstrip("?") if request else "/",
            "accessibility_labels": ACCESSIBILITY,
            "now_local": local_now(),
        }
