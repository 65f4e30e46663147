"""The services handout by e-mail, over plain SMTP (smtplib).

Settings: MAIL_SERVER (localhost), MAIL_PORT (25), MAIL_SENDER
("cus@localhost"), optional MAIL_TIMEOUT in seconds (10).
"""
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template
from flask_babel import gettext as _

from ..catalogue.presenters import detail_for
from ..timeutil import now
from ..validation import is_email

log = logging.getLogger(__name__)

class MailError(RuntimeError):
    """The message could not be handed to the mail server."""


def handout_text(services, infos):
    """The plain-text part: what a simple mail reader shows."""
    lines = [current_app.config["CENTRE_NAME"], _("Usługi, o których rozmawialiśmy"), ""]
    for service, info in zip(services, infos):
        lines.append(service.name)
        lines.append("  " + _("Realizator:") + " " + service.provider.name)
        lines.append("  " + _("Koszt:") + " " + str(info["cost"]))
        if info["places"]:
            lines.append("  " + _("Gdzie:") + " " + info["places"])
        for row in info["weekly"]:
            lines.append(f"  {row['day']} {row['hours']}")
        if service.schedule_description:
            lines.append("  " + service.schedule_description)
        for line in info["eligibility"]:
            lines.append("  " + str(line))
        contact = " · ".join(filter(None, (service.phone, service.email)))
        if contact:
            lines.append("  " + _("Kontakt:") + " " + contact)
        lines.append("")
    lines.append(_("Recepcja CUS:") + " " + current_app.config["CENTRE_ADDRESS"] + ", " + _("tel.") + " "
                 + current_app.config["CENTRE_PHONE"])
    return "\n".join(lines) + "\n"


def build_handout(recipient, services):
    moment = now()
    infos = [detail_for(s, moment) for s in services]
    message = EmailMessage()
    message["Subject"] = _("Informacja o usługach — %(centre)s", centre=current_app.config["CENTRE_NAME"])
    message["From"] = current_app.config.get("MAIL_SENDER", "cus@localhost")
    message["To"] = recipient
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=message["From"].rpartition("@")[2] or None)
    message.set_content(handout_text(services, infos))
    message.add_alternative(
        render_template("desk/handout_email.html", items=list(zip(services, infos))), subtype="html")
    return message


def send_handout(recipient, services):
    """Send the handout; raises MailError when the server refuses or is unreachable."""
    if not is_email(recipient):
        raise MailError("invalid recipient")
    message = build_handout(recipient, services)
    config = current_app.config
    try:
        with smtplib.SMTP(config.get("MAIL_SERVER", "localhost"), int(config.get("MAIL_PORT", 25)),
                          timeout=config.get("MAIL_TIMEOUT", 10)) as smtp:
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        # The type only: the address is personal data and stays out of the log.
        log.warning("handout e-mail not sent: %s", type(error).__name__)
        raise MailError(type(error).__name__) from None
    return message
