"""The set-password link by e-mail (sent through portal/core/mail.py).

The link is a credential: it goes into the message only, never into a log
line (a failure logs the exception's type, nothing else).
"""

from flask import current_app
from flask_babel import gettext as _

from ..core.mail import MailError, new_message, send
from ..i18n import format_date_long, format_time
from ..validation import is_email


def build_link_message(user, url, expires_at):
    config = current_app.config
    message = new_message(user.email, _("Konto w Portalu CUS — ustaw hasło"))
    lines = [
        _("Dzień dobry, %(name)s,", name=user.full_name),
        "",
        _("w Portalu CUS (%(centre)s) czeka na Ciebie konto o loginie %(login)s.",
          centre=config["CENTRE_NAME"], login=user.username),
        _("Aby ustawić hasło, otwórz ten link:"),
        "",
        url,
        "",
        _("Link działa tylko raz, do %(date)s, godz. %(time)s. Nie przekazuj go nikomu.",
          date=format_date_long(expires_at), time=format_time(expires_at)),
        _("Jeśli nie spodziewasz się tej wiadomości, zgłoś to administratorowi portalu."),
    ]
    message.set_content("\n".join(lines) + "\n")
    return message


def send_link(user, url, expires_at):
    """Raises MailError when the address is not usable or the server refuses."""
    if not is_email(user.email):
        raise MailError("invalid recipient")
    return send(build_link_message(user, url, expires_at), what="set-password link")
