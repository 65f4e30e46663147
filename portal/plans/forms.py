"""Forms of the plans: the plan with its items, the approval actions,
signatures, delegations, single grants and the waiting list.

Fields keep what was typed (dates and numbers are read in `to_data`, never
written back), messages are Polish and tied to their field. Dates are typed
as dd.mm.rrrr (or rrrr-mm-dd), the desk's one reading.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from ..core.deadlines import max_valid_until, validity_problem
from ..core.forms import OneOf, Required, TypedDay, clean_text, max_length, parse_day
from ..validation import whole_number as _int
from .models import CHECK_FREQUENCIES, SIGNER_ROLES

DATE_HINT = _l("dd.mm.rrrr")
DATE_KW = {"autocomplete": "off", "inputmode": "numeric", "placeholder": "dd.mm.rrrr", "size": 10}


class WholeNumber:
    def __init__(self, low=1, high=100_000):
        self.low, self.high = low, high

    def __call__(self, form, field):
        if not field.data:
            return
        value = _int(field.data)
        if value is None:
            raise ValidationError(_("Podaj liczbę całkowitą, np. 4."))
        if value < self.low:
            raise ValidationError(_("Ilość musi być co najmniej %(low)d.", low=self.low))
        if value > self.high:
            raise ValidationError(_("Ilość może wynosić najwyżej %(high)d.", high=self.high))


def date_field(label, required_message=None, **kwargs):
    validators = [max_length(20), TypedDay("07.03.2026")]
    if required_message is not None:
        validators.insert(0, Required(required_message))
    return StringField(label, filters=[clean_text], validators=validators, render_kw=dict(DATE_KW), **kwargs)


def period_in_order(form):
    """False, with the message at `period_to`, when both days of the form's
    period are read and the end comes before the start (and `period_to` has no
    error of its own yet)."""
    start, end = parse_day(form.period_from.data), parse_day(form.period_to.data)
    if start and end and end < start and not form.period_to.errors:
        form.period_to.errors.append(_("Data zakończenia nie może być wcześniejsza niż data rozpoczęcia."))
        return False
    return True


def show_date(value):
    return value.strftime("%d.%m.%Y") if value else ""


class ItemForm(Form):
    """One service of the plan (a subform: the plan form carries the CSRF token)."""

    service_id = HiddenField()
    provider_id = SelectField(_l("Realizator"), choices=[], validate_choice=False, validators=[OneOf()])
    place = StringField(_l("Miejsce"), filters=[clean_text], validators=[max_length(300)],
                        render_kw={"autocomplete": "off"})
    schedule = TextAreaField(_l("Harmonogram"), filters=[clean_text], validators=[max_length(2000)],
                             render_kw={"rows": 2})
    period_from = date_field(_l("Od"), _l("Podaj datę rozpoczęcia."))
    period_to = date_field(_l("Do"), _l("Podaj datę zakończenia."))
    scope = TextAreaField(_l("Zakres"), filters=[clean_text], validators=[max_length(2000)], render_kw={"rows": 2})
    quantity = StringField(_l("Ilość"), filters=[clean_text],
                           validators=[Required(_l("Podaj ilość.")), max_length(10), WholeNumber()],
                           render_kw={"autocomplete": "off", "inputmode": "numeric", "size": 6})
    supports_volunteers = BooleanField(_l("wolontariusze"))
    supports_self_help = BooleanField(_l("samopomoc"))
    supports_neighbours = BooleanField(_l("pomoc sąsiedzka"))
    supporting_note = StringField(_l("Działania wspierające — opis"), filters=[clean_text],
                                  validators=[max_length(1000)], render_kw={"autocomplete": "off"})

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return period_in_order(self) and valid

    def to_data(self):
        return {
            "service_id": _int(self.service_id.data),
            "provider_id": _int(self.provider_id.data),
            "place": self.place.data,
            "schedule": self.schedule.data,
            "period_from": parse_day(self.period_from.data),
            "period_to": parse_day(self.period_to.data),
            "scope": self.scope.data,
            "quantity": _int(self.quantity.data),
            "supports_volunteers": self.supports_volunteers.data,
            "supports_self_help": self.supports_self_help.data,
            "supports_neighbours": self.supports_neighbours.data,
            "supporting_note": self.supporting_note.data,
        }


class PlanForm(FlaskForm):
    """The plan (or its update) with its items."""

    version = HiddenField()
    drawn_up_on = date_field(_l("Data sporządzenia"), _l("Podaj datę sporządzenia planu."))
    valid_from = date_field(_l("Obowiązuje od"), _l("Podaj datę, od której plan obowiązuje."))
    valid_until = date_field(_l("Obowiązuje do"), _l("Podaj datę, do której plan obowiązuje."))
    expected_effects = TextAreaField(_l("Oczekiwane efekty"), filters=[clean_text], validators=[max_length(5000)],
                                     render_kw={"rows": 4})
    check_frequency = RadioField(_l("Jak często sprawdzana jest jakość i zadowolenie z usług"),
                                 choices=list(CHECK_FREQUENCIES.items()), default="quarterly",
                                 validate_choice=False, validators=[OneOf()])
    update_reason = TextAreaField(_l("Powód aktualizacji"), filters=[clean_text], validators=[max_length(2000)],
                                  render_kw={"rows": 2})
    items = FieldList(FormField(ItemForm), min_entries=0, max_entries=50)
    add_service_id = SelectField(_l("Dodaj usługę z katalogu"), choices=[], validate_choice=False,
                                 validators=[OneOf(allow_empty=True)])

    def __init__(self, *args, is_update=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_update = is_update

    def set_choices(self, providers, services):
        provider_choices = [(str(p.id), p.name) for p in providers]
        for entry in self.items:
            entry.form.provider_id.choices = provider_choices
        self.add_service_id.choices = [("", _("— wybierz usługę"))] + [(str(s.id), s.name) for s in services]
        self._provider_choices = provider_choices

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        start, end = parse_day(self.valid_from.data), parse_day(self.valid_until.data)
        if start and end and not self.valid_until.errors:
            problem = validity_problem(start, end)
            if problem == "order":
                self.valid_until.errors.append(_("Plan nie może kończyć się przed dniem, od którego obowiązuje."))
                valid = False
            elif problem == "too_long":
                self.valid_until.errors.append(_("Plan obowiązuje najwyżej rok: ostatni możliwy dzień to %(day)s.",
                                                 day=show_date(max_valid_until(start))))
                valid = False
        if self.is_update and not self.update_reason.data and not self.update_reason.errors:
            self.update_reason.errors.append(_("Napisz, dlaczego plan jest aktualizowany."))
            valid = False
        for entry in self.items:
            item = entry.form
            item_start, item_end = parse_day(item.period_from.data), parse_day(item.period_to.data)
            if start and item_start and item_start < start and not item.period_from.errors:
                item.period_from.errors.append(_("Usługa nie może zaczynać się przed początkiem planu."))
                valid = False
            if end and item_end and item_end > end and not item.period_to.errors:
                item.period_to.errors.append(_("Usługa nie może kończyć się po końcu planu."))
                valid = False
        return valid

    def to_data(self):
        return {
            "drawn_up_on": parse_day(self.drawn_up_on.data),
            "valid_from": parse_day(self.valid_from.data),
            "valid_until": parse_day(self.valid_until.data),
            "expected_effects": self.expected_effects.data,
            "check_frequency": self.check_frequency.data,
            "update_reason": self.update_reason.data,
            "items": [entry.form.to_data() for entry in self.items],
        }

    def load(self, values):
        """Fill the form from stored or default values (dates shown dd.mm.rrrr)."""
        self.drawn_up_on.data = show_date(values.get("drawn_up_on"))
        self.valid_from.data = show_date(values.get("valid_from"))
        self.valid_until.data = show_date(values.get("valid_until"))
        self.expected_effects.data = values.get("expected_effects") or ""
        self.check_frequency.data = values.get("check_frequency") or "quarterly"
        self.update_reason.data = values.get("update_reason") or ""
        while len(self.items):
            self.items.pop_entry()
        for item in values.get("items", []):
            self.append_item(item)

    def append_item(self, item):
        """Add an item from stored or default values (typed: dates, ints)."""
        return self.append_raw({
            **item,
            "service_id": str(item["service_id"]),
            "provider_id": str(item.get("provider_id") or ""),
            "period_from": show_date(item.get("period_from")),
            "period_to": show_date(item.get("period_to")),
            "quantity": str(item.get("quantity") or 1),
        })

    def append_raw(self, raw):
        """Add an item from text as typed."""
        entry = self.items.append_entry()
        form = entry.form
        for name in ("service_id", "provider_id", "place", "schedule", "period_from", "period_to", "scope",
                     "quantity", "supporting_note"):
            form[name].data = raw.get(name) or ""
        for name in ("supports_volunteers", "supports_self_help", "supports_neighbours"):
            form[name].data = bool(raw.get(name))
        form.provider_id.choices = getattr(self, "_provider_choices", [])
        return entry

    def remove_item(self, index):
        """Drop the item at `index`; the rest keep what was typed and are
        numbered again (items-0, items-1, ...)."""
        kept = [{name: entry.form[name].data for name in entry.form._fields}
                for position, entry in enumerate(self.items) if position != index]
        while len(self.items):
            self.items.pop_entry()
        for raw in kept:
            self.append_raw(raw)

    def field_for(self, name):
        """The form field an operation's error names ("items-1-quantity")."""
        if name.startswith("items-"):
            _prefix, index, sub = name.split("-", 2)
            index = _int(index)
            if index is not None and index < len(self.items) and sub in self.items[index].form:
                return self.items[index].form[sub]
            return None
        return self[name] if name in self else None


class SubmitForm(FlaskForm):
    version = HiddenField()
    overdue_reason = TextAreaField(_l("Przyczyna przekroczenia terminu 30 dni"), filters=[clean_text],
                                   validators=[max_length(2000)], render_kw={"rows": 2})


class ReturnForm(FlaskForm):
    version = HiddenField()
    comment = TextAreaField(_l("Uwagi dla koordynatora"), filters=[clean_text],
                            validators=[Required(_l("Napisz, co trzeba poprawić.")), max_length(2000)],
                            render_kw={"rows": 3})


class ApproveForm(FlaskForm):
    version = HiddenField()


class VersionOnlyForm(FlaskForm):
    version = HiddenField()


class CancelForm(FlaskForm):
    version = HiddenField()
    reason = StringField(_l("Powód anulowania"), filters=[clean_text],
                         validators=[Required(_l("Napisz, dlaczego plan jest anulowany.")), max_length(500)],
                         render_kw={"autocomplete": "off"})


class SignatureForm(FlaskForm):
    version = HiddenField()
    signer_role = RadioField(_l("Kto podpisał"), choices=list(SIGNER_ROLES.items()), validate_choice=False,
                             validators=[Required(_l("Wybierz, kto podpisał.")), OneOf()])
    signer_name = StringField(_l("Imię i nazwisko podpisującego"), filters=[clean_text],
                              validators=[Required(_l("Podaj imię i nazwisko osoby, która podpisała.")),
                                          max_length(200)],
                              render_kw={"autocomplete": "off"})
    signed_on = date_field(_l("Data podpisania"), _l("Podaj datę podpisania."))
    scan = FileField(_l("Skan podpisanego planu (PDF lub zdjęcie, do 10 MB)"),
                     render_kw={"accept": "application/pdf,image/jpeg,image/png,image/tiff"})


class DelegationForm(FlaskForm):
    organiser_id = SelectField(_l("Organizator usług"), choices=[], validate_choice=False,
                               validators=[Required(_l("Wybierz organizatora usług.")), OneOf()])
    valid_until = date_field(_l("Upoważnienie ważne do (puste — bezterminowo)"))
    note = StringField(_l("Uwagi (np. podstawa upoważnienia)"), filters=[clean_text], validators=[max_length(500)],
                       render_kw={"autocomplete": "off"})


class GrantForm(FlaskForm):
    service_id = SelectField(_l("Usługa"), choices=[], validate_choice=False,
                             validators=[Required(_l("Wybierz usługę.")), OneOf()])
    quantity = StringField(_l("Ilość (w jednostce usługi)"), filters=[clean_text],
                           validators=[Required(_l("Podaj ilość.")), max_length(10), WholeNumber()],
                           render_kw={"autocomplete": "off", "inputmode": "numeric", "size": 6})
    period_from = date_field(_l("Od"), _l("Podaj datę rozpoczęcia."))
    period_to = date_field(_l("Do"), _l("Podaj datę zakończenia."))
    note = StringField(_l("Uwagi"), filters=[clean_text], validators=[max_length(500)],
                       render_kw={"autocomplete": "off"})

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        start, end = parse_day(self.period_from.data), parse_day(self.period_to.data)
        if not period_in_order(self):
            valid = False
        elif start and end and not self.period_to.errors and validity_problem(start, end) == "too_long":
            self.period_to.errors.append(_("Usługę przyznaje się najwyżej na rok: ostatni możliwy dzień to "
                                           "%(day)s.", day=show_date(max_valid_until(start))))
            valid = False
        return valid

    def to_data(self):
        return {
            "service_id": _int(self.service_id.data),
            "quantity": _int(self.quantity.data),
            "period_from": parse_day(self.period_from.data),
            "period_to": parse_day(self.period_to.data),
            "note": self.note.data,
        }


class WaitingForm(FlaskForm):
    service_id = SelectField(_l("Usługa"), choices=[], validate_choice=False,
                             validators=[Required(_l("Wybierz usługę.")), OneOf()])
    resident_id = SelectField(_l("Osoba"), choices=[], validate_choice=False,
                              validators=[Required(_l("Wybierz osobę.")), OneOf()])
    quantity = StringField(_l("Potrzebna ilość"), filters=[clean_text], default="1",
                           validators=[max_length(10), WholeNumber()],
                           render_kw={"autocomplete": "off", "inputmode": "numeric", "size": 6})
    period_from = date_field(_l("Od (opcjonalnie)"))
    period_to = date_field(_l("Do (opcjonalnie)"))
    note = StringField(_l("Uwagi"), filters=[clean_text], validators=[max_length(500)],
                       render_kw={"autocomplete": "off"})
    plan_id = HiddenField()
    request_id = HiddenField()

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        start, end = parse_day(self.period_from.data), parse_day(self.period_to.data)
        if bool(start) != bool(end) and not self.period_from.errors and not self.period_to.errors:
            target = self.period_to if start else self.period_from
            target.errors.append(_("Podaj obie daty okresu albo żadnej."))
            valid = False
        elif not period_in_order(self):
            valid = False
        return valid

    def to_data(self):
        return {
            "service_id": _int(self.service_id.data),
            "resident_id": _int(self.resident_id.data),
            "quantity": _int(self.quantity.data) or 1,
            "period_from": parse_day(self.period_from.data),
            "period_to": parse_day(self.period_to.data),
            "note": self.note.data,
            "plan_id": _int(self.plan_id.data),
            "request_id": _int(self.request_id.data),
        }


class WaitingStatusForm(FlaskForm):
    status = HiddenField(validators=[Required(_l("Wybierz jedną z możliwości."))])
