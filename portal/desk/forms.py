"""Forms of the one window: registering a request, its actions, the public
contact form.

Every field keeps what was typed when it does not validate, and every
message is Polish and tied to its field. Choice fields validate with our own
message (not WTForms' English one) and never raise on junk input.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from ..core.forms import (
    BirthDate,
    EmailAddress,
    IdListField,
    OneOf,
    PublicForm,
    Required,
    choices,
    clean_text,
    max_length,
    parse_day,
)
from ..core.validators import Pesel, Phone, PostalCode
from ..residents.address import check_street_fields, join_street
from ..web import today as _today
from .models import APPLICANTS, CHANNELS, KINDS, ROUTES, URGENCY

NEW_PERSON_FIELDS = ("new_first_name", "new_last_name", "new_pesel", "new_birth_date", "new_no_pesel_reason",
                     "new_phone", "new_street", "new_house_number", "new_postal_code", "new_city", "new_village_id")
NEW_NAME_FIELDS = ("new_first_name", "new_last_name")
# Without a PESEL the register needs a reason; the desk may leave it for later.
DEFAULT_NO_PESEL_REASON = "Nie podano przy przyjęciu zgłoszenia (do uzupełnienia)"


class RequestForm(FlaskForm):
    """The one screen that registers a request."""

    # The person: found (resident_id) or created inline (new_*).
    q = StringField(_l("Szukaj osoby"), filters=[clean_text], validators=[max_length(200)],
                    render_kw={"autocomplete": "off", "type": "search"})
    resident_id = HiddenField()
    new_first_name = StringField(_l("Imię"), filters=[clean_text], validators=[max_length(100)],
                                 render_kw={"autocomplete": "off"})
    new_last_name = StringField(_l("Nazwisko"), filters=[clean_text], validators=[max_length(100)],
                                render_kw={"autocomplete": "off"})
    new_pesel = StringField(_l("PESEL"), filters=[clean_text], validators=[max_length(20), Pesel(today=_today)],
                            render_kw={"autocomplete": "off", "inputmode": "numeric"})
    new_birth_date = StringField(_l("Data urodzenia (gdy brak PESEL)"), filters=[clean_text],
                                 validators=[max_length(20), BirthDate()],
                                 render_kw={"autocomplete": "off", "placeholder": "dd.mm.rrrr"})
    new_no_pesel_reason = StringField(_l("Powód braku PESEL"), filters=[clean_text], validators=[max_length(200)],
                                      render_kw={"autocomplete": "off"})
    new_phone = StringField(_l("Telefon"), filters=[clean_text], validators=[max_length(30), Phone()],
                            render_kw={"autocomplete": "off", "type": "tel"})
    # The address as the register keeps it (residents/address.py): street and number apart.
    new_street = StringField(_l("Ulica lub miejscowość"), filters=[clean_text], validators=[max_length(150)],
                             render_kw={"autocomplete": "off"})
    new_house_number = StringField(_l("Numer domu i mieszkania"), filters=[clean_text], validators=[max_length(20)],
                                   render_kw={"autocomplete": "off"})
    new_postal_code = StringField(_l("Kod pocztowy"), filters=[clean_text], validators=[max_length(10), PostalCode()],
                                  render_kw={"autocomplete": "off", "placeholder": "00-000"})
    new_city = StringField(_l("Miejscowość (poczta)"), filters=[clean_text], validators=[max_length(120)],
                           render_kw={"autocomplete": "off"})
    new_village_id = SelectField(_l("Sołectwo"), choices=[], validate_choice=False,
                                 validators=[OneOf(allow_empty=True)])
    # The names the search box put into the new-person form ("first|last"):
    # left as they were and with nothing else filled in, they are a search,
    # not a new person (an information request saves without one).
    new_prefill = HiddenField()
    confirm_new = BooleanField(_l("To inna osoba — dodaj ją jako nową"))
    # One request per submission: a resend answers with the request already made (portal/submissions.py).
    submission = HiddenField()

    channel = RadioField(_l("Kanał"), choices=choices(CHANNELS), validate_choice=False, validators=[OneOf()])
    applicant = RadioField(_l("Kto zgłasza"), choices=choices(APPLICANTS), default="self",
                           validate_choice=False, validators=[OneOf()])
    kind = RadioField(_l("Rodzaj sprawy"), choices=choices(KINDS), default="information",
                      validate_choice=False, validators=[OneOf()])

    # Information
    question = StringField(_l("O co pyta"), filters=[clean_text], validators=[max_length(5000)],
                           render_kw={"autocomplete": "off"})
    answer = TextAreaField(_l("Udzielona odpowiedź"), filters=[clean_text], validators=[max_length(5000)],
                           render_kw={"rows": 2})
    routed_to = SelectField(_l("Przekazano do"), choices=[("", "—")] + choices(ROUTES), validate_choice=False,
                            validators=[OneOf(allow_empty=True)])
    routed_note = StringField(_l("Uwaga do przekazania"), filters=[clean_text], validators=[max_length(300)],
                              render_kw={"autocomplete": "off"})

    # Services from the catalogue (both kinds)
    service_q = StringField(_l("Szukaj usługi w katalogu"), filters=[clean_text], validators=[max_length(200)],
                            render_kw={"autocomplete": "off", "type": "search"})
    service_ids = IdListField()
    handout_email = StringField(_l("Wyślij ulotkę z usługami na e-mail"), filters=[clean_text],
                                validators=[max_length(254), EmailAddress()],
                                render_kw={"autocomplete": "off", "type": "email"})

    # Application
    needs_description = TextAreaField(_l("Potrzeby słowami osoby"), filters=[clean_text],
                                      validators=[max_length(10000)], render_kw={"rows": 3})
    urgency = RadioField(_l("Pilność"), choices=choices(URGENCY), default="normal", validate_choice=False,
                         validators=[OneOf()])
    coordinator_id = SelectField(_l("Koordynator"), choices=[], validate_choice=False,
                                 validators=[OneOf(allow_empty=True)])

    def has_new_person(self):
        """Something was typed into the new-person form: more than the names
        the search filled in (`prefill_names`)."""
        filled = {name for name in NEW_PERSON_FIELDS if (getattr(self, name).data or "").strip()}
        if filled and filled <= set(NEW_NAME_FIELDS) and self._names() == self._prefilled():
            return False
        return bool(filled)

    def _names(self):
        return ((self.new_first_name.data or "").strip(), (self.new_last_name.data or "").strip())

    def _prefilled(self):
        first, _bar, last = (self.new_prefill.data or "").partition("|")
        return (first, last) if _bar else None

    def prefill_names(self, first, last):
        """Fill the names from the search unless someone typed there already."""
        if any(self._names()) and self._names() != self._prefilled():
            return
        self.new_first_name.data, self.new_last_name.data = first, last
        self.new_prefill.data = f"{first}|{last}" if first or last else ""

    def chosen_resident_id(self):
        raw = (self.resident_id.data or "").strip()
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        kind = self.kind.data
        if kind == "information" and not self.question.data and not self.question.errors:
            self.question.errors.append(_("Wpisz, o co pyta osoba."))
            valid = False
        if kind == "application":
            if not self.needs_description.data and not self.needs_description.errors:
                self.needs_description.errors.append(_("Opisz potrzeby słowami osoby."))
                valid = False
            if not self.chosen_resident_id() and not self.has_new_person() and not any(self._names()):
                self.q.errors.append(_("Wniosek musi mieć osobę: wyszukaj ją albo dodaj nową."))
                valid = False
        if self.routed_note.data and not self.routed_to.data and not self.routed_note.errors:
            self.routed_to.errors.append(_("Wybierz, dokąd przekazano sprawę."))
            valid = False
        if self.handout_email.data and not self.service_ids.data and not self.handout_email.errors:
            self.handout_email.errors.append(_("Dodaj usługi, które mają być w ulotce."))
            valid = False
        if not self.chosen_resident_id() and (self.has_new_person() or (kind == "application" and any(self._names()))):
            # An application's person may be the names the search filled in: then it asks for the rest.
            valid = self._validate_new_person() and valid
        return valid

    def _validate_new_person(self):
        valid = True
        if not self.new_first_name.data and not self.new_first_name.errors:
            self.new_first_name.errors.append(_("Podaj imię."))
            valid = False
        if not self.new_last_name.data and not self.new_last_name.errors:
            self.new_last_name.errors.append(_("Podaj nazwisko."))
            valid = False
        if not self.new_pesel.data and not self.new_birth_date.data and not self.new_pesel.errors:
            self.new_pesel.errors.append(_("Podaj PESEL albo datę urodzenia."))
            valid = False
        valid = check_street_fields(self.new_street, self.new_house_number) and valid
        return valid and not any(getattr(self, name).errors for name in NEW_PERSON_FIELDS)

    def new_person_data(self):
        """The inline person as the residents service takes it."""
        info = getattr(self.new_pesel, "pesel_info", None)
        birth = info.birth_date if info else parse_day(self.new_birth_date.data)
        pesel = self.new_pesel.data or None
        return {
            "first_name": self.new_first_name.data,
            "last_name": self.new_last_name.data,
            "pesel": pesel,
            "no_pesel_reason": None if pesel else (self.new_no_pesel_reason.data or DEFAULT_NO_PESEL_REASON),
            "birth_date": birth,
            "phone": self.new_phone.data or None,
            "address_1": join_street(self.new_street.data, self.new_house_number.data),
            "postal_code": self.new_postal_code.data or None,
            "city": self.new_city.data or None,
            "village_id": int(self.new_village_id.data) if self.new_village_id.data else None,
        }

    def request_data(self, resident_id):
        return {
            "resident_id": resident_id,
            "channel": self.channel.data,
            "applicant": self.applicant.data,
            "kind": self.kind.data,
            "question": self.question.data,
            "answer": self.answer.data,
            "routed_to": self.routed_to.data or None,
            "routed_note": self.routed_note.data,
            "needs_description": self.needs_description.data,
            "urgency": self.urgency.data,
            "coordinator_id": int(self.coordinator_id.data) if self.coordinator_id.data else None,
            "service_ids": self.service_ids.data or [],
        }


class RequestSearchForm(FlaskForm):
    """The board's search: by POST, so that a name never lands in a URL."""

    q = StringField(_l("Szukaj zgłoszenia"), filters=[clean_text],
                    validators=[Required(_l("Wpisz numer zgłoszenia albo nazwisko.")), max_length(100)],
                    render_kw={"autocomplete": "off", "type": "search"})


class StatusForm(FlaskForm):
    to_status = HiddenField(validators=[Required(_l("Wybierz status."))])
    note = StringField(_l("Uwaga (opcjonalnie)"), filters=[clean_text], validators=[max_length(500)],
                       render_kw={"autocomplete": "off"})
    version = HiddenField()


class AssignForm(FlaskForm):
    coordinator_id = SelectField(_l("Koordynator"), choices=[], validate_choice=False,
                                 validators=[Required(_l("Wybierz koordynatora.")), OneOf()])
    version = HiddenField()


class HandoutEmailForm(FlaskForm):
    email = StringField(_l("Adres e-mail"), filters=[clean_text],
                        validators=[Required(_l("Podaj adres e-mail.")), max_length(254), EmailAddress()],
                        render_kw={"autocomplete": "off", "type": "email"})


CONTACT_KINDS = (
    ("question", _l("Pytanie")),
    ("service", _l("Chcę skorzystać z usługi")),
    ("complaint", _l("Skarga lub wniosek")),
)


class ContactForm(PublicForm):
    """The public contact form: no login, spam kept out without third parties
    (the trap and the time token of PublicForm, portal/public_form.py)."""

    name = StringField(_l("Imię i nazwisko"), filters=[clean_text],
                       validators=[Required(_l("Podaj imię i nazwisko.")), max_length(200)],
                       render_kw={"autocomplete": "name"})
    phone = StringField(_l("Telefon"), filters=[clean_text], validators=[Optional(), max_length(30), Phone()],
                        render_kw={"autocomplete": "tel", "type": "tel"})
    email = StringField(_l("E-mail"), filters=[clean_text], validators=[max_length(254), EmailAddress()],
                        render_kw={"autocomplete": "email", "type": "email"})
    message = TextAreaField(_l("Wiadomość"), filters=[clean_text],
                            validators=[Required(_l("Napisz, w czym możemy pomóc.")), max_length(5000)],
                            render_kw={"rows": 6})
    service = SelectField(_l("Usługa (opcjonalnie)"), choices=[], validate_choice=False,
                          validators=[OneOf(allow_empty=True)])
    # What the message is: a question (the desk answers), wanting a service (an
    # application on the desk's list), or a complaint or a request (skarga lub
    # wniosek: the register of complaints, for the director to assign).
    kind = RadioField(_l("Czego dotyczy wiadomość"), choices=CONTACT_KINDS, default="question",
                      validate_choice=False, validators=[OneOf(allow_empty=True)])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.phone.data and not self.email.data and not self.phone.errors and not self.email.errors:
            self.phone.errors.append(_("Podaj telefon albo e-mail, żebyśmy mogli odpowiedzieć."))
            valid = False
        return valid
