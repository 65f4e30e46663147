"""The public registration form, the applicant's correction through a
one-time link, and the organiser's queue and decisions.

The public form is spam-guarded as the contact form is (portal/public_form.py:
the honeypot, the time token carrying the submission key, the rate limit,
the body limit). A decision e-mails the applicant before it is committed: an
e-mail the server refuses changes nothing (the page says so).
"""
from flask import redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import public_form, submissions
from ..accounts import services as accounts
from ..accounts.mail import send_link
from ..auth.access import role_required
from ..confirm import confirm_page, confirmed
from ..core.errors import Frozen
from ..core.forms import keep_typed
from ..core.mail import MailError
from ..core.views import commit, field_error, found, saved, status_conflict
from ..extensions import db, limiter
from ..i18n import format_date_long
from ..public_urls import public_url
from ..security import body_limit, no_trace
from ..web import is_region
from ..web import render as _render
from . import READERS, REVIEWERS, bp, mail
from . import services as applications
from .forms import ApplicationForm, DecisionForm
from .models import STATUSES, ProviderApplication

GUARD = public_form.Guard("provider-application")
FORM = "provider_application"
# Five services and the survey's texts, in Polish, form-encoded: well under this.
MAX_BYTES = 256 * 1024
PHONES = ("contact_phone",)


# --- the public form --------------------------------------------------------------------

def _place_error(form, error):
    """A service's refusal at its field; the proposed services' at the first row."""
    if error.field == "proposed_services":
        name = form.services[0].form.name
        name.errors = list(name.errors or []) + [str(error.message)]
    else:
        field_error(form, error, fallback="name", names={"website": "homepage"})


def _form_page(form, status=200, refusal=None):
    return _render("applications/register.html", status, form=form, refusal=refusal)


def _again(form, refusal=None):
    """The form back to the applicant, as typed, with a fresh token (422)."""
    keep_typed(form, PHONES)
    GUARD.renew(form)
    return _form_page(form, 422, refusal)


@bp.route("/providers/register", methods=["GET", "POST"])
@limiter.limit(public_form.RATE_LIMIT, methods=["POST"])
@body_limit(MAX_BYTES)
def register():
    if request.method == "GET":
        form = ApplicationForm(formdata=None)
        form.started.data = GUARD.token()
        return _form_page(form)
    form = ApplicationForm()
    valid = form.validate()
    refusal, key = GUARD.check(form)
    if refusal or not valid:
        return _again(form, refusal)
    thanks = url_for(".thanks")
    if submissions.find(db.session, key, FORM) is not None:
        # The same form sent again (a double click, a resend): it is already with us.
        return redirect(thanks, code=303)

    def send():
        application = applications.submit(db.session, form.to_data())
        submissions.claim(db.session, key, FORM, application)
        return application

    def invalid(error):
        _place_error(form, error)
        return _again(form)

    return commit(send, invalid=invalid, refused={IntegrityError: lambda _error: redirect(thanks, code=303)},
                  done=lambda _application: redirect(thanks, code=303))


@bp.route("/providers/register/thanks")
def thanks():
    return _render("applications/thanks.html", corrected=request.args.get("corrected") == "1")


@bp.route("/providers/register/<correction_token>", methods=["GET", "POST"])
@limiter.limit(public_form.RATE_LIMIT, methods=["POST"])
@body_limit(MAX_BYTES)
def correct(correction_token):
    application = applications.by_link(db.session, correction_token)
    if application is None:
        return no_trace(_render("applications/link_unknown.html", 404))

    def page(form, status=200):
        return no_trace(_render("applications/correct.html", status, form=form, application=application))

    if request.method == "GET":
        return page(ApplicationForm(formdata=None).fill(application))
    form = ApplicationForm()
    if not form.validate():
        keep_typed(form, PHONES)
        return page(form, 422)

    def invalid(error):
        _place_error(form, error)
        keep_typed(form, PHONES)
        return page(form)

    return commit(lambda: applications.correct(db.session, application, form.to_data()), invalid=invalid,
                  refused={Frozen: lambda _error: no_trace(_render("applications/link_unknown.html", 404))},
                  done=lambda _application: redirect(url_for(".thanks", corrected=1), code=303))


# --- the organiser's queue ----------------------------------------------------------------

@bp.route("/manage/applications")
@role_required(*READERS)
def index():
    state = request.args.get("state") or "waiting"
    state = state if state in applications.STATES else "waiting"
    rows = applications.listing(db.session, state)
    template = "applications/_list.html" if is_region("application-rows") else "applications/index.html"
    return _render(template, rows=rows, state=state, states=applications.STATE_LABELS,
                   counts=applications.counts(db.session))


def _load(application_id):
    return found(db.session.get(ProviderApplication, application_id))


def _detail_page(application, status=200, *, forms=None, conflict=None):
    forms = forms or {}
    decisions = {prefix: forms.get(prefix) or DecisionForm(formdata=None, prefix=prefix)
                 for prefix in ("more", "accept", "decline")}
    return _render("applications/detail.html", status, application=application, forms=decisions,
                   can_review=current_user.role in REVIEWERS and application.is_open,
                   matching=applications.matching_providers(db.session, application),
                   **(conflict or {}))


@bp.route("/manage/applications/<int:application_id>")
@role_required(*READERS)
def detail(application_id):
    application = _load(application_id)
    applications.viewed(db.session, application, actor=current_user)
    db.session.commit()
    return _detail_page(_load(application_id))


def _decide(application_id, prefix, change, message, *, confirm=None):
    """A decision posted from the detail page: the confirmation first when
    `confirm` gives its page's texts; `change(application, form)` does the
    service call and the e-mail."""
    application = _load(application_id)
    form = DecisionForm(prefix=prefix)
    form.validate()
    if form.errors:
        return _detail_page(application, 422, forms={prefix: form})
    if confirm is not None and not confirmed():
        return confirm_page(cancel_url=url_for(".detail", application_id=application_id), **confirm(application))
    back = url_for(".detail", application_id=application_id)

    def conflict(_error):
        db.session.expire_all()
        fresh = _load(application_id)
        wanted = {"more": "more_info", "accept": "accepted", "decline": "declined"}[prefix]
        return _detail_page(fresh, conflict=status_conflict(fresh, wanted, STATUSES))

    def invalid(_error):
        return _detail_page(_load(application_id), forms={prefix: form})

    return commit(
        lambda: change(application, form), form=form, fallback="message", invalid=invalid, conflict=conflict,
        refused={Frozen: lambda error: saved(back, error.message, "error"),
                 MailError: lambda _error: saved(back, _("Nie udało się wysłać e-maila do zgłaszającego, więc nic "
                                                         "nie zostało zmienione. Spróbuj ponownie za chwilę."),
                                                 "error")},
        done=lambda _result: saved(back, message))


@bp.route("/manage/applications/<int:application_id>/more", methods=["POST"])
@role_required(*REVIEWERS)
def ask_more(application_id):
    def change(application, form):
        token = applications.ask_for_more(db.session, application, form.message.data, actor=current_user,
                                          expected_version=form.version.data)
        mail.send_more_asked(application, public_url("applications.correct", correction_token=token))
        return application

    return _decide(application_id, "more", change,
                   _("Wysłano prośbę o uzupełnienie. Zgłoszenie wróci do kolejki, gdy organizacja je uzupełni."))


def _accept_texts(application):
    return {
        "title": _("Przyjąć zgłoszenie organizacji %(name)s?", name=application.name),
        "button": _("Przyjmij zgłoszenie"),
        "consequences": [
            _("Organizacja zostanie dodana do katalogu jako realizator usług."),
            _("Osoba do kontaktu dostanie konto organizacji i e-mail z linkiem do ustawienia hasła."),
            _("Decyzji nie można cofnąć; realizatora można później zarchiwizować."),
        ],
        "facts": [(_("Rodzaj organizacji"), application.type_label),
                  (_("Osoba do kontaktu"), application.contact_name),
                  (_("E-mail"), application.contact_email)],
    }


@bp.route("/manage/applications/<int:application_id>/accept", methods=["POST"])
@role_required(*REVIEWERS)
def accept(application_id):
    def change(application, form):
        provider, user, token, link = applications.accept(
            db.session, application, actor=current_user, expected_version=form.version.data,
            message=form.message.data)
        mail.send_accepted(application, user.username)
        send_link(user, public_url("accounts.set_password", link_token=token), link.expires_at)
        accounts.note_link_sent(user, actor=current_user)
        return provider

    return _decide(application_id, "accept", change,
                   _("Zgłoszenie przyjęte: realizator jest w katalogu, a osoba do kontaktu dostała e-mail z linkiem "
                     "do ustawienia hasła."), confirm=_accept_texts)


def _decline_texts(application):
    return {
        "title": _("Odrzucić zgłoszenie organizacji %(name)s?", name=application.name),
        "button": _("Odrzuć zgłoszenie"),
        "consequences": [_("Organizacja dostanie e-mail z Twoją wiadomością."),
                         _("Decyzji nie można cofnąć; organizacja może wysłać nowe zgłoszenie.")],
        "facts": [(_("Wysłane"), format_date_long(application.sent_at))],
    }


@bp.route("/manage/applications/<int:application_id>/decline", methods=["POST"])
@role_required(*REVIEWERS)
def decline(application_id):
    def change(application, form):
        applications.decline(db.session, application, form.message.data, actor=current_user,
                             expected_version=form.version.data)
        mail.send_declined(application)
        return application

    form = DecisionForm(prefix="decline")
    if not (form.message.data or "").strip():
        # Asked before the confirmation: the message is what the organisation reads.
        form.message.errors = [_("Napisz, dlaczego zgłoszenie nie zostało przyjęte.")]
        return _detail_page(_load(application_id), 422, forms={"decline": form})
    return _decide(application_id, "decline", change, _("Zgłoszenie odrzucone; organizacja dostała wiadomość."),
                   confirm=_decline_texts)
