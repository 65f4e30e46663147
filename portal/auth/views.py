from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter, login_manager
from . import bp
from .forms import LoginForm
from .services import authenticate, end_session, load_session_user, start_session


@login_manager.user_loader
def load_user(token):
    return load_session_user(token, current_app.config["SESSION_IDLE_MINUTES"])


def _safe_next(target):
    """Only a local path: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Nieprawidłowy login lub hasło."))
        else:
            next_url = _safe_next(request.args.get("next"))
            lang = session.get("lang")
            session.clear()
            start_session(user)
            db.session.commit()
            login_user(user)
            if lang:
                session["lang"] = lang
            return redirect(next_url or url_for("main.dashboard"), code=303)
    return render_template("auth/login.html", form=form), (200 if not form.errors else 422)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    end_session(current_user.session_token)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Wylogowano."), "info")
    return redirect(url_for("auth.login"), code=303)
