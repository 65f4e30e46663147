"""Assessment pages: the list, start, the assessment, its form, the
special-category section (its own page, its own audit event) and the PDF.

Every view runs load (404) -> check access (403) -> call a service ->
commit -> 303, or renders the form again with the input kept (422 invalid,
409 saved by someone else in between). Every display and print is recorded
in the assessment's audit trail and in the person's access trail.
"""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..auth.access import role_required
from ..auth.models import Role
from ..catalogue.models import UNITS, Service
from ..core.views import commit, found, saved
from ..desk.models import Request
from ..extensions import db
from ..pdf import pdf_response, render_pdf
from ..residents import services as people
from ..residents.models import Resident
from ..text import polish_order
from ..validation import whole_number as _int
from . import access, bp
from . import services as assessments
from .forms import AssessmentForm, SensitiveForm
from .models import (
    DISABILITY,
    DISABILITY_DEGREES,
    EDUCATION,
    LABOUR_STATUSES,
    MARITAL_STATUSES,
    MINORITY,
    PLACES,
    READINESS,
    STATUSES,
    SUPPORT_KINDS,
    SUPPORT_SOURCES,
)

LIST_LIMIT = 200


@bp.context_processor
def _labels():
    return {
        "assessment_statuses": STATUSES, "places": PLACES, "education_labels": EDUCATION,
        "labour_labels": LABOUR_STATUSES, "marital_labels": MARITAL_STATUSES, "readiness_labels": READINESS,
        "support_sources": SUPPORT_SOURCES, "support_kinds": SUPPORT_KINDS, "minority_labels": MINORITY,
        "disability_labels": DISABILITY, "degree_labels": DISABILITY_DEGREES, "unit_labels": UNITS,
    }


@bp.app_context_processor
def _request_panel():
    """`assessment_panel(request)` for the desk's request page: this request's
    assessments the user may open, and whether they may start one."""

    def assessment_panel(item):
        if not current_user.is_authenticated or current_user.role not in access.READ_ROLES:
            return None
        if item.kind != "application":
            return None
        found = [a for a in assessments.of_request(db.session, item) if access.can_view(current_user, a)]
        may_start = access.can_start_for_request(current_user, item) and not any(a.is_draft for a in found)
        return {"assessments": found, "may_start": may_start, "statuses": STATUSES}

    return {"assessment_panel": assessment_panel}


# --- helpers ----------------------------------------------------------------------------------

def _load(assessment_id):
    return found(assessments.load(db.session, assessment_id),
                 lambda assessment: access.can_view(current_user, assessment))


def _editable(assessment_id):
    """The draft for its form, or a redirect to the read-only page."""
    assessment = _load(assessment_id)
    if not access.is_case_coordinator(current_user, assessment):
        abort(403)
    return assessment


def _reason(assessment):
    return f"request:{assessment.request_id}" if assessment.request_id else "case"


def _service_choices(assessment=None):
    """Active catalogue services, plus any already on the assessment (even if archived since)."""
    keep = {r.service_id for r in assessment.services_wanted if r.service_id} if assessment else set()
    rows = db.session.scalars(
        select(Service).where((Service.status != "archived") | Service.id.in_(keep or {0}))
        .order_by(polish_order(Service.name), Service.id)).all()
    return [("", _("— wybierz z katalogu"))] + [(str(s.id), s.name) for s in rows]


def _field_labels():
    form = AssessmentForm(formdata=None, meta={"csrf": False})
    labels = {name: form[name].label.text for name in assessments.FIELDS}
    labels["services_wanted"] = _("Usługi, z których osoba chce skorzystać")
    sensitive = SensitiveForm(formdata=None, meta={"csrf": False})
    labels.update({name: sensitive[name].label.text for name in SensitiveForm.FIELDS})
    return labels


def _display(key, value):
    """A stored or submitted value in words, for the conflict table."""
    if value in (None, "", []):
        return None
    mapping = {"place": PLACES, "education": EDUCATION, "labour_status": LABOUR_STATUSES,
               "marital_status": MARITAL_STATUSES, "readiness": READINESS, "minority": MINORITY,
               "disability": DISABILITY, "disability_degree": DISABILITY_DEGREES}.get(key)
    if mapping is not None:
        return str(mapping.get(value, value))
    if key.startswith("support_") and key != "support_notes":
        kinds = value.split(",") if isinstance(value, str) else value
        return ", ".join(str(SUPPORT_KINDS.get(k, k)) for k in kinds)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return value


def _pages_context(assessment):
    return {
        "resident_link": url_for("residents.detail", resident_id=assessment.resident_id, purpose="case"),
        "request_link": (url_for("desk.request_detail", request_id=assessment.request_id)
                         if assessment.request_id else None),
        "may_edit": access.can_edit(current_user, assessment),
    }


# --- the list ------------------------------------------------------------------------------------

@bp.route("/")
@role_required(*access.READ_ROLES)
def index():
    status = request.args.get("status", "")
    status = status if status in STATUSES else None
    coordinator_id = current_user.id if current_user.role == Role.COORDINATOR else None
    rows = assessments.listing(db.session, coordinator_id=coordinator_id, status=status, limit=LIST_LIMIT)
    return render_template("assessment/index.html", rows=rows, status=status, limit=LIST_LIMIT)


# --- start ------------------------------------------------------------------------------------------

@bp.route("/start", methods=["POST"])
@role_required(*access.WRITE_ROLES)
def start():
    request_id = _int(request.form.get("request_id"))
    resident_id = _int(request.form.get("resident_id"))
    if request_id:
        item = db.session.get(Request, request_id)
        if item is None:
            abort(404)
        if item.coordinator_id != current_user.id:
            abort(403)
        back = url_for("desk.request_detail", request_id=item.id)
        kwargs = {"request": item}
    elif resident_id:
        resident = db.session.get(Resident, resident_id)
        if resident is None:
            abort(404)
        if not access.can_start_for_resident(current_user, resident):
            abort(403)
        back = url_for("residents.detail", resident_id=resident.id, purpose="case")
        kwargs = {"resident": resident}
    else:
        abort(400)
    try:
        assessment, created = assessments.start(db.session, actor=current_user, **kwargs)
        db.session.commit()
    except assessments.AssessmentError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(back, code=303)
    except StaleDataError:
        db.session.rollback()
        flash(_("Ktoś inny zmienił to zgłoszenie w międzyczasie. Spróbuj ponownie."), "error")
        return redirect(back, code=303)
    if created:
        flash(_("Rozpoczęto diagnozę %(number)s. Możesz ją zapisywać jako szkic i dokończyć później.",
                number=assessment.number), "success")
    else:
        flash(_("Ta diagnoza jest już rozpoczęta — otwieramy jej szkic."), "success")
    return redirect(url_for(".edit", assessment_id=assessment.id), code=303)


# --- the assessment ------------------------------------------------------------------------------

@bp.route("/<int:assessment_id>")
@role_required(*access.READ_ROLES)
def detail(assessment_id):
    assessment = _load(assessment_id)
    assessments.record_view(db.session, assessment, actor=current_user, reason=_reason(assessment))
    db.session.commit()
    return render_template("assessment/detail.html", a=assessment,
                           resident=people.surviving(db.session, assessment.resident),
                           **_pages_context(assessment))


def _edit_page(form, assessment, status=200, *, conflict=None, sensitive_errors=None, notice=None):
    return render_template("assessment/edit.html", form=form, a=assessment, conflict=conflict,
                           sensitive_errors=sensitive_errors, notice=notice,
                           resident=people.surviving(db.session, assessment.resident),
                           **_pages_context(assessment)), status


def _new_form(assessment):
    form = AssessmentForm(formdata=None, data=AssessmentForm.data_of(assessment))
    form.version.data = str(assessment.version)
    form.add_blank_rows()
    form.set_services(_service_choices(assessment))
    return form


@bp.route("/<int:assessment_id>/edit", methods=["GET", "POST"])
@role_required(*access.WRITE_ROLES)
def edit(assessment_id):
    assessment = _editable(assessment_id)
    if not assessment.is_draft:
        flash(_("Diagnoza jest zakończona i nie można jej już zmieniać. Jeśli sytuacja osoby się zmieniła, "
                "przeprowadź nową diagnozę."), "error")
        return redirect(url_for(".detail", assessment_id=assessment_id), code=303)
    if request.method == "GET":
        assessments.record_view(db.session, assessment, actor=current_user, reason="edit")
        db.session.commit()
        return _edit_page(_new_form(assessment), assessment)

    form = AssessmentForm()
    form.set_services(_service_choices(assessment))
    action = request.form.get("action", "save")
    if action == "add_row":
        # Nothing saved: the same input, one more empty row.
        form.add_blank_rows(1)
        form.set_services(_service_choices(assessment))
        return _edit_page(form, assessment)
    if not form.validate():
        return _edit_page(form, assessment, 422)
    data, rows = form.to_data(), form.service_rows()

    def change():
        if action != "complete":
            return assessments.save(db.session, assessment, data, actor=current_user,
                                    expected_version=form.version.data, services=rows)
        try:
            return assessments.complete(db.session, assessment, data, actor=current_user,
                                expected_version=form.version.data, services=rows)
        except assessments.Incomplete as incomplete:
            return incomplete  # the draft is saved; completion waits for the missing fields

    def invalid(error):
        if error.field == "status":  # completed in the meantime
            return saved(url_for(".detail", assessment_id=assessment_id), str(error.message), "error")
        _field_error(form, error)
        return _edit_page(form, _editable(assessment_id))

    def done(result):
        if isinstance(result, assessments.Incomplete):
            current = assessments.load(db.session, assessment_id)
            form.version.data = str(current.version)
            for name, message in result.errors.items():
                form[name].errors = list(form[name].errors or []) + [str(message)]
            return _edit_page(form, current, 422, sensitive_errors=result.sensitive_errors,
                              notice=_("Zapisano szkic. Aby zakończyć diagnozę, uzupełnij zaznaczone pola."))
        if action == "complete":
            return saved(url_for(".detail", assessment_id=assessment_id),
                         _("Zakończono diagnozę %(number)s. Wydrukuj ją do podpisu.", number=assessment.number))
        endpoint = ".sensitive_edit" if action == "sensitive" else ".edit"
        return saved(url_for(endpoint, assessment_id=assessment_id), _("Zapisano szkic diagnozy."))

    return commit(change, invalid=invalid, done=done,
                  conflict=lambda error: _conflict(form, assessment_id, data, rows))


def _field_error(form, error):
    target = None
    if error.field in form and error.field not in ("services", "version"):
        target = form[error.field]
    elif error.field.startswith("services-"):
        _prefix, index, name = error.field.split("-", 2)
        entry = form.row_index_map().get(int(index)) if index.isdigit() else None
        if entry is not None and name in entry.form:
            target = entry.form[name]
    if target is None and error.field == "services" and form.services.entries:
        target = form.services.entries[-1].form.name  # too many rows: said at the last one
    if target is None:
        target = form.needs
    target.errors = list(target.errors or []) + [str(error.message)]


def _conflict(form, assessment_id, data, rows):
    """Someone saved in between: both versions side by side, nothing overwritten.
    The form keeps the user's input and takes the new version, so saving it
    again applies their changes knowingly."""
    current = _editable(assessment_id)
    if not current.is_draft:
        flash(_("W międzyczasie ktoś zakończył tę diagnozę. Twoje zmiany nie zostały zapisane."), "error")
        return redirect(url_for(".detail", assessment_id=assessment_id), code=303)
    labels = _field_labels()
    table = [(labels[key], _display(key, theirs), _display(key, yours))
             for key, theirs, yours in assessments.conflicts(current, data)]
    if assessments.services_conflict(db.session, current, rows):
        table.append((labels["services_wanted"], "; ".join(r.display_name for r in current.services_wanted),
                      _("lista z Twojego formularza")))
    form.version.data = str(current.version)
    return _edit_page(form, current, conflict=table)


# --- the special-category section ---------------------------------------------------------------

@bp.route("/<int:assessment_id>/sensitive")
@role_required(*access.READ_ROLES)
def sensitive(assessment_id):
    assessment = _load(assessment_id)
    row = assessments.sensitive_of(db.session, assessment)
    assessments.record_view(db.session, assessment, actor=current_user, reason=_reason(assessment), sensitive=True)
    db.session.commit()
    return render_template("assessment/sensitive.html", a=assessment, s=row,
                           resident=people.surviving(db.session, assessment.resident),
                           **_pages_context(assessment))


def _sensitive_page(form, assessment, status=200, conflict=None):
    return render_template("assessment/sensitive_edit.html", form=form, a=assessment, conflict=conflict,
                           resident=people.surviving(db.session, assessment.resident),
                           **_pages_context(assessment)), status


@bp.route("/<int:assessment_id>/sensitive/edit", methods=["GET", "POST"])
@role_required(*access.WRITE_ROLES)
def sensitive_edit(assessment_id):
    assessment = _editable(assessment_id)
    if not assessment.is_draft:
        flash(_("Diagnoza jest zakończona i nie można jej już zmieniać."), "error")
        return redirect(url_for(".sensitive", assessment_id=assessment_id), code=303)
    row = assessments.sensitive_of(db.session, assessment)
    if request.method == "GET":
        form = SensitiveForm(formdata=None, data=SensitiveForm.data_of(row))
        form.version.data = str(row.version)
        assessments.record_view(db.session, assessment, actor=current_user, reason="edit", sensitive=True)
        db.session.commit()
        return _sensitive_page(form, assessment)

    form = SensitiveForm()
    if not form.validate():
        return _sensitive_page(form, assessment, 422)
    data = form.to_data()

    def conflict(error):
        assessment = _editable(assessment_id)
        current = assessments.sensitive_of(db.session, assessment)
        labels = _field_labels()
        table = [(labels[key], _display(key, theirs), _display(key, yours))
                 for key, theirs, yours in assessments.sensitive_conflicts(current, data)]
        form.version.data = str(current.version)
        db.session.commit()
        return _sensitive_page(form, assessment, conflict=table)

    return commit(
        lambda: assessments.save_sensitive(db.session, assessment, data, actor=current_user,
                                   expected_version=form.version.data),
        form=form, fallback="health", conflict=conflict,
        invalid=lambda error: _sensitive_page(form, _editable(assessment_id)),
        done=lambda _result: saved(url_for(".edit", assessment_id=assessment_id),
                                   _("Zapisano dane szczególnych kategorii.")))


# --- the PDF ---------------------------------------------------------------------------------------

@bp.route("/<int:assessment_id>/pdf")
@role_required(*access.READ_ROLES)
def pdf(assessment_id):
    """The paper form, filled in, for signatures; a draft prints marked "PROJEKT"."""
    assessment = _load(assessment_id)
    row = assessments.sensitive_of(db.session, assessment)
    html = render_template("assessment/pdf.html", a=assessment, s=row,
                           resident=people.surviving(db.session, assessment.resident),
                           draft=assessment.is_draft, doc_number=assessment.number)
    document = render_pdf(html)
    assessments.record_print(db.session, assessment, actor=current_user, reason=_reason(assessment))
    db.session.commit()
    return pdf_response(document, f"diagnoza-{assessment.id}.pdf")
