"""The returned proposal's message, e-mailed to the provider's accounts
(through portal/core/mail.py). The log names the kind of message only."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import Role, User
from ..core.mail import MailError, new_message, send
from ..public_urls import public_url
from ..validation import is_email


def recipients(session, provider_id):
    """The active accounts of the provider that have an address."""
    users = session.scalars(select(User).where(User.provider_id == provider_id, User.role == Role.PROVIDER,
                                               User.active.is_(True)).order_by(User.id)).all()
    return [user for user in users if is_email(user.email)]


def returned_message(user, proposal):
    message = new_message(user.email, _("Propozycja zwrócona do poprawy: %(name)s", name=proposal.name))
    lines = [
        _("Dzień dobry, %(name)s,", name=user.full_name),
        "",
        _("%(centre)s zwraca do poprawy propozycję „%(service)s” z tą wiadomością:",
          centre=current_app.config["CENTRE_NAME"], service=proposal.name),
        "",
        proposal.message,
        "",
        _("Propozycję poprawisz albo wycofasz na jej stronie w Portalu CUS:"),
        public_url("proposals.detail", proposal_id=proposal.id),
    ]
    message.set_content("\n".join(lines) + "\n")
    return message


def send_returned(session, proposal):
    """E-mail each account of the provider; returns (sent, failed) counts."""
    sent = failed = 0
    for user in recipients(session, proposal.provider_id):
        try:
            send(returned_message(user, proposal), what="returned proposal")
            sent += 1
        except MailError:
            failed += 1
    return sent, failed
