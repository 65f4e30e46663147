"""The tail every form view and action repeats, in one place.

A view loads, checks, then hands its service call to `commit()`, which
commits and answers one of three ways:

- saved: `done(result)`, usually `saved(url, message)`: a flash and a 303;
- a `DataError` (the input refused at a field): rolled back, the message put
  at its field of `form`, and `invalid(error)` answered with 422 — the page
  re-rendered from the posted form, so nothing typed is lost;
- a `VersionConflict` (or SQLAlchemy's `StaleDataError` from a version
  column): rolled back and `conflict(error)` answered with 409 — the
  conflict screen (`conflict_table` in templates/_macros/forms.html).

    return commit(
        lambda: ops.update_thing(db.session, thing, data, actor=current_user,
                                 expected_version=form.version.data),
        form=form,
        invalid=lambda error: _page(form, thing),
        conflict=lambda error: _conflict_page(form, thing_id, data),
        done=lambda result: saved(url_for(".detail", thing_id=thing_id), _("Zapisano zmiany.")),
    )

Actions (a status change, an archive) post the version the person saw;
`expect_version()` raises the same VersionConflict when the record moved
since, so an action answers a conflict like a form does.
"""
from flask import abort, flash, make_response, redirect
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from .errors import DataError, VersionConflict, check_version

__all__ = ["ACTION_CONFLICT_NOTE", "ALREADY_SAVED_NOTE", "CONFLICTS", "answer", "commit", "expect_version",
           "field_error", "found", "get_or_404", "saved", "status_conflict"]

# What a save that lost a race raises: the service's own check, or the
# version column guarding the UPDATE itself.
CONFLICTS = (VersionConflict, StaleDataError)


def answer(page, status):
    """A page (a response, a string, or a view's (body, status) tuple) with
    `status`; a redirect stays a redirect (the record is no longer there to
    edit: its own page says why)."""
    response = make_response(page)
    if not 300 <= response.status_code < 400:
        response.status_code = status
    return response


def saved(url, message=None, category="success"):
    """The answer to a change that was committed: the message, then a 303 to `url`."""
    if message is not None:
        flash(message, category)
    return redirect(url, code=303)


def field_error(form, error, *, fallback=None, names=None):
    """Put a DataError's message at the form field it names (`names` maps a
    service's field name to the form's), else at `fallback` (a field name),
    else at the form's first visible field. Returns the field."""
    name = (names or {}).get(error.field, error.field)
    if name and name in form:
        field = form[name]
    elif fallback is not None:
        field = form[fallback]
    else:
        field = next(f for f in form if f.type not in ("CSRFTokenField", "HiddenField"))
    field.errors = list(field.errors or []) + [str(error.message)]
    return field


def commit(change, *, done, invalid=None, conflict=None, form=None, fallback=None, names=None, refused=None):
    """Run `change()` (a service call: it raises core.errors and never
    commits), commit, and answer `done(result)`.

    On a DataError: roll back, put the message at its field of `form` (when
    given), answer `invalid(error)` with 422. On a conflict: roll back,
    answer `conflict(error)` with 409. `refused` maps other exception types
    to a handler called after the rollback, answering with its own status.
    An error with no handler here is raised on, after the rollback."""
    handlers = dict(refused or {})
    try:
        result = change()
        db.session.commit()
    except CONFLICTS as error:
        db.session.rollback()
        if conflict is None:
            raise
        return answer(conflict(error), 409)
    except DataError as error:
        db.session.rollback()
        if invalid is None:
            raise
        if form is not None:
            field_error(form, error, fallback=fallback, names=names)
        return answer(invalid(error), 422)
    except tuple(handlers) as error:
        db.session.rollback()
        handler = next(h for kind, h in handlers.items() if isinstance(error, kind))
        return handler(error)
    return done(result)


def expect_version(record, posted):
    """Refuse an action on a record that changed since the page was drawn:
    `posted` is the version the person saw (no version posted: no check)."""
    check_version(record, None if posted == "" else posted)


# The conflict screen of an action: nothing was done, the page shows the record as it is now.
ACTION_CONFLICT_NOTE = _l("Nic nie zostało zmienione. Poniżej jest aktualny stan — sprawdź go i wykonaj zmianę "
                          "jeszcze raz, jeśli jest nadal potrzebna.")


ALREADY_SAVED_NOTE = _l("Ta zmiana jest już zapisana: ktoś wykonał ją przed Tobą. Nie trzeba nic robić.")


def status_conflict(record, wanted, labels):
    """The conflict screen's table and note for a status action refused on a
    stale page: the status saved now beside the one asked for, and whether
    there is anything left to do (two people may press the same button)."""
    rows = [(_l("Status"), labels.get(record.status, record.status), labels.get(wanted, wanted))]
    note = ALREADY_SAVED_NOTE if record.status == wanted else ACTION_CONFLICT_NOTE
    return {"conflict": rows, "conflict_note": note}


def found(record, allowed=None):
    """The loaded record: 404 when there is none, 403 when `allowed(record)` says no."""
    if record is None:
        abort(404)
    if allowed is not None and not allowed(record):
        abort(403)
    return record


def get_or_404(model, record_id):
    return found(db.session.get(model, record_id))
