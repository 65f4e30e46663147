"""Plans (IPUS): the list, drafting from an assessment and editing a
version, the plan's page with its versions and steps, printing.

Views run load -> check access -> call a service -> commit -> 303, or render
the form again with the input kept (422 invalid, 409 changed by someone else
or frozen). The plan form's items are one region ("plan-items"): htmx asks
for it alone when an item is added, removed or checked against capacity, and
the same buttons work as full-page posts without JavaScript.

The actions on a plan's page are in actions.py, signatures in
signatures.py; grants, waiting lists and delegations have their own modules.
"""
from datetime import date
from functools import cache

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from ...assessment.models import Assessment
from ...audit.services import commit_trail
from ...auth.access import role_required
from ...auth.models import Role, User
from ...catalogue.models import Provider, Service
from ...core.deadlines import max_valid_until, plan_deadline, submitted_late
from ...core.errors import Frozen
from ...core.views import commit, found, saved
from ...extensions import db
from ...pdf import pdf_response
from ...residents.services import record_access
from ...text import polish_order
from ...validation import whole_number as _int
from ...web import region as _region
from ...web import render as _render
from ...web import today as _today
from .. import access, bp, capacity, printing
from .. import services as plans
from ..forms import ApproveForm, CancelForm, PlanForm, ReturnForm, SubmitForm, VersionOnlyForm, show_date
from ..models import CHECK_FREQUENCIES, PLAN_STATUSES, ApprovalStep, Plan, PlanItem, PlanVersion, Signature
from .common import active_services, day, field_error, message

ITEMS_REGION = "plan-items"


# --- helpers ------------------------------------------------------------------------------------

def plan_query():
    # The plan's one-to-one neighbours come joined (one statement); its
    # versions and what they hold, a statement per collection, with each
    # row's many-to-one neighbours (service, provider, who acted) joined in it.
    return select(Plan).options(
        joinedload(Plan.resident), joinedload(Plan.request), joinedload(Plan.coordinator),
        joinedload(Plan.assessment),
        selectinload(Plan.versions).joinedload(PlanVersion.approved_by),
        selectinload(Plan.versions).selectinload(PlanVersion.items).joinedload(PlanItem.service)
        .joinedload(Service.provider),
        selectinload(Plan.versions).selectinload(PlanVersion.items).joinedload(PlanItem.provider),
        selectinload(Plan.versions).selectinload(PlanVersion.steps).joinedload(ApprovalStep.actor),
        selectinload(Plan.versions).selectinload(PlanVersion.signatures).joinedload(Signature.recorded_by),
    )


def load_plan(plan_id, *, work=False, files=False):
    """The plan if the user may see it (work=True: may change it;
    files=True: may print it and open its scans), else 403/404."""
    def allowed(plan):
        if work:
            return access.can_work_on(current_user, plan)
        if files:
            return access.can_print(current_user, plan)
        return access.can_view_plan(current_user, plan, _today())

    return found(db.session.scalar(_plan_by_id(), {"plan_id": plan_id}), allowed)


@cache
def _plan_by_id():
    """plan_query() for one id, built once per process: building the
    statement with its loader options costs more than running it."""
    return plan_query().where(Plan.id == bindparam("plan_id"))


def version_or_404(plan, number):
    version = next((v for v in plan.versions if v.number == number), None)
    if version is None:
        abort(404)
    return version


def _providers():
    return db.session.scalars(select(Provider).where(Provider.status != "archived")
                              .order_by(polish_order(Provider.name))).all()


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
                   deadline=plans.deadline_of(plan, _today()) if plan else (
                       plan_deadline(assessment.request, _today()) if assessment.request_id else None))


def _item_action(form):
    """Add / remove / check: the same form comes back; None for "save"."""
    action = request.form.get("action", "save")
    if action == "add_item":
        service = db.session.get(Service, _int(form.add_service_id.data) or 0)
        if service is None or service.status != "active":
            form.add_service_id.errors = [_("Wybierz usługę z listy.")]
            return True
        start = day(form.valid_from.data, _today())
        end = day(form.valid_until.data, max_valid_until(start))
        form.append_item(plans.item_defaults(service, start, end))
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


# --- the list -------------------------------------------------------------------------------------

@bp.route("/")
@role_required(*access.CASE_ROLES)
def index():
    today = _today()
    status = request.args.get("status", "")
    status = status if status in PLAN_STATUSES else None
    coordinator_id = _int(request.args.get("coordinator")) if current_user.role == Role.DIRECTOR else None
    rows = plans.plans_for(db.session, current_user, today, status=status, coordinator_id=coordinator_id)
    context = dict(rows=rows, status=status, coordinator_id=coordinator_id, today=today)
    if _region() == "plan-list":
        return _render("plans/_list.html", **context)
    coordinators = db.session.scalars(select(User).where(User.role == Role.COORDINATOR, User.active.is_(True))
                                      .order_by(polish_order(User.full_name))).all()
    return _render("plans/index.html", waiting=plans.cases_waiting_for_plan(db.session, current_user, today),
                   coordinators=coordinators, may_approve=access.can_approve(current_user, today), **context)


# --- drafting and editing ---------------------------------------------------------------------------

def _plan_form(formdata=None, *, is_update=False):
    form = PlanForm(formdata=formdata, is_update=is_update) if formdata is not None else PlanForm(is_update=is_update)
    form.set_choices(_providers(), active_services())
    return form


@bp.route("/new/<int:completed_assessment_id>", methods=["GET", "POST"])
@role_required(*access.CASE_ROLES)
def new(completed_assessment_id):
    assessment = found(db.session.get(Assessment, completed_assessment_id),
                       lambda assessment: access.can_work_on(current_user, assessment))
    existing = plans.open_plan_for(db.session, assessment.id)
    if existing is not None:
        flash(_("Z tej diagnozy sporządzono już plan."), "success")
        return redirect(url_for(".detail", plan_id=existing.id), code=303)
    if assessment.status != "completed":
        flash(_("Plan sporządza się na podstawie zakończonej diagnozy."), "error")
        return redirect(url_for(".index"), code=303)

    if request.method == "GET":
        form = _plan_form(formdata=None)
        form.load(plans.draft_defaults(db.session, assessment, _today()))
        form.set_choices(_providers(), active_services())
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
    return commit(
        lambda: plans.create_plan(db.session, assessment, form.to_data(), actor=current_user),
        invalid=lambda error: _form_page(form, assessment=assessment, notice=_unplaced(form, error)),
        done=lambda plan: saved(url_for(".detail", plan_id=plan.id), _("Zapisano projekt planu.")))


def _unplaced(form, error):
    """The message put at the form field the DataError names; when the
    form has no such field, the message to show above the form."""
    return None if field_error(form, error) else message(error)


def _frozen_page(plan, error=None):
    return detail_page(plan, 409, notice=message(error) if error else str(plans.FROZEN_MESSAGE))


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@role_required(*access.CASE_ROLES)
def edit(plan_id):
    plan = load_plan(plan_id, work=True)
    version = plan.working_version
    if version is not None and version.status == "submitted":
        return detail_page(plan, 409, notice=_(
            "Plan jest przekazany do zatwierdzenia: można go zmienić, gdy zostanie zwrócony do poprawy."))
    if version is None or not version.is_editable:
        return _frozen_page(plan)
    if request.method == "GET":
        form = _plan_form(formdata=None, is_update=version.is_update)
        form.load(plans.version_values(version))
        form.set_choices(_providers(), active_services())
        form.version.data = str(plan.version)
        plans.note_access(db.session, plan, "view", actor=current_user, what="plan edit form")
        db.session.commit()
        return _form_page(form, plan=plan)

    form = _plan_form(is_update=version.is_update)
    if _item_action(form):
        return _form_page(form, plan=plan)
    if not form.validate():
        return _form_page(form, 422, plan=plan)
    data = form.to_data()
    return commit(
        lambda: plans.save_version(db.session, plan, data, actor=current_user, expected_version=form.version.data),
        invalid=lambda error: _form_page(form, plan=load_plan(plan_id, work=True), notice=_unplaced(form, error)),
        conflict=lambda error: _conflict(form, plan_id, data),
        refused={Frozen: lambda error: _frozen_page(load_plan(plan_id), error)},
        done=lambda _version: saved(url_for(".detail", plan_id=plan_id), _("Zapisano zmiany w planie.")))


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
    (plans.version_conflicts); the form keeps the user's input and takes the
    new lock version, so saving again applies it knowingly."""
    db.session.expire_all()
    plan = load_plan(plan_id, work=True)
    version = plan.working_version
    if version is None or not version.is_editable:
        return _frozen_page(plan)
    rows = []
    for key, theirs, yours in plans.version_conflicts(version, data):
        if key == "items":
            services = _services_by_id([item["service_id"] for item in theirs + yours])
            rows.append((_("Usługi"), _describe_items(theirs, services), _describe_items(yours, services)))
        else:
            rows.append((form[key].label.text, _shown(key, theirs), _shown(key, yours)))
    form.version.data = str(plan.version)
    return _form_page(form, 409, plan=plan, conflict=rows)


# --- the plan's page ---------------------------------------------------------------------------------

def detail_page(plan, status=200, *, shown=None, notice=None, submit_form=None, return_form=None,
                cancel_form=None):
    today = _today()
    shown = shown or plan.current_version
    working = plan.working_version
    may_work = access.can_work_on(current_user, plan)
    may_approve = access.can_approve(current_user, today)
    # Only the forms the page shows are built (each costs a CSRF token); a
    # form given back with its errors is always shown.
    shows_working = working is not None and working.id == shown.id
    deciding = shows_working and may_approve and working.status == "submitted"
    forms = {
        "submit_form": submit_form or (SubmitForm(formdata=None, prefix="submit")
                                       if shows_working and may_work and working.is_editable else None),
        "approve_form": ApproveForm(formdata=None, prefix="approve") if deciding else None,
        "return_form": return_form or (ReturnForm(formdata=None, prefix="return") if deciding else None),
        "cancel_form": cancel_form or (CancelForm(formdata=None, prefix="cancel")
                                       if shows_working and may_work else None),
        "update_form": (VersionOnlyForm(formdata=None, prefix="update")
                        if may_work and plan.status == "active" and working is None else None),
    }
    lock = str(plan.version)
    for form in forms.values():
        if form is not None:
            form.version.data = lock
    checks = {}
    if working is not None and working.items:
        checks = plans.capacity_checks(db.session, plan, working)
    late = (working is not None and working.number == 0 and plan.first_submitted_on is None
            and submitted_late(plan.request, today))
    return _render(
        "plans/detail.html", status, plan=plan, shown=shown, notice=notice, today=today,
        deadline=plans.deadline_of(plan, today), working=working, in_force=plan.version_in_force,
        full=[c for c in checks.values() if c.full], may_work=may_work, may_approve=may_approve, late=late,
        **forms,
    )


@bp.route("/<int:plan_id>")
@role_required(*access.PLAN_ROLES)
def detail(plan_id):
    plan = load_plan(plan_id)
    plans.note_access(db.session, plan, "view", actor=current_user, what="plan page")
    commit_trail(db.session)  # the view recorded at once, the plan kept loaded for the page
    return detail_page(plan)


@bp.route("/<int:plan_id>/versions/<int:number>")
@role_required(*access.PLAN_ROLES)
def version_detail(plan_id, number):
    plan = load_plan(plan_id)
    version = version_or_404(plan, number)
    if not access.can_view_version(current_user, plan, version, _today()):
        abort(403)
    plans.note_access(db.session, plan, "view", actor=current_user, what=f"plan version {number}")
    db.session.commit()
    return detail_page(plan, shown=version)


@bp.route("/<int:plan_id>/versions/<int:number>/pdf")
@role_required(*access.PLAN_ROLES)
def version_pdf(plan_id, number):
    """A frozen version prints its stored bytes; a draft prints "PROJEKT"."""
    plan = load_plan(plan_id, files=True)
    version = version_or_404(plan, number)
    if version.status == "cancelled":
        abort(404)
    name = (plan.number or f"projekt-{plan.id}").replace("/", "-")
    filename = f"{name}{'-aktualizacja-' + str(number) if number else ''}.pdf"
    if version.is_frozen and version.pdf is not None:
        body = version.pdf
    else:
        body = printing.render_pdf_bytes(printing.snapshot_of(plan, version), draft=True)
    plans.note_access(db.session, plan, "print", actor=current_user, what=f"plan version {number} PDF")
    db.session.commit()
    return pdf_response(body, filename)


def after_action(plan_id, done):
    return saved(url_for(".detail", plan_id=plan_id), done)

