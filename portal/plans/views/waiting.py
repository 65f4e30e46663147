"""Waiting lists: the queues per service (names only for those who may see
them), putting a person on a list, and placing or withdrawing them."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...auth.access import role_required
from ...auth.models import Role
from ...catalogue.models import Service
from ...core.views import commit, found, saved
from ...desk.models import Request
from ...extensions import db
from ...residents.access import visible_residents
from ...residents.models import Resident
from ...text import polish_order
from ...validation import whole_number as _int
from ...web import render as _render
from .. import access, bp
from ..forms import WaitingForm, WaitingStatusForm
from ..models import WaitingListEntry
from ..waiting import add_to_waiting_list, resolve_waiting, waiting_counts, waiting_lists
from .common import active_services, row_action


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
        form.service_id.choices = [("", _("— wybierz usługę"))] + [(str(s.id), s.name) for s in active_services()]
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
    form.service_id.choices = [(str(s.id), s.name) for s in active_services()]
    form.resident_id.choices = [(str(r.id), r.full_name) for r in _waiting_residents(_int(form.resident_id.data))]
    if not form.validate():
        return _waiting_page(form, 422)
    data = form.to_data()
    return commit(
        lambda: add_to_waiting_list(db.session, data, actor=current_user),
        form=form, invalid=lambda error: _waiting_page(form),
        done=lambda entry: saved(url_for(".waiting", service=entry.service_id),
                                 _("Wpisano osobę na listę oczekujących.")))


@bp.route("/waiting/<int:entry_id>/status", methods=["POST"])
@role_required(*access.CASE_ROLES)
def waiting_status(entry_id):
    entry = found(db.session.get(WaitingListEntry, entry_id),
                  lambda entry: access.sees_waiting_names(current_user, entry))
    form = WaitingStatusForm()
    if not form.validate():
        flash(_("Formularz wygasł. Wyślij go ponownie."), "error")
        return redirect(url_for(".waiting", service=entry.service_id), code=303)
    return row_action(lambda: resolve_waiting(db.session, entry, form.status.data, actor=current_user),
                      url_for(".waiting", service=entry.service_id), _("Zapisano zmianę na liście oczekujących."))
