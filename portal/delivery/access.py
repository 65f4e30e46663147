"""The provider accounts' scope in the delivery register (issue 15 §1), in one
place: a provider's account (Role.PROVIDER) works only on the services whose
provider is its own organisation — their sessions, attendance and entries —
and sees only the people who have a plan item or a grant with those services.
The centre's staff are not scoped here (their roles are checked by the
views' decorators and by entries.own_commitments).

Another provider's service, session or entry answers 404, as a record that
does not exist: a provider does not learn what the other providers run.
"""
from flask import abort
from sqlalchemy import select

from ..auth.models import Role
from ..catalogue.models import Service


def provider_of(user):
    """The organisation a provider's account works for; None for the centre's
    staff (and for anyone not signed in)."""
    if getattr(user, "is_authenticated", False) and getattr(user, "role", None) == Role.PROVIDER:
        # A provider account always names its organisation (auth.services.create_user);
        # 0 matches no provider should one ever lack it.
        return user.provider_id or 0
    return None


def is_provider(user):
    return provider_of(user) is not None


def owns_service(user, service):
    """True for the centre's staff; for a provider, whether the service is its own."""
    provider_id = provider_of(user)
    return provider_id is None or (service is not None and service.provider_id == provider_id)


def own_services(user, services):
    """`services` as the user may work on them: a provider's own only."""
    return [s for s in services if owns_service(user, s)]


def own_service_ids(session, user):
    """The ids of the provider's services; None for the centre's staff (no limit)."""
    provider_id = provider_of(user)
    if provider_id is None:
        return None
    return set(session.scalars(select(Service.id).where(Service.provider_id == provider_id)))


def of_own_services(session, user, found):
    """The commitments (or anything with a service_id) of `found` on the
    provider's own services; all of them for the centre's staff."""
    ids = own_service_ids(session, user)
    if ids is None:
        return list(found)
    return [c for c in found if c.service_id in ids]


def provider_choices(user, providers):
    """The providers a delivery record may name: a provider's account names its own organisation only."""
    provider_id = provider_of(user)
    if provider_id is None:
        return providers
    return [p for p in providers if p.id == provider_id]


def check_service(user, service):
    """404 for a service that is not the provider's own; the service otherwise."""
    if not owns_service(user, service):
        abort(404)
    return service


def check_record(user, record):
    """404 for a session or an entry of another provider's service."""
    if record is None or not owns_service(user, record.service):
        abort(404)
    return record
