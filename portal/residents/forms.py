"""Forms of the residents pages.

Every field keeps what was typed when the form comes back (a valid phone is
stored as +48..., but shown as typed until saved), every message is Polish
and tied to its field, and no input raises: choices are checked with our own
message and junk is refused, never crashed on.
"""
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from ..core.forms import BirthDate, EmailAddress, OneOf, Required, choices, clean_text, max_length, parse_day
from ..core.validators import Pesel, Phone, PostalCode
from ..web import today as _today
from .address import check_street_fields, join_street, split_street
from .models import PREFERRED_CONTACT, REPRESENTATIVE_KINDS

# Shown as typed when the form comes back: their validators store a normalised form.
NORMALISED_FIELDS = ("pesel", "postal_code", "phone", "representative_phone")
PERSON_FIELDS = (
    "first_name", "last_name", "pesel", "no_pesel_reason", "birth_date",
    "postal_code", "city", "village_id", "phone", "email", "preferred_contact",
    "representative_kind", "representative_name", "representative_phone", "representative_email",
    "representative_address",
)


class PersonForm(FlaskForm):
    first_name = StringField(_l("Imię"), filters=[clean_text],
                             validators=[Required(_l("Podaj imię.")), max_length(100)],
                             render_kw={"autocomplete": "off"})
    last_name = StringField(_l("Nazwisko"), filters=[clean_text],
                            validators=[Required(_l("Podaj nazwisko.")), max_length(100)],
                            render_kw={"autocomplete": "off"})
    pesel = StringField(_l("PESEL"), filters=[clean_text], validators=[max_length(20), Pesel(today=_today)],
                        render_kw={"autocomplete": "off", "inputmode": "numeric"})
    no_pesel_reason = StringField(_l("Powód braku numeru PESEL"), filters=[clean_text],
                                  validators=[max_length(200)], render_kw={"autocomplete": "off"})
    birth_date = StringField(_l("Data urodzenia"), filters=[clean_text], validators=[max_length(20), BirthDate()],
                             render_kw={"autocomplete": "off", "placeholder": "dd.mm.rrrr"})

    # Stored together in address_1 (see address.py), asked for apart.
    street = StringField(_l("Ulica lub miejscowość"), filters=[clean_text], validators=[max_length(150)],
                         render_kw={"autocomplete": "off"})
    house_number = StringField(_l("Numer domu i mieszkania"), filters=[clean_text], validators=[max_length(20)],
                               render_kw={"autocomplete": "off"})
    postal_code = StringField(_l("Kod pocztowy"), filters=[clean_text], validators=[max_length(10), PostalCode()],
                              render_kw={"autocomplete": "off", "placeholder": "00-000"})
    city = StringField(_l("Miejscowość (poczta)"), filters=[clean_text], validators=[max_length(120)],
                       render_kw={"autocomplete": "off"})
    village_id = SelectField(_l("Sołectwo"), choices=[], validate_choice=False, validators=[OneOf(allow_empty=True)])
    phone = StringField(_l("Telefon"), filters=[clean_text], validators=[max_length(30), Phone()],
                        render_kw={"autocomplete": "off", "type": "tel"})
    email = StringField(_l("E-mail"), filters=[clean_text], validators=[max_length(254), EmailAddress()],
                        render_kw={"autocomplete": "off", "type": "email"})
    preferred_contact = SelectField(_l("Preferowany sposób kontaktu"), choices=choices(PREFERRED_CONTACT, blank="—"),
                                    validate_choice=False, validators=[OneOf(allow_empty=True)])

    representative_kind = SelectField(_l("Rodzaj"), choices=choices(REPRESENTATIVE_KINDS, blank=_l("brak")),
                                      validate_choice=False, validators=[OneOf(allow_empty=True)])
    representative_name = StringField(_l("Imię i nazwisko"), filters=[clean_text], validators=[max_length(200)],
                                      render_kw={"autocomplete": "off"})
    representative_phone = StringField(_l("Telefon przedstawiciela"), filters=[clean_text],
                                       validators=[max_length(30), Phone()],
                                       render_kw={"autocomplete": "off", "type": "tel"})
    representative_email = StringField(_l("E-mail przedstawiciela"), filters=[clean_text],
                                        validators=[max_length(254), EmailAddress()],
                                        render_kw={"autocomplete": "off", "type": "email"})
    representative_address = StringField(_l("Adres przedstawiciela"), filters=[clean_text],
                                         validators=[max_length(300)], render_kw={"autocomplete": "off"})

    def set_villages(self, villages):
        self.village_id.choices = [("", "—")] + [(str(v.id), v.name) for v in villages]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        info = getattr(self.pesel, "pesel_info", None)
        if info is not None:
            born = parse_day(self.birth_date.data) if self.birth_date.data and not self.birth_date.errors \
                else None
            if born is not None and born != info.birth_date:
                self.birth_date.errors.append(_("Data urodzenia nie zgadza się z numerem PESEL."))
                valid = False
        elif not self.pesel.errors:
            if not self.no_pesel_reason.data and not self.no_pesel_reason.errors:
                self.no_pesel_reason.errors.append(_("Podaj PESEL albo powód jego braku."))
                valid = False
            if not self.birth_date.data and not self.birth_date.errors:
                self.birth_date.errors.append(_("Bez numeru PESEL podaj datę urodzenia."))
                valid = False
        valid = check_street_fields(self.street, self.house_number, getattr(self, "stored_address", None)) and valid
        if self.representative_kind.data and not self.representative_name.data \
                and not self.representative_name.errors:
            self.representative_name.errors.append(_("Podaj imię i nazwisko przedstawiciela."))
            valid = False
        return valid

    def keep_typed(self):
        """Show what was typed, not its normalised form."""
        for name in NORMALISED_FIELDS:
            field = self[name]
            if field.raw_data:
                field.data = clean_text(field.raw_data[0])

    def to_data(self):
        """The person as residents.services takes it (model field names)."""
        info = getattr(self.pesel, "pesel_info", None)
        data = {name: (self[name].data or None) for name in PERSON_FIELDS}
        data["address_1"] = join_street(self.street.data, self.house_number.data)
        data["pesel"] = info.pesel if info else None
        data["birth_date"] = info.birth_date if info else parse_day(self.birth_date.data)
        data["village_id"] = int(self.village_id.data) if self.village_id.data else None
        if info:
            data["no_pesel_reason"] = None
        if "notes" in self:
            data["notes"] = self["notes"].data or None
        return data

    @classmethod
    def data_of(cls, resident):
        """Form data for a stored person."""
        data = {name: getattr(resident, name) for name in PERSON_FIELDS}
        data["street"], data["house_number"] = split_street(resident.address_1)
        data["birth_date"] = resident.birth_date.strftime("%d.%m.%Y") if isinstance(resident.birth_date, date) \
            else ""
        data["village_id"] = str(resident.village_id) if resident.village_id else ""
        data["notes"] = resident.notes
        return {key: ("" if value is None else value) for key, value in data.items()}


class NewPersonForm(PersonForm):
    informed = BooleanField(_l("Osoba została poinformowana o przetwarzaniu danych (klauzula informacyjna)"))
    confirm_new = BooleanField(_l("To inna osoba — zapisz nową"))
    # One person per submission: a resend opens the person already added (portal/submissions.py).
    submission = HiddenField()


class EditPersonForm(PersonForm):
    version = HiddenField()


class EditPersonFullForm(EditPersonForm):
    """For those who see the record in full: the notes too."""

    notes = TextAreaField(_l("Uwagi"), filters=[clean_text], validators=[max_length(10000)], render_kw={"rows": 4})


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search changes nothing; the POST form carries the token anyway

    q = StringField(_l("Szukaj osoby"), filters=[clean_text], validators=[max_length(100)],
                    render_kw={"autocomplete": "off", "type": "search"})


class PeselSearchForm(FlaskForm):
    pesel = StringField(_l("Numer PESEL"), filters=[clean_text],
                        validators=[Required(_l("Wpisz numer PESEL.")), max_length(20), Pesel(today=_today)],
                        render_kw={"autocomplete": "off", "inputmode": "numeric"})


class MergeSearchForm(FlaskForm):
    q = StringField(_l("Znajdź duplikat"), filters=[clean_text], validators=[max_length(100)],
                    render_kw={"autocomplete": "off", "type": "search"})


class MergeConfirmForm(FlaskForm):
    drop_id = HiddenField()
    reason = TextAreaField(_l("Powód scalenia"), filters=[clean_text],
                           validators=[Required(_l("Podaj powód scalenia.")), max_length(500)], render_kw={"rows": 2})
