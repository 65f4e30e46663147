"""The director's authorisations for services organisers to approve plans:
the list, granting one and revoking it."""
from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...auth.access import role_required
from ...auth.models import Role, User
from ...core.views import commit, get_or_404, saved
from ...extensions import db
from ...text import polish_order
from ...validation import whole_number as _int
from ...web import render as _render
from ...web import today as _today
from .. import bp
from ..delegations import grant_delegation, revoke_delegation
from ..forms import DelegationForm, VersionOnlyForm
from ..models import ApprovalDelegation
from .common import day, row_action


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
    return commit(
        lambda: grant_delegation(db.session, _int(form.organiser_id.data), actor=current_user, today=_today(),
                                 valid_until=day(form.valid_until.data, None), note=form.note.data),
        form=form, invalid=lambda error: _delegations_page(form),
        done=lambda _delegation: saved(url_for(".delegations"), _("Zapisano upoważnienie do zatwierdzania planów.")))


@bp.route("/delegations/<int:delegation_id>/revoke", methods=["POST"])
@role_required(Role.DIRECTOR)
def delegation_revoke(delegation_id):
    delegation = get_or_404(ApprovalDelegation, delegation_id)
    form = VersionOnlyForm()
    if not form.validate():
        return _delegations_page(DelegationForm(formdata=None), 422)
    return row_action(lambda: revoke_delegation(db.session, delegation, actor=current_user),
                      url_for(".delegations"), _("Odwołano upoważnienie."))

