"""Forms of the group sessions' pages (Polish labels, input kept when refused)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField
from wtforms.validators import Optional

from ..core.forms import (
    ChoiceField,
    DateInputField,
    IdListField,
    IntegerInputField,
    OneOf,
    Required,
    TextField,
    TimeInputField,
    field_labels,
    max_length,
    optional_int,
)


class SessionForm(FlaskForm):
    held_on = DateInputField(_l("Data"), validators=[Required(_l("Podaj datę zajęć."))])
    starts = TimeInputField(_l("Początek"), validators=[Required(_l("Podaj godzinę rozpoczęcia."))])
    ends = TimeInputField(_l("Koniec"), validators=[Required(_l("Podaj godzinę zakończenia."))])
    place = TextField(_l("Miejsce"), validators=[Optional(), max_length(300)])
    provider_id = ChoiceField(_l("Realizator"), coerce=optional_int,
                              validators=[Required(_l("Wybierz realizatora z listy."), flag=False), OneOf()])
    leader = TextField(_l("Prowadzący"), validators=[Optional(), max_length(200)])
    topic = TextField(_l("Temat"), validators=[Optional(), max_length(300)])
    version = HiddenField()

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and self.ends.data <= self.starts.data:
            self.ends.errors = list(self.ends.errors) + [
                str(_l("Zajęcia muszą kończyć się później, niż się zaczynają."))]
            valid = False
        return valid

    def set_choices(self, providers):
        self.provider_id.choices = [(p.id, p.name) for p in providers]

    def fill(self, data):
        for key, value in data.items():
            self[key].data = value

    def to_data(self):
        return {"held_on": self.held_on.data, "starts": self.starts.data, "ends": self.ends.data,
                "place": self.place.data or "", "provider_id": self.provider_id.data,
                "leader": self.leader.data or "", "topic": self.topic.data or ""}


SESSION_LABELS = field_labels(SessionForm)


class PlanMonthForm(FlaskForm):
    month = ChoiceField(_l("Miesiąc"), validators=[Required(_l("Wybierz miesiąc."), flag=False), OneOf()])


class CancelForm(FlaskForm):
    reason = TextField(_l("Powód odwołania"), validators=[Required(_l("Podaj powód odwołania zajęć.")),
                                                          max_length(500)])
    version = HiddenField()


class AttendanceForm(FlaskForm):
    present = IdListField(_l("Obecni"))
    other_participants = IntegerInputField(
        _l("Inni uczestnicy bez kartoteki (liczba osób)"),
        validators=[Required(_l("Podaj liczbę osób; 0, gdy nikt taki nie przyszedł."))])
    version = HiddenField()


class ScanForm(FlaskForm):
    scan = FileField(_l("Skan podpisanej listy obecności (PDF, JPEG, PNG albo TIFF, najwyżej 10 MB)"))
    version = HiddenField()
