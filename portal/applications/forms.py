"""The registration form (public, spam-guarded) and the organiser's decision forms."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, HiddenField
from wtforms.validators import Optional

from ..catalogue.models import ACCESSIBILITY
from ..core.forms import (
    ChoiceField,
    EmailAddress,
    IntegerInputField,
    MultiCheckboxField,
    PublicForm,
    Required,
    RowForm,
    TextBlockField,
    TextField,
    WebAddress,
    choices,
    max_length,
)
from ..core.validators import Krs, Nip, Phone, PostalCode, Regon
from .models import APPLYING_TYPES, MAX_SERVICES


def _block(label, limit=5000, rows=4, required=None):
    validators = [Required(required)] if required else [Optional()]
    return TextBlockField(label, validators=validators + [max_length(limit)], render_kw={"rows": rows})


class ServiceRow(RowForm):
    """One proposed service; a row left empty is ignored."""

    name = TextField(_l("Nazwa usługi"), validators=[Required(_l("Podaj nazwę usługi."), flag=False),
                                                     max_length(200)])
    description = TextBlockField(_l("Na czym polega"), validators=[Optional(), max_length(2000)],
                                 render_kw={"rows": 3})
    target_group = TextField(_l("Dla kogo"), validators=[Optional(), max_length(300)])
    area = TextField(_l("Gdzie (miejscowości, zasięg)"), validators=[Optional(), max_length(300)])


class ApplicationForm(PublicForm):
    """The questions of the centre's survey of providers."""

    name = TextField(_l("Nazwa organizacji"), validators=[Required(_l("Podaj nazwę organizacji.")),
                                                          max_length(250)], render_kw={"autocomplete": "organization"})
    provider_type = ChoiceField(_l("Rodzaj organizacji"), choices=choices(APPLYING_TYPES, _l("— wybierz —")),
                                validators=[Required(_l("Wybierz rodzaj organizacji."))])
    legal_form = TextField(_l("Forma prawna (opcjonalnie)"), validators=[Optional(), max_length(200)])
    nip = TextField(_l("NIP"), validators=[Optional(), max_length(20), Nip()],
                    render_kw={"inputmode": "numeric", "autocomplete": "off"})
    regon = TextField(_l("REGON"), validators=[Optional(), max_length(20), Regon()],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
    krs = TextField(_l("KRS"), validators=[Optional(), max_length(20), Krs()],
                    render_kw={"inputmode": "numeric", "autocomplete": "off"})
    address_1 = TextField(_l("Ulica i numer"),
                          validators=[Required(_l("Podaj ulicę i numer albo miejscowość i numer domu.")),
                                      max_length(200)], render_kw={"autocomplete": "address-line1"})
    postal_code = TextField(_l("Kod pocztowy"), validators=[Required(_l("Podaj kod pocztowy.")), max_length(10),
                                                            PostalCode()],
                            render_kw={"autocomplete": "postal-code"})
    city = TextField(_l("Miejscowość"), validators=[Required(_l("Podaj miejscowość.")), max_length(120)],
                     render_kw={"autocomplete": "address-level2"})
    # Not `website`: that is the spam trap of PublicForm.
    homepage = TextField(_l("Strona internetowa (opcjonalnie)"), validators=[Optional(), max_length(300),
                                                                           WebAddress()],
                        render_kw={"type": "url"})
    contact_name = TextField(_l("Imię i nazwisko"),
                             validators=[Required(_l("Podaj imię i nazwisko osoby do kontaktu.")), max_length(200)],
                             render_kw={"autocomplete": "name"})
    contact_email = TextField(_l("E-mail"), validators=[
        Required(_l("Podaj e-mail osoby do kontaktu: na ten adres odpowiemy.")), max_length(254), EmailAddress()],
        render_kw={"type": "email", "autocomplete": "email"})
    contact_phone = TextField(_l("Telefon (opcjonalnie)"), validators=[Optional(), max_length(30), Phone()],
                              render_kw={"type": "tel", "autocomplete": "tel"})
    experience = _block(_l("Doświadczenie organizacji"), rows=5,
                        required=_l("Opisz doświadczenie organizacji."))
    services = FieldList(FormField(ServiceRow), label=_l("Proponowane usługi"), min_entries=MAX_SERVICES,
                         max_entries=MAX_SERVICES)
    premises = _block(_l("Lokal, w którym prowadzicie zajęcia (opcjonalnie)"))
    accessibility = MultiCheckboxField(_l("Dostępność lokalu"), choices=list(ACCESSIBILITY.items()))
    staff_count = IntegerInputField(_l("Liczba osób, które będą prowadzić usługi (opcjonalnie)"),
                                    render_kw={"min": 0})
    staff_qualifications = _block(_l("Kwalifikacje tych osób (opcjonalnie)"))

    FIELDS = ("name", "provider_type", "legal_form", "nip", "regon", "krs", "address_1", "postal_code", "city",
              "contact_name", "contact_email", "contact_phone", "experience", "premises",
              "staff_count", "staff_qualifications")

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if all(entry.form.is_blank() for entry in self.services):
            self.services[0].form.name.errors = list(self.services[0].form.name.errors) + [
                _("Opisz co najmniej jedną usługę, którą chcesz prowadzić.")]
            valid = False
        return valid

    def to_data(self):
        data = {name: self[name].data for name in self.FIELDS}
        data["website"] = self.homepage.data
        data["proposed_services"] = [entry.form.values() for entry in self.services if not entry.form.is_blank()]
        data["accessibility"] = list(self.accessibility.data or [])
        return data

    def fill(self, application):
        """The form showing a saved application (the applicant's correction)."""
        for name in self.FIELDS:
            self[name].data = getattr(application, name)
        self.homepage.data = application.website
        self.accessibility.data = application.accessibility
        for entry, service in zip(self.services, application.proposed_services or [], strict=False):
            for name, value in service.items():
                if name in entry.form:
                    entry.form[name].data = value
        return self


class DecisionForm(FlaskForm):
    """Ask for more, accept or decline: the version the page showed and the message to the applicant."""

    version = HiddenField()
    message = TextBlockField(_l("Wiadomość do zgłaszającego"), validators=[Optional(), max_length(5000)],
                             render_kw={"rows": 4})
