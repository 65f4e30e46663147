"""Forms of the monitoring card and the closure.

As elsewhere: fields keep what was typed (dates are read in `to_data`),
messages are Polish and tied to their field, choices validate with our own
message. A row per service of the version in force (a FieldList of
subforms named items-<n>-<field>).
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, RadioField, StringField, TextAreaField

from ..core.forms import OneOf, Required, clean_text, max_length, parse_day
from ..plans.forms import date_field, period_in_order, show_date
from ..validation import whole_number as _int
from .models import CONTACT_KINDS, OUTCOMES, SATISFACTION, SURVEY_QUESTIONS, SURVEY_SCALE


def _scale_choices(labels):
    return [(str(value), label) for value, label in labels.items()]


class ContactItemForm(Form):
    """What one service delivered, as the person tells it."""

    plan_item_id = HiddenField()
    scope_delivered = TextAreaField(_l("Zrealizowany zakres"), filters=[clean_text], validators=[max_length(2000)],
                                    render_kw={"rows": 2})
    remarks = TextAreaField(_l("Uwagi"), filters=[clean_text], validators=[max_length(2000)], render_kw={"rows": 2})
    satisfaction = RadioField(_l("Zadowolenie uczestnika (1–5)"), choices=_scale_choices(SATISFACTION),
                              validate_choice=False, validators=[OneOf(allow_empty=True)])

    def to_data(self):
        return {"plan_item_id": _int(self.plan_item_id.data), "scope_delivered": self.scope_delivered.data,
                "remarks": self.remarks.data, "satisfaction": _int(self.satisfaction.data)}


class ContactForm(FlaskForm):
    contact_on = date_field(_l("Data kontaktu"), _l("Podaj datę kontaktu."))
    contact_kind = RadioField(_l("Rodzaj kontaktu"), choices=list(CONTACT_KINDS.items()), validate_choice=False,
                              validators=[Required(_l("Wybierz rodzaj kontaktu.")), OneOf()])
    items = FieldList(FormField(ContactItemForm), min_entries=0, max_entries=50)

    def load_items(self, items):
        """One empty row per service of the version in force (a GET)."""
        while len(self.items):
            self.items.pop_entry()
        for item in items:
            _append(self.items, {"plan_item_id": str(item.id)})

    def to_data(self):
        return {"contact_on": parse_day(self.contact_on.data), "contact_kind": self.contact_kind.data,
                "items": [entry.form.to_data() for entry in self.items]}

    def field_for(self, name):
        return _field_for(self, name)


class ClosureItemForm(Form):
    plan_item_id = HiddenField()
    outcome = RadioField(_l("Rezultat"), choices=list(OUTCOMES.items()), validate_choice=False,
                         validators=[Required(_l("Wybierz rezultat usługi.")), OneOf()])
    period_from = date_field(_l("Realizowana od"), _l("Podaj, od kiedy usługa była realizowana."))
    period_to = date_field(_l("Realizowana do"), _l("Podaj, do kiedy usługa była realizowana."))
    note = StringField(_l("Uwagi"), filters=[clean_text], validators=[max_length(1000)],
                       render_kw={"autocomplete": "off"})

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return period_in_order(self) and valid

    def to_data(self):
        return {"plan_item_id": _int(self.plan_item_id.data), "outcome": self.outcome.data,
                "period_from": parse_day(self.period_from.data), "period_to": parse_day(self.period_to.data),
                "note": self.note.data}


def _survey_field(label):
    return RadioField(label, choices=_scale_choices(SURVEY_SCALE), validate_choice=False,
                      validators=[OneOf(allow_empty=True)])


class ClosureForm(FlaskForm):
    version = HiddenField()
    conversation_on = date_field(_l("Data rozmowy podsumowującej"), _l("Podaj datę rozmowy podsumowującej."))
    period_from = date_field(_l("Okres wsparcia od"), _l("Podaj początek okresu wsparcia."))
    period_to = date_field(_l("Okres wsparcia do"), _l("Podaj koniec okresu wsparcia."))
    course = TextAreaField(_l("Przebieg realizacji: usługi, ich okresy i zakres"), filters=[clean_text],
                           validators=[Required(_l("Opisz przebieg realizacji planu: usługi, ich okresy i zakres.")),
                                       max_length(10000)], render_kw={"rows": 6})
    reasons = TextAreaField(_l("Przyczyny objęcia wsparciem"), filters=[clean_text],
                            validators=[Required(_l("Wpisz przyczyny, dla których osoba była objęta wsparciem.")),
                                        max_length(5000)], render_kw={"rows": 4})
    effects = TextAreaField(_l("Efekty wsparcia"), filters=[clean_text],
                            validators=[Required(_l("Opisz efekty wsparcia.")), max_length(5000)],
                            render_kw={"rows": 4})
    items = FieldList(FormField(ClosureItemForm), min_entries=0, max_entries=50)
    survey_declined = BooleanField(_l("Uczestnik odmówił wypełnienia ankiety"))
    survey_needs = _survey_field(SURVEY_QUESTIONS["survey_needs"])
    survey_quality = _survey_field(SURVEY_QUESTIONS["survey_quality"])
    survey_access = _survey_field(SURVEY_QUESTIONS["survey_access"])
    survey_coordinator = _survey_field(SURVEY_QUESTIONS["survey_coordinator"])
    survey_change = _survey_field(SURVEY_QUESTIONS["survey_change"])
    survey_comment = TextAreaField(_l("Uwagi uczestnika (ankieta)"), filters=[clean_text],
                                   validators=[max_length(2000)], render_kw={"rows": 3})

    @property
    def survey_fields(self):
        return [self[key] for key in SURVEY_QUESTIONS]

    def load(self, values):
        """Fill the form from plain values (a GET): dates shown dd.mm.rrrr."""
        for key in ("conversation_on", "period_from", "period_to"):
            self[key].data = show_date(values[key])
        for key in ("course", "reasons", "effects", "survey_comment"):
            self[key].data = values.get(key) or ""
        self.survey_declined.data = bool(values.get("survey_declined"))
        for key in SURVEY_QUESTIONS:
            self[key].data = str(values[key]) if values.get(key) else ""
        while len(self.items):
            self.items.pop_entry()
        for row in values["items"]:
            _append(self.items, {"plan_item_id": str(row["plan_item_id"]), "outcome": row["outcome"],
                                 "period_from": show_date(row["period_from"]),
                                 "period_to": show_date(row["period_to"]), "note": row.get("note") or ""})

    def to_data(self):
        data = {key: parse_day(self[key].data) for key in ("conversation_on", "period_from", "period_to")}
        data.update({key: self[key].data for key in ("course", "reasons", "effects", "survey_comment")})
        data["survey_declined"] = bool(self.survey_declined.data)
        data.update({key: _int(self[key].data) for key in SURVEY_QUESTIONS})
        data["items"] = [entry.form.to_data() for entry in self.items]
        return data

    def field_for(self, name):
        return _field_for(self, name)


def _append(items, values):
    entry = items.append_entry()
    for key, value in values.items():
        entry.form[key].data = value
    return entry


def _field_for(form, name):
    """The field an operation's DataError names ("items-1-outcome"), or None."""
    if not name or name == "items":
        return None
    if name.startswith("items-"):
        try:
            _prefix, index, key = name.split("-", 2)
            return form.items[int(index)].form[key]
        except (ValueError, IndexError, KeyError):
            return None
    return form[name] if name in form else None
