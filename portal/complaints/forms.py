"""Forms of the register of complaints and requests (Polish labels; every
field keeps what was typed when the form comes back with errors)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.validators import Optional

from ..core.forms import (
    ChoiceField,
    DateInputField,
    OneOf,
    Required,
    TextBlockField,
    TextField,
    max_length,
    optional_int,
)
from .models import CHANNELS, KINDS, OUTCOMES, SUBJECTS


class ComplaintForm(FlaskForm):
    version = HiddenField()
    submission = HiddenField()

    kind = RadioField(_l("Rodzaj sprawy"), choices=list(KINDS.items()), validate_choice=False,
                      validators=[Required(_l("Wybierz: skarga czy wniosek.")), OneOf()])
    received_on = DateInputField(_l("Data wpływu"), validators=[Required(_l("Podaj datę wpływu."))])
    channel = ChoiceField(_l("Jak wpłynęła"), choices=[("", _l("— wybierz"))] + list(CHANNELS.items()),
                          validators=[Required(_l("Wybierz, jak wpłynęła sprawa."))])
    anonymous = BooleanField(_l("Sprawa anonimowa (bez imienia i nazwiska)"))
    complainant_name = TextField(_l("Od kogo: imię i nazwisko lub nazwa"), validators=[Optional(), max_length(200)])
    complainant_contact = TextField(_l("Adres lub inny kontakt do odpowiedzi"),
                                    validators=[Optional(), max_length(300)])
    subject = RadioField(_l("Czego dotyczy"), choices=list(SUBJECTS.items()), validate_choice=False,
                         validators=[Required(_l("Wybierz, czego dotyczy sprawa.")), OneOf()])
    service_id = ChoiceField(_l("Usługa"), coerce=optional_int)
    provider_id = ChoiceField(_l("Realizator"), coerce=optional_int)
    staff_member_id = ChoiceField(_l("Pracownik centrum"), coerce=optional_int)
    description = TextBlockField(_l("Opis sprawy"), validators=[Required(_l("Opisz, czego dotyczy sprawa.")),
                                                               max_length(10000)],
                                 render_kw={"rows": 8})

    def fill(self, services, providers, staff):
        blank = [("", _l("— wybierz"))]
        self.service_id.choices = blank + [(s.id, s.name) for s in services]
        self.provider_id.choices = blank + [(p.id, p.name) for p in providers]
        self.staff_member_id.choices = blank + [(u.id, u.full_name) for u in staff]
        return self

    @classmethod
    def of(cls, complaint):
        form = cls(formdata=None, obj=complaint)
        form.version.data = complaint.version
        return form

    def to_data(self):
        return {name: self[name].data for name in (
            "kind", "received_on", "channel", "anonymous", "complainant_name", "complainant_contact", "subject",
            "service_id", "provider_id", "staff_member_id", "description")}


class AssignForm(FlaskForm):
    version = HiddenField()
    handler_id = ChoiceField(_l("Prowadzący sprawę"), coerce=optional_int,
                             validators=[Required(_l("Wybierz osobę z listy."))])


class ExtendForm(FlaskForm):
    version = HiddenField()
    extended_until = DateInputField(_l("Nowy termin odpowiedzi"), validators=[Required(_l("Podaj nowy termin."))])
    extension_reason = TextBlockField(_l("Przyczyna przedłużenia"),
                                      validators=[Required(_l("Podaj przyczynę przedłużenia.")), max_length(1000)],
                                      render_kw={"rows": 3})
    extension_notice_on = DateInputField(_l("Data zawiadomienia osoby o nowym terminie"))

    def to_data(self):
        return {name: self[name].data for name in ("extended_until", "extension_reason", "extension_notice_on")}


class AnswerForm(FlaskForm):
    version = HiddenField()
    answer_text = TextBlockField(_l("Treść odpowiedzi"), validators=[Optional(), max_length(10000)],
                                 render_kw={"rows": 10})
    answered_on = DateInputField(_l("Data odpowiedzi"), validators=[Required(_l("Podaj datę odpowiedzi."))])
    outcome = RadioField(_l("Wynik"), choices=[(code, code) for code in OUTCOMES], validate_choice=False,
                         validators=[Required(_l("Wybierz wynik sprawy.")), OneOf()])

    def label_outcomes(self, labels):
        self.outcome.choices = [(code, labels[code]) for code in OUTCOMES]
        return self

    def to_data(self):
        return {name: self[name].data for name in ("answer_text", "answered_on", "outcome")}


class ActionForm(FlaskForm):
    text = TextField(_l("Działanie"), validators=[Required(_l("Opisz działanie.")), max_length(1000)])
    responsible_id = ChoiceField(_l("Odpowiedzialny"), coerce=optional_int)

    def to_data(self):
        return {"text": self.text.data, "responsible_id": self.responsible_id.data}


class ActionDoneForm(FlaskForm):
    done_on = DateInputField(_l("Data wykonania"), validators=[Required(_l("Podaj datę wykonania."))])
