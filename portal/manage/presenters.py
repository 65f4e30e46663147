"""The catalogue's change history in words: the labels the forms use for
codes, Polish amounts, numbers and dates. The audit trail keeps the plain
codes and ISO values (stable, language-free); this is how they are shown."""
import re
from decimal import Decimal, InvalidOperation

from ..catalogue.models import CAPACITY_BASES, DELIVERY_MODES, ORIGINS, PROVIDER_TYPES, UNITS
from ..i18n import format_date_numeric, format_money, format_number

CHOICE_LABELS = {
    "origin": ORIGINS,
    "capacity_basis": CAPACITY_BASES,
    "delivery_mode": DELIVERY_MODES,
    "unit": {code: names[0] for code, names in UNITS.items()},
    "provider_type": PROVIDER_TYPES,
}
MONEY_FIELDS = {"fee_amount"}
DATE_FIELDS = {"valid_from", "valid_to", "assured_date"}

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# A discount row as the trail writes it: "<who>: 12.50".
DISCOUNT_AMOUNT = re.compile(r":\s*(-?\d+\.\d{2})$")


def _money(text):
    try:
        return format_money(Decimal(text))
    except (InvalidOperation, TypeError, ValueError):
        return text


def _dates_in(text):
    return ISO_DATE.sub(lambda m: f"{m.group(3)}.{m.group(2)}.{m.group(1)}", text)


def _row(key, text):
    if not isinstance(text, str):
        return text
    text = _dates_in(text)
    if key == "discounts":
        text = DISCOUNT_AMOUNT.sub(lambda m: ": " + _money(m.group(1)), text)
    return text


def shown_value(key, value, statuses=None):
    """One recorded value of field `key` as the user reads it."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, list):
        return [_row(key, item) for item in value]
    if key == "status" and statuses and value in statuses:
        return statuses[value]
    if key in CHOICE_LABELS and value in CHOICE_LABELS[key]:
        return CHOICE_LABELS[key][value]
    if key in MONEY_FIELDS:
        return _money(value)
    if key in DATE_FIELDS and isinstance(value, str) and ISO_DATE.fullmatch(value):
        from datetime import date

        return format_date_numeric(date.fromisoformat(value))
    if isinstance(value, int):
        return format_number(value)
    return value
