"""Forms of the provider pages: the profile a provider edits, and the
organiser's invitation of another account for a provider."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, ValidationError

from ..accounts.forms import _email, _full_name, _lower, valid_username
from ..manage.forms import ProviderForm
from .services import PROFILE_FIELDS


class ProfileForm(FlaskForm):
    """The catalogue's own fields of a provider (manage.forms.ProviderForm),
    those a provider keeps itself: description, contacts, address, website."""

    version = HiddenField()
    description = ProviderForm.description
    email = ProviderForm.email
    phone = ProviderForm.phone
    website = ProviderForm.website
    address_1 = ProviderForm.address_1
    postal_code = ProviderForm.postal_code
    city = ProviderForm.city

    def to_data(self):
        return {name: self[name].data for name in PROFILE_FIELDS}


class InviteForm(FlaskForm):
    username = StringField(_l("Login"), filters=[_lower],
                           validators=[DataRequired(_l("Wpisz login.")), valid_username],
                           render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})
    full_name = _full_name()
    email = _email()
    send_email = BooleanField(_l("Wyślij link do ustawienia hasła na ten adres e-mail"))

    def validate_send_email(self, field):
        if field.data and not self.email.data:
            raise ValidationError(_l("Aby wysłać link e-mailem, wpisz adres e-mail."))
