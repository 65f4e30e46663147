"""The actions on a plan's page: submit for approval, approve, return for
changes, cancel the draft, start an update; and the approval queue.

Each action posts the lock version the person saw: a plan changed since
gets the conflict screen (409) and nothing happens; a refusal shows the
plan's page with why (409), a refused input the form again at its field
(422).
"""
from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth.access import role_required
from ...confirm import confirm_page, confirmed
from ...core.errors import DomainError, NotAllowed
from ...core.views import commit, saved
from ...extensions import db
from ...web import render as _render
from ...web import today as _today
from .. import access, bp
from .. import services as plans
from ..capacity import CapacityFull
from ..forms import ApproveForm, CancelForm, ReturnForm, SubmitForm, VersionOnlyForm
from ..models import Plan
from .common import message
from .plans import after_action, detail_page, load_plan, plan_query


def _action_form(form_class, prefix):
    form = form_class(prefix=prefix)
    valid = form.validate()
    return form, valid


def _plan_page_again(plan_id, status, notice, **forms):
    """The plan's page with why the action did not happen. An approver by
    delegation whom the plan has left (decided or withdrawn meanwhile: no
    version waits for a decision) gets the approval queue with the same
    words instead."""
    plan = db.session.scalar(plan_query().where(Plan.id == plan_id))
    if plan is None:
        abort(404)
    today = _today()
    if access.can_view_plan(current_user, plan, today):
        return detail_page(plan, status, notice=notice, **forms)
    if access.can_approve(current_user, today):
        if notice:
            flash(notice, "error")
        return redirect(url_for(".approvals"), code=303)
    abort(403)


def _conflict_page(plan_id):
    return _plan_page_again(plan_id, 409, _(
        "Ktoś inny zmienił ten plan w międzyczasie. Nic nie zostało nadpisane — poniżej jest aktualny stan planu; "
        "sprawdź go i wykonaj czynność jeszcze raz, jeśli jest nadal potrzebna."))


def _act(plan_id, change, done, *, invalid=None, refusal=message):
    """Run the action's service call `change()` through commit(), then
    answer `done(result)`. When it does not happen (rolled back): a stale
    form gets the conflict screen (409), NotAllowed a 403, a DataError
    `invalid(error)` (422; the plan's page with why when not given), any
    other refusal the plan's page with `refusal(error)` (409)."""
    def refused(error):
        if isinstance(error, NotAllowed):
            abort(403)
        return _plan_page_again(plan_id, 409, refusal(error))

    return commit(change, done=done, conflict=lambda error: _conflict_page(plan_id),
                  invalid=invalid or (lambda error: _plan_page_again(plan_id, 422, refusal(error))),
                  refused={DomainError: refused})


def _at_field(plan_id, form, name):
    """`invalid` for an action's form: the plan's page again (422) with the
    form as `name` and the message at the field the error names (above the
    page when the form has no such field)."""
    def invalid(error):
        if error.field in form:
            form[error.field].errors = [message(error)]
            return _plan_page_again(plan_id, 422, None, **{name: form})
        return _plan_page_again(plan_id, 422, message(error))
    return invalid


@bp.route("/<int:plan_id>/submit", methods=["POST"])
@role_required(*access.CASE_ROLES)
def submit(plan_id):
    plan = load_plan(plan_id, work=True)
    form, valid = _action_form(SubmitForm, "submit")
    if not valid:
        return detail_page(plan, 422, submit_form=form)
    return _act(plan_id, lambda: plans.submit(db.session, plan, actor=current_user, expected_version=form.version.data,
                                              today=_today(), overdue_reason=form.overdue_reason.data),
                lambda version: after_action(plan_id, _("Plan przekazano do zatwierdzenia.")),
                invalid=_at_field(plan_id, form, "submit_form"))


def _approver_plan(plan_id):
    """The plan for an approver's decision; None when it is not one the user
    may decide now (for an organiser: no version waits for a decision)."""
    today = _today()
    if not access.can_approve(current_user, today):
        abort(403)
    plan = db.session.scalar(plan_query().where(Plan.id == plan_id))
    if plan is None:
        abort(404)
    return plan if access.can_view_plan(current_user, plan, today) else None


def _not_awaiting(plan_id):
    return _plan_page_again(plan_id, 409, _("Ten plan nie czeka na zatwierdzenie."))


def _after_decision(plan_id, done):
    """After approving or returning: the plan's page for those who still
    see it, the approval queue for an organiser (the plan has left them)."""
    db.session.expire_all()
    plan = db.session.get(Plan, plan_id)
    if access.can_view_plan(current_user, plan, _today()):
        return after_action(plan_id, done)
    return saved(url_for(".approvals"), done)


def _approval_refused(error):
    if isinstance(error, CapacityFull):
        return message(error) + " " + _(
            "Plan nie został zatwierdzony. Zwróć go koordynatorowi: może zmienić usługę albo wpisać osobę "
            "na listę oczekujących.")
    return message(error)


@bp.route("/<int:plan_id>/approve", methods=["POST"])
@role_required(*access.APPROVER_ROLES)
def approve(plan_id):
    plan = _approver_plan(plan_id)
    if plan is None:
        return _not_awaiting(plan_id)
    form, valid = _action_form(ApproveForm, "approve")
    if not valid:
        return detail_page(plan, 422, notice=_("Formularz wygasł. Wyślij go ponownie."))
    if not confirmed():
        return confirm_page(
            title=_("Zatwierdzić plan?"), button=_("Zatwierdź plan"),
            cancel_url=url_for(".detail", plan_id=plan.id),
            consequences=[_("Plan otrzyma numer, a jego treść zostanie zamrożona: nie będzie można jej zmienić, "
                            "tylko rozpocząć aktualizację."),
                          _("Usługi planu zajmą miejsca na cały okres planu."),
                          _("Powstanie wydruk do podpisu; tego nie można cofnąć.")])

    def approved(version):
        number = db.session.get(Plan, plan_id).number
        return _after_decision(plan_id, _("Zatwierdzono plan %(number)s.", number=number) if version.number == 0
                               else _("Zatwierdzono aktualizację nr %(n)d planu %(number)s.", n=version.number,
                                      number=number))

    return _act(plan_id, lambda: plans.approve(db.session, plan, actor=current_user,
                                               expected_version=form.version.data, today=_today()),
                approved, refusal=_approval_refused)


@bp.route("/<int:plan_id>/return", methods=["POST"])
@role_required(*access.APPROVER_ROLES)
def send_back(plan_id):
    plan = _approver_plan(plan_id)
    if plan is None:
        return _not_awaiting(plan_id)
    form, valid = _action_form(ReturnForm, "return")
    if not valid:
        return detail_page(plan, 422, return_form=form)
    return _act(plan_id, lambda: plans.return_for_changes(db.session, plan, actor=current_user,
                                                          expected_version=form.version.data, today=_today(),
                                                          comment=form.comment.data),
                lambda version: _after_decision(plan_id, _("Plan zwrócono koordynatorowi do poprawy.")),
                invalid=_at_field(plan_id, form, "return_form"))


@bp.route("/<int:plan_id>/cancel", methods=["POST"])
@role_required(*access.CASE_ROLES)
def cancel(plan_id):
    plan = load_plan(plan_id, work=True)
    form, valid = _action_form(CancelForm, "cancel")
    if not valid:
        return detail_page(plan, 422, cancel_form=form)
    if not confirmed():
        return confirm_page(
            title=_("Anulować projekt planu?") if plan.working_version is None or plan.working_version.number == 0
            else _("Anulować projekt aktualizacji?"), button=_("Anuluj projekt"),
            cancel_url=url_for(".detail", plan_id=plan.id), intro=form.reason.data,
            consequences=[_("Projekt zostanie zamknięty i nie będzie go można dalej edytować ani przekazać."),
                          _("Tego nie można cofnąć.")])
    return _act(plan_id, lambda: plans.cancel(db.session, plan, actor=current_user, expected_version=form.version.data,
                                              reason=form.reason.data),
                lambda version: after_action(plan_id, _("Anulowano projekt planu.") if version.number == 0
                                             else _("Anulowano projekt aktualizacji.")),
                invalid=_at_field(plan_id, form, "cancel_form"))


@bp.route("/<int:plan_id>/update", methods=["POST"])
@role_required(*access.CASE_ROLES)
def start_update(plan_id):
    plan = load_plan(plan_id, work=True)
    form, valid = _action_form(VersionOnlyForm, "update")
    if not valid:
        return detail_page(plan, 422, notice=_("Formularz wygasł. Wyślij go ponownie."))
    return _act(plan_id, lambda: plans.start_update(db.session, plan, actor=current_user,
                                                    expected_version=form.version.data, today=_today()),
                lambda version: saved(url_for(".edit", plan_id=plan_id), _(
                    "Utworzono projekt aktualizacji planu. Wprowadź zmiany i przekaż ją do zatwierdzenia.")))


@bp.route("/approvals")
@role_required(*access.APPROVER_ROLES)
def approvals():
    today = _today()
    if not access.can_approve(current_user, today):
        abort(403)
    return _render("plans/approvals.html", rows=plans.approval_queue(db.session, today),
                   delegation=access.active_delegation(current_user, today))
