"""Pages of the provider's own organisation (Role.PROVIDER, issue 15 §1):
/provider/profile (its description, contacts, address and website; the
name, type and registry numbers stay with the services organiser) and
/provider/services (its services with the date their data were last
confirmed, and the confirmation). A provider reaches only its own
organisation: the pages take no provider id, and another provider's service
is a 404.

And the services organiser's (and the administrator's) page of a provider's
accounts: /manage/providers/<id>/accounts lists them, invites another
(a set-password link, as the staff accounts get) and disables one.
"""
from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import services as accounts
from ..auth.access import role_required
from ..auth.models import Role
from ..catalogue.models import Provider, Service
from ..confirm import confirm_page, confirmed
from ..core.errors import NotAllowed, version_number
from ..core.forms import field_labels
from ..core.mail import MailError
from ..core.views import ACTION_CONFLICT_NOTE, commit, get_or_404, saved
from ..extensions import db
from ..public_urls import public_url
from ..timeutil import now
from ..web import render, today
from . import bp
from . import services as providers
from .forms import InviteForm, ProfileForm

ORGANISERS = (Role.SERVICES_ORGANISER, Role.ADMIN)
PROFILE_LABELS = field_labels(ProfileForm)


def _own_provider():
    provider = db.session.get(Provider, current_user.provider_id or 0)
    if provider is None:
        abort(404)
    return provider


# --- the profile -----------------------------------------------------------------------

def _profile_page(form, provider, status=200, conflict=None):
    return render("providers/profile.html", status, form=form, provider=provider, conflict=conflict)


@bp.route("/provider/profile", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def profile():
    provider = _own_provider()
    if request.method == "GET":
        form = ProfileForm(formdata=None, data=providers.profile_data(provider))
        form.version.data = str(provider.version)
        return _profile_page(form, provider)
    form = ProfileForm()
    if not form.validate():
        return _profile_page(form, provider, 422)
    data = form.to_data()

    def conflict(error):
        db.session.expire_all()
        current = _own_provider()
        rows = [(PROFILE_LABELS.get(key, key), theirs, yours)
                for key, theirs, yours in providers.profile_conflicts(current, data)]
        form.version.data = str(current.version)  # saving again overwrites, knowingly
        return _profile_page(form, current, conflict=rows)

    return commit(
        lambda: providers.update_profile(db.session, provider, data, actor=current_user,
                                         expected_version=version_number(form.version.data)),
        form=form, invalid=lambda error: _profile_page(form, provider), conflict=conflict,
        done=lambda _result: saved(url_for(".profile"), _("Zapisano dane organizacji.")))


# --- the services and their assured date ---------------------------------------------------

def _services_page(status=200, conflict=None, conflict_note=None):
    provider = _own_provider()
    day = today()
    rows = providers.services_of(db.session, provider.id)
    return render("providers/services.html", status, provider=provider, rows=rows,
                  waiting={s.id for s in rows if providers.needs_assurance(s, day)},
                  conflict=conflict, conflict_note=conflict_note)


@bp.route("/provider/services")
@role_required(Role.PROVIDER)
def services():
    return _services_page()


@bp.route("/provider/services/<int:service_id>/assure", methods=["POST"])
@role_required(Role.PROVIDER)
def assure(service_id):
    service = db.session.get(Service, service_id)
    if service is None or service.provider_id != current_user.provider_id:
        abort(404)  # another provider's service is none of this one's business

    def conflict(error):
        db.session.expire_all()
        return _services_page(conflict=[], conflict_note=_(
            "Ktoś zmienił dane usługi „%(name)s” po otwarciu tej strony. Sprawdź je w katalogu i potwierdź "
            "ponownie, jeśli są aktualne.", name=service.name) + " " + str(ACTION_CONFLICT_NOTE))

    return commit(
        lambda: providers.assure_service(db.session, service, actor=current_user, today=today(),
                                         expected_version=request.form.get("version") or None),
        conflict=conflict,
        done=lambda _changed: saved(url_for(".services"), _("Potwierdzono aktualność usługi „%(name)s”.",
                                                             name=service.name)))


# --- a provider's accounts (the services organiser) --------------------------------------------

def _accounts_page(provider, form, status=200):
    return render("providers/accounts.html", status, provider=provider, form=form,
                  rows=providers.accounts_of(db.session, provider))


@bp.route("/manage/providers/<int:provider_id>/accounts", methods=["GET", "POST"])
@role_required(*ORGANISERS)
def accounts_index(provider_id):
    provider = get_or_404(Provider, provider_id)
    if request.method == "GET":
        return _accounts_page(provider, InviteForm(formdata=None))
    form = InviteForm()
    if not form.validate():
        return _accounts_page(provider, form, 422)

    def invite():
        user = providers.invite_account(db.session, provider, form.data, actor=current_user)
        token, link = accounts.issue_link(db.session, user, actor=current_user, moment=now())
        return user, token, link

    return commit(invite, form=form, invalid=lambda error: _accounts_page(provider, form),
                  done=lambda made: _link_page(provider, *made, send=form.send_email.data))


def _link_page(provider, user, token, link, *, send):
    """The new account's one-time link: e-mailed when asked, else shown once."""
    url = public_url("accounts.set_password", link_token=token)
    sent_to, mail_failed = None, False
    if send and user.email:
        try:
            from ..accounts.mail import send_link

            send_link(user, url, link.expires_at)
            accounts.note_link_sent(user, actor=current_user)
            db.session.commit()
            sent_to = user.email
        except MailError:
            mail_failed = True
    return render("providers/link.html", provider=provider, user=user, link=link, sent_to=sent_to,
                  mail_failed=mail_failed, url=None if sent_to else url)


@bp.route("/manage/providers/<int:provider_id>/accounts/<int:user_id>/disable", methods=["POST"])
@role_required(*ORGANISERS)
def account_disable(provider_id, user_id):
    provider = get_or_404(Provider, provider_id)
    user = providers.account_of(db.session, provider, user_id)
    if user is None:
        abort(404)
    back = url_for(".accounts_index", provider_id=provider.id)
    if not confirmed():
        return confirm_page(
            title=_("Wyłączyć konto %(login)s?", login=user.username), button=_("Wyłącz konto"), cancel_url=back,
            facts=[(_("Realizator"), provider.name), (_("Osoba"), user.full_name)],
            consequences=[_("Ta osoba nie zaloguje się już do portalu; jej otwarte sesje się kończą, "
                            "a niewykorzystany link do ustawienia hasła przestaje działać.")])
    return commit(lambda: providers.disable_account(db.session, provider, user, actor=current_user),
                  refused={NotAllowed: lambda error: abort(404)},
                  done=lambda changed: saved(back, _("Konto %(login)s jest wyłączone.", login=user.username)
                                             if changed else None))
