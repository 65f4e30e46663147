from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Login"), validators=[DataRequired(_l("Podaj login.")), Length(max=64)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Hasło"), validators=[DataRequired(_l("Podaj hasło.")), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
