"""Providers' applications: sending, correcting through a one-time link, and
the organiser's review (accept, ask for more, decline).

Every function takes the session and the actor (None: the applicant, who
has no account), validates, changes, records the audit event and never
commits; refusals are core.errors. The applicant's contact data stay out of
the audit summaries (the application's id names it).
"""
import hashlib
import re
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from .. import validation
from ..accounts import services as accounts
from ..audit.services import record
from ..auth.models import Role, User
from ..auth.services import create_user
from ..catalogue.models import ACCESSIBILITY, Provider
from ..core.errors import DataError, Frozen, check_version
from ..core.models import free_name
from ..core.validators import MESSAGES
from ..manage import services as catalogue
from ..text import fold
from ..timeutil import now
from .models import APPLYING_TYPES, KRS_REQUIRED, MAX_SERVICES, NO_REGISTRATION, OPEN, WAITING, ProviderApplication

# How long the applicant's correction link works.
LINK_DAYS = 14

FIELDS = ("name", "legal_form", "provider_type", "nip", "regon", "krs", "address_1", "postal_code", "city",
          "website", "contact_name", "contact_email", "contact_phone", "experience", "proposed_services",
          "premises", "accessibility", "staff_count", "staff_qualifications")
SERVICE_FIELDS = ("name", "description", "target_group", "area")

LIMITS = {"name": 250, "legal_form": 200, "address_1": 200, "city": 120, "website": 300, "contact_name": 200,
          "contact_email": 254, "experience": 5000, "premises": 5000, "staff_qualifications": 5000}
SERVICE_LIMITS = {"name": 200, "description": 2000, "target_group": 300, "area": 300}

# Filters of the queue: {code: (label, statuses)}.
STATES = {
    "waiting": (_l("czekają na rozpatrzenie"), WAITING),
    "more_info": (_l("czekają na uzupełnienie"), ("more_info",)),
    "accepted": (_l("przyjęte"), ("accepted",)),
    "declined": (_l("odrzucone"), ("declined",)),
    "all": (_l("wszystkie"), None),
}
STATE_LABELS = {code: label for code, (label, _statuses) in STATES.items()}


def _text(value):
    return value.strip() if isinstance(value, str) and value.strip() else None


def _identifier(value, check, field):
    try:
        return check(value)
    except validation.ValidationError as error:
        raise DataError(field, MESSAGES[error.code]) from None


def clean(data):
    """The application's fields from `data`, checked and normalised; raises
    DataError at the first field that is wrong."""
    values = {name: _text(data.get(name)) for name in FIELDS
              if name not in ("proposed_services", "accessibility", "staff_count")}
    for name, limit in LIMITS.items():
        if values.get(name) and len(values[name]) > limit:
            raise DataError(name, _l("Wpisz najwyżej %(max)d znaków.", max=limit))
    if not values["name"]:
        raise DataError("name", _l("Podaj nazwę organizacji."))
    kind = values["provider_type"]
    if kind not in APPLYING_TYPES:
        raise DataError("provider_type", _l("Wybierz rodzaj organizacji z listy."))
    registered = kind not in NO_REGISTRATION
    for name, check, missing in (
            ("nip", validation.validate_nip, _l("Podaj NIP organizacji.")),
            ("regon", validation.validate_regon, _l("Podaj REGON organizacji.")),
            ("krs", validation.validate_krs, _l("Podaj numer KRS: ta forma organizacji jest wpisana do KRS."))):
        if values[name]:
            values[name] = _identifier(values[name], check, name)
        elif registered and (name != "krs" or kind in KRS_REQUIRED):
            raise DataError(name, missing)
    if not values["address_1"]:
        raise DataError("address_1", _l("Podaj ulicę i numer albo miejscowość i numer domu."))
    if not values["postal_code"]:
        raise DataError("postal_code", _l("Podaj kod pocztowy."))
    values["postal_code"] = _identifier(values["postal_code"], validation.validate_postal_code, "postal_code")
    if not values["city"]:
        raise DataError("city", _l("Podaj miejscowość."))
    if not values["contact_name"]:
        raise DataError("contact_name", _l("Podaj imię i nazwisko osoby do kontaktu."))
    if not values["contact_email"]:
        raise DataError("contact_email", _l("Podaj e-mail osoby do kontaktu: na ten adres odpowiemy."))
    if not validation.is_email(values["contact_email"]):
        raise DataError("contact_email", _l("Podaj poprawny adres e-mail, np. jan.kowalski@poczta.pl."))
    if values["contact_phone"]:
        values["contact_phone"] = _identifier(values["contact_phone"], validation.normalise_phone, "contact_phone")
    if not values["experience"]:
        raise DataError("experience", _l("Opisz doświadczenie organizacji."))
    values["proposed_services"] = _services(data.get("proposed_services") or [])
    codes = list(data.get("accessibility") or [])
    if any(code not in ACCESSIBILITY for code in codes):
        raise DataError("accessibility", _l("Zaznacz pozycje z listy."))
    values["accessibility"] = codes
    staff = data.get("staff_count")
    if staff is not None and not (isinstance(staff, int) and 0 <= staff <= 10000):
        raise DataError("staff_count", _l("Podaj liczbę osób od 0 do 10 000."))
    values["staff_count"] = staff
    return values


def _services(rows):
    services = []
    for row in rows:
        service = {name: _text(row.get(name)) for name in SERVICE_FIELDS}
        if not any(service.values()):
            continue
        if not service["name"]:
            raise DataError("proposed_services", _l("Podaj nazwę każdej proponowanej usługi."))
        for name, limit in SERVICE_LIMITS.items():
            if service[name] and len(service[name]) > limit:
                raise DataError("proposed_services", _l("Wpisz najwyżej %(max)d znaków.", max=limit))
        services.append(service)
    if not services:
        raise DataError("proposed_services", _l("Opisz co najmniej jedną usługę, którą chcesz prowadzić."))
    if len(services) > MAX_SERVICES:
        raise DataError("proposed_services",
                        _l("Za dużo wierszy usług: można opisać najwyżej %(max)d.", max=MAX_SERVICES))
    return services


def _apply(application, values):
    for name, value in values.items():
        setattr(application, name, value)


# --- the applicant ----------------------------------------------------------------------

def submit(session, data):
    """A new application from the public form (no actor: the applicant has no account)."""
    values = clean(data)
    moment = now()
    application = ProviderApplication(status="new", received_at=moment, sent_at=moment)
    _apply(application, values)
    session.add(application)
    session.flush()
    record("create", application, actor=None, session=session,
           summary=f"provider application {application.id} received ({application.provider_type})")
    return application


def _hash(token):
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def by_link(session, token, *, moment=None):
    """The application waiting for the correction behind `token`, or None
    (never issued, used, replaced by a newer link, expired, or decided)."""
    if not token or len(token) > 100:
        return None
    application = session.scalar(select(ProviderApplication).where(ProviderApplication.link_hash == _hash(token)))
    if application is None or application.status != "more_info":
        return None
    if application.link_expires_at is None or application.link_expires_at <= (moment or now()):
        return None
    return application


def correct(session, application, data):
    """The applicant's corrected application (through the one-time link): it
    goes back to the queue as updated and the link stops working."""
    if application.status != "more_info":
        raise Frozen(_l("To zgłoszenie nie czeka już na uzupełnienie."))
    values = clean(data)
    _apply(application, values)
    application.status = "updated"
    application.sent_at = now()
    application.link_hash = None
    application.link_expires_at = None
    session.flush()
    record("update", application, actor=None, session=session,
           summary=f"provider application {application.id} completed by the applicant",
           changes={"status": ["more_info", "updated"]})
    return application


# --- the queue ---------------------------------------------------------------------------

def listing(session, state):
    """The applications in a queue state, the oldest sent first."""
    statuses = STATES.get(state, STATES["waiting"])[1]
    query = select(ProviderApplication).order_by(ProviderApplication.sent_at, ProviderApplication.id)
    if statuses is not None:
        query = query.where(ProviderApplication.status.in_(statuses))
    return session.scalars(query).all()


def counts(session):
    """{state code: how many} for the queue's filter."""
    by_status = dict(session.execute(
        select(ProviderApplication.status, func.count()).group_by(ProviderApplication.status)).all())
    return {code: sum(n for status, n in by_status.items() if statuses is None or status in statuses)
            for code, (_label, statuses) in STATES.items()}


def waiting_count(session):
    return session.scalar(select(func.count()).select_from(ProviderApplication)
                          .where(ProviderApplication.status.in_(WAITING)))


def viewed(session, application, *, actor):
    """The organiser (or the director) read the application: its contact person's data included."""
    record("view", application, actor=actor, session=session, summary=f"provider application {application.id} viewed")


def matching_providers(session, application):
    """Providers already in the catalogue with the same NIP, REGON or KRS."""
    checks = [getattr(Provider, name) == getattr(application, name)
              for name in ("nip", "regon", "krs") if getattr(application, name)]
    if not checks:
        return []
    return session.scalars(select(Provider).where(or_(*checks)).order_by(Provider.name)).all()


# --- decisions ---------------------------------------------------------------------------

def _check_open(application, expected_version):
    check_version(application, expected_version, required=True)
    if application.status not in OPEN:
        raise Frozen(_l("To zgłoszenie jest już rozpatrzone."))


def _message(message, required_message):
    text = _text(message)
    if not text:
        raise DataError("message", required_message)
    if len(text) > 5000:
        raise DataError("message", _l("Wpisz najwyżej %(max)d znaków.", max=5000))
    return text


def ask_for_more(session, application, message, *, actor, expected_version, moment=None):
    """The applicant is asked to complete or correct the application: a new
    one-time link (earlier ones stop working). Returns the token, for the
    e-mail only."""
    _check_open(application, expected_version)
    text = _message(message, _l("Napisz, co trzeba uzupełnić lub poprawić."))
    moment = moment or now()
    token = secrets.token_urlsafe(32)
    old = application.status
    application.status = "more_info"
    application.message = text
    application.link_hash = _hash(token)
    application.link_expires_at = moment + timedelta(days=LINK_DAYS)
    session.flush()
    record("ask_more", application, actor=actor, session=session,
           summary=f"provider application {application.id}: more information asked, link valid {LINK_DAYS} days",
           changes={"status": [old, "more_info"]})
    return token


def decline(session, application, message, *, actor, expected_version, moment=None):
    _check_open(application, expected_version)
    text = _message(message, _l("Napisz, dlaczego zgłoszenie nie zostało przyjęte."))
    old = application.status
    application.status = "declined"
    application.message = text
    application.decided_at = moment or now()
    application.decided_by_id = actor.id
    application.link_hash = application.link_expires_at = None
    session.flush()
    record("decline", application, actor=actor, session=session,
           summary=f"provider application {application.id} declined", changes={"status": [old, "declined"]})
    return application


def _username(session, application):
    """A login from the contact's e-mail ('a.nowak@kgw.pl' -> 'a.nowak'), -2, -3… when taken."""
    local = application.contact_email.split("@", 1)[0]
    base = ".".join(fold(part).replace(" ", "") for part in local.split("."))
    base = re.sub(r"[^a-z0-9._-]+", "", base).strip("._-")[:50]
    if len(base) < 2:
        base = f"realizator.{base}".strip(".")
    return free_name(base, set(session.scalars(select(User.username).where(User.username.like(f"{base}%")))))


def accept(session, application, *, actor, expected_version, message=None, moment=None):
    """The organisation becomes a provider in the catalogue, and its contact
    person gets the first account of the provider (no password yet: a
    set-password link). Returns (provider, user, token, link)."""
    _check_open(application, expected_version)
    text = _text(message)
    if text and len(text) > 5000:
        raise DataError("message", _l("Wpisz najwyżej %(max)d znaków.", max=5000))
    same = matching_providers(session, application)
    if same:
        raise DataError("message", _l("W katalogu jest już realizator o tym NIP, REGON lub KRS: %(name)s. "
                                      "Poproś o wyjaśnienie albo odrzuć zgłoszenie.", name=same[0].name))
    moment = moment or now()
    description = "\n".join(f"{service['name']}" + (f": {service['description']}" if service.get("description")
                                                        else "")
                            for service in application.proposed_services or [])
    provider = catalogue.create_provider({
        "name": application.name, "provider_type": application.provider_type, "description": description or None,
        "nip": application.nip, "regon": application.regon, "krs": application.krs,
        "email": application.contact_email, "phone": application.contact_phone, "website": application.website,
        "address_1": application.address_1, "postal_code": application.postal_code, "city": application.city,
    }, actor=actor, reason=f"provider application {application.id}")
    user = create_user(_username(session, application), application.contact_name, Role.PROVIDER, None,
                       email=application.contact_email, actor=actor, provider_id=provider.id)
    token, link = accounts.issue_link(session, user, actor=actor, moment=moment)
    old = application.status
    application.status = "accepted"
    application.message = text
    application.decided_at = moment
    application.decided_by_id = actor.id
    application.provider_id = provider.id
    application.account_id = user.id
    application.link_hash = application.link_expires_at = None
    session.flush()
    record("accept", application, actor=actor, session=session,
           summary=f"provider application {application.id} accepted: provider {provider.id}, account {user.username}",
           changes={"status": [old, "accepted"]})
    return provider, user, token, link
