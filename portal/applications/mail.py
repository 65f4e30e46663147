"""The organiser's decisions e-mailed to the applicant (portal/core/mail.py).

The correction link is a credential: it goes into the message only, never
into a log line. The set-password link of the first account goes as the
accounts' invitation does (portal/accounts/mail.py).
"""
from flask import current_app
from flask_babel import gettext as _

from ..core.mail import new_message, send
from ..i18n import format_date_long


def _message(application, subject, lines):
    config = current_app.config
    message = new_message(application.contact_email, subject)
    body = [_("Dzień dobry, %(name)s,", name=application.contact_name), "", *lines, "",
            _("Pozdrawiamy"), config["CENTRE_NAME"], _("tel. %(phone)s", phone=config["CENTRE_PHONE"])]
    message.set_content("\n".join(body) + "\n")
    return message


def _subject(text, application):
    return f"{text}: {application.name}"


def send_more_asked(application, url):
    """Raises MailError when the server refuses or cannot be reached."""
    lines = [
        _("dziękujemy za zgłoszenie organizacji %(name)s jako realizatora usług. Zanim je rozpatrzymy, "
          "prosimy o uzupełnienie:", name=application.name),
        "",
        application.message,
        "",
        _("Zgłoszenie uzupełnisz lub poprawisz pod tym adresem (bez logowania):"),
        url,
        "",
        _("Link działa jeden raz, do %(date)s. Nie przekazuj go nikomu spoza organizacji.",
          date=format_date_long(application.link_expires_at)),
    ]
    return send(_message(application, _subject(_("Prosimy o uzupełnienie zgłoszenia"), application), lines),
                what="provider application: more asked")


def send_declined(application):
    lines = [
        _("dziękujemy za zgłoszenie organizacji %(name)s jako realizatora usług. Po rozpatrzeniu nie możemy "
          "go przyjąć.", name=application.name),
        "",
        application.message,
    ]
    return send(_message(application, _subject(_("Zgłoszenie nie zostało przyjęte"), application), lines),
                what="provider application: declined")


def send_accepted(application, login):
    lines = [
        _("zgłoszenie organizacji %(name)s zostało przyjęte: organizacja jest realizatorem usług w katalogu "
          "centrum.", name=application.name),
        _("W osobnej wiadomości wysłaliśmy link do ustawienia hasła konta organizacji (login: %(login)s).",
          login=login),
    ]
    if application.message:
        lines += ["", application.message]
    return send(_message(application, _subject(_("Zgłoszenie zostało przyjęte"), application), lines),
                what="provider application: accepted")
