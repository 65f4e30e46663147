"""Pages of the register of complaints and requests.

load (404 also when the person may not see the complaint: a complaint about
them must not be told apart from one that does not exist) -> check (403 when
they see it but may not do this) -> service -> commit -> 303, or the page
again with the input kept (422) or the conflict (409). Every page of a
complaint and every change is recorded in the audit trail; URLs carry only
the complaint's id.
"""
from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import submissions
from ..auth.access import role_required
from ..auth.models import Role
from ..confirm import confirm_page, confirmed
from ..core import deadlines
from ..core.errors import Frozen, version_number
from ..core.views import ACTION_CONFLICT_NOTE, commit, saved
from ..extensions import db
from ..pdf import pdf_response
from ..timeutil import local_now
from ..web import is_region
from ..web import render as _render
from . import access, bp, letters
from . import services as complaints
from .forms import ActionDoneForm, ActionForm, AnswerForm, AssignForm, ComplaintForm, ExtendForm
from .models import KINDS, OUTCOME_LABELS, Complaint, FollowUpAction

FORM = "complaint"


def _today():
    return local_now().date()


def _load(complaint_id, allowed=access.can_see):
    """The complaint if the user may see it (else 404), and 403 unless `allowed`."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or not access.can_see(current_user, complaint):
        abort(404)
    if not allowed(current_user, complaint):
        abort(403)
    return complaint


def _complaint_form(formdata=True, complaint=None):
    services, providers = complaints.catalogue_choices(db.session)
    staff = complaints.staff_choices(db.session)
    if complaint is not None:
        form = ComplaintForm.of(complaint)
    else:
        form = ComplaintForm() if formdata else ComplaintForm(formdata=None)
    return form.fill(services, providers, staff)


def _form_page(form, complaint=None, status=200, conflict=None):
    return _render("complaints/form.html", form=form, complaint=complaint, conflict=conflict), status


# --- the list -----------------------------------------------------------------------------

@bp.route("/")
@role_required(*access.REGISTER_ROLES)
def index():
    state = request.args.get("state") or "open"
    state = state if state in complaints.STATES else "open"
    kind = request.args.get("kind") or ""
    kind = kind if kind in KINDS else ""
    today = _today()
    rows = complaints.listing(db.session, current_user, state=state, kind=kind or None, today=today)
    template = "complaints/_list.html" if is_region("complaint-rows") else "complaints/index.html"
    return _render(template, rows=rows, state=state, kind=kind, today=today,
                   states=complaints.STATE_LABELS, kinds=KINDS, deadline=_deadline,
                   urgent=complaints.urgent(db.session, current_user, today),
                   can_register=current_user.role in access.INTAKE_ROLES)


def _deadline(complaint, today):
    return deadlines.complaint_deadline(complaint.due, today) if complaint.is_open else None


# --- registering and correcting -----------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@role_required(*access.INTAKE_ROLES)
def new():
    form = _complaint_form(formdata=request.method == "POST")
    if not submissions.valid_key(form.submission.data):
        form.submission.data = submissions.new_key()
    if request.method == "GET":
        form.received_on.data = _today()
        form.kind.data = "complaint"
        return _form_page(form)
    earlier = submissions.find(db.session, form.submission.data, FORM)
    if earlier is not None and db.session.get(Complaint, earlier.object_id or 0) is not None:
        return saved(url_for(".index"), _("Ta sprawa jest już zarejestrowana."))
    if not form.validate():
        return _form_page(form, status=422)

    def register():
        complaint = complaints.register(db.session, form.to_data(), actor=current_user)
        submissions.claim(db.session, form.submission.data, FORM, complaint)
        return complaint

    return commit(
        register, form=form, invalid=lambda error: _form_page(form),
        refused={IntegrityError: lambda error: saved(url_for(".index"), _("Ta sprawa jest już zarejestrowana."))},
        done=lambda complaint: saved(_after_register(complaint),
                                     _("Zarejestrowano sprawę %(number)s.", number=complaint.number)))


def _after_register(complaint):
    return url_for(".detail", complaint_id=complaint.id) if access.can_see(current_user, complaint) \
        else url_for(".index")


@bp.route("/<int:complaint_id>/edit", methods=["GET", "POST"])
@role_required(*access.REGISTER_ROLES)
def edit(complaint_id):
    complaint = _load(complaint_id, access.can_edit)
    if request.method == "GET":
        complaints.viewed(db.session, complaint, actor=current_user)
        db.session.commit()
        return _form_page(_complaint_form(complaint=complaint), complaint)
    form = _complaint_form()
    if not form.validate():
        return _form_page(form, complaint, 422)
    data = form.to_data()
    return commit(
        lambda: complaints.update(db.session, complaint, data, actor=current_user,
                                  expected_version=version_number(form.version.data)),
        form=form, invalid=lambda error: _form_page(form, complaint),
        conflict=lambda error: _edit_conflict(form, complaint_id, data),
        refused={Frozen: lambda error: _frozen(complaint_id)},
        done=lambda _c: saved(url_for(".detail", complaint_id=complaint_id), _("Zapisano zmiany.")))


def _edit_conflict(form, complaint_id, data):
    complaint = _load(complaint_id, access.can_edit)
    labels = {name: form[name].label.text for name in data}
    rows = [(labels[name], getattr(complaint, name), value) for name, value in data.items()
            if getattr(complaint, name) != value]
    form.version.data = complaint.version
    return _form_page(form, complaint, conflict=rows)


def _frozen(complaint_id):
    return saved(url_for(".detail", complaint_id=complaint_id),
                 _("Sprawa jest zamknięta: nie można jej już zmieniać."), "error")


# --- the complaint's page -----------------------------------------------------------------

def _detail_page(complaint, status=200, *, assign_form=None, action_form=None, conflict=False):
    today = _today()
    if assign_form is None:
        assign_form = AssignForm(formdata=None)
        assign_form.handler_id.data = complaint.handler_id
    assign_form.handler_id.choices = [("", _("— wybierz"))] + [
        (u.id, f"{u.full_name} ({u.role_label})") for u in complaints.handlers(db.session, complaint)]
    if action_form is None:
        action_form = ActionForm(formdata=None)
    action_form.responsible_id.choices = [("", _("— nikt wskazany"))] + [
        (u.id, u.full_name) for u in complaints.staff_choices(db.session)]
    return _render(
        "complaints/detail.html", complaint=complaint, deadline=_deadline(complaint, today), today=today,
        can_work=access.can_work(current_user, complaint), can_edit=access.can_edit(current_user, complaint),
        can_assign=access.can_assign(current_user, complaint),
        sees_complainant=access.sees_complainant(current_user, complaint),
        assign_form=assign_form, action_form=action_form, done_form=ActionDoneForm(formdata=None),
        conflict_note=ACTION_CONFLICT_NOTE if conflict else None,
    ), status


@bp.route("/<int:complaint_id>")
@role_required(*access.REGISTER_ROLES)
def detail(complaint_id):
    complaint = _load(complaint_id)
    complaints.viewed(db.session, complaint, actor=current_user)
    db.session.commit()
    return _detail_page(_load(complaint_id))


def _action_conflict(complaint_id):
    db.session.expire_all()
    return _detail_page(_load(complaint_id), conflict=True)


@bp.route("/<int:complaint_id>/assign", methods=["POST"])
@role_required(Role.DIRECTOR)
def assign(complaint_id):
    complaint = _load(complaint_id, access.can_assign)
    form = AssignForm()
    form.handler_id.choices = [(u.id, u.full_name) for u in complaints.handlers(db.session, complaint)]
    if not form.validate():
        return _detail_page(complaint, 422, assign_form=form)
    return commit(
        lambda: complaints.assign(db.session, complaint, form.handler_id.data, actor=current_user,
                                  expected_version=version_number(form.version.data)),
        form=form, invalid=lambda error: _detail_page(_load(complaint_id), assign_form=form),
        conflict=lambda error: _action_conflict(complaint_id),
        refused={Frozen: lambda error: _frozen(complaint_id)},
        done=lambda c: saved(url_for(".detail", complaint_id=complaint_id),
                             _("Przydzielono sprawę: %(name)s.", name=c.handler.full_name)))


def _work_form(complaint_id, form_class, template, save, message, prepare=None):
    """The extension and the answer: a page with a form of the handler's, saved by `save(complaint, data, version)`."""
    complaint = _load(complaint_id, access.can_work)
    if complaint.status == "closed":
        return _frozen(complaint_id)

    def page(form, status=200, conflict=None):
        if prepare:
            prepare(form, complaint)
        return _render(template, form=form, complaint=complaint, conflict=conflict), status

    if request.method == "GET":
        form = form_class(formdata=None, obj=complaint)
        form.version.data = complaint.version
        return page(form)
    form = form_class()
    if prepare:
        prepare(form, complaint)
    if not form.validate():
        return page(form, 422)
    data = form.to_data()
    return commit(
        lambda: save(complaint, data, version_number(form.version.data)),
        form=form, invalid=lambda error: page(form),
        conflict=lambda error: _work_conflict(complaint_id, form, data, page),
        refused={Frozen: lambda error: _frozen(complaint_id)},
        done=lambda _c: saved(url_for(".detail", complaint_id=complaint_id), message))


def _work_conflict(complaint_id, form, data, page):
    complaint = _load(complaint_id, access.can_work)
    rows = [(form[name].label.text, getattr(complaint, name), value) for name, value in data.items()
            if getattr(complaint, name) != value]
    form.version.data = complaint.version
    return page(form, conflict=rows)


@bp.route("/<int:complaint_id>/extend", methods=["GET", "POST"])
@role_required(*access.REGISTER_ROLES)
def extend(complaint_id):
    return _work_form(
        complaint_id, ExtendForm, "complaints/extend.html",
        lambda complaint, data, version: complaints.extend(db.session, complaint, data, actor=current_user,
                                                           expected_version=version),
        _("Przedłużono termin odpowiedzi."))


def _outcomes(form, complaint):
    form.label_outcomes(OUTCOME_LABELS[complaint.kind])
    if request.method == "GET" and form.answered_on.data is None:
        form.answered_on.data = _today()


@bp.route("/<int:complaint_id>/answer", methods=["GET", "POST"])
@role_required(*access.REGISTER_ROLES)
def answer(complaint_id):
    return _work_form(
        complaint_id, AnswerForm, "complaints/answer.html",
        lambda complaint, data, version: complaints.answer(db.session, complaint, data, actor=current_user,
                                                           expected_version=version),
        _("Zapisano odpowiedź."), prepare=_outcomes)


@bp.route("/<int:complaint_id>/close", methods=["POST"])
@role_required(*access.REGISTER_ROLES)
def close(complaint_id):
    complaint = _load(complaint_id, access.can_work)
    if not confirmed():
        return confirm_page(
            title=_("Zamknąć sprawę %(number)s?", number=complaint.number), button=_("Zamknij sprawę"),
            cancel_url=url_for(".detail", complaint_id=complaint_id),
            consequences=[_("Po zamknięciu nie można zmienić danych sprawy, odpowiedzi ani wyniku."),
                          _("Działania naprawcze można nadal oznaczać jako wykonane.")],
            facts=[(_("Wynik"), complaint.outcome_label or "—"),
                   (_("Data odpowiedzi"), complaint.answered_on.strftime("%d.%m.%Y") if complaint.answered_on
                    else "—")])
    return commit(
        lambda: complaints.close(db.session, complaint, actor=current_user,
                                 expected_version=request.form.get("version")),
        invalid=lambda error: _detail_refusal(complaint_id, error),
        conflict=lambda error: _action_conflict(complaint_id),
        refused={Frozen: lambda error: _frozen(complaint_id)},
        done=lambda _c: saved(url_for(".detail", complaint_id=complaint_id), _("Sprawa jest zamknięta.")))


def _detail_refusal(complaint_id, error):
    return saved(url_for(".detail", complaint_id=complaint_id), error.message, "error")


# --- follow-up actions ----------------------------------------------------------------------

@bp.route("/<int:complaint_id>/actions", methods=["POST"])
@role_required(*access.REGISTER_ROLES)
def action_new(complaint_id):
    complaint = _load(complaint_id, access.can_work)
    form = ActionForm()
    form.responsible_id.choices = [("", "")] + [(u.id, u.full_name) for u in complaints.staff_choices(db.session)]
    if not form.validate():
        return _detail_page(complaint, 422, action_form=form)
    return commit(
        lambda: complaints.add_action(db.session, complaint, form.to_data(), actor=current_user),
        form=form, invalid=lambda error: _detail_page(_load(complaint_id), action_form=form),
        done=lambda _a: saved(url_for(".detail", complaint_id=complaint_id) + "#actions",
                              _("Dodano działanie.")))


@bp.route("/<int:complaint_id>/actions/<int:action_id>/done", methods=["POST"])
@role_required(*access.REGISTER_ROLES)
def action_done(complaint_id, action_id):
    complaint = _load(complaint_id, access.can_work)
    action = db.session.get(FollowUpAction, action_id)
    if action is None or action.complaint_id != complaint.id:
        abort(404)
    form = ActionDoneForm()
    if not form.validate():
        message = next(iter(form.errors.values()))[0] if form.errors else _("Podaj datę wykonania.")
        return saved(url_for(".detail", complaint_id=complaint_id) + "#actions", message, "error")
    return commit(
        lambda: complaints.action_done(db.session, action, form.done_on.data, actor=current_user),
        invalid=lambda error: _detail_refusal(complaint_id, error),
        done=lambda _a: saved(url_for(".detail", complaint_id=complaint_id) + "#actions",
                              _("Działanie oznaczono jako wykonane.")))


# --- the letter -------------------------------------------------------------------------------

@bp.route("/<int:complaint_id>/letter")
@role_required(*access.REGISTER_ROLES)
def letter(complaint_id):
    complaint = _load(complaint_id, access.can_work)
    if complaint.anonymous or not complaint.answered_on or not complaint.answer_text:
        return saved(url_for(".detail", complaint_id=complaint_id),
                     _("Pismo można wydrukować po zapisaniu odpowiedzi, gdy wiadomo, do kogo ją wysłać."), "error")
    pdf = letters.render_pdf_bytes(complaint)
    complaints.viewed(db.session, complaint, actor=current_user, action="print")
    db.session.commit()
    return pdf_response(pdf, f"odpowiedz-{complaint.number_seq}-{complaint.number_year}.pdf")

