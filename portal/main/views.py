"""Health check, staff landing page, language switch and error pages."""
from flask import current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import database
from ..auth.views import _safe_next
from ..extensions import db, limiter
from ..i18n import LANG_COOKIE
from . import bp
from .start import start_notices, start_sections


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """200 when the database answers; 503 when it refuses, fails or has not
    answered within HEALTH_TIMEOUT (a hung database must not hang the check
    that monitoring relies on). Touches no session and no user."""
    state, _elapsed = database.probe(db.engine, current_app.config["HEALTH_TIMEOUT"])
    healthy = state == "ok"
    response = jsonify({"status": "ok" if healthy else "unavailable", "database": state})
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    if not healthy:
        response.headers["Retry-After"] = str(current_app.config["RETRY_AFTER_SECONDS"])
    return response


@bp.route("/staff")
@login_required
def dashboard():
    # Counts only, and only of the role's own work (portal/main/start.py).
    return render_template("main/dashboard.html", sections=start_sections(db.session, current_user),
                           reminders=start_notices(db.session, current_user))


@bp.route("/staff/")
@login_required
def dashboard_slash():
    """`/staff/` (the staff pages' common prefix) leads to the start page."""
    return redirect(url_for("main.dashboard"))


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "")
    target = _safe_next(request.form.get("next")) or url_for("catalogue.index")
    response = redirect(target, code=303)
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
