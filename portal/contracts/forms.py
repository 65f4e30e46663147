"""Forms of the contracts' pages (Polish labels, input kept when refused)."""
import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import FieldList, FormField, HiddenField, widgets
from wtforms.validators import Optional

from ..core.forms import (
    ChoiceField,
    DateInputField,
    MoneyField,
    OneOf,
    ParsedField,
    Required,
    RowForm,
    TextBlockField,
    TextField,
    choices,
    field_labels,
    max_length,
    optional_int,
)
from .models import MODES

BLANK_ROWS = 3
MAX_ROWS = 40


def parse_volume(text):
    """'1 200,5' -> Decimal('1200.5'); None when it is not a number above 0 with at most two decimals."""
    text = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"[0-9]{1,9}(\.[0-9]{1,2})?", text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value > 0 else None


class VolumeField(ParsedField):
    widget = widgets.TextInput()

    def format_value(self, value):
        value = Decimal(value)
        if value == value.to_integral_value():
            return str(int(value))
        return f"{value.normalize():f}".replace(".", ",")

    def parse(self, text):
        value = parse_volume(text)
        if value is None:
            raise ValueError(_("Podaj liczbę większą od zera, najwyżej z dwoma miejscami po przecinku, np. 120 "
                               "albo 1,5."))
        return value


class LineRow(RowForm):
    service_id = ChoiceField(_l("Usługa"), coerce=optional_int,
                             validators=[Required(_l("Wybierz usługę z listy."), flag=False), OneOf()])
    volume = VolumeField(_l("Wolumen w jednostkach usługi"),
                         validators=[Required(_l("Podaj wolumen usługi."), flag=False)],
                         render_kw={"autocomplete": "off", "inputmode": "decimal"})
    amount = MoneyField(_l("Kwota na usługę (zł), jeśli umowa ją podaje"), validators=[Optional()],
                        render_kw={"autocomplete": "off", "inputmode": "decimal"})


class ContractForm(FlaskForm):
    number = TextField(_l("Numer umowy"), validators=[Required(_l("Podaj numer umowy.")), max_length(80)],
                       render_kw={"autocomplete": "off"})
    provider_id = ChoiceField(_l("Realizator"), coerce=optional_int,
                              validators=[Required(_l("Wybierz realizatora z listy.")), OneOf()])
    mode = ChoiceField(_l("Tryb zlecenia"), choices=choices(MODES, blank=_l("— wybierz —")),
                       validators=[Required(_l("Wybierz tryb zlecenia.")), OneOf()])
    reference = TextField(_l("Znak ogłoszenia konkursu lub postępowania"), validators=[Optional(), max_length(200)],
                          render_kw={"autocomplete": "off"})
    reference_date = DateInputField(_l("Data ogłoszenia lub udzielenia zamówienia"), validators=[Optional()])
    starts_on = DateInputField(_l("Obowiązuje od"), validators=[Required(_l("Podaj początek okresu umowy."))])
    ends_on = DateInputField(_l("Obowiązuje do"), validators=[Required(_l("Podaj koniec okresu umowy."))])
    amount = MoneyField(_l("Kwota umowy (zł)"), validators=[Required(_l("Podaj kwotę umowy."))],
                        render_kw={"autocomplete": "off", "inputmode": "decimal"})
    notes = TextBlockField(_l("Uwagi"), validators=[Optional(), max_length(4000)], render_kw={"rows": 3})
    lines = FieldList(FormField(LineRow), label=_l("Usługi umowy"), min_entries=0, max_entries=MAX_ROWS)
    version = HiddenField()
    submission = HiddenField()

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors = list(self.ends_on.errors) + [
                str(_l("Umowa nie może kończyć się przed swoim początkiem."))]
            valid = False
        return valid

    def set_choices(self, providers, services):
        self.provider_id.choices = [("", _("— wybierz —"))] + [(p.id, p.name) for p in providers]
        service_choices = [("", _("— bez usługi —"))] + [(s.id, f"{s.name} ({s.provider.name})") for s in services]
        for entry in self.lines:
            entry.form.service_id.choices = service_choices
        self._service_choices = service_choices

    def add_blank_rows(self, count=BLANK_ROWS):
        for _n in range(count):
            if len(self.lines.entries) >= MAX_ROWS:
                break
            entry = self.lines.append_entry()
            entry.form.service_id.choices = getattr(self, "_service_choices", [])

    def fill(self, data):
        for key in ("number", "provider_id", "mode", "reference", "reference_date", "starts_on", "ends_on", "amount",
                    "notes"):
            self[key].data = data.get(key)
        for service_id, volume, amount in data.get("lines", []):
            entry = self.lines.append_entry()
            entry.form.service_id.data = service_id
            entry.form.volume.data = volume
            entry.form.amount.data = amount

    def to_data(self):
        return {"number": self.number.data, "provider_id": self.provider_id.data, "mode": self.mode.data,
                "reference": self.reference.data or "", "reference_date": self.reference_date.data,
                "starts_on": self.starts_on.data, "ends_on": self.ends_on.data, "amount": self.amount.data,
                "notes": self.notes.data or "",
                "lines": [(entry.form.service_id.data, entry.form.volume.data, entry.form.amount.data)
                          for entry in self.lines if not entry.form.is_blank()]}


CONTRACT_LABELS = field_labels(ContractForm)


class AmendmentForm(FlaskForm):
    signed_on = DateInputField(_l("Dzień podpisania aneksu"),
                               validators=[Required(_l("Podaj dzień podpisania aneksu."))])
    ends_on = DateInputField(_l("Nowy koniec umowy"), validators=[Optional()])
    amount = MoneyField(_l("Nowa kwota umowy (zł)"), validators=[Optional()],
                        render_kw={"autocomplete": "off", "inputmode": "decimal"})
    note = TextBlockField(_l("Czego dotyczy aneks"), validators=[Optional(), max_length(4000)], render_kw={"rows": 3})
    version = HiddenField()

    @classmethod
    def for_services(cls, services, *args, **kwargs):
        """The form with a new-volume box for each of the contract's services (volume_<service id>)."""
        fields = {f"volume_{service.id}": VolumeField(
            _l("Nowy wolumen: %(name)s (%(unit)s)", name=service.name, unit=service.unit_label),
            validators=[Optional()], render_kw={"autocomplete": "off", "inputmode": "decimal"})
            for service in services}
        form_class = type("ContractAmendmentForm", (cls,), fields)
        form = form_class(*args, **kwargs)
        form.volume_names = list(fields)
        return form

    def to_data(self):
        return {"signed_on": self.signed_on.data, "ends_on": self.ends_on.data, "amount": self.amount.data,
                "note": self.note.data or "",
                "volumes": {int(name.removeprefix("volume_")): self[name].data for name in self.volume_names}}


class TerminateForm(FlaskForm):
    terminated_on = DateInputField(_l("Dzień rozwiązania umowy"),
                                   validators=[Required(_l("Podaj dzień rozwiązania umowy."))])
    reason = TextField(_l("Powód rozwiązania"), validators=[Required(_l("Podaj powód rozwiązania umowy.")),
                                                           max_length(500)])
    version = HiddenField()


class ScanForm(FlaskForm):
    scan = FileField(_l("Skan podpisanej umowy (PDF, JPEG, PNG albo TIFF, najwyżej 10 MB)"))
    version = HiddenField()
