"""A provider's own pages (issue 15 §1): its profile, its services' assured
date, the reminder e-mail when an entry is older than six months, and the
accounts of its staff as the services organiser manages them.

Plain functions with an explicit session and actor: they validate, change,
audit and never commit (CONTRIBUTING.md). The profile and the services are
the catalogue's own records: a change goes through the catalogue's
management operations (manage.services), so the public catalogue, its
history and its version counter move exactly as for the organiser's edits.
"""
import calendar
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import or_, select

from ..accounts import services as accounts
from ..audit.services import record
from ..auth.models import Role, User
from ..auth.services import AccountError, create_user
from ..catalogue.models import Provider, Service
from ..core import versions
from ..core.errors import DataError, NotAllowed, check_version
from ..core.mail import MailError, new_message, send
from ..i18n import format_date_long
from ..manage import services as catalogue
from ..text import polish_sort_key
from ..validation import is_email
from .models import AssuranceReminder

log = logging.getLogger(__name__)

# What a provider edits of its own profile; its name, type and registry
# numbers (NIP, REGON, KRS) stay with the services organiser.
PROFILE_FIELDS = ("description", "email", "phone", "website", "address_1", "postal_code", "city")
# An entry confirmed longer ago than this many months waits for confirmation.
ASSURANCE_MONTHS = 6
# A provider reminded by e-mail is not reminded again for this many days.
REMINDER_DAYS = 30
# The services a provider keeps current: not the archived ones.
LIVE_STATUSES = ("active", "suspended")


# --- the profile ---------------------------------------------------------------------

def profile_data(provider):
    return {name: getattr(provider, name) for name in PROFILE_FIELDS}


def update_profile(session, provider, data, *, actor, expected_version):
    """The provider's description, contacts, address and website; whatever
    else the profile holds is kept as it is now (not as the form saw it)."""
    if actor is None or actor.role != Role.PROVIDER or actor.provider_id != provider.id:
        raise NotAllowed()
    merged = catalogue.provider_data(provider)
    merged.update({name: data.get(name) for name in PROFILE_FIELDS})
    return catalogue.update_provider(provider, merged, actor=actor, expected_version=expected_version)


def profile_conflicts(provider, data):
    """(field, saved, yours) for the profile's fields that differ."""
    return [(key, theirs, yours) for key, theirs, yours in catalogue.provider_conflicts(provider, {
        **catalogue.provider_data(provider), **{name: data.get(name) for name in PROFILE_FIELDS}})
        if key in PROFILE_FIELDS]


# --- the services and their assured date --------------------------------------------------

def services_of(session, provider_id):
    """The provider's services that are not archived, in Polish order."""
    rows = session.scalars(select(Service).where(Service.provider_id == provider_id,
                                                 Service.status.in_(LIVE_STATUSES))).all()
    return sorted(rows, key=lambda s: (polish_sort_key(s.name), s.id))


def months_back(day, months):
    """The same day `months` months earlier (the month's last day when shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def assured_before(today):
    """An entry confirmed before this day is older than six months."""
    return months_back(today, ASSURANCE_MONTHS)


def needs_assurance(service, today):
    return service.assured_date is None or service.assured_date < assured_before(today)


def waiting_assurance(session, provider_id, today):
    """The provider's services whose data have not been confirmed in six months."""
    return [s for s in services_of(session, provider_id) if needs_assurance(s, today)]


def assure_service(session, service, *, actor, today, expected_version=None):
    """The provider confirms its service's entry is current: the assured date
    (HSDS assured_date) becomes today. Returns True when it changed."""
    if actor is None or actor.role != Role.PROVIDER or service.provider_id != actor.provider_id:
        raise NotAllowed()
    check_version(service, expected_version)
    old = service.assured_date
    if old == today:
        return False
    service.assured_date = today
    session.flush()
    record("assure", service, actor=actor, summary=f"service {service.id} confirmed current by its provider",
           changes={"assured_date": [old.isoformat() if old else None, today.isoformat()]})
    versions.bump(session, versions.CATALOGUE)  # the public page shows the date
    return True


# --- the reminder e-mail ---------------------------------------------------------------------

@dataclass
class Due:
    provider: Provider
    services: list
    accounts: list


def reminder_accounts(session, provider_id):
    """The active accounts of the provider with a usable e-mail address."""
    users = session.scalars(select(User).where(User.provider_id == provider_id, User.role == Role.PROVIDER,
                                               User.active.is_(True))).all()
    return sorted((u for u in users if is_email(u.email or "")), key=lambda u: u.username)


def due_reminders(session, *, moment, today):
    """The providers to remind now: an active provider with a service waiting
    for confirmation, an account to write to, and no reminder in the last
    REMINDER_DAYS days."""
    cutoff = assured_before(today)
    provider_ids = set(session.scalars(
        select(Service.provider_id).join(Provider, Provider.id == Service.provider_id)
        .where(Provider.status == "active", Service.status.in_(LIVE_STATUSES),
               or_(Service.assured_date.is_(None), Service.assured_date < cutoff))))
    if not provider_ids:
        return []
    recent = set(session.scalars(select(AssuranceReminder.provider_id).where(
        AssuranceReminder.provider_id.in_(provider_ids),
        AssuranceReminder.sent_at > moment - timedelta(days=REMINDER_DAYS))))
    due = []
    for provider_id in sorted(provider_ids - recent):
        people = reminder_accounts(session, provider_id)
        if people:
            due.append(Due(session.get(Provider, provider_id), waiting_assurance(session, provider_id, today),
                           people))
    return due


def reminder_message(user, provider, services, url):
    message = new_message(user.email, _("Portal CUS — prosimy potwierdzić aktualność usług"))
    lines = [
        _("Dzień dobry, %(name)s,", name=user.full_name),
        "",
        ngettext("dane %(num)s usługi organizacji %(provider)s w katalogu usług nie były potwierdzane "
                 "od ponad sześciu miesięcy:",
                 "dane %(num)s usług organizacji %(provider)s w katalogu usług nie były potwierdzane "
                 "od ponad sześciu miesięcy:", len(services), provider=provider.name),
        "",
    ]
    for service in services:
        when = (_("ostatnio potwierdzono %(date)s", date=format_date_long(service.assured_date))
                if service.assured_date else _("jeszcze nie potwierdzono"))
        lines.append(f"- {service.name} ({when})")
    lines += ["", _("Sprawdź je i potwierdź, że są aktualne, albo zaproponuj zmiany:"), url]
    message.set_content("\n".join(lines) + "\n")
    return message


def send_reminder(session, due, *, moment, url):
    """E-mail each account of the provider; remember the reminder when at
    least one message went (else it is tried again on the next run).
    Returns how many went."""
    sent = 0
    for user in due.accounts:
        try:
            send(reminder_message(user, due.provider, due.services, url), what="assurance reminder")
            sent += 1
        except MailError:
            continue
    if not sent:
        return 0
    row = session.get(AssuranceReminder, due.provider.id)
    if row is None:
        row = AssuranceReminder(provider_id=due.provider.id, sent_at=moment)
        session.add(row)
    row.sent_at, row.services, row.recipients = moment, len(due.services), sent
    session.flush()
    record("assurance_reminder", due.provider, actor=None,
           summary=f"reminder to confirm {len(due.services)} service(s) e-mailed to {sent} account(s)")
    return sent


# --- the provider's accounts (the services organiser's page) ---------------------------------

def accounts_of(session, provider):
    users = session.scalars(select(User).where(User.provider_id == provider.id)).all()
    return sorted(users, key=lambda u: (not u.active, polish_sort_key(u.full_name), u.username))


def invite_account(session, provider, data, *, actor):
    """A new account of the provider's staff, without a password: the
    set-password link follows (accounts.issue_link)."""
    if provider.status != "active":
        raise DataError("username", _l("Zarchiwizowany realizator nie dostaje nowych kont."))
    username = (data.get("username") or "").strip().lower()
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise DataError("username", _l("Ten login jest już zajęty."))
    try:
        user = create_user(username, (data.get("full_name") or "").strip(), Role.PROVIDER, None,
                           email=(data.get("email") or "").strip() or None, actor=actor, provider_id=provider.id)
    except AccountError as error:  # a race with another organiser
        raise DataError("username", _l("Ten login jest już zajęty.")) from error
    record("provider_account", provider, actor=actor, summary=f"account {user.username} made for the provider")
    return user


def account_of(session, provider, user_id):
    """The provider's account `user_id`, or None (another's, or a staff account)."""
    user = session.get(User, user_id)
    if user is None or user.role != Role.PROVIDER or user.provider_id != provider.id:
        return None
    return user


def disable_account(session, provider, user, *, actor):
    if user.provider_id != provider.id or user.role != Role.PROVIDER:
        raise NotAllowed()
    return accounts.disable_account(session, user, actor=actor)
