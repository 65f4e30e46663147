"""Account pages.

- The administrator (/admin/users…): the list of staff accounts, a new
  account (no password is typed: a one-time set-password link is shown once
  or e-mailed), name, e-mail and role, disabling and enabling, a reset (a
  new link; the old password and every session end), the account's live
  sessions and its history, a reset of its two-factor sign-in, and the
  roles that must use two-factor sign-in. The administrator still sees no
  resident's data: none of these pages shows any.
- The set-password page of a link (/set-password/<token>, no login).
- Everyone's own account (/account): the password, two-factor sign-in.
- The village -> coordinator rule (/staff/village-coordinators): the
  director decides who covers which villages, the administrator keeps it
  working when accounts change (see README).

Views run load -> check access -> call a service -> commit -> 303, or render
the form again with the input kept (422). Actions that cannot be undone
(disable, reset, ending sessions, resetting two-factor sign-in) have a
confirmation page of their own; their buttons stand apart from "Zapisz".
"""
from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import ratelimit
from ..auth import twofactor
from ..auth.access import role_required
from ..auth.models import Role, User, UserSession
from ..auth.services import UNUSABLE_PASSWORD, AccountError, verify_current_password
from ..core.mail import MailError
from ..core.views import commit, saved
from ..extensions import db
from ..public_urls import public_url
from ..security import no_trace
from ..timeutil import now
from . import bp, coordinators
from . import services as accounts
from .forms import (
    AccountEnrolForm,
    ChangePasswordForm,
    ConfirmForm,
    CreateAccountForm,
    EditAccountForm,
    ResetForm,
    SetPasswordForm,
    TotpDisableForm,
    TwoFactorRolesForm,
)

ADMIN = (Role.ADMIN,)
# The director knows which coordinator covers which villages; the
# administrator disables and creates the accounts the rule points at.
RULE_EDITORS = (Role.DIRECTOR, Role.ADMIN)
# Wrong current passwords (and codes) typed by a logged-in person: a stolen
# session must not become a way to guess the password.
CONFIRM_LIMIT = "5 per 15 minutes"

ACTION_LABELS = {
    "create": _l("Utworzenie konta"),
    "update": _l("Zmiana danych konta"),
    "role_change": _l("Zmiana roli"),
    "disable": _l("Wyłączenie konta"),
    "enable": _l("Włączenie konta"),
    "reset": _l("Reset konta (hasło i sesje)"),
    "password_link": _l("Nowy link do ustawienia hasła"),
    "password_link_sent": _l("Link do ustawienia hasła wysłany e-mailem"),
    "password_link_used": _l("Hasło ustawione z linku"),
    "password_change": _l("Zmiana hasła przez właściciela konta"),
    "password_reset": _l("Nowe hasło nadane przez administratora"),
    "sessions_end": _l("Zakończenie sesji przez administratora"),
    "login": _l("Logowanie"),
    "logout": _l("Wylogowanie"),
    "login_failed": _l("Nieudane logowanie (błędne hasło)"),
    "login_lockout": _l("Blokada logowania po błędnych hasłach"),
    "login_refused": _l("Odmowa logowania w czasie blokady"),
    "login_2fa_failed": _l("Błędny kod weryfikacji dwuetapowej"),
    "login_2fa_lockout": _l("Blokada kodów weryfikacji dwuetapowej"),
    "recovery_code_used": _l("Logowanie kodem zapasowym"),
    "totp_enable": _l("Włączenie weryfikacji dwuetapowej"),
    "totp_disable": _l("Wyłączenie weryfikacji dwuetapowej przez właściciela konta"),
    "totp_reset": _l("Reset weryfikacji dwuetapowej przez administratora"),
}


def _settings():
    config = current_app.config
    return {"moment": now(), "idle_minutes": config["SESSION_IDLE_MINUTES"], "max_hours": config["SESSION_MAX_HOURS"]}


def _key():
    return current_app.config["SECRET_KEY"]


def _load(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _refused(form, exc):
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, str(exc.message)]
    else:
        flash(str(exc.message), "error")


# --- the list and a new account -----------------------------------------------------------

@bp.route("/admin/users")
@role_required(*ADMIN)
def index():
    rows = accounts.accounts(db.session, **_settings())
    return render_template("accounts/index.html", rows=rows, required=twofactor.required_roles(db.session))


def _link_url(token):
    # The configured address, never the request's Host header (a forged Host
    # would send the one-time link to someone else's server).
    return public_url("accounts.set_password", link_token=token)


def _link_page(user, token, link, *, send, created):
    """The link shown once, or e-mailed (the page then says where)."""
    sent_to = None
    mail_failed = False
    if send and user.email:
        try:
            from .mail import send_link

            send_link(user, _link_url(token), link.expires_at)
            accounts.note_link_sent(user, actor=current_user)
            sent_to = user.email
        except MailError:
            mail_failed = True
    db.session.commit()
    return render_template("accounts/link.html", user=user, link=link, created=created, sent_to=sent_to,
                           mail_failed=mail_failed, url=None if sent_to else _link_url(token))


@bp.route("/admin/users/new", methods=["GET", "POST"])
@role_required(*ADMIN)
def new():
    form = CreateAccountForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_account(db.session, form.data, actor=current_user)
        except accounts.Refused as exc:
            db.session.rollback()
            _refused(form, exc)
        else:
            token, link = accounts.issue_link(db.session, user, actor=current_user, moment=now())
            return _link_page(user, token, link, send=form.send_email.data, created=True)
    status = 422 if form.errors else 200
    return render_template("accounts/new.html", form=form), status


# --- one account ----------------------------------------------------------------------------

def _detail_page(user, form, status=200):
    return render_template(
        "accounts/detail.html", user=user, form=form,
        sessions=accounts.live_sessions(db.session, user, **_settings()),
        has_password=user.password_hash != UNUSABLE_PASSWORD,
        required=twofactor.is_required(db.session, user),
        recovery_left=twofactor.remaining_recovery_codes(db.session, user) if user.totp_enabled else None,
        villages=[r.village for r in coordinators.village_rules(db.session) if r.user is user],
    ), status


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required(*ADMIN)
def detail(user_id):
    user = _load(user_id)
    form = EditAccountForm(obj=user)
    if user.role == Role.PROVIDER:
        del form.role  # a provider's account keeps its role: it is no staff account to promote
    if form.validate_on_submit():
        try:
            changed = accounts.update_account(db.session, user, form.data, actor=current_user)
        except accounts.Refused as exc:
            db.session.rollback()
            user = _load(user_id)
            _refused(form, exc)
            return _detail_page(user, form, 422)
        db.session.commit()
        flash(_("Zapisano zmiany konta.") if changed else _("Nic się nie zmieniło."), "success")
        if user.id == current_user.id and user.role != Role.ADMIN:
            return redirect(url_for("main.dashboard"), code=303)
        return redirect(url_for(".detail", user_id=user.id), code=303)
    return _detail_page(user, form, 422 if form.errors else 200)


@bp.route("/admin/users/<int:user_id>/history")
@role_required(*ADMIN)
def history(user_id):
    user = _load(user_id)
    rows = [(event, ACTION_LABELS.get(event.action, _l("Inne zdarzenie")), _details(event))
            for event in accounts.history(db.session, user)]
    return render_template("accounts/history.html", user=user, rows=rows)


def _details(event):
    """What changed, in words: the role's old and new names, the fields edited."""
    changes = event.changes or {}
    if event.action == "role_change" and "role" in changes:
        old, new = changes["role"]
        return f"{Role.LABELS.get(old, '—')} → {Role.LABELS.get(new, '—')}"
    if event.action == "update":
        names = {"full_name": _("imię i nazwisko"), "email": _("e-mail")}
        return ", ".join(label for key, label in names.items() if key in changes)
    return ""


def _confirm(user, action, *, title, intro, consequences, button, form=None, blocked=None, status=200):
    return render_template("accounts/confirm.html", user=user, action=action, title=title, intro=intro,
                           consequences=consequences, button=button, form=form or ConfirmForm(),
                           blocked=blocked), status


def _admin_blocked(user):
    if user.role == Role.ADMIN and user.active and not db.session.scalar(
            db.select(db.func.count()).select_from(User).where(
                User.role == Role.ADMIN, User.active.is_(True), User.id != user.id)):
        return _("To jedyne aktywne konto administratora, więc nie można go wyłączyć. Najpierw nadaj rolę "
                 "administratora innej osobie.")
    return None


@bp.route("/admin/users/<int:user_id>/disable", methods=["GET", "POST"])
@role_required(*ADMIN)
def disable(user_id):
    user = _load(user_id)
    page = dict(
        title=_("Wyłączyć konto %(login)s?", login=user.username),
        intro=_("Konto zostaje w portalu razem z historią, ale nie można się na nie zalogować, dopóki ktoś go nie włączy."),  # noqa: E501
        consequences=[_("Wszystkie otwarte sesje tego konta kończą się od razu."),
                      _("Niewykorzystany link do ustawienia hasła przestaje działać.")],
        button=_("Wyłącz konto"))
    if user.role == Role.COORDINATOR:
        villages = [r.village.name for r in coordinators.village_rules(db.session) if r.user is user]
        if villages:
            page["consequences"].append(_("Nowe wnioski z miejscowości %(names)s nie będą przydzielane "
                                          "automatycznie, dopóki nie wskażesz innego koordynatora.",
                                          names=", ".join(villages)))
    if not user.active:
        return redirect(url_for(".detail", user_id=user.id), code=303)
    form = ConfirmForm()
    if form.validate_on_submit():
        message = _("Konto %(login)s jest wyłączone; jego sesje zostały zakończone.", login=user.username)
        back = url_for("auth.login") if user.id == current_user.id else url_for(".detail", user_id=user.id)
        return commit(
            lambda: accounts.disable_account(db.session, user, actor=current_user),
            refused={accounts.Refused: lambda exc: _confirm(_load(user_id), "disable", blocked=str(exc.message),
                                                       status=409, **page)},
            done=lambda _result: saved(back, message))
    return _confirm(user, "disable", blocked=_admin_blocked(user), status=422 if form.errors else 200, **page)


@bp.route("/admin/users/<int:user_id>/enable", methods=["POST"])
@role_required(*ADMIN)
def enable(user_id):
    user = _load(user_id)
    if ConfirmForm().validate_on_submit() and accounts.enable_account(db.session, user, actor=current_user):
        db.session.commit()
        flash(_("Konto %(login)s jest znów włączone.", login=user.username), "success")
    return redirect(url_for(".detail", user_id=user.id), code=303)


@bp.route("/admin/users/<int:user_id>/reset", methods=["GET", "POST"])
@role_required(*ADMIN)
def reset(user_id):
    user = _load(user_id)
    page = dict(
        title=_("Zresetować konto %(login)s?", login=user.username),
        intro=_("Użyj, gdy ktoś zapomniał hasła albo hasło mogło trafić w niepowołane ręce."),
        consequences=[_("Obecne hasło przestaje działać."),
                      _("Wszystkie otwarte sesje tego konta kończą się od razu."),
                      _("Powstaje nowy jednorazowy link do ustawienia hasła, ważny %(hours)s godziny.",
                        hours=accounts.LINK_HOURS)],
        button=_("Zresetuj konto"))
    blocked = None
    if user.id == current_user.id:
        blocked = _("Własne hasło zmienisz na stronie Moje konto.")
    elif not user.active:
        blocked = _("Konto jest wyłączone. Najpierw je włącz.")
    form = ResetForm()
    if not user.email:
        del form.send_email
    if form.validate_on_submit() and not blocked:
        token, link = accounts.reset_account(db.session, user, actor=current_user, moment=now())
        return _link_page(user, token, link, send=getattr(form, "send_email", None) and form.send_email.data,
                          created=False)
    return _confirm(user, "reset", form=form, blocked=blocked, status=422 if form.errors else 200, **page)


@bp.route("/admin/users/<int:user_id>/sessions/end", methods=["GET", "POST"])
@role_required(*ADMIN)
def end_sessions(user_id):
    user = _load(user_id)
    page = dict(
        title=_("Zakończyć wszystkie sesje konta %(login)s?", login=user.username),
        intro=_("Osoba zostanie wylogowana na każdym komputerze i przy następnym kliknięciu zobaczy stronę logowania. "
                "Niezapisane zmiany w otwartych formularzach przepadną."),
        consequences=[], button=_("Zakończ wszystkie sesje"))
    form = ConfirmForm()
    if form.validate_on_submit():
        return commit(lambda: accounts.end_sessions(db.session, user, actor=current_user), done=lambda ended: saved(
            url_for(".detail", user_id=user.id),
            ngettext("Zakończono %(num)s sesję.", "Zakończono %(num)s sesji.", ended) if ended
            else _("To konto nie miało otwartych sesji.")))
    return _confirm(user, "end_sessions", status=422 if form.errors else 200, **page)


@bp.route("/admin/users/<int:user_id>/sessions/<int:session_id>/end", methods=["GET", "POST"])
@role_required(*ADMIN)
def end_session(user_id, session_id):
    user = _load(user_id)
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user.id:
        abort(404)
    page = dict(
        title=_("Zakończyć tę sesję konta %(login)s?", login=user.username),
        intro=_("Sesja rozpoczęta %(started)s, ostatnio używana %(seen)s. Na tym komputerze osoba zostanie wylogowana.",
                started=_when(row.created_at), seen=_when(row.last_seen_at)),
        consequences=[], button=_("Zakończ sesję"))
    form = ConfirmForm()
    if form.validate_on_submit():
        return commit(lambda: accounts.end_sessions(db.session, user, actor=current_user, session_id=row.id),
                      done=lambda _ended: saved(url_for(".detail", user_id=user.id), _("Sesja została zakończona.")))
    return _confirm(user, "end_session", status=422 if form.errors else 200, **page)


def _when(moment):
    from ..i18n import format_date_long, format_time

    return f"{format_date_long(moment)}, {format_time(moment)}"


@bp.route("/admin/users/<int:user_id>/two-factor/reset", methods=["GET", "POST"])
@role_required(*ADMIN)
def totp_reset(user_id):
    user = _load(user_id)
    page = dict(
        title=_("Wyłączyć weryfikację dwuetapową konta %(login)s?", login=user.username),
        intro=_("Użyj, gdy osoba straciła telefon z aplikacją i nie ma kodów zapasowych."),
        consequences=[_("Klucz aplikacji i wszystkie kody zapasowe tego konta zostają usunięte."),
                      _("Przy następnym logowaniu wystarczy hasło; jeśli rola wymaga weryfikacji dwuetapowej, "
                        "osoba od razu ustawi ją na nowo.")],
        button=_("Wyłącz weryfikację dwuetapową"))
    blocked = None if user.totp_enabled else _("To konto nie ma włączonej weryfikacji dwuetapowej.")
    form = ConfirmForm()
    if form.validate_on_submit() and not blocked:
        return commit(lambda: twofactor.disable(db.session, user, actor=current_user), done=lambda _result: saved(
            url_for(".detail", user_id=user.id),
            _("Weryfikacja dwuetapowa konta %(login)s jest wyłączona.", login=user.username)))
    return _confirm(user, "totp_reset", blocked=blocked, status=422 if form.errors else 200, **page)


@bp.route("/admin/users/two-factor", methods=["GET", "POST"])
@role_required(*ADMIN)
def two_factor_roles():
    form = TwoFactorRolesForm()
    if request.method == "GET":
        form.roles.data = sorted(twofactor.required_roles(db.session))
    if form.validate_on_submit():
        return commit(
            lambda: twofactor.set_required_roles(db.session, form.roles.data or [], actor=current_user),
            done=lambda changed: saved(url_for(".two_factor_roles"), _(
                "Zapisano. Osoby z tych ról, które nie mają jeszcze weryfikacji dwuetapowej, ustawią ją przy "
                "następnym logowaniu.") if changed else _("Nic się nie zmieniło.")))
    missing = {role: 0 for role in Role.ALL}
    for user in db.session.scalars(db.select(User).where(User.active.is_(True), User.totp_enabled_at.is_(None))):
        missing[user.role] = missing.get(user.role, 0) + 1
    status = 422 if form.errors else 200
    return render_template("accounts/two_factor_roles.html", form=form, missing=missing,
                           recommended=[Role.LABELS[r] for r in twofactor.PERSONAL_DATA_ROLES]), status


# --- the set-password link (no login) ----------------------------------------------------------

LINK_STATES = {
    accounts.LINK_USED: (_l("Ten link został już użyty"),
                         _l("Link do ustawienia hasła działa tylko raz. Jeśli to nie Ty ustawiłeś(-aś) hasło albo go "
                            "nie pamiętasz, poproś administratora o nowy link."), 410),
    accounts.LINK_EXPIRED: (_l("Ten link wygasł"),
                            _l("Link do ustawienia hasła jest ważny %(hours)s godziny. Poproś administratora o nowy "
                               "link.", hours=accounts.LINK_HOURS), 410),
    accounts.LINK_UNKNOWN: (_l("Ten link nie działa"), _l("Link jest niepełny, został zastąpiony nowszym albo konto "
                                                     "zostało wyłączone. Sprawdź, czy skopiowałeś(-aś) go w całości, "
                                                     "albo poproś administratora o nowy link."), 404),
}


@bp.route("/set-password/<link_token>", methods=["GET", "POST"])
def set_password(link_token):
    moment = now()
    link, state = accounts.find_link(db.session, link_token, moment=moment)
    if state != accounts.LINK_OK:
        heading, text, status = LINK_STATES[state]
        return no_trace(make_response(render_template(
            "accounts/link_invalid.html", heading=heading, text=text), status))
    user = link.user
    form = SetPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            accounts.use_link(db.session, link, form.password.data, moment=moment)
        except AccountError as exc:
            db.session.rollback()
            form.password.errors = [*form.password.errors, accounts.password_message(exc)]
        except accounts.Refused:
            db.session.rollback()
            heading, text, status = LINK_STATES[accounts.LINK_USED]
            return no_trace(make_response(render_template("accounts/link_invalid.html", heading=heading,
                                                           text=text), status))
        else:
            db.session.commit()
            flash(_("Hasło jest ustawione. Zaloguj się loginem %(login)s i nowym hasłem.", login=user.username),
                  "success")
            return no_trace(redirect(url_for("auth.login"), code=303))
    if form.errors:
        status = 422
    return no_trace(make_response(render_template("accounts/set_password.html", form=form, user=user, link=link,
                                                   token=link_token), status))


# --- one's own account -------------------------------------------------------------------------

@bp.route("/account")
@login_required
def me():
    user = current_user._get_current_object()
    return render_template(
        "accounts/me.html", user=user, required=twofactor.is_required(db.session, user),
        recovery_left=twofactor.remaining_recovery_codes(db.session, user) if user.totp_enabled else None,
        sessions=accounts.live_sessions(db.session, user, **_settings()))


def _confirm_locked(field):
    if ratelimit.allowed(CONFIRM_LIMIT, "password-confirm", current_user.id):
        return False
    field.errors = [*field.errors, _("Zbyt wiele błędnych prób. Spróbuj ponownie za 15 minut.")]
    return True


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        if _confirm_locked(form.current_password):
            return render_template("accounts/change_password.html", form=form), 429
        try:
            accounts.change_own_password(db.session, current_user._get_current_object(), form.current_password.data,
                                    form.password.data, keep_session=current_user.session_token)
        except accounts.Refused as exc:
            db.session.rollback()
            ratelimit.hit(CONFIRM_LIMIT, "password-confirm", current_user.id)
            _refused(form, exc)
        except AccountError as exc:
            db.session.rollback()
            form.password.errors = [*form.password.errors, accounts.password_message(exc)]
        else:
            db.session.commit()
            flash(_("Hasło jest zmienione. Sesje tego konta na innych komputerach zostały zakończone."), "success")
            return redirect(url_for(".me"), code=303)
    if form.errors:
        status = 422
    return render_template("accounts/change_password.html", form=form), status


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def totp_setup():
    user = current_user._get_current_object()
    if user.totp_enabled:
        flash(_("Weryfikacja dwuetapowa jest już włączona."), "info")
        return redirect(url_for(".me"), code=303)
    secret = twofactor.start_enrolment(db.session, user, key=_key())
    db.session.commit()
    form = AccountEnrolForm()
    status = 200
    if form.validate_on_submit():
        if _confirm_locked(form.password):
            status = 429
        else:
            codes = None
            if not verify_current_password(user, form.password.data):
                form.password.errors = [*form.password.errors, _("Hasło jest nieprawidłowe.")]
            else:
                codes = twofactor.confirm_enrolment(db.session, user, form.code.data, key=_key(), moment=now(),
                                                    actor=user)
                if not codes:
                    form.code.errors = [*form.code.errors, _("Nieprawidłowy kod. Wpisz kod, który aplikacja "
                                                             "pokazuje teraz dla tego konta.")]
            if codes:
                db.session.commit()
                return render_template("auth/recovery_codes.html", codes=codes, next_url=url_for(".me"))
            db.session.rollback()
            ratelimit.hit(CONFIRM_LIMIT, "password-confirm", user.id)
            status = 422
    elif form.errors:
        status = 422
    return render_template("auth/totp_setup.html", form=form, user=user, during_login=False,
                           qr=twofactor.qr_svg(twofactor.provisioning_uri(user, secret),
                                               _("Kod QR do zeskanowania aplikacją uwierzytelniającą")),
                           secret_text=twofactor.grouped(secret), action=url_for(".totp_setup")), status


@bp.route("/account/two-factor/disable", methods=["GET", "POST"])
@login_required
def totp_disable():
    user = current_user._get_current_object()
    required = twofactor.is_required(db.session, user)
    form = TotpDisableForm()
    status = 200
    if user.totp_enabled and not required and form.validate_on_submit():
        if _confirm_locked(form.password):
            status = 429
        else:
            if not verify_current_password(user, form.password.data):
                form.password.errors = [*form.password.errors, _("Hasło jest nieprawidłowe.")]
            elif not twofactor.verify(db.session, user, form.code.data, key=_key(), moment=now()):
                form.code.errors = [*form.code.errors, _("Nieprawidłowy kod albo kod już użyty.")]
            else:
                twofactor.disable(db.session, user, actor=user)
                db.session.commit()
                flash(_("Weryfikacja dwuetapowa jest wyłączona."), "success")
                return redirect(url_for(".me"), code=303)
            db.session.rollback()
            ratelimit.hit(CONFIRM_LIMIT, "password-confirm", user.id)
            status = 422
    elif form.errors:
        status = 422
    return render_template("accounts/totp_disable.html", form=form, user=user, required=required), status


# --- the village -> coordinator rule ------------------------------------------------------------

def _rules_page(rules, people, chosen, errors, status=200):
    return render_template("accounts/villages.html", rules=rules, people=people, chosen=chosen, errors=errors,
                           form=ConfirmForm()), status


@bp.route("/staff/village-coordinators", methods=["GET", "POST"])
@role_required(*RULE_EDITORS)
def villages():
    rules = coordinators.village_rules(db.session)
    people = coordinators.active_coordinators(db.session)
    chosen = {r.village.id: r.coordinator_id for r in rules}
    if request.method == "GET":
        return _rules_page(rules, people, chosen, {})
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _rules_page(rules, people, chosen, {}, 400)
    allowed = {u.id for u in people}
    errors = {}
    on_form = set()
    for rule in rules:
        name = f"village-{rule.village.id}"
        if name not in request.form:
            continue  # a village added since the form was drawn keeps its rule
        on_form.add(rule.village.id)
        raw = request.form.get(name, "").strip()
        if raw == "":
            chosen[rule.village.id] = None
        elif raw.isascii() and raw.isdigit() and int(raw) in allowed:
            chosen[rule.village.id] = int(raw)
        else:
            chosen[rule.village.id] = raw
            errors[rule.village.id] = _("Wybierz koordynatora z listy.")
    if errors:
        return _rules_page(rules, people, chosen, errors, 422)
    return commit(
        lambda: coordinators.save_rules(db.session, {k: chosen[k] for k in on_form}, actor=current_user),
        done=lambda changed: saved(url_for(".villages"), ngettext(
            "Zapisano przydział: zmieniono %(num)s miejscowość.",
            "Zapisano przydział: zmieniono %(num)s miejscowości.", changed) if changed
            else _("Nic się nie zmieniło.")))
