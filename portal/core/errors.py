"""The domain errors services raise, one hierarchy for every feature.

Services raise these and never commit; views catch them and answer: a
DataError is the user's input refused at a field (422, input kept), a
VersionConflict means someone saved first (409, the conflict screen),
NotAllowed is a 403, Frozen and TransitionError a refused action (409).

`message` is for people (lazy, translated when shown); the exception's own
text (`str(error)`) is for logs and never carries the message or the input,
which may hold personal data.
"""
from flask_babel import lazy_gettext as _l

from ..validation import whole_number

__all__ = ["DomainError", "DataError", "VersionConflict", "NotAllowed", "Frozen", "TransitionError", "check_version",
           "version_number"]


class DomainError(Exception):
    """An operation a service refuses; nothing was saved."""

    message = _l("Tej operacji nie można wykonać.")

    def __init__(self, message=None, *, log=None):
        super().__init__(log or type(self).__name__)
        if message is not None:
            self.message = message


class DataError(DomainError, ValueError):
    """Input the operation refuses; `field` names the form field to blame
    ("items-2-period_to" for a field of the third item), `code` says which
    rule failed when a caller needs to tell them apart."""

    def __init__(self, field, message=None, code=None):
        super().__init__(message, log=code or field)
        self.field = field
        self.code = code


class VersionConflict(DomainError):
    """Someone saved the record after the page was loaded; nothing was saved.
    `current` is the record as it is now (None when the caller reloads it)."""

    message = _l("Ktoś inny zmienił te dane w międzyczasie.")

    def __init__(self, current=None, message=None):
        super().__init__(message, log="version conflict")
        self.current = current


class NotAllowed(DomainError):
    message = _l("Nie masz uprawnień do tej czynności.")


class Frozen(DomainError):
    """The record may no longer change (approved, closed)."""

    message = _l("Tych danych nie można już zmieniać.")


class TransitionError(DomainError, ValueError):
    """A status change the flow does not allow; `from_status` and `to_status`
    name it when the caller knows them."""

    message = _l("Tej zmiany statusu nie można wykonać.")

    def __init__(self, message=None, *, from_status=None, to_status=None):
        log = f"{from_status} -> {to_status}" if from_status or to_status else None
        super().__init__(message, log=log)
        self.from_status = from_status
        self.to_status = to_status


_CURRENT = object()


def version_given(raw):
    """Whether a form posted a version at all (a page that showed no record yet posts none)."""
    return raw not in (None, "")


def version_number(raw):
    """A version as posted by a form (a number or its text) as a whole number, or None."""
    return whole_number(raw)


def check_version(record, expected, *, required=False, message=None, current=_CURRENT):
    """Raise VersionConflict unless `expected` (the version the page showed,
    as posted: a number or its text) is the record's version now. Without
    `required`, None means no check; anything else that is not the current
    number (an empty or junk text included) is a conflict. `current` is what the
    conflict carries (the record itself unless given; None to reload)."""
    if expected is None and not required:
        return
    number = version_number(expected)
    if number is None or number != record.version:
        raise VersionConflict(record if current is _CURRENT else current, message)
