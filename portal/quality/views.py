"""The quality pages.

Public (no login): the questionnaire behind a one-time link (/ankieta/<code>)
and the page where a code from a slip is typed (/ankieta). The code is in
the address: those pages are never cached, never sent on as a Referer and
never indexed; they are rate-limited like the contact form.

Staff: the survey results (services organiser, director), the paper answers
typed in (also the front desk and the coordinators), the questions of a
service and its slips, the quality standards, the on-site checks.

Views: load (404) -> check (decorator) -> service -> commit -> 303, or the
form again with the input kept (422), or the conflict screen (409).
"""
from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.access import role_required
from ..auth.models import Role
from ..catalogue.models import Provider, Service
from ..confirm import confirm_page, confirmed
from ..core.deadlines import STATE_LABELS
from ..core.errors import TransitionError, version_number
from ..core.forms import field_labels
from ..core.views import commit, get_or_404, saved
from ..extensions import db, limiter
from ..i18n import format_date_long
from ..pdf import pdf_response, render_pdf
from ..security import body_limit
from ..text import polish_order
from ..timeutil import local_now
from ..validation import whole_number
from . import PAPER, QUALITY, bp, presenters, surveys
from . import services as quality
from .forms import AcceptanceForm, ApproveForm, CheckForm, CodeForm, QuestionsForm, SlipsForm, StandardForm, survey_form
from .models import ProviderCheck, StandardVersion

ORGANISER = (Role.SERVICES_ORGANISER,)
DIRECTOR = (Role.DIRECTOR,)
SURVEY_MAX_BYTES = 32 * 1024
PUBLIC_LIMIT = "10 per minute; 100 per day"


@bp.app_template_global("quality_text")
def _quality_text():
    return presenters


def _today():
    return local_now().date()


def _no_trace(response):
    """The code is in this page's address: never sent on as a Referer, never cached or indexed."""
    response = make_response(response)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- the public questionnaire ---------------------------------------------------------------

LINK_STATES = {
    quality.LINK_USED: (lambda: _("Ta ankieta została już wypełniona"),
                        lambda: _("Każdy kod z kartki działa tylko raz i ten został już użyty. Dziękujemy za "
                                  "poświęcony czas! Jeśli nie wypełniał(a) Pan/Pani tej ankiety, prosimy "
                                  "o nową kartkę u osoby prowadzącej zajęcia.")),
    quality.LINK_EXPIRED: (lambda: _("Ten kod już nie działa"),
                           lambda: _("Kod z kartki jest ważny %(days)s dni i ten czas minął. Prosimy o nową "
                                     "kartkę u osoby prowadzącej zajęcia.", days=surveys.TOKEN_DAYS)),
    quality.LINK_UNKNOWN: (lambda: _("Nie znaleźliśmy takiego kodu"),
                           lambda: _("Sprawdź, czy kod jest przepisany w całości (12 liter i cyfr, np. "
                                     "ABCD-EFGH-JKMN). Możesz wpisać go jeszcze raz.")),
}


def _link_problem(state):
    heading, text = LINK_STATES[state]
    status = 404 if state == quality.LINK_UNKNOWN else 410
    form = CodeForm(formdata=None) if state == quality.LINK_UNKNOWN else None
    return _no_trace((render_template("quality/survey_link.html", heading=heading(), text=text(), form=form),
                      status))


@bp.route("/ankieta", methods=["GET", "POST"])
@limiter.limit(PUBLIC_LIMIT, methods=["POST"])
def survey_code():
    form = CodeForm()
    if request.method == "POST" and form.validate():
        code = surveys.normalise_code(form.code.data)
        if code is not None:
            return _no_trace(redirect(url_for(".survey", survey_token=code), code=303))
        form.code.errors = [_("Kod ma 12 liter i cyfr, np. ABCD-EFGH-JKMN. Sprawdź go i wpisz jeszcze raz.")]
    status = 422 if form.errors else 200
    return _no_trace((render_template("quality/survey_code.html", form=form), status))


@bp.route("/ankieta/<survey_token>", methods=["GET", "POST"])
@limiter.limit("30 per minute; 300 per day")
@body_limit(SURVEY_MAX_BYTES)
def survey(survey_token):
    code = surveys.normalise_code(survey_token)
    link, state = quality.find_link(db.session, code) if code else (None, quality.LINK_UNKNOWN)
    if state != quality.LINK_OK:
        return _link_problem(state)
    service = db.session.get(Service, link.service_id)
    questions = quality.questions_of(db.session, service.id)
    if request.method == "GET":
        form = survey_form(questions, formdata=None)
        return _no_trace(_survey_page(form, service, survey_token))
    form = survey_form(questions)
    if not form.validate():
        return _no_trace(_survey_page(form, service, survey_token, 422))
    return _no_trace(commit(
        lambda: quality.answer_by_link(db.session, link, form.to_data()), form=form,
        invalid=lambda error: _survey_page(form, service, survey_token),
        refused={quality.LinkUsed: lambda error: _link_problem(quality.LINK_USED)},
        done=lambda _answer: redirect(url_for(".survey_thanks"), code=303)))


def _survey_page(form, service, survey_token, status=200):
    return render_template("quality/survey.html", form=form, service=service,
                           action=url_for(".survey", survey_token=survey_token)), status


@bp.route("/ankieta/dziekujemy")
def survey_thanks():
    return render_template("quality/survey_thanks.html")


# --- survey results ---------------------------------------------------------------------------

def _year_quarter():
    """The quarter asked for (?period=2026-1), else today's."""
    today = _today()
    year, quarter = quality.quarter_of(today)
    raw = (request.args.get("period") or "")[:7]
    wanted_year, _dash, wanted_quarter = raw.partition("-")
    wanted_year, wanted_quarter = whole_number(wanted_year), whole_number(wanted_quarter)
    if wanted_year and 2000 <= wanted_year <= today.year and wanted_quarter in (1, 2, 3, 4):
        year, quarter = wanted_year, wanted_quarter
    return year, quarter


def _quarters(today):
    """The last eight quarters up to today's, newest first: (year, quarter)."""
    year, quarter = quality.quarter_of(today)
    result = []
    for _i in range(8):
        result.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return result


@bp.route("/quality")
@role_required(*QUALITY)
def index():
    year, quarter = _year_quarter()
    start, end = quality.quarter_range(year, quarter)
    rows = quality.service_figures(db.session, start, end)
    _rows, share = quality.standards_overview(db.session)
    counts = quality.follow_up_counts(db.session, _today())
    return render_template("quality/index.html", rows=rows, year=year, quarter=quarter, quarters=_quarters(_today()),
                           share=share, share_sentence=presenters.share_sentence(share) if share.providers else None,
                           follow_ups=counts, waiting=quality.waiting_standards(db.session),
                           min_answers=quality.MIN_ANSWERS)


def _service(service_id):
    return db.session.scalar(select(Service).where(Service.id == service_id)
                             .options(selectinload(Service.provider))) or abort(404)


@bp.route("/quality/services/<int:service_id>/surveys")
@role_required(*QUALITY)
def service_surveys(service_id):
    service = _service(service_id)
    year, quarter = _year_quarter()
    start, end = quality.quarter_range(year, quarter)
    figures = quality.figures_of(db.session, service.id, start, end)
    questions = [] if figures.hidden else quality.question_figures(db.session, service.id, start, end)
    usable, used = quality.open_link_counts(db.session, service.id)
    return render_template(
        "quality/service_surveys.html", service=service, year=year, quarter=quarter, quarters=_quarters(_today()),
        figures=figures, questions=questions, comments=quality.comments(db.session, service.id, start, end),
        asked=quality.questions_of(db.session, service.id), own=quality.has_own_questions(db.session, service.id),
        usable=usable, used=used, min_answers=quality.MIN_ANSWERS)


# --- paper answers ------------------------------------------------------------------------------

def _active_services():
    return db.session.scalars(select(Service).where(Service.status == "active")
                              .options(selectinload(Service.provider)).order_by(polish_order(Service.name))).all()


@bp.route("/quality/paper")
@role_required(*PAPER)
def paper():
    return render_template("quality/paper.html", services=_active_services())


@bp.route("/quality/services/<int:service_id>/paper", methods=["GET", "POST"])
@role_required(*PAPER)
def paper_entry(service_id):
    service = _service(service_id)
    questions = quality.questions_of(db.session, service.id)
    if request.method == "GET":
        form = survey_form(questions, paper=True, formdata=None)
        form.answered_on.data = _today()
        return _paper_page(form, service)
    form = survey_form(questions, paper=True)
    if not form.validate():
        return _paper_page(form, service, 422)
    return commit(
        lambda: quality.record_answer(db.session, service, form.to_data(), channel="paper",
                                      day=form.answered_on.data, actor=current_user), form=form,
        invalid=lambda error: _paper_page(form, service),
        done=lambda _answer: saved(url_for(".paper_entry", service_id=service.id),
                                   _("Zapisano ankietę. Możesz wpisać następną.")))


def _paper_page(form, service, status=200):
    return render_template("quality/paper_entry.html", form=form, service=service), status


# --- the organiser's questions and slips -------------------------------------------------------

@bp.route("/quality/services/<int:service_id>/questions", methods=["GET", "POST"])
@role_required(*ORGANISER)
def questions(service_id):
    service = _service(service_id)
    if request.method == "GET":
        form = QuestionsForm(formdata=None)
        form.questions.data = "\n".join(quality.questions_of(db.session, service.id))
        return _questions_page(form, service)
    form = QuestionsForm()
    if not form.validate():
        return _questions_page(form, service, 422)
    return commit(
        lambda: quality.set_questions(db.session, service, form.texts(), actor=current_user), form=form,
        invalid=lambda error: _questions_page(form, service),
        done=lambda _result: saved(url_for(".service_surveys", service_id=service.id),
                                   _("Zapisano pytania ankiety.")))


def _questions_page(form, service, status=200):
    return render_template("quality/questions.html", form=form, service=service,
                           defaults=quality.DEFAULT_QUESTIONS, max_questions=quality.MAX_QUESTIONS), status


@bp.route("/quality/services/<int:service_id>/slips", methods=["GET", "POST"])
@role_required(*QUALITY)
def slips(service_id):
    service = _service(service_id)
    if request.method == "GET":
        form = SlipsForm(formdata=None)
        form.count.data = 10
        return _slips_page(form, service)
    form = SlipsForm()
    if not form.validate():
        return _slips_page(form, service, 422)
    return commit(
        lambda: surveys.issue_tokens(db.session, service.id, form.count.data, current_user), form=form,
        invalid=lambda error: _slips_page(form, service),
        done=lambda tokens: pdf_response(render_pdf(slips_html(service, tokens)),
                                         f"ankiety-{service.id}.pdf"))


def _slips_page(form, service, status=200):
    return render_template("quality/slips.html", form=form, service=service, max_count=surveys.MAX_TOKENS,
                           days=surveys.TOKEN_DAYS), status


def slips_html(service, tokens):
    """The HTML of the printable slips: one per code, each with its QR code,
    the short address and the code to type there."""
    return render_template("pdf/survey_slips.html", service=service, slips=surveys.slips(tokens),
                           short_url=surveys.short_url(), days=surveys.TOKEN_DAYS)


# --- quality standards -----------------------------------------------------------------------

@bp.route("/quality/standards")
@role_required(*QUALITY)
def standards():
    rows, share = quality.standards_overview(db.session)
    services = _active_services()
    with_standard = {row.service.id for row in rows}
    return render_template("quality/standards.html", rows=rows, share=share,
                           share_sentence=presenters.share_sentence(share) if share.providers else None,
                           without=[s for s in services if s.id not in with_standard])


def _standard_page(service, *, draft_form=None, approve_form=None, accept_form=None, status=200):
    versions = quality.standard_versions(db.session, service.id)
    approved = next((v for v in versions if v.status == "approved"), None)
    accepted = approved is not None and any(a.provider_id == service.provider_id for a in approved.acceptances)
    if accept_form is None and approved is not None and not accepted:
        accept_form = AcceptanceForm(formdata=None)
        accept_form.accepted_on.data = _today()
    return render_template("quality/standard.html", service=service, versions=versions, approved=approved,
                           accepted=accepted, accept_form=accept_form), status


@bp.route("/quality/services/<int:service_id>/standard")
@role_required(*QUALITY)
def standard(service_id):
    return _standard_page(_service(service_id))


@bp.route("/quality/services/<int:service_id>/standard/draft", methods=["GET", "POST"])
@role_required(*ORGANISER)
def standard_draft(service_id):
    service = _service(service_id)
    draft = quality.draft_standard(db.session, service.id)
    if request.method == "GET":
        form = StandardForm(formdata=None)
        if draft is not None:
            form.text.data, form.version.data = draft.text, str(draft.version)
        else:
            current = quality.approved_standard(db.session, service.id)
            form.text.data = current.text if current else None
        return _draft_page(form, service, draft)
    form = StandardForm()
    if not form.validate():
        return _draft_page(form, service, draft, 422)
    return commit(
        lambda: quality.save_draft(db.session, service, form.text.data, actor=current_user,
                                   expected_version=version_number(form.version.data) if draft else None),
        form=form, invalid=lambda error: _draft_page(form, service, draft),
        conflict=lambda error: _draft_conflict(form, service),
        done=lambda _draft: saved(url_for(".standard", service_id=service.id),
                                  _("Zapisano projekt standardu. Zatwierdza go dyrektor.")))


def _draft_page(form, service, draft, status=200, conflict=None):
    return render_template("quality/standard_draft.html", form=form, service=service, draft=draft,
                           conflict=conflict), status


def _draft_conflict(form, service):
    draft = quality.draft_standard(db.session, service.id)
    if draft is None:  # approved meanwhile: nothing to overwrite
        return _standard_page(service)
    rows = [(_("Treść standardu"), draft.text, form.text.data)]
    form.version.data = str(draft.version)
    return _draft_page(form, service, draft, conflict=rows)


@bp.route("/quality/standards/<int:standard_id>/approve", methods=["GET", "POST"])
@role_required(*DIRECTOR)
def standard_approve(standard_id):
    version = get_or_404(StandardVersion, standard_id)
    service = _service(version.service_id)
    if version.status != "draft":
        return redirect(url_for(".standard", service_id=service.id), code=303)
    if request.method == "GET":
        form = ApproveForm(formdata=None)
        form.version.data = str(version.version)
        return _approve_page(form, version, service)
    form = ApproveForm()
    if not form.validate():
        return _approve_page(form, version, service, 422)
    if not confirmed():
        return confirm_page(
            title=_("Zatwierdzić standard usługi „%(service)s”?", service=service.name),
            button=_("Zatwierdź standard"), cancel_url=url_for(".standard", service_id=service.id),
            intro=_("Po zatwierdzeniu tej wersji nie można już zmienić; zmiany wymagają nowej wersji."),
            facts=[(_("Numer zarządzenia"), form.order_number.data),
                   (_("Data zarządzenia"), format_date_long(form.order_date.data)),
                   (_("Wersja"), str(version.number))])
    return commit(
        lambda: quality.approve_standard(db.session, version, form.to_data(), actor=current_user,
                                         expected_version=version_number(form.version.data)),
        form=form, invalid=lambda error: _approve_page(form, version, service),
        conflict=lambda error: _standard_page(service),
        refused={TransitionError: lambda error: saved(url_for(".standard", service_id=service.id))},
        done=lambda _v: saved(url_for(".standard", service_id=service.id),
                              _("Standard zatwierdzony. Obowiązuje od teraz.")))


def _approve_page(form, version, service, status=200):
    return render_template("quality/standard_approve.html", form=form, standard=version, service=service), status


@bp.route("/quality/standards/<int:standard_id>/acceptance", methods=["POST"])
@role_required(*QUALITY)
def standard_accept(standard_id):
    version = get_or_404(StandardVersion, standard_id)
    service = _service(version.service_id)
    form = AcceptanceForm()
    if not form.validate():
        return _standard_page(service, accept_form=form, status=422)
    provider = db.session.get(Provider, service.provider_id)
    return commit(
        lambda: quality.record_acceptance(db.session, version, provider, form.accepted_on.data, actor=current_user),
        form=form, invalid=lambda error: _standard_page(service, accept_form=form),
        refused={TransitionError: lambda error: saved(url_for(".standard", service_id=service.id))},
        done=lambda _a: saved(url_for(".standard", service_id=service.id),
                              _("Zapisano przyjęcie standardu przez realizatora.")))


# --- on-site checks -----------------------------------------------------------------------------

CHECK_LABELS = field_labels(CheckForm)


@bp.route("/quality/checks")
@role_required(*QUALITY)
def checks():
    state = request.args.get("state", "")
    state = state if state in STATE_LABELS else ""
    today = _today()
    rows = quality.list_checks(db.session, state=state or None, today=today)
    return render_template("quality/checks.html", rows=rows, state=state, states=STATE_LABELS, today=today,
                           state_of=lambda check: quality.follow_up_state(check, today))


def _check_choices(form):
    providers = db.session.scalars(select(Provider).order_by(polish_order(Provider.name))).all()
    services = db.session.scalars(select(Service).where(Service.status != "archived")
                                  .options(selectinload(Service.provider)).order_by(polish_order(Service.name))).all()
    form.set_choices(providers, services)


def _check_page(form, check, status=200, conflict=None):
    return render_template("quality/check_form.html", form=form, check=check, conflict=conflict), status


@bp.route("/quality/checks/new", methods=["GET", "POST"])
@role_required(*QUALITY)
def check_new():
    if request.method == "GET":
        form = CheckForm(formdata=None)
        _check_choices(form)
        form.checked_on.data = _today()
        return _check_page(form, None)
    form = CheckForm()
    _check_choices(form)
    if not form.validate():
        return _check_page(form, None, 422)
    return commit(
        lambda: quality.create_check(db.session, form.to_data(), actor=current_user), form=form,
        invalid=lambda error: _check_page(form, None),
        done=lambda check: saved(url_for(".check_detail", check_id=check.id), _("Zapisano kontrolę.")))


@bp.route("/quality/checks/<int:check_id>")
@role_required(*QUALITY)
def check_detail(check_id):
    check = get_or_404(ProviderCheck, check_id)
    quality.record_view(check, actor=current_user, session=db.session)
    db.session.commit()
    check = get_or_404(ProviderCheck, check_id)
    today = _today()
    return render_template("quality/check.html", check=check, state=quality.follow_up_state(check, today),
                           states=STATE_LABELS, today=today)


@bp.route("/quality/checks/<int:check_id>/edit", methods=["GET", "POST"])
@role_required(*QUALITY)
def check_edit(check_id):
    check = get_or_404(ProviderCheck, check_id)
    if request.method == "GET":
        form = CheckForm(formdata=None)
        _check_choices(form)
        form.fill(quality.check_data(check))
        form.version.data = str(check.version)
        return _check_page(form, check)
    form = CheckForm()
    _check_choices(form)
    if not form.validate():
        return _check_page(form, check, 422)
    data = form.to_data()
    return commit(
        lambda: quality.update_check(db.session, check, data, actor=current_user,
                                     expected_version=version_number(form.version.data)), form=form,
        invalid=lambda error: _check_page(form, check),
        conflict=lambda error: _check_conflict(form, check_id, data),
        done=lambda _c: saved(url_for(".check_detail", check_id=check_id), _("Zapisano zmiany.")))


def _check_conflict(form, check_id, data):
    check = get_or_404(ProviderCheck, check_id)
    rows = [(CHECK_LABELS.get(name, name), saved_value, yours)
            for name, saved_value, yours in quality.check_conflicts(check, data)]
    form.version.data = str(check.version)
    return _check_page(form, check, conflict=rows)
