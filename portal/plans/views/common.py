"""What the plan views share: the labels every plan page shows, the
catalogue's active services, typed days, a refusal's message at its form
field (an item's field too), and the row actions of the lists (cancel a
grant, revoke a delegation, resolve a waiting-list entry).
"""
from flask import flash, redirect
from sqlalchemy import select

from ...catalogue.models import UNITS, Service
from ...core.errors import DomainError
from ...core.forms import parse_day
from ...core.views import commit, saved
from ...extensions import db
from ...text import polish_order
from .. import bp
from ..models import CHECK_FREQUENCIES, PLAN_STATUSES, SIGNER_ROLES, SUPPORTS, VERSION_STATUSES


@bp.context_processor
def _labels():
    return {"plan_statuses": PLAN_STATUSES, "version_statuses": VERSION_STATUSES, "signer_roles": SIGNER_ROLES,
            "frequencies": CHECK_FREQUENCIES, "supports_labels": SUPPORTS, "units": UNITS}


def day(text, default):
    """The day typed in `text`, or `default` when there is none to read."""
    return parse_day(text) or default


def message(error):
    return str(getattr(error, "message", error))


def active_services():
    return db.session.scalars(select(Service).where(Service.status == "active")
                              .order_by(polish_order(Service.name))).all()


def field_error(form, error):
    """Put a DataError's message at the form field it names (an item's field
    too); False when the form has no such field."""
    target = form.field_for(getattr(error, "field", "")) if hasattr(form, "field_for") else None
    if target is None:
        target = form[error.field] if getattr(error, "field", None) in form else None
    if target is None:
        return False
    target.errors = list(target.errors or []) + [message(error)]
    return True


def row_action(change, url, done):
    """A list's row action: run `change()` (a service call) and commit; then
    back to the list at `url` (303) with `done`, or with why not when the
    service refused (nothing saved)."""
    def refused(error):
        flash(message(error), "error")
        return redirect(url, code=303)

    return commit(change, invalid=refused, refused={DomainError: refused}, done=lambda _result: saved(url, done))
