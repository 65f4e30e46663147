"""E-mail through the centre's SMTP relay (smtplib), for every feature.

Settings: MAIL_SERVER (localhost), MAIL_PORT (25), MAIL_SENDER
("cus@localhost"), optional MAIL_TIMEOUT in seconds (10).

An address and a message are personal data (a link may be a credential): a
failure is logged with the exception's type and what was being sent, never
the recipient or the content.
"""
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from ..validation import is_email

__all__ = ["MailError", "new_message", "send"]

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The message could not be handed to the mail server."""


def new_message(recipient, subject):
    """An EmailMessage from the centre to `recipient`, with its date and id."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config.get("MAIL_SENDER", "cus@localhost")
    message["To"] = recipient
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=message["From"].rpartition("@")[2] or None)
    return message


def send(message, *, what):
    """Hand `message` to the relay; raises MailError when its recipient is not
    an address or the server refuses or cannot be reached. `what` names the
    kind of message in the log ("handout", "set-password link")."""
    if not is_email(message["To"]):
        raise MailError("invalid recipient")
    config = current_app.config
    try:
        with smtplib.SMTP(config.get("MAIL_SERVER", "localhost"), int(config.get("MAIL_PORT", 25)),
                          timeout=config.get("MAIL_TIMEOUT", 10)) as smtp:
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        log.warning("%s not e-mailed: %s", what, type(error).__name__)
        raise MailError(type(error).__name__) from None
    return message
