from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from .. import ratelimit
from ..extensions import db, limiter, login_manager
from ..timeutil import now
from . import bp, lockout
from .forms import LoginForm
from .models import User
from .services import (authenticate, end_session, load_session_user, purge_sessions, record_failed_login,
                       record_refused_login, start_session)

# A page's background refresh (the desk board, the cases table, the screens'
# health) asks with ?poll=1: it keeps the page current but is not the person at
# the desk, so it does not hold an idle session open.
POLL_PARAM = "poll"


@login_manager.user_loader
def load_user(token):
    config = current_app.config
    return load_session_user(token, config["SESSION_IDLE_MINUTES"], config["SESSION_MAX_HOURS"],
                             touch=not request.args.get(POLL_PARAM))


@login_manager.unauthorized_handler
def unauthorized():
    target = url_for("auth.login", next=_safe_next(request.full_path.rstrip("?")))
    if request.headers.get("HX-Request"):
        # An htmx region of a page whose session ended: the whole page goes to
        # the login form (a login form swapped into a table would be useless).
        return "", 401, {"HX-Redirect": target}
    return redirect(target)


def _safe_next(target):
    """Only a local path: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _throttled(request_limit):
    """The per-address limit was hit: noted once a minute per address."""
    address = get_remote_address()
    if ratelimit.hit("1 per minute", "audit-login-throttled", address):
        from ..audit.services import record

        record("login_throttled", None, actor=None, object_type="user_account",
               summary=f"more than 10 login attempts a minute from {address}")
        db.session.commit()


LOCKED_MESSAGES = {
    lockout.LOCKED_ADDRESS: lambda: _(
        "Zbyt wiele nieudanych prób logowania na to konto z tego komputera. Spróbuj ponownie za 15 minut "
        "albo poproś administratora o nowe hasło."),
    lockout.LOCKED_ACCOUNT: lambda: _(
        "To konto jest chwilowo chronione przed zgadywaniem hasła: z nieznanego komputera można spróbować "
        "raz na minutę. Na komputerze, na którym zwykle pracujesz, zaloguj się jak zawsze."),
}


def _user_named(username):
    return db.session.scalar(db.select(User).filter_by(username=username)) if username else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], on_breach=_throttled)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username = lockout.normalise(form.username.data)
        address = get_remote_address()
        trusted = lockout.is_trusted_device(current_app.config["SECRET_KEY"],
                                            request.cookies.get(lockout.DEVICE_COOKIE), username)
        scope = lockout.refusal(username, address, trusted=trusted)
        if scope:
            record_refused_login(username, _user_named(username), address, scope)
            db.session.commit()
            form.password.errors.append(LOCKED_MESSAGES[scope]())
            return render_template("auth/login.html", form=form), 429
        user = authenticate(username, form.password.data)
        if user is None:
            started = lockout.record_failure(username, address)
            record_failed_login(username, _user_named(username), address, started)
            db.session.commit()
            form.password.errors.append(_("Nieprawidłowy login lub hasło."))
        else:
            lockout.record_success(username, address)
            return complete_login(user)
    if form.errors:
        status = 422
    return render_template("auth/login.html", form=form), status


def complete_login(user):
    """Start the session of a user whose credentials were checked, and go on."""
    config = current_app.config
    next_url = _safe_next(request.args.get("next"))
    lang = session.get("lang")
    session.clear()
    purge_sessions(now(), config["SESSION_IDLE_MINUTES"], config["SESSION_MAX_HOURS"])
    start_session(user)
    db.session.commit()
    login_user(user)
    if lang:
        session["lang"] = lang
    response = redirect(next_url or url_for("main.dashboard"), code=303)
    response.set_cookie(lockout.DEVICE_COOKIE, lockout.device_token(config["SECRET_KEY"], user.username),
                        max_age=lockout.DEVICE_MAX_AGE, path=url_for("auth.login"), httponly=True,
                        secure=config["SESSION_COOKIE_SECURE"], samesite="Lax")
    return response


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    end_session(current_user.session_token)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Wylogowano."), "info")
    return redirect(url_for("auth.login"), code=303)
