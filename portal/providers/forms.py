"""Forms of the provider pages: the profile a provider edits, and the
organiser's invitation of another account for a provider."""
from flask_wtf import FlaskForm
from wtforms import HiddenField

from ..accounts.forms import CreateAccountForm
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


class InviteForm(CreateAccountForm):
    """A provider's new account: the staff account's form without a role
    (the account is the provider's; its role is Role.PROVIDER)."""

    role = None
