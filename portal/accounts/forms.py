"""Forms of the account pages. Password fields are never filled back in;
everything else keeps what was typed when the form comes back with errors."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from ..auth.models import Role
from ..auth.policy import MAX_LENGTH
from ..validation import is_email

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


def _role_choices():
    return [(code, Role.LABELS[code]) for code in Role.STAFF]


def valid_username(form, field):
    if field.data and not USERNAME_RE.match(field.data):
        raise ValidationError(_l("Login: od 2 do 64 znaków — małe litery bez polskich znaków, cyfry, kropka, "
                                 "myślnik lub podkreślenie, na początku litera lub cyfra."))


def valid_email(form, field):
    if field.data and not is_email(field.data):
        raise ValidationError(_l("Wpisz adres e-mail w postaci nazwa@domena.pl."))


def _full_name():
    return StringField(_l("Imię i nazwisko"), filters=[_strip],
                       validators=[DataRequired(_l("Wpisz imię i nazwisko.")),
                                   Length(max=200, message=_l("Wpisz najwyżej %(max)d znaków."))],
                       render_kw={"autocomplete": "off"})


def _email():
    return StringField(_l("E-mail służbowy"), filters=[_strip],
                       validators=[Optional(), Length(max=254, message=_l("Wpisz najwyżej %(max)d znaków.")),
                                   valid_email],
                       render_kw={"autocomplete": "off"})


def valid_role(form, field):
    if field.data not in Role.STAFF:
        raise ValidationError(_l("Wybierz rolę z listy."))


def _role():
    return SelectField(_l("Rola"), choices=_role_choices, validate_choice=False, validators=[valid_role])


class CreateAccountForm(FlaskForm):
    username = StringField(_l("Login"), filters=[_lower],
                           validators=[DataRequired(_l("Wpisz login.")), valid_username],
                           render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})
    full_name = _full_name()
    email = _email()
    role = _role()
    send_email = BooleanField(_l("Wyślij link do ustawienia hasła na ten adres e-mail"))

    def validate_send_email(self, field):
        if field.data and not self.email.data:
            raise ValidationError(_l("Aby wysłać link e-mailem, wpisz adres e-mail."))


class EditAccountForm(FlaskForm):
    full_name = _full_name()
    email = _email()
    role = _role()


class ResetForm(FlaskForm):
    send_email = BooleanField(_l("Wyślij nowy link na adres e-mail konta"))


class ConfirmForm(FlaskForm):
    """A destructive action's second step: nothing to fill in but the CSRF token."""


def _new_password(label):
    return PasswordField(label, validators=[DataRequired(_l("Wpisz nowe hasło.")), Length(max=MAX_LENGTH)],
                         render_kw={"autocomplete": "new-password"})


def _repeat(label):
    return PasswordField(label, validators=[DataRequired(_l("Wpisz nowe hasło jeszcze raz.")),
                                            EqualTo("password", _l("Hasła nie są takie same."))],
                         render_kw={"autocomplete": "new-password"})


class SetPasswordForm(FlaskForm):
    password = _new_password(_l("Nowe hasło"))
    password_again = _repeat(_l("Powtórz nowe hasło"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Obecne hasło"),
                                     validators=[DataRequired(_l("Wpisz obecne hasło.")), Length(max=MAX_LENGTH)],
                                     render_kw={"autocomplete": "current-password"})
    password = _new_password(_l("Nowe hasło"))
    password_again = _repeat(_l("Powtórz nowe hasło"))


class TotpDisableForm(FlaskForm):
    password = PasswordField(_l("Hasło"), validators=[DataRequired(_l("Wpisz hasło.")), Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
    code = StringField(_l("Kod z aplikacji albo kod zapasowy"),
                       validators=[DataRequired(_l("Wpisz kod.")), Length(max=32)],
                       render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"})


class AccountEnrolForm(FlaskForm):
    """Turning two-factor sign-in on from one's own account: the password
    first (a session left open must not be enough to tie the account to
    someone else's phone), then the app's code."""

    password = PasswordField(_l("Twoje hasło"), validators=[DataRequired(_l("Wpisz hasło.")), Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
    code = StringField(_l("Kod z aplikacji"), validators=[DataRequired(_l("Wpisz sześciocyfrowy kod z aplikacji.")),
                                                          Length(max=32)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class TwoFactorRolesForm(FlaskForm):
    roles = SelectMultipleField(_l("Role, które logują się z drugim składnikiem"), choices=_role_choices,
                                option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False),
                                validate_choice=False)

    def validate_roles(self, field):
        if any(role not in Role.STAFF for role in field.data or ()):
            raise ValidationError(_l("Wybierz role z listy."))
