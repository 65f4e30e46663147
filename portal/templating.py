"""What every template can use."""
import json

from flask import request
from flask_babel import get_locale
from flask_login import current_user

from .auth.models import Role
from .catalogue.models import ACCESSIBILITY
from .timeutil import local_now
from .validation import format_phone


def _nav():
    """Staff navigation for the current role: (endpoint, label)."""
    from flask_babel import gettext as _

    if not current_user.is_authenticated:
        return []
    items = [("main.dashboard", _("Pulpit"))]
    if current_user.role in (Role.FRONT_DESK, Role.COORDINATOR, Role.DIRECTOR):
        items += [
            ("desk.board", _("Zgłoszenia")),
            ("desk.new_request", _("Nowe zgłoszenie")),
            ("residents.index", _("Rejestr osób")),
        ]
    if current_user.role in (Role.COORDINATOR, Role.DIRECTOR):
        items.append(("assessment.index", _("Diagnozy")))
        items.append(("plans.index", _("Plany (IPUS)")))
    if current_user.role == Role.COORDINATOR:
        items.append(("casework.mine", _("Moje sprawy")))
    if current_user.role == Role.DIRECTOR:
        items.append(("casework.overview", _("Sprawy koordynatorów")))
    if current_user.role == Role.SERVICES_ORGANISER:
        items.append(("plans.waiting", _("Listy oczekujących")))
    if current_user.role in (Role.SERVICES_ORGANISER, Role.ADMIN):
        items += [
            ("manage.services", _("Usługi")),
            ("manage.providers", _("Realizatorzy")),
            ("manage.synonyms", _("Wyszukiwanie")),
        ]
    if current_user.role in (Role.COMMUNITY_ORGANISER, Role.DIRECTOR, Role.ADMIN):
        items += [
            ("events.manage", _("Zarządzanie wydarzeniami")),
            ("events.notices", _("Komunikaty pilne")),
        ]
    if current_user.role in (Role.COMMUNITY_ORGANISER, Role.ADMIN, Role.DIRECTOR):
        items.append(("kiosk.screens", _("Ekrany")))
    if current_user.role in (Role.DIRECTOR, Role.ADMIN):
        items.append(("accounts.villages", _("Koordynatorzy miejscowości")))
    if current_user.role == Role.ADMIN:
        items.append(("accounts.index", _("Konta pracowników")))
    return items


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
