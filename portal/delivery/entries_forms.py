"""The forms of individual deliveries, the monthly grid and consultations."""
import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, widgets

from ..core.forms import (
    ChoiceField,
    DateInputField,
    IntegerInputField,
    OneOf,
    ParsedField,
    Required,
    TextBlockField,
    TextField,
    choices,
    max_length,
    optional_int,
)
from .models import CONSULTATION_KINDS

NUMBER_RE = re.compile(r"[0-9]{1,4}([.,][0-9]{1,6})?")


def parse_quantity(text):
    """'1,5' or '1.5' or ' 2 ' -> Decimal; None when it is not a number."""
    text = (text or "").replace("\u00a0", "").replace(" ", "")
    if not NUMBER_RE.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def show_quantity(value):
    """Decimal('1.50') -> '1,5'; Decimal('8.00') -> '8'."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class QuantityField(ParsedField):
    """A quantity typed the Polish way: a whole number or a decimal with a
    comma (1,5); a dot is accepted too."""

    widget = widgets.TextInput()

    def format_value(self, value):
        return show_quantity(value)

    def parse(self, text):
        value = parse_quantity(text)
        if value is None:
            raise ValueError(_("Podaj liczbę, np. 2 albo 1,5."))
        return value


class EntryForm(FlaskForm):
    submission = HiddenField()
    resident_id = ChoiceField(_l("Osoba"), coerce=optional_int, choices=[],
                              validators=[Required(_l("Wybierz osobę.")), OneOf()])
    delivered_on = DateInputField(_l("Data"), validators=[Required(_l("Podaj datę."))])
    quantity = QuantityField(_l("Ilość"), validators=[Required(_l("Podaj ilość."))])
    delivered_by = TextField(_l("Kto wykonał (imię i nazwisko)"), validators=[max_length(200)])
    provider_id = ChoiceField(_l("Realizator"), coerce=optional_int, choices=[], validators=[OneOf(allow_empty=True)])
    note = TextBlockField(_l("Uwagi"), validators=[max_length(500)])

    def to_data(self):
        return {name: self[name].data for name in ("resident_id", "delivered_on", "quantity", "delivered_by",
                                                   "provider_id", "note")}


class ConsultationForm(FlaskForm):
    submission = HiddenField()
    given_on = DateInputField(_l("Data"), validators=[Required(_l("Podaj datę."))])
    minutes = IntegerInputField(_l("Czas trwania (minuty)"),
                                validators=[Required(_l("Podaj czas trwania w minutach."))])
    kind = ChoiceField(_l("Rodzaj konsultacji"), choices=choices(CONSULTATION_KINDS, blank=_l("— wybierz rodzaj")),
                       validators=[Required(_l("Wybierz rodzaj konsultacji.")), OneOf()])
    resident_id = ChoiceField(_l("Osoba"), coerce=optional_int, choices=[], validators=[OneOf(allow_empty=True)])
    given_by = TextField(_l("Kto udzielił (imię i nazwisko)"), validators=[max_length(200)])
    provider_id = ChoiceField(_l("Realizator"), coerce=optional_int, choices=[], validators=[OneOf(allow_empty=True)])
    note = TextBlockField(_l("Uwagi"), validators=[max_length(2000)])

    def to_data(self):
        return {name: self[name].data for name in ("given_on", "minutes", "kind", "resident_id", "given_by",
                                                   "provider_id", "note")}


class GridForm(FlaskForm):
    """The grid's own fields; its cells are read from request.form by name
    (h-<person>-<day>): a table of people × days is no WTForms list."""

    state = HiddenField()


class DeleteForm(FlaskForm):
    """A row's delete button: only the CSRF token."""
