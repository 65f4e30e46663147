"""The input rules plans, single grants, waiting lists and delegations share:
free text trimmed to its limit, a whole quantity, a period in order, a
service picked from the catalogue. Each refusal is a core DataError naming
the field to blame.
"""
from datetime import date

from flask_babel import lazy_gettext as _l

from ..catalogue.models import Service
from ..core.deadlines import max_valid_until
from ..core.errors import DataError

MAX_QUANTITY = 100_000
TEXT_LIMITS = {
    "expected_effects": 5000,
    "update_reason": 2000,
    "overdue_reason": 2000,
    "comment": 2000,
    "reason": 500,
    "place": 300,
    "schedule": 2000,
    "scope": 2000,
    "supporting_note": 1000,
    "note": 500,
    "signer_name": 200,
}


def text_of(value, key):
    """The text without NUL bytes and outer spaces, cut to the limit of
    `key`; None when nothing is left."""
    if value is None:
        return None
    value = str(value).replace("\x00", "").strip()
    return value[: TEXT_LIMITS.get(key, 2000)] or None


def is_date(value):
    return isinstance(value, date)


def quantity_of(value, field):
    try:
        quantity = int(value)
    except (TypeError, ValueError):
        raise DataError(field, _l("Podaj liczbę całkowitą, np. 4.")) from None
    if quantity < 1:
        raise DataError(field, _l("Ilość musi być co najmniej 1."))
    if quantity > MAX_QUANTITY:
        raise DataError(field, _l("Ilość może wynosić najwyżej %(max)d.", max=MAX_QUANTITY))
    return quantity


def check_period(start, end, prefix=""):
    """Both days given and in order (`prefix` names an item's fields)."""
    if not is_date(start):
        raise DataError(prefix + "period_from", _l("Podaj datę rozpoczęcia."))
    if not is_date(end):
        raise DataError(prefix + "period_to", _l("Podaj datę zakończenia."))
    if end < start:
        raise DataError(prefix + "period_to", _l("Data zakończenia nie może być wcześniejsza niż data rozpoczęcia."))


def last_valid_day(start):
    """The last day of a year's validity from `start`, as the messages show it."""
    return max_valid_until(start).strftime("%d.%m.%Y")


def catalogue_service(session, service_id, field):
    """The service picked, if it is in the catalogue (not archived)."""
    service = session.get(Service, service_id) if isinstance(service_id, int) else None
    if service is None or service.status == "archived":
        raise DataError(field, _l("Wybierz usługę z katalogu."))
    return service
