"""`flask providers remind` (issue 15 §1): each account of a provider whose
service has not been confirmed in six months gets an e-mail through a real
SMTP server (aiosmtpd); once per reminder period, remembered, not daily."""
from datetime import date, datetime, timedelta, timezone

from portal.auth.models import Role
from tests.helpers import visible_text as text_of  # noqa: F401
from tests.providers.conftest import NOW, audit


def _accounts(make_user, world):
    from portal.extensions import db

    renata = make_user(Role.PROVIDER, "renata", "Renata Realizatorka")
    renata.email = "renata@realizator.example"
    tomasz = make_user(Role.PROVIDER, "tomasz", "Tomasz Realizator")
    tomasz.email = "tomasz@realizator.example"
    gone = make_user(Role.PROVIDER, "wylaczony", "Konto Wyłączone")
    gone.email, gone.active = "wylaczony@realizator.example", False
    db.session.commit()
    return renata, tomasz


def _run(runner):
    result = runner.invoke(args=["providers", "remind"])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_active_account_of_a_provider_with_a_stale_entry_is_emailed(app, runner, smtp, world, make_user):
    _accounts(make_user, world)
    output = _run(runner)
    assert "Providers reminded: 2; messages sent: 3." in output
    by_recipient = {tuple(rcpt): message for rcpt, message in smtp.messages}
    assert set(by_recipient) == {("renata@realizator.example",), ("tomasz@realizator.example",),
                                 ("irena@fundacja-inna.example",)}
    message = by_recipient[("renata@realizator.example",)]
    assert message["Subject"] == "Portal CUS — prosimy potwierdzić aktualność usług"
    body = message.get_content()
    assert "Dzień dobry, Renata Realizatorka," in body
    assert "dane 1 usługi organizacji Stowarzyszenie Testowe „Realizator”" in body
    assert "- Klub Seniora w Burzcu (ostatnio potwierdzono 1 października 2025)" in body
    assert "Opieka w domu" not in body  # confirmed in April: current
    assert "/provider/services" in body
    assert "Klub Fundacji Innej" not in body
    events = audit("assurance_reminder", "provider")
    assert {e.object_id for e in events} == {world.ours.id, world.theirs.id}


def test_a_reminder_is_not_sent_again_within_the_period(app, runner, smtp, world, make_user):
    _accounts(make_user, world)
    _run(runner)
    sent = len(smtp.messages)
    app.config["FIXED_NOW"] = NOW + timedelta(days=1)
    assert "Providers reminded: 0; messages sent: 0." in _run(runner)
    app.config["FIXED_NOW"] = NOW + timedelta(days=29)
    _run(runner)
    assert len(smtp.messages) == sent
    app.config["FIXED_NOW"] = NOW + timedelta(days=31)
    assert "Providers reminded: 2; messages sent: 3." in _run(runner)
    assert len(smtp.messages) == 2 * sent


def test_a_provider_whose_entries_are_current_gets_no_reminder(app, runner, smtp, world, make_user):
    from portal.extensions import db

    _accounts(make_user, world)
    world.club.assured_date = date(2026, 1, 5)
    world.other_club.status = "archived"  # an archived service needs no confirmation
    db.session.commit()
    assert "Providers reminded: 0; messages sent: 0." in _run(runner)
    assert smtp.messages == [] and audit("assurance_reminder") == []


def test_when_the_mail_server_refuses_the_reminder_is_tried_again(app, runner, world, make_user):
    from tests.desk.test_desk_mail import free_port

    _accounts(make_user, world)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)  # nobody listens there
    assert "Providers reminded: 0; messages sent: 0." in _run(runner)
    assert audit("assurance_reminder") == []
    from portal.extensions import db
    from portal.providers.models import AssuranceReminder

    assert db.session.scalars(db.select(AssuranceReminder)).all() == []


def test_the_reminder_is_remembered_with_its_moment(app, runner, smtp, world, make_user):
    from portal.extensions import db
    from portal.providers.models import AssuranceReminder

    _accounts(make_user, world)
    _run(runner)
    row = db.session.get(AssuranceReminder, world.ours.id)
    assert row.sent_at == NOW.astimezone(timezone.utc) and (row.services, row.recipients) == (1, 2)
    assert isinstance(row.sent_at, datetime)
