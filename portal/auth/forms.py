from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Login"), validators=[DataRequired(_l("Podaj login.")), Length(max=64)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Hasło"), validators=[DataRequired(_l("Podaj hasło.")), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})


class CodeForm(FlaskForm):
    """The second step of a login: a code from the authenticator app, or a recovery code."""

    code = StringField(_l("Kod"), validators=[DataRequired(_l("Wpisz kod.")), Length(max=32)],
                       render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"})


class EnrolForm(FlaskForm):
    """Confirming a new authenticator app with its first code."""

    code = StringField(_l("Kod z aplikacji"), validators=[DataRequired(_l("Wpisz sześciocyfrowy kod z aplikacji.")),
                                                          Length(max=32)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
