from urllib.parse import urlsplit

from flask import current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from .. import ratelimit
from ..extensions import db, limiter, login_manager
from ..timeutil import now
from ..web import is_htmx
from . import bp, lockout, pending, twofactor
from .forms import CodeForm, EnrolForm, LoginForm
from .models import User
from .services import (
    authenticate,
    end_session,
    load_session_user,
    purge_sessions,
    record_failed_login,
    record_refused_login,
    start_session,
)

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
    if is_htmx():
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
            return _after_password(user)
    if form.errors:
        status = 422
    return render_template("auth/login.html", form=form), status


def _after_password(user):
    """The password was right: the second factor when the account has one, its
    enrolment when the role requires one, else straight in."""
    next_url = _safe_next(request.args.get("next"))
    if user.totp_enabled:
        pending.begin(user, pending.CODE, next_url)
        return redirect(url_for("auth.login_2fa"), code=303)
    if twofactor.is_required(db.session, user):
        pending.begin(user, pending.ENROL, next_url)
        return redirect(url_for("auth.login_2fa_setup"), code=303)
    return complete_login(user, next_url)


def start_login(user):
    """Start the server-side session of a user whose credentials were all checked."""
    config = current_app.config
    lang = session.get("lang")
    session.clear()
    purge_sessions(now(), config["SESSION_IDLE_MINUTES"], config["SESSION_MAX_HOURS"])
    start_session(user)
    db.session.commit()
    login_user(user)
    if lang:
        session["lang"] = lang


def _trust_device(response, user):
    config = current_app.config
    response.set_cookie(lockout.DEVICE_COOKIE, lockout.device_token(config["SECRET_KEY"], user.username),
                        max_age=lockout.DEVICE_MAX_AGE, path=url_for("auth.login"), httponly=True,
                        secure=config["SESSION_COOKIE_SECURE"], samesite="Lax")
    return response


def complete_login(user, next_url=None):
    """Start the session of a user whose credentials were checked, and go on."""
    next_url = next_url or _safe_next(request.args.get("next"))
    start_login(user)
    return _trust_device(redirect(next_url or url_for("main.dashboard"), code=303), user)


# --- the second step: a code, or the enrolment a role requires ---------------------------------

# Wrong codes per account, whatever the address: a password alone must not
# let anyone try a million codes.
CODE_LIMIT = "5 per 15 minutes"


def _expired_page():
    status = 200 if request.method == "GET" else 400
    return render_template("auth/login_expired.html"), status


def _code_refused(user, form):
    """Count a wrong code; the form's message. True when the account is now locked."""
    from ..audit.services import record

    address = get_remote_address()
    ratelimit.hit(CODE_LIMIT, "login-2fa", user.id)
    record("login_2fa_failed", user, actor=None, summary=f"wrong second-factor code for {user.username} from {address}")
    locked = not ratelimit.allowed(CODE_LIMIT, "login-2fa", user.id)
    if locked:
        record("login_2fa_lockout", user, actor=None,
               summary=f"second-factor codes for {user.username} refused for 15 minutes")
    db.session.commit()
    form.code.errors.append(_locked_code_message() if locked else _("Nieprawidłowy kod albo kod już użyty. Wpisz kod, "
                                                              "który aplikacja pokazuje teraz."))
    return locked


def _locked_code_message():
    return _("Zbyt wiele błędnych kodów. Spróbuj ponownie za 15 minut albo poproś administratora o pomoc.")


def _code_locked(user, form):
    if ratelimit.allowed(CODE_LIMIT, "login-2fa", user.id):
        return False
    form.code.errors.append(_locked_code_message())
    return True


@bp.route("/login/2fa", methods=["GET", "POST"])
def login_2fa():
    found = pending.load(pending.CODE)
    if found is None:
        return _expired_page()
    user, next_url = found
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        if _code_locked(user, form):
            return render_template("auth/login_2fa.html", form=form), 429
        kind = twofactor.verify(db.session, user, form.code.data, key=current_app.config["SECRET_KEY"], moment=now())
        if kind:
            response = complete_login(user, next_url)
            if kind == "recovery":
                left = twofactor.remaining_recovery_codes(db.session, user)
                flash(_("Zalogowano kodem zapasowym. Pozostałe kody zapasowe: %(n)s. Gdy się skończą, wyłącz i "
                        "włącz weryfikację dwuetapową na stronie Moje konto, aby dostać nowe.", n=left), "info")
            return response
        db.session.rollback()
        if _code_refused(user, form):
            return render_template("auth/login_2fa.html", form=form), 429
    if form.errors:
        status = 422
    return render_template("auth/login_2fa.html", form=form), status


@bp.route("/login/2fa/setup", methods=["GET", "POST"])
def login_2fa_setup():
    found = pending.load(pending.ENROL)
    if found is None:
        return _expired_page()
    user, next_url = found
    key = current_app.config["SECRET_KEY"]
    if user.totp_enabled:  # turned on meanwhile (another browser): ask for a code instead
        pending.begin(user, pending.CODE, next_url)
        return redirect(url_for("auth.login_2fa"), code=303)
    secret = twofactor.start_enrolment(db.session, user, key=key)
    db.session.commit()
    form = EnrolForm()
    status = 200
    if form.validate_on_submit():
        if _code_locked(user, form):
            status = 429
        else:
            codes = twofactor.confirm_enrolment(db.session, user, form.code.data, key=key, moment=now(), actor=user)
            if codes:
                start_login(user)
                page = render_template("auth/recovery_codes.html", codes=codes,
                                       next_url=next_url or url_for("main.dashboard"))
                return _trust_device(make_response(page), user)
            db.session.rollback()
            status = 429 if _code_refused(user, form) else 422
    elif form.errors:
        status = 422
    return render_template("auth/totp_setup.html", form=form, user=user, secret=secret, during_login=True,
                           qr=twofactor.qr_svg(twofactor.provisioning_uri(user, secret), _qr_label()),
                           secret_text=twofactor.grouped(secret), action=url_for("auth.login_2fa_setup")), status


def _qr_label():
    return _("Kod QR do zeskanowania aplikacją uwierzytelniającą")


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    end_session(current_user.session_token)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Wylogowano."), "info")
    return redirect(url_for("auth.login"), code=303)
