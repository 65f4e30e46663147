"""The set-password link by e-mail, through the centre's SMTP relay
(MAIL_SERVER, MAIL_PORT, MAIL_SENDER, MAIL_TIMEOUT, as the desk's handouts).

The link is a credential: it goes into the message only, never into a log
line (a failure logs the exception's type, nothing else).
"""
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from flask_babel import gettext as _

from ..desk.mail import MailError
from ..i18n import format_date_long, format_time
from ..validation import is_email

log = logging.getLogger(__name__)


def build_link_message(user, url, expires_at):
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = _("Konto w Portalu CUS — ustaw hasło")
    message["From"] = config.get("MAIL_SENDER", "cus@localhost")
    message["To"] = user.email
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=message["From"].rpartition("@")[2] or None)
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
    message = build_link_message(user, url, expires_at)
    config = current_app.config
    try:
        with smtplib.SMTP(config.get("MAIL_SERVER", "localhost"), int(config.get("MAIL_PORT", 25)),
                          timeout=config.get("MAIL_TIMEOUT", 10)) as smtp:
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        log.warning("set-password link not e-mailed: %s", type(error).__name__)
        raise MailError(type(error).__name__) from None
    return message
