"""Form pieces shared by every feature's forms: field types that keep what
was typed, validators with Polish messages at the field, and small helpers.

Every field keeps the input when it does not validate, every message is
Polish and tied to its field, and no input raises: choices are checked with
our own message (not WTForms' English one) and junk is refused, never
crashed on. The Polish identifier validators (PESEL, NIP, REGON, KRS, postal
code, phone) are in `core.validators`.
"""
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, Form, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import Length, StopValidation, ValidationError

from ..timeutil import local_now
from ..validation import is_email, parse_day, whole_number

__all__ = [
    "TEXT_MAX", "WEEKDAYS", "BirthDate", "ChoiceField", "TypedDay", "DateInputField", "EmailAddress", "IdListField",
    "IntegerInputField", "MoneyField", "MultiCheckboxField", "OneOf", "ParsedField", "PublicForm", "Required",
    "RowForm", "TextBlockField", "TextField", "TimeInputField", "WebAddress", "choices", "clean_optional_text",
    "clean_text", "field_labels", "keep_typed", "max_length", "optional_int", "parse_day", "parse_money",
    "parse_time",
]

TEXT_MAX = 20000


# --- cleaning and lengths --------------------------------------------------------

def clean_text(value):
    """Strip and drop NUL characters (PostgreSQL refuses them); '' stays ''."""
    if not isinstance(value, str):
        return value
    return value.replace("\x00", "").strip()


def clean_optional_text(value):
    """clean_text, and '' becomes None (an optional column left empty)."""
    value = clean_text(value)
    if isinstance(value, str) and not value:
        return None
    return value


def max_length(limit):
    return Length(max=limit, message=_l("Wpisz najwyżej %(max)d znaków."))


def keep_typed(form, names):
    """Show what was typed, not its normalised form, when the form comes back
    with errors (a valid phone is stored as +48..., but typed as 601 234 567)."""
    for name in names:
        field = form[name]
        if field.raw_data:
            field.data = clean_text(field.raw_data[0])


def choices(mapping, blank=None):
    """(value, label) pairs of a {code: label} mapping, with a blank first
    choice when `blank` is given."""
    pairs = list(mapping.items())
    return [("", blank)] + pairs if blank is not None else pairs


def optional_int(value):
    if value in (None, ""):
        return None
    return int(value)


# --- validators ------------------------------------------------------------------

class Required:
    """DataRequired with our message: the field is empty when it holds
    nothing, only spaces or an empty list. Silent when the field already
    failed to parse (one message per field). `flag=False` leaves out the
    HTML `required` flag, for fields of optional rows."""

    def __init__(self, message, flag=True):
        self.message = message
        self.field_flags = {"required": True} if flag else {}

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()
        data = field.data
        if data is None or data == [] or (isinstance(data, str) and not data.strip()):
            raise StopValidation(self.message)


class OneOf:
    """The value is one of the field's choices (or empty when allowed)."""

    def __init__(self, allow_empty=False):
        self.allow_empty = allow_empty

    def __call__(self, form, field):
        if self.allow_empty and field.data in (None, ""):
            return
        if str(field.data) not in {str(value) for value, _label in field.choices}:
            raise StopValidation(_("Wybierz jedną z możliwości."))


class EmailAddress:
    """A plausible address; deliverability is not ours to check."""

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field):
        if field.data and not is_email(field.data):
            raise ValidationError(self.message or _("Podaj poprawny adres e-mail, np. jan.kowalski@poczta.pl."))


class WebAddress:
    PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.IGNORECASE)

    def __call__(self, form, field):
        if field.data and not self.PATTERN.match(field.data):
            raise ValidationError(_("Podaj pełny adres strony, np. https://cus.wojcieszkow.pl."))


class TypedDay:
    """A typed day (dd.mm.rrrr, also with - or /, or rrrr-mm-dd) that exists.
    `example` is the day the format message shows; `not_after_today` and
    `earliest` = (year, message) add the bounds a field needs, each with its
    own message."""

    def __init__(self, example, *, not_after_today=None, earliest=None):
        self.example, self.not_after_today, self.earliest = example, not_after_today, earliest

    def __call__(self, form, field):
        if not field.data:
            return
        day = parse_day(field.data)
        if day is None:
            raise ValidationError(_("Data w formacie dd.mm.rrrr, np. %(example)s.", example=self.example))
        if self.not_after_today is not None and day > local_now().date():
            raise ValidationError(str(self.not_after_today))
        if self.earliest is not None and day.year < self.earliest[0]:
            raise ValidationError(str(self.earliest[1]))


class BirthDate(TypedDay):
    """A typed birth date: a real day, not in the future, not before 1890."""

    def __init__(self):
        check = _l("Sprawdź datę urodzenia.")
        super().__init__("07.03.1950", not_after_today=check, earliest=(1890, check))


# --- fields ----------------------------------------------------------------------

class TextField(StringField):
    """A one-line text: cleaned, and None when left empty."""

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = clean_optional_text(valuelist[0])


class TextBlockField(TextAreaField):
    """A text box: cleaned, and None when left empty."""

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = clean_optional_text(valuelist[0])


class IdListField(Field):
    """Several integer ids from checkboxes of the same name; junk is dropped,
    duplicates removed, order kept."""

    def process_formdata(self, valuelist):
        ids = []
        for raw in valuelist[:100]:
            raw = (raw or "").strip()
            if raw.isascii() and raw.isdigit() and len(raw) < 10:
                value = int(raw)
                if value not in ids:
                    ids.append(value)
        self.data = ids

    def _value(self):
        return ""


class ParsedField(Field):
    """Shows the raw input back when it did not parse (as a text box: a
    date, time or number box cannot hold text that is not one). Each
    subclass defines parse(text), which raises ValueError with the message."""

    def __call__(self, **kwargs):
        if self.process_errors:
            kwargs["type"] = "text"
            # A number box's limits are not allowed on a text box (the Nu checker).
            for limit in ("min", "max", "step"):
                kwargs.setdefault(limit, False)
        return super().__call__(**kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.format_value(self.data) if self.data is not None else ""

    def format_value(self, value):
        return str(value)

    def process_formdata(self, valuelist):
        self.data = None
        text = clean_optional_text(valuelist[0]) if valuelist else None
        if text is None:
            return
        self.data = self.parse(text)


class DateInputField(ParsedField):
    widget = widgets.DateInput()
    FORMATS = ("%Y-%m-%d", "%d.%m.%Y")

    def format_value(self, value):
        return value.isoformat()

    def parse(self, text):
        for fmt in self.FORMATS:
            try:
                value = datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            if 1900 <= value.year <= 2200:
                return value
        raise ValueError(_("Podaj datę w formacie RRRR-MM-DD, np. 2026-01-13."))


TIME_RE = re.compile(r"^([0-9]{1,2})(?:[:.]([0-9]{2}))?(?::[0-9]{2})?$")


def parse_time(text):
    """'9', '9:30', '09.30' -> time; None when it is not a time of day."""
    match = TIME_RE.match(text.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return datetime(2000, 1, 1, hour, minute).time()


class TimeInputField(ParsedField):
    widget = widgets.TimeInput()

    def format_value(self, value):
        return value.strftime("%H:%M")

    def parse(self, text):
        value = parse_time(text)
        if value is None:
            raise ValueError(_("Podaj godzinę w formacie GG:MM, np. 09:30."))
        return value


class IntegerInputField(ParsedField):
    widget = widgets.NumberInput()

    def parse(self, text):
        negative = text.strip().startswith("-")
        value = whole_number(text.strip()[1:] if negative else text)
        if value is None:
            raise ValueError(_("Podaj liczbę całkowitą."))
        return -value if negative else value


def parse_money(text):
    """'1 234,50 zł' -> Decimal('1234.50'); None when it is not an amount."""
    text = text.replace("\u00a0", "").replace(" ", "").lower()
    if text.endswith("zł"):
        text = text[:-2]
    elif text.endswith("zl"):
        text = text[:-2]
    text = text.replace(",", ".")
    if not re.fullmatch(r"-?[0-9]{1,8}(\.[0-9]+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class MoneyField(ParsedField):
    widget = widgets.TextInput()

    def format_value(self, value):
        return f"{value:.2f}".replace(".", ",")

    def parse(self, text):
        value = parse_money(text)
        if value is None:
            raise ValueError(_("Podaj kwotę w złotych, np. 12,50."))
        if value.as_tuple().exponent < -2:
            raise ValueError(_("Kwota może mieć najwyżej dwa miejsca po przecinku."))
        return value


class ChoiceField(SelectField):
    """A select whose junk input is a Polish message at the field."""

    def process_formdata(self, valuelist):
        if valuelist:
            try:
                self.data = self.coerce(valuelist[0])
            except (ValueError, TypeError):
                self.data = None
                raise ValueError(_("Wybierz pozycję z listy.")) from None

    def pre_validate(self, form):
        if self.data in (None, "") and not self.flags.required:
            return
        for _value, _label, selected, *_rest in self.iter_choices():
            if selected:
                return
        raise ValidationError(_("Wybierz pozycję z listy."))


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes of one name."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def process_formdata(self, valuelist):
        try:
            self.data = [self.coerce(v) for v in valuelist]
        except (ValueError, TypeError):
            self.data = []
            raise ValueError(_("Zaznacz pozycje z listy.")) from None

    def pre_validate(self, form):
        allowed = {self.coerce(value) for value, *_rest in self.iter_choices()}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(_("Zaznacz pozycje z listy."))


# --- public forms ----------------------------------------------------------------

class PublicForm(FlaskForm):
    """A form anyone may send without a login: the spam guard's two fields
    (portal/public_form.py checks them; the `honeypot` macro of
    templates/_macros/forms.html draws the trap)."""

    # A field people never see, and the time the form was shown.
    website = StringField(_l("Zostaw to pole puste"), render_kw={"autocomplete": "off", "tabindex": "-1"})
    started = HiddenField()


# --- rows and labels -------------------------------------------------------------

WEEKDAYS = (
    ("0", _l("poniedziałek")),
    ("1", _l("wtorek")),
    ("2", _l("środa")),
    ("3", _l("czwartek")),
    ("4", _l("piątek")),
    ("5", _l("sobota")),
    ("6", _l("niedziela")),
)


class RowForm(Form):
    """One optional row of a FieldList: ignored when every box is empty."""

    def is_blank(self):
        return not any(
            isinstance(value, str) and value.strip()
            for field in self
            for value in (field.raw_data or [])
        )

    def validate(self, extra_validators=None):
        if self.is_blank():
            return True
        return super().validate(extra_validators)

    def values(self):
        return {field.short_name: field.data for field in self}


def field_labels(form_class, **aliases):
    """{field name: label} of a form class, for history and conflict tables;
    aliases name the data keys that differ from the field (provider -> provider_id)."""
    from wtforms.fields.core import UnboundField

    labels = {}
    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        if isinstance(unbound, UnboundField):
            label = unbound.kwargs.get("label") or (unbound.args[0] if unbound.args else None)
            if label:
                labels[name] = label
    for alias, name in aliases.items():
        if name in labels:
            labels[alias] = labels[name]
    labels.setdefault("status", _l("Status"))
    return labels
