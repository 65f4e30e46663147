"""Single grants: granting one service on an application without a plan
(with a capacity check on request), the list of grants, cancelling one."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...auth.access import role_required
from ...catalogue.models import Service
from ...confirm import confirm_page, confirmed
from ...core.deadlines import max_valid_until, plan_deadline
from ...core.views import commit, found, saved
from ...desk.models import Request
from ...extensions import db
from ...residents.services import record_access
from ...web import render as _render
from ...web import today as _today
from .. import access, bp, capacity
from ..forms import GrantForm, VersionOnlyForm, show_date
from ..grants import cancel_grant, grant_service, grants_for
from ..models import ServiceGrant
from .common import active_services, message, row_action


def _load_request(request_id):
    return found(db.session.get(Request, request_id), lambda item: access.can_work_on_request(current_user, item))


def _grant_page(item, form, status=200, *, check=None, full=None):
    wanted = [s.id for s in item.services]
    services = active_services()
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
    form.service_id.choices = [(str(s.id), s.name) for s in active_services()]
    if not form.validate():
        return _grant_page(item, form, 422)
    data = form.to_data()
    if request.form.get("action") == "check":
        service = db.session.get(Service, data["service_id"])
        check = capacity.check_commitments(db.session, service, [capacity.Held(
            data["period_from"], data["period_to"], data["quantity"])]) if service else None
        return _grant_page(item, form, check=check)
    return commit(
        lambda: grant_service(db.session, item, data, actor=current_user, today=_today()),
        form=form, invalid=lambda error: _grant_page(_load_request(request_id), form),
        refused={capacity.CapacityFull: lambda error: _grant_page(_load_request(request_id), form, 409,
                                                                  check=error.checks[0], full=message(error))},
        done=lambda _grant: saved(url_for(".grants"), _("Przyznano usługę.")))


@bp.route("/grants")
@role_required(*access.CASE_ROLES)
def grants():
    return _render("plans/grants.html", rows=grants_for(db.session, current_user),
                   cancel_form=VersionOnlyForm(formdata=None))


@bp.route("/grants/<int:grant_id>/cancel", methods=["POST"])
@role_required(*access.CASE_ROLES)
def grant_cancel(grant_id):
    grant = found(db.session.get(ServiceGrant, grant_id),
                  lambda grant: access.can_work_on_request(current_user, grant.request))
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
    return row_action(lambda: cancel_grant(db.session, grant, actor=current_user, today=_today()),
                      url_for(".grants"), _("Anulowano przyznaną usługę."))

