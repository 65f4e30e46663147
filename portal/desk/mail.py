"""The services handout by e-mail (sent through portal/core/mail.py)."""

from flask import current_app, render_template
from flask_babel import gettext as _

from ..catalogue.presenters import detail_for
from ..core.mail import MailError, new_message, send
from ..timeutil import now
from ..validation import is_email


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
    message = new_message(recipient, _("Informacja o usługach — %(centre)s", centre=current_app.config["CENTRE_NAME"]))
    message.set_content(handout_text(services, infos))
    message.add_alternative(
        render_template("desk/handout_email.html", items=list(zip(services, infos))), subtype="html")
    return message


def send_handout(recipient, services):
    """Send the handout; raises MailError when the address is not usable or
    the server refuses or is unreachable."""
    if not is_email(recipient):
        raise MailError("invalid recipient")
    return send(build_handout(recipient, services), what="handout")
