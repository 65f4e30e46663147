"""Plans (IPUS): drafting from an assessment, the plan's page with its
versions and steps, approval, signatures, updates, printing; single grants;
the approval queue and the director's delegations; waiting lists.

Views run load -> check access -> call a service -> commit -> 303, or render
the form again with the input kept (422 invalid, 409 changed by someone else
or frozen). The plan form's items are one region ("plan-items"): htmx asks
for it alone when an item is added, removed or checked against capacity, and
the same buttons work as full-page posts without JavaScript.
"""
from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import RequestEntityTooLarge

from ..assessment.models import Assessment
from ..auth.access import role_required
from ..auth.models import Role, User
from ..catalogue.models import UNITS, Provider, Service
from ..confirm import confirm_page, confirmed
from ..core.deadlines import max_valid_until, plan_deadline, submitted_late
from ..core.errors import DataError, DomainError, Frozen, NotAllowed, VersionConflict
from ..core.forms import parse_day
from ..desk.models import Request
from ..extensions import db
from ..pdf import pdf_response
from ..residents.access import visible_residents
from ..residents.models import Resident
from ..residents.services import record_access
from ..text import polish_order
from ..web import int_or_none as _int
from ..web import region as _region
from ..web import render as _render
from ..web import today as _today
from . import access, bp, capacity, printing
from . import services as ops
from .capacity import CapacityFull
from .delegations import grant_delegation, revoke_delegation
from .forms import (
    ApproveForm,
    CancelForm,
    DelegationForm,
    GrantForm,
    PlanForm,
    ReturnForm,
    SignatureForm,
    SubmitForm,
    VersionOnlyForm,
    WaitingForm,
    WaitingStatusForm,
    show_date,
)
from .grants import cancel_grant, grant_service, grants_for
from .models import (
    CHECK_FREQUENCIES,
    PLAN_STATUSES,
    SIGNER_ROLES,
    SUPPORTS,
    VERSION_STATUSES,
    ApprovalDelegation,
    ApprovalStep,
    Plan,
    PlanItem,
    PlanVersion,
    ServiceGrant,
    Signature,
    WaitingListEntry,
)
from .scans import MAX_SCAN_BYTES, TYPES_BY_EXTENSION, scan_dir, scan_path
from .waiting import add_to_waiting_list, resolve_waiting, waiting_counts, waiting_lists

ITEMS_REGION = "plan-items"


# --- helpers ------------------------------------------------------------------------------------

def _day(text, default):
    return parse_day(text) or default


def _message(error):
    return str(getattr(error, "message", error))


@bp.context_processor
def _labels():
    return {"plan_statuses": PLAN_STATUSES, "version_statuses": VERSION_STATUSES, "signer_roles": SIGNER_ROLES,
            "frequencies": CHECK_FREQUENCIES, "supports_labels": SUPPORTS, "units": UNITS}


def _plan_query():
    return select(Plan).options(
        selectinload(Plan.resident), selectinload(Plan.request), selectinload(Plan.coordinator),
        selectinload(Plan.assessment),
        selectinload(Plan.versions).selectinload(PlanVersion.items).selectinload(PlanItem.service)
        .selectinload(Service.provider),
        selectinload(Plan.versions).selectinload(PlanVersion.items).selectinload(PlanItem.provider),
        selectinload(Plan.versions).selectinload(PlanVersion.steps).selectinload(ApprovalStep.actor),
        selectinload(Plan.versions).selectinload(PlanVersion.signatures).selectinload(Signature.recorded_by),
        selectinload(Plan.versions).selectinload(PlanVersion.approved_by),
    )


def _load_plan(plan_id, *, work=False, files=False):
    """The plan if the user may see it (work=True: may change it;
    files=True: may print it and open its scans), else 403/404."""
    plan = db.session.scalar(_plan_query().where(Plan.id == plan_id))
    if plan is None:
        abort(404)
    if work:
        allowed = access.can_work_on(current_user, plan)
    elif files:
        allowed = access.can_print(current_user, plan)
    else:
        allowed = access.can_view_plan(current_user, plan, _today())
    if not allowed:
        abort(403)
    return plan


def _version(plan, number):
    version = next((v for v in plan.versions if v.number == number), None)
    if version is None:
        abort(404)
    return version


def _providers():
    return db.session.scalars(select(Provider).where(Provider.status != "archived")
                              .order_by(polish_order(Provider.name))).all()


def _services():
    return db.session.scalars(select(Service).where(Service.status == "active")
                              .order_by(polish_order(Service.name))).all()


def _services_by_id(ids):
    ids = [i for i in ids if i]
    if not ids:
        return {}
    rows = db.session.scalars(select(Service).where(Service.id.in_(ids)).options(
        selectinload(Service.provider), selectinload(Service.places), selectinload(Service.schedule_rules))).all()
    return {s.id: s for s in rows}


def _item_rows(form, plan=None):
    """(subform, service, capacity check) per item of the form, for the template."""
    data = [entry.form.to_data() for entry in form.items]
    services = _services_by_id([d["service_id"] for d in data])
    for d in data:
        d["service"] = services.get(d["service_id"])
    checks = capacity.check_items(db.session, data, exclude_plan_id=plan.id if plan else None)
    rows = []
    for index, (entry, d) in enumerate(zip(form.items, data)):
        service = d["service"]
        check = checks.get(service.id) if service else None
        rows.append((index, entry.form, service, check if check and index in check.items else None))
    return rows


def _waiting_link(plan_or_assessment, item_form, service):
    return url_for(".waiting", service=service.id, resident=plan_or_assessment.resident_id,
                   quantity=item_form.quantity.data or 1, period_from=item_form.period_from.data or None,
                   period_to=item_form.period_to.data or None)


def _form_page(form, status=200, *, plan=None, assessment=None, conflict=None, notice=None):
    template = "plans/_items.html" if _region() == ITEMS_REGION else "plans/form.html"
    subject = plan or assessment
    return _render(template, status, form=form, plan=plan, assessment=assessment, conflict=conflict,
                   notice=notice, rows=_item_rows(form, plan), subject=subject,
                   waiting_link=lambda item_form, service: _waiting_link(subject, item_form, service),
                   action=(url_for(".edit", plan_id=plan.id) if plan
                           else url_for(".new", completed_assessment_id=assessment.id)),
                   deadline=ops.deadline_of(plan, _today()) if plan else (
                       plan_deadline(assessment.request, _today()) if assessment.request_id else None))


def _item_action(form):
    """Add / remove / check: the same form comes back; None for "save"."""
    action = request.form.get("action", "save")
    if action == "add_item":
        service = db.session.get(Service, _int(form.add_service_id.data) or 0)
        if service is None or service.status != "active":
            form.add_service_id.errors = [_("Wybierz usługę z listy.")]
            return True
        start = _day(form.valid_from.data, _today())
        end = _day(form.valid_until.data, max_valid_until(start))
        form.append_item(ops.item_defaults(service, start, end))
        form.add_service_id.data = ""
        return True
    if action.startswith("remove_item-"):
        index = _int(action.rsplit("-", 1)[1])
        if index is not None and index < len(form.items):
            form.remove_item(index)
        return True
    if action == "check":
        return True
    return False


def _field_error(form, error):
    target = form.field_for(getattr(error, "field", "")) if hasattr(form, "field_for") else None
    if target is None:
        target = form[error.field] if getattr(error, "field", None) in form else None
    if target is None:
        return False
    target.errors = list(target.errors or []) + [_message(error)]
    return True


# --- the list -------------------------------------------------------------------------------------

@bp.route("/")
@role_required(*access.CASE_ROLES)
def index():
    today = _today()
    status = request.args.get("status", "")
    status = status if status in PLAN_STATUSES else None
    coordinator_id = _int(request.args.get("coordinator")) if current_user.role == Role.DIRECTOR else None
    rows = ops.plans_for(db.session, current_user, today, status=status, coordinator_id=coordinator_id)
    context = dict(rows=rows, status=status, coordinator_id=coordinator_id, today=today)
    if _region() == "plan-list":
        return _render("plans/_list.html", **context)
    coordinators = db.session.scalars(select(User).where(User.role == Role.COORDINATOR, User.active.is_(True))
                                      .order_by(polish_order(User.full_name))).all()
    return _render("plans/index.html", waiting=ops.cases_waiting_for_plan(db.session, current_user, today),
                   coordinators=coordinators, may_approve=access.can_approve(current_user, today), **context)


# --- drafting and editing ---------------------------------------------------------------------------

def _plan_form(formdata=None, *, is_update=False):
    form = PlanForm(formdata=formdata, is_update=is_update) if formdata is not None else PlanForm(is_update=is_update)
    form.set_choices(_providers(), _services())
    return form


@bp.route("/new/<int:completed_assessment_id>", methods=["GET", "POST"])
@role_required(*access.CASE_ROLES)
def new(completed_assessment_id):
    assessment = db.session.get(Assessment, completed_assessment_id)
    if assessment is None:
        abort(404)
    if not access.can_work_on(current_user, assessment):
        abort(403)
    existing = ops.open_plan_for(db.session, assessment.id)
    if existing is not None:
        flash(_("Z tej diagnozy sporządzono już plan."), "success")
        return redirect(url_for(".detail", plan_id=existing.id), code=303)
    if assessment.status != "completed":
        flash(_("Plan sporządza się na podstawie zakończonej diagnozy."), "error")
        return redirect(url_for(".index"), code=303)

    if request.method == "GET":
        form = _plan_form(formdata=None)
        form.load(ops.draft_defaults(db.session, assessment, _today()))
        form.set_choices(_providers(), _services())
        # The page shows the person's data from the assessment: a view of their file.
        record_access(db.session, assessment.resident, "view", actor=current_user,
                      reason=f"new plan page (assessment {assessment.number})")
        db.session.commit()
        return _form_page(form, assessment=assessment)

    form = _plan_form()
    if _item_action(form):
        return _form_page(form, assessment=assessment)
    if not form.validate():
        return _form_page(form, 422, assessment=assessment)
    try:
        plan = ops.create_plan(db.session, assessment, form.to_data(), actor=current_user)
        db.session.commit()
    except DataError as error:
        db.session.rollback()
        if not _field_error(form, error):
            return _form_page(form, 422, assessment=assessment, notice=_message(error))
        return _form_page(form, 422, assessment=assessment)
    flash(_("Zapisano projekt planu."), "success")
    return redirect(url_for(".detail", plan_id=plan.id), code=303)


def _frozen_page(plan, error=None):
    return _detail_page(plan, 409, notice=_message(error) if error else str(ops.FROZEN_MESSAGE))


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@role_required(*access.CASE_ROLES)
def edit(plan_id):
    plan = _load_plan(plan_id, work=True)
    version = plan.working_version
    if version is not None and version.status == "submitted":
        return _detail_page(plan, 409, notice=_(
            "Plan jest przekazany do zatwierdzenia: można go zmienić, gdy zostanie zwrócony do poprawy."))
    if version is None or not version.is_editable:
        return _frozen_page(plan)
    if request.method == "GET":
        form = _plan_form(formdata=None, is_update=version.is_update)
        form.load(ops.version_values(version))
        form.set_choices(_providers(), _services())
        form.version.data = str(plan.version)
        ops.note_access(db.session, plan, "view", actor=current_user, what="plan edit form")
        db.session.commit()
        return _form_page(form, plan=plan)

    form = _plan_form(is_update=version.is_update)
    if _item_action(form):
        return _form_page(form, plan=plan)
    if not form.validate():
        return _form_page(form, 422, plan=plan)
    data = form.to_data()
    try:
        ops.save_version(db.session, plan, data, actor=current_user, expected_version=form.version.data)
        db.session.commit()
    except (VersionConflict, StaleDataError):
        db.session.rollback()
        return _conflict(form, plan_id, data)
    except Frozen as error:
        db.session.rollback()
        return _frozen_page(_load_plan(plan_id), error)
    except DataError as error:
        db.session.rollback()
        plan = _load_plan(plan_id, work=True)
        if not _field_error(form, error):
            return _form_page(form, 422, plan=plan, notice=_message(error))
        return _form_page(form, 422, plan=plan)
    flash(_("Zapisano zmiany w planie."), "success")
    return redirect(url_for(".detail", plan_id=plan_id), code=303)


def _describe_items(items, services):
    lines = []
    for item in items:
        service = services.get(item["service_id"])
        name = service.name if service else "?"
        period = f"{show_date(item['period_from'])}–{show_date(item['period_to'])}"
        lines.append(f"{name}: {item['quantity']} ({period})")
    return lines


def _shown(key, value):
    """A value of the conflict table as the person reads it."""
    if key == "check_frequency":
        return CHECK_FREQUENCIES.get(value, value)
    return show_date(value) if isinstance(value, date) else value


def _conflict(form, plan_id, data):
    """Someone saved the plan in between: both versions side by side
    (ops.version_conflicts); the form keeps the user's input and takes the
    new lock version, so saving again applies it knowingly."""
    db.session.expire_all()
    plan = _load_plan(plan_id, work=True)
    version = plan.working_version
    if version is None or not version.is_editable:
        return _frozen_page(plan)
    rows = []
    for key, theirs, yours in ops.version_conflicts(version, data):
        if key == "items":
            services = _services_by_id([item["service_id"] for item in theirs + yours])
            rows.append((_("Usługi"), _describe_items(theirs, services), _describe_items(yours, services)))
        else:
            rows.append((form[key].label.text, _shown(key, theirs), _shown(key, yours)))
    form.version.data = str(plan.version)
    return _form_page(form, 409, plan=plan, conflict=rows)


# --- the plan's page ---------------------------------------------------------------------------------

def _detail_page(plan, status=200, *, shown=None, notice=None, submit_form=None, return_form=None,
                 cancel_form=None):
    today = _today()
    shown = shown or plan.current_version
    lock = str(plan.version)
    forms = {
        "submit_form": submit_form or SubmitForm(formdata=None, prefix="submit"),
        "approve_form": ApproveForm(formdata=None, prefix="approve"),
        "return_form": return_form or ReturnForm(formdata=None, prefix="return"),
        "cancel_form": cancel_form or CancelForm(formdata=None, prefix="cancel"),
        "update_form": VersionOnlyForm(formdata=None, prefix="update"),
    }
    for form in forms.values():
        form.version.data = lock
    working = plan.working_version
    checks = {}
    if working is not None and working.items:
        checks = ops.capacity_checks(db.session, plan, working)
    may_work = access.can_work_on(current_user, plan)
    may_approve = access.can_approve(current_user, today)
    late = (working is not None and working.number == 0 and plan.first_submitted_on is None
            and submitted_late(plan.request, today))
    return _render(
        "plans/detail.html", status, plan=plan, shown=shown, notice=notice, today=today,
        deadline=ops.deadline_of(plan, today), working=working, in_force=plan.version_in_force,
        full=[c for c in checks.values() if c.full], may_work=may_work, may_approve=may_approve, late=late,
        **forms,
    )


@bp.route("/<int:plan_id>")
@role_required(*access.PLAN_ROLES)
def detail(plan_id):
    plan = _load_plan(plan_id)
    ops.note_access(db.session, plan, "view", actor=current_user, what="plan page")
    db.session.commit()
    return _detail_page(plan)


@bp.route("/<int:plan_id>/versions/<int:number>")
@role_required(*access.PLAN_ROLES)
def version_detail(plan_id, number):
    plan = _load_plan(plan_id)
    version = _version(plan, number)
    if not access.can_view_version(current_user, plan, version, _today()):
        abort(403)
    ops.note_access(db.session, plan, "view", actor=current_user, what=f"plan version {number}")
    db.session.commit()
    return _detail_page(plan, shown=version)


@bp.route("/<int:plan_id>/versions/<int:number>/pdf")
@role_required(*access.PLAN_ROLES)
def version_pdf(plan_id, number):
    """A frozen version prints its stored bytes; a draft prints "PROJEKT"."""
    plan = _load_plan(plan_id, files=True)
    version = _version(plan, number)
    if version.status == "cancelled":
        abort(404)
    name = (plan.number or f"projekt-{plan.id}").replace("/", "-")
    filename = f"{name}{'-aktualizacja-' + str(number) if number else ''}.pdf"
    if version.is_frozen and version.pdf is not None:
        body = version.pdf
    else:
        body = printing.render_pdf_bytes(printing.snapshot_of(plan, version), draft=True)
    ops.note_access(db.session, plan, "print", actor=current_user, what=f"plan version {number} PDF")
    db.session.commit()
    return pdf_response(body, filename)


def _action_form(form_class, prefix):
    form = form_class(prefix=prefix)
    valid = form.validate()
    return form, valid


def _after_action(plan_id, message):
    flash(message, "success")
    return redirect(url_for(".detail", plan_id=plan_id), code=303)


def _plan_page_again(plan_id, status, notice, **forms):
    """The plan's page with why the action did not happen. An approver by
    delegation whom the plan has left (decided or withdrawn meanwhile: no
    version waits for a decision) gets the approval queue with the same
    words instead."""
    plan = db.session.scalar(_plan_query().where(Plan.id == plan_id))
    if plan is None:
        abort(404)
    today = _today()
    if access.can_view_plan(current_user, plan, today):
        return _detail_page(plan, status, notice=notice, **forms)
    if access.can_approve(current_user, today):
        if notice:
            flash(notice, "error")
        return redirect(url_for(".approvals"), code=303)
    abort(403)


def _conflict_page(plan_id):
    db.session.rollback()
    db.session.expire_all()
    return _plan_page_again(plan_id, 409, _(
        "Ktoś inny zmienił ten plan w międzyczasie. Nic nie zostało nadpisane — poniżej jest aktualny stan planu; "
        "sprawdź go i wykonaj czynność jeszcze raz, jeśli jest nadal potrzebna."))


@bp.route("/<int:plan_id>/submit", methods=["POST"])
@role_required(*access.CASE_ROLES)
def submit(plan_id):
    plan = _load_plan(plan_id, work=True)
    form, valid = _action_form(SubmitForm, "submit")
    if not valid:
        return _detail_page(plan, 422, submit_form=form)
    try:
        ops.submit(db.session, plan, actor=current_user, expected_version=form.version.data, today=_today(),
                   overdue_reason=form.overdue_reason.data)
        db.session.commit()
    except (VersionConflict, StaleDataError):
        return _conflict_page(plan_id)
    except DataError as error:
        db.session.rollback()
        plan = _load_plan(plan_id, work=True)
        if error.field == "overdue_reason":
            form.overdue_reason.errors = [_message(error)]
            return _detail_page(plan, 422, submit_form=form)
        return _detail_page(plan, 422, notice=_message(error))
    except DomainError as error:
        db.session.rollback()
        return _detail_page(_load_plan(plan_id), 409, notice=_message(error))
    return _after_action(plan_id, _("Plan przekazano do zatwierdzenia."))


def _approver_plan(plan_id):
    """The plan for an approver's decision; None when it is not one the user
    may decide now (for an organiser: no version waits for a decision)."""
    today = _today()
    if not access.can_approve(current_user, today):
        abort(403)
    plan = db.session.scalar(_plan_query().where(Plan.id == plan_id))
    if plan is None:
        abort(404)
    return plan if access.can_view_plan(current_user, plan, today) else None


def _not_awaiting(plan_id):
    return _plan_page_again(plan_id, 409, _("Ten plan nie czeka na zatwierdzenie."))


def _after_decision(plan_id, message):
    """After approving or returning: the plan's page for those who still
    see it, the approval queue for an organiser (the plan has left them)."""
    db.session.expire_all()
    plan = db.session.get(Plan, plan_id)
    if access.can_view_plan(current_user, plan, _today()):
        return _after_action(plan_id, message)
    flash(message, "success")
    return redirect(url_for(".approvals"), code=303)


@bp.route("/<int:plan_id>/approve", methods=["POST"])
@role_required(*access.APPROVER_ROLES)
def approve(plan_id):
    plan = _approver_plan(plan_id)
    if plan is None:
        return _not_awaiting(plan_id)
    form, valid = _action_form(ApproveForm, "approve")
    if not valid:
        return _detail_page(plan, 422, notice=_("Formularz wygasł. Wyślij go ponownie."))
    if not confirmed():
        return confirm_page(
            title=_("Zatwierdzić plan?"), button=_("Zatwierdź plan"),
            cancel_url=url_for(".detail", plan_id=plan.id),
            consequences=[_("Plan otrzyma numer, a jego treść zostanie zamrożona: nie będzie można jej zmienić, "
                            "tylko rozpocząć aktualizację."),
                          _("Usługi planu zajmą miejsca na cały okres planu."),
                          _("Powstanie wydruk do podpisu; tego nie można cofnąć.")])
    try:
        version = ops.approve(db.session, plan, actor=current_user, expected_version=form.version.data,
                              today=_today())
        db.session.commit()
    except (VersionConflict, StaleDataError):
        return _conflict_page(plan_id)
    except CapacityFull as error:
        db.session.rollback()
        return _plan_page_again(plan_id, 409, _message(error) + " " + _(
            "Plan nie został zatwierdzony. Zwróć go koordynatorowi: może zmienić usługę albo wpisać osobę "
            "na listę oczekujących."))
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except DomainError as error:
        db.session.rollback()
        return _plan_page_again(plan_id, 409, _message(error))
    plan = db.session.get(Plan, plan_id)
    label = _("Zatwierdzono plan %(number)s.", number=plan.number) if version.number == 0 else \
        _("Zatwierdzono aktualizację nr %(n)d planu %(number)s.", n=version.number, number=plan.number)
    return _after_decision(plan_id, label)


@bp.route("/<int:plan_id>/return", methods=["POST"])
@role_required(*access.APPROVER_ROLES)
def send_back(plan_id):
    plan = _approver_plan(plan_id)
    if plan is None:
        return _not_awaiting(plan_id)
    form, valid = _action_form(ReturnForm, "return")
    if not valid:
        return _detail_page(plan, 422, return_form=form)
    try:
        ops.return_for_changes(db.session, plan, actor=current_user, expected_version=form.version.data,
                               today=_today(), comment=form.comment.data)
        db.session.commit()
    except (VersionConflict, StaleDataError):
        return _conflict_page(plan_id)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except DataError as error:
        db.session.rollback()
        form.comment.errors = [_message(error)]
        return _plan_page_again(plan_id, 422, None, return_form=form)
    except DomainError as error:
        db.session.rollback()
        return _plan_page_again(plan_id, 409, _message(error))
    return _after_decision(plan_id, _("Plan zwrócono koordynatorowi do poprawy."))


@bp.route("/<int:plan_id>/cancel", methods=["POST"])
@role_required(*access.CASE_ROLES)
def cancel(plan_id):
    plan = _load_plan(plan_id, work=True)
    form, valid = _action_form(CancelForm, "cancel")
    if not valid:
        return _detail_page(plan, 422, cancel_form=form)
    if not confirmed():
        return confirm_page(
            title=_("Anulować projekt planu?") if plan.working_version is None or plan.working_version.number == 0
            else _("Anulować projekt aktualizacji?"), button=_("Anuluj projekt"),
            cancel_url=url_for(".detail", plan_id=plan.id), intro=form.reason.data,
            consequences=[_("Projekt zostanie zamknięty i nie będzie go można dalej edytować ani przekazać."),
                          _("Tego nie można cofnąć.")])
    try:
        version = ops.cancel(db.session, plan, actor=current_user, expected_version=form.version.data,
                             reason=form.reason.data)
        db.session.commit()
    except (VersionConflict, StaleDataError):
        return _conflict_page(plan_id)
    except DataError as error:
        db.session.rollback()
        form.reason.errors = [_message(error)]
        return _detail_page(_load_plan(plan_id), 422, cancel_form=form)
    except DomainError as error:
        db.session.rollback()
        return _detail_page(_load_plan(plan_id), 409, notice=_message(error))
    return _after_action(plan_id, _("Anulowano projekt planu.") if version.number == 0
                         else _("Anulowano projekt aktualizacji."))


@bp.route("/<int:plan_id>/update", methods=["POST"])
@role_required(*access.CASE_ROLES)
def start_update(plan_id):
    plan = _load_plan(plan_id, work=True)
    form, valid = _action_form(VersionOnlyForm, "update")
    if not valid:
        return _detail_page(plan, 422, notice=_("Formularz wygasł. Wyślij go ponownie."))
    try:
        ops.start_update(db.session, plan, actor=current_user, expected_version=form.version.data, today=_today())
        db.session.commit()
    except (VersionConflict, StaleDataError):
        return _conflict_page(plan_id)
    except DomainError as error:
        db.session.rollback()
        return _detail_page(_load_plan(plan_id), 409, notice=_message(error))
    flash(_("Utworzono projekt aktualizacji planu. Wprowadź zmiany i przekaż ją do zatwierdzenia."), "success")
    return redirect(url_for(".edit", plan_id=plan_id), code=303)


# --- signatures ------------------------------------------------------------------------------------------

def _signature_page(plan, version, form, status=200):
    return _render("plans/signature.html", status, plan=plan, version=version, form=form,
                   max_mb=MAX_SCAN_BYTES // (1024 * 1024))


def _signature_form(plan, version, formdata=True):
    form = SignatureForm() if formdata else SignatureForm(formdata=None)
    form.version.data = form.version.data or str(plan.version)
    return form


@bp.route("/<int:plan_id>/versions/<int:number>/sign", methods=["GET", "POST"])
@role_required(*access.CASE_ROLES)
def sign(plan_id, number):
    plan = _load_plan(plan_id, work=True)
    version = _version(plan, number)
    if version.status not in ("approved", "signed"):
        return _detail_page(plan, 409, shown=version, notice=_(
            "Podpisy zapisuje się pod zatwierdzoną, obowiązującą wersją planu."))
    if request.method == "GET":
        form = _signature_form(plan, version, formdata=False)
        missing = [r for r in SIGNER_ROLES if not version.signed_by(r)]
        role = request.args.get("role")
        form.signer_role.data = role if role in missing else (missing[0] if missing else None)
        if form.signer_role.data:
            form.signer_name.data = ops.default_signer(plan, version, form.signer_role.data, current_user)
        form.signed_on.data = show_date(_today())
        return _signature_page(plan, version, form)

    upload = request.files.get("scan")
    form = _signature_form(plan, version)
    if not form.validate():
        return _signature_page(plan, version, form, 422)
    scan = upload.read(MAX_SCAN_BYTES + 1) if upload and upload.filename else None
    directory = _scan_dir()
    stored = None
    try:
        _signature, stored = ops.record_signature(
            db.session, plan, version,
            {"signer_role": form.signer_role.data, "signer_name": form.signer_name.data,
             "signed_on": _day(form.signed_on.data, None)},
            actor=current_user, expected_version=form.version.data, today=_today(), scan=scan, directory=directory)
        db.session.commit()
    except (VersionConflict, StaleDataError):
        _remove(directory, stored)
        db.session.rollback()
        db.session.expire_all()
        plan = _load_plan(plan_id, work=True)
        form.version.data = str(plan.version)
        form.signer_role.errors = list(form.signer_role.errors) + [_(
            "Ktoś inny zapisał w międzyczasie zmiany w tym planie. Sprawdź podpisy poniżej i zapisz ponownie.")]
        return _signature_page(plan, _version(plan, number), form, 409)
    except DataError as error:
        _remove(directory, stored)
        db.session.rollback()
        _field_error(form, error)
        return _signature_page(_load_plan(plan_id, work=True), version, form, 422)
    except DomainError as error:
        _remove(directory, stored)
        db.session.rollback()
        return _detail_page(_load_plan(plan_id), 409, notice=_message(error))
    except Exception:
        _remove(directory, stored)
        raise
    return _after_action(plan_id, _("Zapisano podpis."))


@bp.url_value_preprocessor
def _upload_limit(endpoint, values):
    """Room for a 10 MB scan and the form around it, set before anything
    reads the body (the CSRF check does, before the view)."""
    if endpoint == "plans.sign" and request.method == "POST":
        request.max_content_length = MAX_SCAN_BYTES + 512 * 1024


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    """A body too big to read: the signature form comes back with the
    message at the file (what was typed cannot be read, so it starts again)."""
    args = request.view_args or {}
    if request.endpoint != "plans.sign" or not current_user.is_authenticated:
        return render_template("errors/error.html", status=413), 413
    plan = _load_plan(args.get("plan_id"), work=True)
    version = _version(plan, args.get("number"))
    form = _signature_form(plan, version, formdata=False)
    form.signed_on.data = show_date(_today())
    form.scan.errors = [_("Plik jest za duży: skan może mieć najwyżej 10 MB.")]
    return _signature_page(plan, version, form, 413)


def _scan_dir():
    return current_app.config.get("PLAN_SCAN_DIR") or scan_dir(current_app.instance_path)


def _remove(directory, stored):
    if stored:
        from .scans import remove_scan

        remove_scan(directory, stored)


@bp.route("/signatures/<int:signature_id>/scan")
@role_required(*access.PLAN_ROLES)
def signature_scan(signature_id):
    signature = db.session.get(Signature, signature_id)
    if signature is None or not signature.scan_file:
        abort(404)
    plan = _load_plan(signature.plan_version.plan_id, files=True)
    path = scan_path(_scan_dir(), signature.scan_file)
    if path is None:
        abort(404)
    try:
        handle = open(path, "rb")
    except OSError:
        abort(404)
    ops.note_access(db.session, plan, "export", actor=current_user, what=f"scan of signature {signature.id}")
    db.session.commit()
    extension = "." + signature.scan_file.rsplit(".", 1)[-1]
    response = send_file(handle, mimetype=TYPES_BY_EXTENSION.get(extension, "application/octet-stream"),
                         as_attachment=True, download_name=f"podpis-{signature.id}{extension}", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


# --- approvals and delegations -------------------------------------------------------------------------

@bp.route("/approvals")
@role_required(*access.APPROVER_ROLES)
def approvals():
    today = _today()
    if not access.can_approve(current_user, today):
        abort(403)
    return _render("plans/approvals.html", rows=ops.approval_queue(db.session, today),
                   delegation=access.active_delegation(current_user, today))


def _delegations_page(form, status=200):
    rows = db.session.scalars(select(ApprovalDelegation).options(
        selectinload(ApprovalDelegation.organiser), selectinload(ApprovalDelegation.granted_by),
        selectinload(ApprovalDelegation.revoked_by)).order_by(ApprovalDelegation.granted_at.desc())).all()
    organisers = db.session.scalars(select(User).where(User.role == Role.SERVICES_ORGANISER, User.active.is_(True))
                                    .order_by(polish_order(User.full_name))).all()
    form.organiser_id.choices = [("", _("— wybierz osobę"))] + [(str(u.id), u.full_name) for u in organisers]
    return _render("plans/delegations.html", status, form=form, rows=rows, today=_today(),
                   revoke_form=VersionOnlyForm(formdata=None))


@bp.route("/delegations", methods=["GET", "POST"])
@role_required(Role.DIRECTOR)
def delegations():
    if request.method == "GET":
        return _delegations_page(DelegationForm(formdata=None))
    form = DelegationForm()
    organisers = db.session.scalars(select(User.id).where(User.role == Role.SERVICES_ORGANISER)).all()
    form.organiser_id.choices = [(str(i), "") for i in organisers]
    if not form.validate():
        return _delegations_page(form, 422)
    try:
        grant_delegation(db.session, _int(form.organiser_id.data), actor=current_user, today=_today(),
                         valid_until=_day(form.valid_until.data, None), note=form.note.data)
        db.session.commit()
    except DataError as error:
        db.session.rollback()
        _field_error(form, error)
        return _delegations_page(form, 422)
    flash(_("Zapisano upoważnienie do zatwierdzania planów."), "success")
    return redirect(url_for(".delegations"), code=303)


@bp.route("/delegations/<int:delegation_id>/revoke", methods=["POST"])
@role_required(Role.DIRECTOR)
def delegation_revoke(delegation_id):
    delegation = db.session.get(ApprovalDelegation, delegation_id)
    if delegation is None:
        abort(404)
    form = VersionOnlyForm()
    if not form.validate():
        return _delegations_page(DelegationForm(formdata=None), 422)
    try:
        revoke_delegation(db.session, delegation, actor=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(_message(error), "error")
        return redirect(url_for(".delegations"), code=303)
    flash(_("Odwołano upoważnienie."), "success")
    return redirect(url_for(".delegations"), code=303)


# --- single grants ----------------------------------------------------------------------------------------

def _load_request(request_id):
    item = db.session.get(Request, request_id)
    if item is None:
        abort(404)
    if not access.can_work_on_request(current_user, item):
        abort(403)
    return item


def _grant_page(item, form, status=200, *, check=None, full=None):
    wanted = [s.id for s in item.services]
    services = _services()
    form.service_id.choices = [("", _("— wybierz usługę"))] + [
        (str(s.id), s.name + (" ★" if s.id in wanted else "")) for s in services]
    grants = db.session.scalars(select(ServiceGrant).where(ServiceGrant.request_id == item.id)
                                .order_by(ServiceGrant.granted_at.desc())).all()
    return _render("plans/grant_form.html", status, item=item, form=form, check=check, full=full, grants=grants,
                   deadline=plan_deadline(item, _today()) if item.is_open else None,
                   cancel_form=VersionOnlyForm(formdata=None))


@bp.route("/requests/<int:request_id>/grant", methods=["GET", "POST"])
@role_required(*access.CASE_ROLES)
def grant_new(request_id):
    item = _load_request(request_id)
    if request.method == "GET":
        form = GrantForm(formdata=None)
        today = _today()
        form.period_from.data = show_date(today)
        form.period_to.data = show_date(max_valid_until(today))
        form.quantity.data = "1"
        if item.resident is not None:
            record_access(db.session, item.resident, "view", actor=current_user,
                              reason=f"grant form for request {item.number}")
            db.session.commit()
        return _grant_page(item, form)
    form = GrantForm()
    form.service_id.choices = [(str(s.id), s.name) for s in _services()]
    if not form.validate():
        return _grant_page(item, form, 422)
    data = form.to_data()
    if request.form.get("action") == "check":
        service = db.session.get(Service, data["service_id"])
        check = capacity.check_commitments(db.session, service, [capacity.Held(
            data["period_from"], data["period_to"], data["quantity"])]) if service else None
        return _grant_page(item, form, check=check)
    try:
        grant_service(db.session, item, data, actor=current_user, today=_today())
        db.session.commit()
    except CapacityFull as error:
        db.session.rollback()
        return _grant_page(_load_request(request_id), form, 409, check=error.checks[0], full=_message(error))
    except DataError as error:
        db.session.rollback()
        _field_error(form, error)
        return _grant_page(_load_request(request_id), form, 422)
    flash(_("Przyznano usługę."), "success")
    return redirect(url_for(".grants"), code=303)


@bp.route("/grants")
@role_required(*access.CASE_ROLES)
def grants():
    return _render("plans/grants.html", rows=grants_for(db.session, current_user),
                   cancel_form=VersionOnlyForm(formdata=None))


@bp.route("/grants/<int:grant_id>/cancel", methods=["POST"])
@role_required(*access.CASE_ROLES)
def grant_cancel(grant_id):
    grant = db.session.get(ServiceGrant, grant_id)
    if grant is None:
        abort(404)
    if not access.can_work_on_request(current_user, grant.request):
        abort(403)
    form = VersionOnlyForm()
    if not form.validate():
        flash(_("Formularz wygasł. Wyślij go ponownie."), "error")
        return redirect(url_for(".grants"), code=303)
    if not confirmed():
        return confirm_page(
            title=_("Anulować przyznaną usługę „%(name)s”?", name=grant.service.name), button=_("Anuluj usługę"),
            cancel_url=url_for(".grants"),
            consequences=[_("Miejsca, które zajmowała, wrócą do puli usługi."),
                          _("Tego nie można cofnąć: usługę trzeba by przyznać od nowa.")])
    try:
        cancel_grant(db.session, grant, actor=current_user, today=_today())
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(_message(error), "error")
        return redirect(url_for(".grants"), code=303)
    flash(_("Anulowano przyznaną usługę."), "success")
    return redirect(url_for(".grants"), code=303)


# --- waiting lists ------------------------------------------------------------------------------------------

def _waiting_residents(extra_id=None):
    """The people the user may put on a list: their own cases (all for the director)."""
    query = visible_residents(select(Resident), current_user).where(Resident.merged_into_id.is_(None))
    if current_user.role == Role.DIRECTOR:
        query = query.where(Resident.id.in_(select(Request.resident_id).where(Request.kind == "application")))
    rows = db.session.scalars(query.order_by(polish_order(Resident.last_name), polish_order(Resident.first_name),
                                              Resident.id).limit(500)).all()
    if extra_id and all(r.id != extra_id for r in rows):
        extra = db.session.scalar(visible_residents(select(Resident), current_user).where(Resident.id == extra_id))
        if extra is not None:
            rows.append(extra)
    return rows


def _waiting_page(form=None, status=200):
    may_add = current_user.role in (Role.COORDINATOR, Role.DIRECTOR)
    service_id = _int(request.args.get("service"))
    if form is None and may_add:
        form = WaitingForm(formdata=None)
        form.service_id.data = str(service_id or "")
        form.resident_id.data = request.args.get("resident", "")
        form.quantity.data = request.args.get("quantity", "1")[:10]
        form.period_from.data = request.args.get("period_from", "")[:20]
        form.period_to.data = request.args.get("period_to", "")[:20]
        form.plan_id.data = request.args.get("plan", "")[:10]
    if form is not None:
        form.service_id.choices = [("", _("— wybierz usługę"))] + [(str(s.id), s.name) for s in _services()]
        form.resident_id.choices = [("", _("— wybierz osobę"))] + [
            (str(r.id), f"{r.full_name}" + (f" ({r.birth_year})" if r.birth_year else ""))
            for r in _waiting_residents(_int(form.resident_id.data))]
    entries = waiting_lists(db.session, service_id=service_id) if service_id else []
    service = db.session.get(Service, service_id) if service_id else None
    return _render("plans/waiting.html", status, form=form, counts=waiting_counts(db.session),
                   entries=[(e, access.sees_waiting_names(current_user, e)) for e in entries], service=service,
                   status_form=WaitingStatusForm(formdata=None), may_add=may_add)


@bp.route("/waiting")
@role_required(*access.WAITING_ROLES)
def waiting():
    return _waiting_page()


@bp.route("/waiting/add", methods=["POST"])
@role_required(*access.CASE_ROLES)
def waiting_add():
    form = WaitingForm()
    form.service_id.choices = [(str(s.id), s.name) for s in _services()]
    form.resident_id.choices = [(str(r.id), r.full_name) for r in _waiting_residents(_int(form.resident_id.data))]
    if not form.validate():
        return _waiting_page(form, 422)
    data = form.to_data()
    try:
        entry = add_to_waiting_list(db.session, data, actor=current_user)
        db.session.commit()
    except DataError as error:
        db.session.rollback()
        _field_error(form, error)
        return _waiting_page(form, 422)
    flash(_("Wpisano osobę na listę oczekujących."), "success")
    return redirect(url_for(".waiting", service=entry.service_id), code=303)


@bp.route("/waiting/<int:entry_id>/status", methods=["POST"])
@role_required(*access.CASE_ROLES)
def waiting_status(entry_id):
    entry = db.session.get(WaitingListEntry, entry_id)
    if entry is None:
        abort(404)
    if not access.sees_waiting_names(current_user, entry):
        abort(403)
    form = WaitingStatusForm()
    if not form.validate():
        flash(_("Formularz wygasł. Wyślij go ponownie."), "error")
        return redirect(url_for(".waiting", service=entry.service_id), code=303)
    try:
        resolve_waiting(db.session, entry, form.status.data, actor=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(_message(error), "error")
        return redirect(url_for(".waiting", service=entry.service_id), code=303)
    flash(_("Zapisano zmianę na liście oczekujących."), "success")
    return redirect(url_for(".waiting", service=entry.service_id), code=303)
