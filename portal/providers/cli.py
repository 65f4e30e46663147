"""`flask providers remind`: e-mail the provider accounts whose organisation
has a service not confirmed current in six months (issue 15 §1).

Run it daily (cron or a systemd timer): a provider reminded is not reminded
again for REMINDER_DAYS days (the provider_assurance_reminder table keeps
when), and a provider whose messages all failed is tried on the next run.
The output counts; it names no address.
"""
import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from ..extensions import db
from ..public_urls import public_url
from ..timeutil import now, to_local
from . import services as providers

providers_cli = AppGroup("providers", help="Providers' own accounts and entries.")


@providers_cli.command("remind")
def remind_command():
    """E-mail each provider whose entries wait for confirmation (once per reminder period)."""
    moment = now()
    today = to_local(moment).date()
    url = public_url("providers.services")
    reminded = messages = 0
    # The messages are written in Polish (the translations need a request's context, as printing does).
    with current_app.test_request_context("/"), force_locale("pl"):
        for due in providers.due_reminders(db.session, moment=moment, today=today):
            sent = providers.send_reminder(db.session, due, moment=moment, url=url)
            db.session.commit()  # each provider's reminder is remembered as soon as it went
            if sent:
                reminded += 1
                messages += sent
    click.echo(f"Providers reminded: {reminded}; messages sent: {messages}.")
