"""The coordinator's desk, the monitoring card and the closure.

Views run load -> check access -> call a service -> commit -> 303, or render
the form again with the input kept (422 invalid, 409 the plan changed or is
closed). Who: the coordinator of the case and the director; everyone else
gets 403. Every page of a case and every print is recorded in the person's
access trail (audit log); the desk lists are not (they show names and
deadlines only, and refresh themselves every minute).

The desk's table is one region ("cases"): the sort links, the filters and
the pages ask htmx for it alone and push the URL; the same links and the
filter form work as plain GETs without JavaScript.
"""
from functools import cache

from flask import abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from ..audit.services import commit_trail
from ..auth.access import role_required
from ..auth.models import Role
from ..catalogue.models import UNITS, Service
from ..confirm import confirm_page, confirmed
from ..core.pagination import page_number
from ..core.views import answer, commit, found, saved
from ..delivery import figures
from ..desk.models import STATUSES as REQUEST_STATUSES
from ..extensions import db
from ..fragments import RegionCache
from ..pdf import pdf_response
from ..plans import access
from ..plans.models import Plan, PlanItem, PlanVersion
from ..plans.services import note_access
from ..timeutil import local_now
from ..validation import whole_number as _int
from ..web import region as _region
from ..web import render as _render
from ..web import render_html as _render_html
from ..web import today as _today
from . import bp, printing
from . import services as casework
from .desk import KINDS, SORTS, STATES, DeskFilters, data_version, desk, plan_deadlines
from .forms import ClosureForm, ContactForm
from .models import CONTACT_KINDS, OUTCOMES, SATISFACTION, SURVEY_QUESTIONS, SURVEY_SCALE

CASE_ROLES = (Role.COORDINATOR, Role.DIRECTOR)
REGION = "cases"


def _message(error):
    return str(getattr(error, "message", error))


@bp.context_processor
def _labels():
    return {"contact_kinds": CONTACT_KINDS, "outcomes": OUTCOMES, "satisfaction_labels": SATISFACTION,
            "survey_questions": SURVEY_QUESTIONS, "survey_scale": SURVEY_SCALE, "deadline_kinds": KINDS,
            "deadline_states": STATES, "sorts": SORTS, "units": UNITS, "request_statuses": REQUEST_STATUSES}


@bp.app_context_processor
def _plan_panel():
    """`casework_panel(plan)` for the plan's page: its deadlines and links,
    for those who may follow the plan (None for anyone else)."""

    def casework_panel(plan):
        if plan is None or not access.can_work_on(current_user, plan):
            return None
        today = _today()
        deadlines = plan_deadlines(db.session, plan, today)
        warned = [(name, p) for name, p in _progress(plan, today) if p.warned]
        return {"deadlines": deadlines, "contact": next((d for d in deadlines if d.kind == "contact"), None),
                "warned": warned,
                "may_record": casework.monitoring_problem(plan) is None,
                "may_close": casework.closure_problem(plan) is None, "closed": plan.status == "closed"}

    return {"casework_panel": casework_panel}


# --- the desk --------------------------------------------------------------------------------------

def _filters(args, *, own):
    sort = args.get("sort") if args.get("sort") in SORTS else "deadline"
    state = args.get("state") if args.get("state") in STATES else None
    coordinator = current_user.id if own else _int(args.get("coordinator"))
    return DeskFilters(coordinator_id=coordinator, own=own, state=state, sort=sort,
                       descending=args.get("dir") == "desc", page=page_number(args.get("page")))


def _desk_regions():
    """Rendered desk regions per process and app, kept until the data under
    them moves (data_version) or the minute shown on them passes."""
    return current_app.extensions.setdefault("casework_desk_regions", RegionCache(size=256))


def _desk_warnings(rows, today):
    """{resident id: [(service name, Progress)]}: the services of the page's
    people running today with no delivery for 30 days or over the plan."""
    warned = figures.warnings_for(db.session, {r.resident_id for r in rows if r.resident_id and r.plan_id}, today)
    if not warned:
        return {}
    names = dict(db.session.execute(select(Service.id, Service.name).where(
        Service.id.in_({p.commitment.service_id for found in warned.values() for p in found}))).all())
    return {resident_id: [(names[p.commitment.service_id], p) for p in found] for resident_id, found in warned.items()}


def _desk_page(*, own):
    filters = _filters(request.args, own=own)
    endpoint = "casework.mine" if own else "casework.overview"
    moment = local_now()
    key = (str(get_locale()), moment.replace(second=0, microsecond=0), own, filters.coordinator_id, filters.state,
           filters.sort, filters.descending, filters.page)

    def render_region():
        data = desk(db.session, filters=filters, today=moment.date(), with_coordinators=not own)
        return render_template("casework/_cases.html", desk=data, filters=filters, endpoint=endpoint, own=own,
                               warned=_desk_warnings(data.rows, moment.date()))

    region = _desk_regions().get(data_version(db.session), key, render_region)
    if _region() == REGION:
        return _render_html(region)
    return _render("casework/desk.html", region=region, own=own)


@bp.route("/")
@role_required(Role.COORDINATOR)
def mine():
    """My cases: the coordinator's open cases with their next deadline."""
    return _desk_page(own=True)


@bp.route("/all")
@role_required(Role.DIRECTOR)
def overview():
    """The director's view: every coordinator's cases, counts per coordinator."""
    return _desk_page(own=False)


# --- a plan's case ----------------------------------------------------------------------------------

def _load_plan(plan_id):
    """The plan if the user follows its case (coordinator of the case or the director), else 403/404."""
    plan = db.session.scalar(_plan_by_id(), {"plan_id": plan_id})
    return found(plan, lambda plan: access.can_work_on(current_user, plan))


@cache
def _plan_by_id():
    """The plan with what a case's pages show, built once per process
    (building the statement with its loader options costs more than running
    it): the one-to-one neighbours joined, a statement per collection with
    its rows' many-to-one neighbours joined in it."""
    return select(Plan).where(Plan.id == bindparam("plan_id")).options(
        joinedload(Plan.resident), joinedload(Plan.request), joinedload(Plan.coordinator),
        joinedload(Plan.assessment),
        selectinload(Plan.versions).selectinload(PlanVersion.items).joinedload(PlanItem.service)
        .joinedload(Service.provider),
        selectinload(Plan.versions).selectinload(PlanVersion.items).joinedload(PlanItem.provider),
        selectinload(Plan.versions).selectinload(PlanVersion.signatures),
    )


def _progress(plan, today):
    """[(service name, Progress)] of the items in force, in the plan's order
    (delivered against planned, portal/delivery/figures.py)."""
    items = _items_by_id(plan)
    if not items or plan.status not in ("approved", "active", "closed"):
        return []
    progress = figures.plan_progress(db.session, plan, today)
    return [(item.service.name, progress[item.id]) for item in sorted(items.values(), key=lambda i: i.position)
            if item.id in progress]


def _items_by_id(plan):
    version = plan.version_in_force
    return {item.id: item for item in version.items} if version is not None else {}


def _row_names(items):
    """Service names by the item id as the form posts it, for the error summary."""
    return {str(item_id): item.service.name for item_id, item in items.items()}


def _field_error(form, error):
    target = form.field_for(getattr(error, "field", ""))
    if target is None:
        return False
    target.errors = list(target.errors or []) + [_message(error)]
    return True


def _refused(form, plan_id, page):
    """How a case's page answers what its service refuses, beyond the
    version: input at its field, or said above the form when no field fits
    (422); a plan closed or changed in the meantime (409); not the user's case (403)."""
    def invalid(error):
        return page(_load_plan(plan_id), form, notice=None if _field_error(form, error) else _message(error))

    def frozen(error):
        return answer(page(_load_plan(plan_id), form, notice=_message(error)), 409)

    def not_allowed(error):
        abort(403)

    return {"invalid": invalid, "refused": {casework.TransitionError: frozen, casework.Frozen: frozen,
                                            casework.NotAllowed: not_allowed}}


def _plan_name(plan):
    return (plan.number or f"projekt-{plan.id}").replace("/", "-").lower()


# --- monitoring ----------------------------------------------------------------------------------------

def _monitoring_page(plan, form, status=200, *, notice=None):
    today = _today()
    entries = casework.entries_of(db.session, plan)
    deadlines = plan_deadlines(db.session, plan, today)
    items = _items_by_id(plan)
    return _render("casework/monitoring.html", status, plan=plan, form=form, entries=entries, notice=notice,
                   deadlines=deadlines, contact=next((d for d in deadlines if d.kind == "contact"), None),
                   problem=casework.monitoring_problem(plan), items=items, row_names=_row_names(items), today=today,
                   progress=_progress(plan, today))


@bp.route("/plans/<int:plan_id>/monitoring", methods=["GET", "POST"])
@role_required(*CASE_ROLES)
def monitoring(plan_id):
    plan = _load_plan(plan_id)
    today = _today()
    if request.method == "GET":
        form = ContactForm(formdata=None)
        if plan.version_in_force is not None:
            form.load_items(plan.version_in_force.items)
        form.contact_on.data = today.strftime("%d.%m.%Y")
        note_access(db.session, plan, "view", actor=current_user, what="monitoring card")
        commit_trail(db.session)  # the view recorded at once, the plan kept loaded for the page
        return _monitoring_page(plan, form)

    form = ContactForm()
    problem = casework.monitoring_problem(plan)
    if problem is not None:
        return _monitoring_page(plan, form, 409, notice=str(problem))
    if not form.validate():
        return _monitoring_page(plan, form, 422)
    return commit(
        lambda: casework.record_contact(db.session, plan, form.to_data(), actor=current_user, today=today),
        **_refused(form, plan_id, _monitoring_page),
        done=lambda _result: saved(url_for(".monitoring", plan_id=plan_id), _("Zapisano kontakt monitorujący.")))


@bp.route("/plans/<int:plan_id>/monitoring/card.pdf")
@role_required(*CASE_ROLES)
def monitoring_pdf(plan_id):
    """The monitoring card as the centres print it (always in Polish)."""
    plan = _load_plan(plan_id)
    body = printing.monitoring_card_pdf(plan, casework.entries_of(db.session, plan), _today())
    note_access(db.session, plan, "print", actor=current_user, what="monitoring card PDF")
    db.session.commit()
    return pdf_response(body, f"karta-monitoringu-{_plan_name(plan)}.pdf")


# --- closure ---------------------------------------------------------------------------------------------

def _closure_page(plan, form, status=200, *, notice=None, closure=None):
    items = _items_by_id(plan)
    return _render("casework/closure.html", status, plan=plan, form=form, notice=notice, closure=closure,
                   problem=casework.closure_problem(plan) if closure is None else None, items=items,
                   row_names=_row_names(items), entries=casework.entries_of(db.session, plan))


@bp.route("/plans/<int:plan_id>/closure", methods=["GET", "POST"])
@role_required(*CASE_ROLES)
def closure(plan_id):
    plan = _load_plan(plan_id)
    today = _today()
    if request.method == "GET":
        note_access(db.session, plan, "view", actor=current_user, what="plan closure")
        db.session.commit()
        existing = casework.closure_of(db.session, plan) if plan.status == "closed" else None
        form = ClosureForm(formdata=None)
        if existing is None and casework.closure_problem(plan) is None:
            form.load(casework.closure_defaults(plan, today, casework.entries_of(db.session, plan)))
        form.version.data = str(plan.version)
        return _closure_page(plan, form, closure=existing)

    form = ClosureForm()
    if plan.status == "closed":
        return _closure_page(plan, form, 409, notice=_("Plan jest już zamknięty."),
                             closure=casework.closure_of(db.session, plan))
    problem = casework.closure_problem(plan)
    if problem is not None:
        return _closure_page(plan, form, 409, notice=str(problem))
    if not form.validate():
        return _closure_page(plan, form, 422)
    if not confirmed():
        return confirm_page(
            title=_("Zamknąć plan %(name)s?", name=plan.number or _("(bez numeru)")),
            button=_("Zamknij plan"), cancel_url=url_for(".closure", plan_id=plan.id),
            consequences=[_("Plan i podsumowanie zostaną zamrożone: nie będzie można ich zmienić."),
                          _("Miejsca w usługach planu zwolnią się od jutra."),
                          _("Zgłoszenie zostanie zamknięte razem z planem. Tego nie można cofnąć.")])

    def conflict(error):
        db.session.expire_all()
        current = _load_plan(plan_id)
        form.version.data = str(current.version)
        return _closure_page(current, form, notice=str(casework.CONFLICT_MESSAGE),
                             closure=casework.closure_of(db.session, current) if current.status == "closed" else None)

    return commit(
        lambda: casework.close_plan(db.session, plan, form.to_data(), actor=current_user,
                               expected_version=form.version.data, today=today),
        conflict=conflict, **_refused(form, plan_id, _closure_page),
        done=lambda _result: saved(url_for(".closure", plan_id=plan_id),
                                   _("Plan zamknięto. Zgłoszenie zostało zamknięte razem z nim.")))


@bp.route("/plans/<int:plan_id>/closure.pdf")
@role_required(*CASE_ROLES)
def closure_pdf(plan_id):
    """The written summary of a closed plan; before closure, the same form
    with empty boxes, to fill in by hand at the summary conversation."""
    plan = _load_plan(plan_id)
    existing = casework.closure_of(db.session, plan) if plan.status == "closed" else None
    body = printing.closure_pdf(plan, existing)
    note_access(db.session, plan, "print", actor=current_user, what="plan closure PDF")
    db.session.commit()
    return pdf_response(body, f"zamkniecie-{_plan_name(plan)}.pdf")
