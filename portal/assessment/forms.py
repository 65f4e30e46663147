"""Forms of the assessment pages.

Nothing is required for a draft: the fields only check what was typed
(dates, numbers, choices, lengths), each with a Polish message at the field,
and keep it when the form comes back. What completion requires is decided
by services.missing, not here.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import StopValidation, ValidationError

from ..catalogue.models import UNITS
from ..core.forms import OneOf, TypedDay, clean_text, max_length, parse_day
from ..validation import whole_number
from .models import (
    DISABILITY,
    DISABILITY_DEGREES,
    EDUCATION,
    LABOUR_STATUSES,
    MARITAL_STATUSES,
    MINORITY,
    PLACES,
    READINESS,
    SUPPORT_KINDS,
    SUPPORT_SOURCES,
)
from .services import MAX_HOUSEHOLD, MAX_QUANTITY, MAX_SERVICE_ROWS, SUPPORT_FIELDS

BLANK_ROWS = 2  # empty service rows offered below the filled ones


def _choices(mapping, blank=None):
    items = [(key, label) for key, label in mapping.items()]
    return ([("", blank)] if blank is not None else []) + items


class Count:
    def __init__(self, maximum):
        self.maximum = maximum

    def __call__(self, form, field):
        if not field.data:
            return
        value = whole_number(field.data)
        if value is None or not 1 <= value <= self.maximum:
            raise StopValidation(_("Podaj liczbę od 1 do %(max)s.", max=self.maximum))


class Kinds:
    """Checkboxes: every ticked value is one of the choices."""

    def __call__(self, form, field):
        allowed = {str(value) for value, _label in field.choices}
        if any(value not in allowed for value in field.data or []):
            raise ValidationError(_("Wybierz jedną z możliwości."))


class NeededToComplete:
    """Marks a field (*) as required for completion; a draft saves without it."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        return None


def _text_area(label, limit, *extra):
    return TextAreaField(label, filters=[clean_text], validators=[max_length(limit), *extra], render_kw={"rows": 4})


class ServiceRowForm(Form):
    """One service the person wants (a row of the table)."""

    service_id = SelectField(_l("Usługa z katalogu"), choices=[], validate_choice=False,
                             validators=[OneOf(allow_empty=True)])
    name = StringField(_l("albo usługa spoza katalogu"), filters=[clean_text], validators=[max_length(200)],
                       render_kw={"autocomplete": "off"})
    quantity = StringField(_l("Ilość"), filters=[clean_text], validators=[max_length(12), Count(MAX_QUANTITY)],
                           render_kw={"autocomplete": "off", "inputmode": "numeric"})
    unit = SelectField(_l("Jednostka"),
                       choices=_choices({k: v[0] for k, v in UNITS.items()}, blank=_l("jak w katalogu")),
                       validate_choice=False, validators=[OneOf(allow_empty=True)])
    frequency = StringField(_l("Częstotliwość"), filters=[clean_text], validators=[max_length(120)],
                            render_kw={"autocomplete": "off", "placeholder": _l("np. 2 razy w tygodniu")})
    remove = BooleanField(_l("Usuń z listy"))

    def is_blank(self):
        return not any((self.service_id.data, self.name.data, self.quantity.data, self.unit.data,
                        self.frequency.data))


class AssessmentForm(FlaskForm):
    version = HiddenField()
    assessed_on = StringField(_l("Data diagnozy"), filters=[clean_text],
                              validators=[NeededToComplete(), max_length(20), TypedDay(
                                  "13.01.2026", not_after_today=_l("Data diagnozy nie może być w przyszłości."),
                                  earliest=(2000, _l("Sprawdź datę diagnozy.")))],
                              render_kw={"autocomplete": "off", "placeholder": "dd.mm.rrrr"})
    place = RadioField(_l("Miejsce diagnozy"), choices=_choices(PLACES), validate_choice=False,
                       validators=[OneOf(allow_empty=True)])

    education = SelectField(_l("Wykształcenie"), choices=_choices(EDUCATION, "—"), validate_choice=False,
                            validators=[NeededToComplete(), OneOf(allow_empty=True)])
    labour_status = SelectField(_l("Sytuacja na rynku pracy"), choices=_choices(LABOUR_STATUSES, "—"),
                                validate_choice=False, validators=[NeededToComplete(), OneOf(allow_empty=True)])
    occupation = StringField(_l("Zawód wyuczony / wykonywany"), filters=[clean_text], validators=[max_length(200)],
                             render_kw={"autocomplete": "off"})
    marital_status = SelectField(_l("Stan cywilny"), choices=_choices(MARITAL_STATUSES, "—"),
                                 validate_choice=False, validators=[NeededToComplete(), OneOf(allow_empty=True)])
    household_size = StringField(_l("Liczba osób w gospodarstwie domowym"), filters=[clean_text],
                                 validators=[NeededToComplete(), max_length(12), Count(MAX_HOUSEHOLD)],
                                 render_kw={"autocomplete": "off", "inputmode": "numeric"})
    income_source = _text_area(_l("Źródło utrzymania"), 2000, NeededToComplete())
    social_assistance = _text_area(_l("Korzystanie z pomocy społecznej (jakiej, od kiedy)"), 4000)

    support_family = SelectMultipleField(SUPPORT_SOURCES["family"], choices=_choices(SUPPORT_KINDS),
                                         validate_choice=False, validators=[Kinds()])
    support_others = SelectMultipleField(SUPPORT_SOURCES["others"], choices=_choices(SUPPORT_KINDS),
                                         validate_choice=False, validators=[Kinds()])
    support_ngo = SelectMultipleField(SUPPORT_SOURCES["ngo"], choices=_choices(SUPPORT_KINDS),
                                      validate_choice=False, validators=[Kinds()])
    support_church = SelectMultipleField(SUPPORT_SOURCES["church"], choices=_choices(SUPPORT_KINDS),
                                         validate_choice=False, validators=[Kinds()])
    support_institutions = SelectMultipleField(SUPPORT_SOURCES["institutions"], choices=_choices(SUPPORT_KINDS),
                                               validate_choice=False, validators=[Kinds()])
    support_notes = _text_area(_l("Wsparcie — opis (kto, jakie, jak często)"), 4000)

    social_engagement = _text_area(_l("Aktywność i zaangażowanie społeczne"), 4000)
    services_used = _text_area(_l("Usługi, z których osoba korzystała dotychczas"), 4000)
    problems = _text_area(_l("Problemy"), 10000, NeededToComplete())
    needs = _text_area(_l("Potrzeby i oczekiwania"), 10000, NeededToComplete())
    services = FieldList(FormField(ServiceRowForm), min_entries=0, max_entries=MAX_SERVICE_ROWS + BLANK_ROWS)
    readiness = RadioField(_l("Gotowość do zmiany"), choices=_choices(READINESS), validate_choice=False,
                           validators=[OneOf(allow_empty=True)])
    readiness_notes = _text_area(_l("Gotowość do zmiany — uzasadnienie"), 4000)
    conclusions = _text_area(_l("Wnioski i rekomendacje"), 10000, NeededToComplete())

    def set_services(self, choices):
        for entry in self.services:
            entry.form.service_id.choices = choices

    def add_blank_rows(self, count=BLANK_ROWS):
        while count > 0 and len(self.services.entries) < self.services.max_entries:
            self.services.append_entry()
            count -= 1

    @classmethod
    def data_of(cls, assessment):
        data = {
            "assessed_on": assessment.assessed_on.strftime("%d.%m.%Y") if assessment.assessed_on else "",
            "household_size": str(assessment.household_size) if assessment.household_size else "",
            "services": [{
                "service_id": str(row.service_id or ""), "name": row.name or "",
                "quantity": str(row.quantity) if row.quantity else "",
                "unit": row.unit if row.unit in UNITS else "",
                "frequency": row.frequency or "",
            } for row in assessment.services_wanted],
        }
        for key in ("place", "education", "labour_status", "occupation", "marital_status", "income_source",
                    "social_assistance", "support_notes", "social_engagement", "services_used", "problems",
                    "needs", "readiness", "readiness_notes", "conclusions"):
            data[key] = getattr(assessment, key) or ""
        for key in SUPPORT_FIELDS:
            data[key] = assessment.support(key.removeprefix("support_"))
        return data

    def to_data(self):
        """Parsed values for services.save (only valid forms)."""
        data = {key: self[key].data for key in (
            "place", "education", "labour_status", "occupation", "marital_status", "income_source",
            "social_assistance", "support_notes", "social_engagement", "services_used", "problems", "needs",
            "readiness", "readiness_notes", "conclusions")}
        data["assessed_on"] = parse_day(self.assessed_on.data) if self.assessed_on.data else None
        data["household_size"] = whole_number(self.household_size.data)
        for key in SUPPORT_FIELDS:
            data[key] = list(self[key].data or [])
        return data

    def service_rows(self):
        rows = []
        for entry in self.services:
            row = entry.form
            if row.remove.data or row.is_blank():
                continue
            rows.append({
                "service_id": int(row.service_id.data) if row.service_id.data else None,
                "name": row.name.data,
                "quantity": whole_number(row.quantity.data),
                "unit": row.unit.data or None,
                "frequency": row.frequency.data,
            })
        return rows

    def row_index_map(self):
        """Position among saved rows -> the entry that holds it (for errors from the service)."""
        kept = [entry for entry in self.services if not (entry.form.remove.data or entry.form.is_blank())]
        return dict(enumerate(kept))


class SensitiveForm(FlaskForm):
    version = HiddenField()
    minority = RadioField(_l("Przynależność do mniejszości narodowej lub etnicznej"), choices=_choices(MINORITY),
                          validate_choice=False, validators=[OneOf(allow_empty=True)])
    disability = RadioField(_l("Niepełnosprawność"), choices=_choices(DISABILITY), validate_choice=False,
                            validators=[OneOf(allow_empty=True)])
    # "nie dotyczy" lets a degree be taken back without JavaScript (a radio cannot be unticked).
    disability_degree = RadioField(_l("Stopień niepełnosprawności"),
                                   choices=_choices(DISABILITY_DEGREES, blank=_l("nie dotyczy")),
                                   validate_choice=False, validators=[OneOf(allow_empty=True)])
    health = _text_area(_l("Sytuacja zdrowotna"), 10000)
    housing = _text_area(_l("Sytuacja mieszkaniowa"), 4000)
    family = _text_area(_l("Sytuacja rodzinna"), 4000)

    FIELDS = ("minority", "disability", "disability_degree", "health", "housing", "family")

    @classmethod
    def data_of(cls, row):
        return {key: getattr(row, key) or "" for key in cls.FIELDS}

    def to_data(self):
        return {key: self[key].data or None for key in self.FIELDS}
