"""Proposals of providers: submit, revise, withdraw (the provider); accept and
return (the services organiser). Operations take the session and the actor,
never commit, raise core.errors and audit every change.

Accepting goes through the catalogue management's own operations
(`manage.services.update_service` / `create_service`): the same validation,
audit trail, catalogue version bump and history as the organiser's own edit,
with the proposal's base version as the expected version of the service.
"""
from datetime import date, time
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..audit.services import record
from ..catalogue.models import Service
from ..core.errors import DataError, NotAllowed, TransitionError, VersionConflict, check_version
from ..manage import services as catalogue
from ..text import polish_sort_key
from ..timeutil import now
from .models import OPEN_STATES, Proposal

# What a provider may not propose: whose service it is, its address, how the
# centre classifies and records it, what the centre has granted, the yearly
# indicators and the date the centre checked the entry with the provider.
LOCKED_FIELDS = frozenset({"provider_id", "slug", "origin", "delivery_mode", "capacity_granted", "indicators",
                           "assured_date"})
PROPOSED_FIELDS = tuple(name for name in catalogue.SERVICE_FIELDS if name not in LOCKED_FIELDS) + (
    "areas", "target_groups", "place_ids") + tuple(key for key in catalogue.ROW_FIELDS if key not in LOCKED_FIELDS)

MESSAGE_MAX = 5000

# --- the data as JSON ------------------------------------------------------------

DATE_FIELDS = {"valid_from", "valid_to", "assured_date"}
MONEY_FIELDS = {"fee_amount"}
ROW_DATES = {"schedule_rules": {"valid_from", "valid_to"}, "closures": {"starts_on", "ends_on"}}
ROW_TIMES = {"schedule_rules": {"opens", "closes"}}
ROW_MONEY = {"discounts": {"amount"}}


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _date(text):
    return date.fromisoformat(text) if text else None


def _money(text):
    try:
        return Decimal(text) if text not in (None, "") else None
    except (InvalidOperation, TypeError):
        return None


def _time(text):
    return time.fromisoformat(text) if text else None


def to_json(data):
    """The proposed fields of a service's data dict, JSON-safe."""
    stored = {}
    for name in PROPOSED_FIELDS:
        value = data.get(name)
        if name in catalogue.ROW_FIELDS:
            stored[name] = [{key: _plain(item) for key, item in row.items()} for row in value or []]
        elif isinstance(value, list):
            stored[name] = list(value)
        else:
            stored[name] = _plain(value)
    return stored


def from_json(stored):
    """The stored proposal as a service's data dict (dates, amounts, times)."""
    data = dict(stored)
    for name in DATE_FIELDS & data.keys():
        data[name] = _date(data[name])
    for name in MONEY_FIELDS & data.keys():
        data[name] = _money(data[name])
    for key in catalogue.ROW_FIELDS.keys() & data.keys():
        rows = []
        for row in data[key] or []:
            row = dict(row)
            for name in ROW_DATES.get(key, ()):
                row[name] = _date(row.get(name))
            for name in ROW_TIMES.get(key, ()):
                row[name] = _time(row.get(name))
            for name in ROW_MONEY.get(key, ()):
                row[name] = _money(row.get(name))
            rows.append(row)
        data[key] = rows
    return data


# --- what a proposal would make of the service ----------------------------------------

# The data's keys that the audit trail's words name otherwise.
DESCRIBED = {"provider_id": "provider", "place_ids": "places"}


def described_key(name):
    return DESCRIBED.get(name, name)


def changes_of(proposal):
    """{field: proposed value} of what the proposal changes: for a change, the
    fields where the provider's data differs from the service's at the base
    version (compared in the trail's words: "" and None, 12.5 and 12.50 are
    the same); for a new service, every field."""
    data = from_json(proposal.data)
    if proposal.base is None:
        return data
    said = catalogue.describe_service_data(data)
    was = catalogue.describe_service_data(from_json(proposal.base))
    return {name: data[name] for name in PROPOSED_FIELDS
            if said.get(described_key(name)) != was.get(described_key(name))}


def base_data(proposal):
    """The service's data the proposal is applied to: the service as it is
    now, or an empty service of the provider."""
    if proposal.service is not None:
        data = catalogue.service_data(proposal.service)
    else:
        data = catalogue.service_defaults()
        data["provider_id"] = proposal.provider_id
    return data


def proposed_data(proposal):
    """The service's data after acceptance: the service as it is now with the
    proposal's changes; what the provider did not change (nor may set: the
    address, the classification, the indicators…) stays as it is."""
    data = base_data(proposal)
    data.update(changes_of(proposal))
    return data


def merged(service, data):
    """A provider's form `data` over the service as it is now (for the conflict table)."""
    values = catalogue.service_data(service)
    values.update({name: data[name] for name in PROPOSED_FIELDS if name in data})
    return values


def comparison(proposal):
    """[(key, before, proposed)] over every field the provider may propose,
    in the form's order, as the audit trail words them (names, not ids).
    While the proposal is in hand: the service now beside what accepting
    would make of it. Once accepted or withdrawn: the service as the
    provider found it beside what it proposed. `before` is None throughout
    for a new service."""
    keys = [described_key(name) for name in PROPOSED_FIELDS]
    if proposal.is_open:
        proposed = catalogue.describe_service_data(proposed_data(proposal))
        current = catalogue.describe_service_data(base_data(proposal)) if proposal.service is not None else {}
    elif proposal.base is None:
        proposed, current = catalogue.describe_service_data(from_json(proposal.data)), {}
    else:
        base = from_json(proposal.base)
        current = catalogue.describe_service_data(base)
        proposed = catalogue.describe_service_data({**base, **changes_of(proposal)})
    return [(key, current.get(key), proposed.get(key)) for key in keys]


def conflicts(proposal):
    """[(field, saved now, proposed)]: where the saved service differs from
    what accepting would make of it (the conflict screen's rows)."""
    return catalogue.service_conflicts(proposal.service, proposed_data(proposal))


# --- reading -------------------------------------------------------------------------

def own_services(session, provider_id):
    """The provider's services that are not archived, in Polish order."""
    rows = session.scalars(select(Service).where(Service.provider_id == provider_id,
                                                 Service.status != "archived")).all()
    return sorted(rows, key=lambda service: polish_sort_key(service.name))


def provider_proposals(session, provider_id):
    return session.scalars(select(Proposal).where(Proposal.provider_id == provider_id)
                           .order_by(Proposal.submitted_at.desc(), Proposal.id.desc())).all()


def open_proposal(session, service):
    """The service's proposal still in hand (waiting or returned), if any."""
    return session.scalar(select(Proposal).where(Proposal.service_id == service.id,
                                                 Proposal.state.in_(OPEN_STATES)).limit(1))


def waiting(session):
    """The proposals waiting for the organiser, the oldest first."""
    return session.scalars(select(Proposal).where(Proposal.state == "submitted")
                           .order_by(Proposal.submitted_at, Proposal.id)).all()


def decided(session, limit=30):
    return session.scalars(select(Proposal).where(Proposal.state != "submitted")
                           .order_by(Proposal.updated_at.desc(), Proposal.id.desc()).limit(limit)).all()


def waiting_count(session):
    return session.scalar(select(func.count()).select_from(Proposal).where(Proposal.state == "submitted"))


def is_own(user, record):
    """A provider account sees its own organisation's services and proposals only."""
    return user.provider_id is not None and record.provider_id == user.provider_id


# --- the provider ----------------------------------------------------------------------

def _check_own(actor, record):
    if not is_own(actor, record):
        raise NotAllowed()


def _check_name(data):
    """What the catalogue checks beyond the form, checked when proposing too
    (so that accepting rarely meets it): a name, keywords of a sensible length."""
    if not (data.get("name") or "").strip():
        raise DataError("name", _l("Podaj nazwę usługi."))
    catalogue.normalise_keywords(data.get("keywords"))


def propose_change(session, service, data, *, actor, base_version):
    """A change to one of the provider's services, starting from the
    service's version `base_version` (the one the form showed): a service
    changed since raises VersionConflict (the provider's conflict screen)."""
    _check_own(actor, service)
    if service.status == "archived":
        raise TransitionError(_l("Usługa jest zarchiwizowana; nie można proponować jej zmian."))
    if open_proposal(session, service) is not None:
        raise TransitionError(_l("Ta usługa ma już propozycję zmian, która czeka na decyzję."))
    _check_name(data)
    if base_version != service.version:
        raise VersionConflict(service)
    proposal = Proposal(provider_id=service.provider_id, service=service, kind="change",
                        base_version=service.version, base=to_json(catalogue.service_data(service)),
                        data=to_json(data), state="submitted", submitted_at=now(),
                        created_by_id=actor.id, updated_by_id=actor.id)
    session.add(proposal)
    session.flush()
    record("create", proposal, actor=actor, session=session,
           summary=f"change proposed to service {service.id} from version {proposal.base_version}",
           changes=_changed_fields(proposal))
    return proposal


def propose_new(session, data, *, actor):
    if actor.provider_id is None:
        raise NotAllowed()
    _check_name(data)
    proposal = Proposal(provider_id=actor.provider_id, kind="new", data=to_json(data), state="submitted",
                        submitted_at=now(), created_by_id=actor.id, updated_by_id=actor.id)
    session.add(proposal)
    session.flush()
    record("create", proposal, actor=actor, session=session, summary="new service proposed",
           changes=_changed_fields(proposal))
    return proposal


def revise(session, proposal, data, *, actor, expected_version, base_version=None):
    """The provider's new version of a proposal still in hand: submitted
    again (a returned one goes back to the queue). `base_version`: the
    service's version the revising form showed (drawn over the service as it
    was then); a service changed since raises VersionConflict."""
    _check_own(actor, proposal)
    check_version(proposal, expected_version, required=True)
    if not proposal.is_open:
        raise TransitionError(from_status=proposal.state, to_status="submitted")
    _check_name(data)
    service = proposal.service
    if service is not None and base_version != service.version:
        raise VersionConflict(service)
    old_state = proposal.state
    proposal.data = to_json(data)
    if service is not None:
        proposal.base_version = service.version
        proposal.base = to_json(catalogue.service_data(service))
    proposal.state = "submitted"
    proposal.submitted_at = now()
    proposal.updated_by_id = actor.id
    session.flush()
    record("update", proposal, actor=actor, session=session,
           summary=f"proposal revised ({old_state} -> submitted)",
           changes={"state": [old_state, "submitted"], **_changed_fields(proposal)})
    return proposal


def withdraw(session, proposal, *, actor, expected_version):
    _check_own(actor, proposal)
    check_version(proposal, expected_version, required=True)
    if not proposal.is_open:
        raise TransitionError(from_status=proposal.state, to_status="withdrawn")
    old_state = proposal.state
    proposal.state = "withdrawn"
    proposal.updated_by_id = actor.id
    session.flush()
    record("status", proposal, actor=actor, session=session, summary="proposal withdrawn",
           changes={"state": [old_state, "withdrawn"]})
    return proposal


def _changed_fields(proposal):
    """{field: [now, proposed]} of the fields the proposal changes, for the audit trail."""
    return {key: [current, proposed] for key, current, proposed in comparison(proposal) if current != proposed}


# --- the organiser ----------------------------------------------------------------------

def send_back(session, proposal, message, *, actor, expected_version):
    """Return a waiting proposal to its provider with a message."""
    check_version(proposal, expected_version, required=True)
    if proposal.state != "submitted":
        raise TransitionError(from_status=proposal.state, to_status="returned")
    message = (message or "").strip()
    if not message:
        raise DataError("message", _l("Napisz realizatorowi, co trzeba poprawić."))
    if len(message) > MESSAGE_MAX:
        raise DataError("message", _l("Wiadomość może mieć najwyżej %(max)s znaków.", max=MESSAGE_MAX))
    proposal.state = "returned"
    proposal.message = message
    proposal.decided_at = now()
    proposal.decided_by_id = actor.id
    proposal.updated_by_id = actor.id
    session.flush()
    record("status", proposal, actor=actor, session=session, summary="proposal returned to the provider",
           changes={"state": ["submitted", "returned"]}, reason=message)
    return proposal


def accept(session, proposal, *, actor, expected_version, service_version):
    """Apply a waiting proposal to the catalogue. `expected_version` is the
    proposal's version the page showed; `service_version` the service's
    version to expect (the proposal's base version, or — after the conflict
    screen — the version the organiser has seen): a service changed since
    raises VersionConflict and nothing changes."""
    check_version(proposal, expected_version, required=True)
    if proposal.state != "submitted":
        raise TransitionError(from_status=proposal.state, to_status="accepted")
    data = proposed_data(proposal)
    changes = _changed_fields(proposal)
    if proposal.service is not None:
        service = catalogue.update_service(proposal.service, data, actor=actor, expected_version=service_version)
    else:
        service = catalogue.create_service(data, actor=actor, reason=f"proposal {proposal.id}")
        proposal.service = service
    proposal.state = "accepted"
    proposal.decided_at = now()
    proposal.decided_by_id = actor.id
    proposal.updated_by_id = actor.id
    session.flush()
    record("status", proposal, actor=actor, session=session,
           summary=f"proposal accepted into service {service.id}",
           changes={"state": ["submitted", "accepted"], **changes})
    return proposal
