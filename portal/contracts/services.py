"""The operations on contracts (imported as `contracts`): they take an
explicit `session` and `actor`, validate, change, write the audit trail and
never commit (CONTRIBUTING.md).

The rules (tests/contracts/test_contracts_services.py holds each):
- A contract has a number, a provider, a mode, a period (the end not before
  the start), an amount of at least 0 zł and one or more services, each of
  that provider, once, with a volume above 0 in the service's unit and,
  when the contract says it, the part of the amount for that service (the
  parts add up to no more than the contract's amount, as amended too).
- The simplified mode (art. 19a of the act on public-benefit activity) is
  for at most 10 000 zł and at most 90 days; a direct award to a social
  cooperative is for a social-economy provider only. The limits hold for
  the terms as amended too.
- An amendment sets a new end, amount or volumes (at least one of them) from
  the day it was signed, which falls within the contract's period; a
  terminated contract is not amended.
- Terminating (rozwiązanie) is irreversible: a day within the period and a
  reason.
"""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from ..audit.services import record
from ..catalogue.models import Provider, Service
from ..core.errors import DataError, TransitionError, check_version
from ..plans.scans import store_checked
from ..timeutil import now
from .models import MODES, Contract, ContractAmendment, ContractAmendmentVolume, ContractService

FIELDS = ("number", "provider_id", "mode", "reference", "reference_date", "starts_on", "ends_on", "amount", "notes")
SIMPLIFIED_MAX_AMOUNT = Decimal("10000")
SIMPLIFIED_MAX_DAYS = 90
SOCIAL_COOPERATIVE_TYPES = ("social_economy",)


def contract_data(contract):
    """The contract's own terms as the form holds them (lines as [(service id, volume, amount or None)])."""
    data = {key: getattr(contract, key) for key in FIELDS}
    data["lines"] = [(line.service_id, line.volume, line.amount) for line in contract.lines]
    return data


def line_of(item):
    """A line of the data as (service id, volume, amount or None): the amount may be left out."""
    service_id, volume, *rest = item
    return service_id, volume, (rest[0] if rest else None)


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [[_plain(v) for v in line_of(item)] for item in value]
    return value


def _check_limits(mode, provider, starts_on, ends_on, amount, *, end_field="ends_on", amount_field="amount"):
    if mode == "simplified":
        if amount > SIMPLIFIED_MAX_AMOUNT:
            raise DataError(amount_field, _l("W trybie uproszczonym (art. 19a) kwota może wynosić najwyżej "
                                             "10 000,00 zł."))
        if (ends_on - starts_on).days + 1 > SIMPLIFIED_MAX_DAYS:
            raise DataError(end_field, _l("W trybie uproszczonym (art. 19a) zadanie może trwać najwyżej 90 dni."))
    if mode == "social_cooperative" and provider.provider_type not in SOCIAL_COOPERATIVE_TYPES:
        raise DataError("provider_id", _l("Zlecenie spółdzielni socjalnej można udzielić tylko spółdzielni socjalnej "
                                          "lub innemu podmiotowi ekonomii społecznej."))


def _check(session, data, contract=None):
    number = (data.get("number") or "").strip()
    if not number:
        raise DataError("number", _l("Podaj numer umowy."))
    provider = session.get(Provider, data.get("provider_id")) if data.get("provider_id") else None
    if provider is None:
        raise DataError("provider_id", _l("Wybierz realizatora z listy."))
    if data.get("mode") not in MODES:
        raise DataError("mode", _l("Wybierz tryb zlecenia."))
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on is None:
        raise DataError("starts_on", _l("Podaj początek okresu umowy."))
    if ends_on is None:
        raise DataError("ends_on", _l("Podaj koniec okresu umowy."))
    if ends_on < starts_on:
        raise DataError("ends_on", _l("Umowa nie może kończyć się przed swoim początkiem."))
    amount = data.get("amount")
    if amount is None:
        raise DataError("amount", _l("Podaj kwotę umowy."))
    if amount < 0:
        raise DataError("amount", _l("Kwota umowy nie może być ujemna."))
    lines = [line_of(item) for item in data.get("lines") or []]
    if not lines:
        raise DataError("lines", _l("Wybierz co najmniej jedną usługę umowy i podaj jej wolumen."))
    seen = set()
    for service_id, volume, line_amount in lines:
        service = session.get(Service, service_id) if service_id else None
        if service is None:
            raise DataError("lines", _l("Wybierz usługę z listy."))
        if service.provider_id != provider.id:
            raise DataError("lines", _l("Usługa „%(name)s” nie jest usługą tego realizatora.", name=service.name))
        if service_id in seen:
            raise DataError("lines", _l("Usługa „%(name)s” jest na liście dwa razy.", name=service.name))
        seen.add(service_id)
        if volume is None or volume <= 0:
            raise DataError("lines", _l("Podaj wolumen usługi „%(name)s” większy od zera.", name=service.name))
        if line_amount is not None and line_amount < 0:
            raise DataError("lines", _l("Kwota usługi „%(name)s” nie może być ujemna.", name=service.name))
    _check_parts(lines, amount, "lines")
    _check_limits(data["mode"], provider, starts_on, ends_on, amount)
    if contract is not None and contract.amendments:
        # The amended terms must still keep the mode's limits.
        _check_limits(data["mode"], provider, starts_on, contract.current_end, contract.current_amount)
    return provider


def _check_parts(lines, amount, field):
    """The services' amounts, where given, add up to no more than the contract's amount."""
    parts = sum((line_amount for _id, _volume, line_amount in lines if line_amount is not None), Decimal(0))
    if parts > amount:
        from flask_babel import LazyString

        from ..i18n import format_money

        # The amounts in the reader's format, when the message is shown.
        raise DataError(field, _l("Kwoty usług (razem %(parts)s) przekraczają kwotę umowy (%(amount)s).",
                                  parts=LazyString(format_money, parts), amount=LazyString(format_money, amount)))


def _set(contract, data):
    for key in FIELDS:
        value = data.get(key)
        if isinstance(value, str):
            value = value.strip() or None
        setattr(contract, key, value)
    contract.number = data["number"].strip()
    wanted = {service_id: (volume, amount) for service_id, volume, amount in map(line_of, data["lines"])}
    for line in list(contract.lines):
        if line.service_id not in wanted:
            contract.lines.remove(line)
        elif (line.volume, line.amount) != wanted[line.service_id]:
            line.volume, line.amount = wanted[line.service_id]
    present = {line.service_id for line in contract.lines}
    for service_id, (volume, amount) in wanted.items():
        if service_id not in present:
            contract.lines.append(ContractService(service_id=service_id, volume=volume, amount=amount))


def _touch(contract):
    """An UPDATE of the contract's row (its version moves) even when none of its own columns changed."""
    contract.updated_at = now()
    flag_modified(contract, "updated_at")


def create(session, data, *, actor):
    _check(session, data)
    contract = Contract(status="active", created_by_id=getattr(actor, "id", None),
                        updated_by_id=getattr(actor, "id", None))
    _set(contract, data)
    session.add(contract)
    session.flush()
    record("contract_created", contract, actor=actor, session=session,
           summary=f"contract created ({contract.mode}, {len(contract.lines)} services)")
    return contract


def update(session, contract, data, *, actor, expected_version):
    check_version(contract, expected_version)
    if contract.status == "terminated":
        raise TransitionError(_l("Rozwiązanej umowy nie można zmieniać."))
    _check(session, data, contract)
    before = contract_data(contract)
    changes = {key: [_plain(before[key]), _plain(data.get(key))] for key in (*FIELDS, "lines")
               if _comparable(before[key]) != _comparable(data.get(key))}
    with session.no_autoflush:  # one UPDATE of the contract: its version moves by one
        _set(contract, data)
        contract.updated_by_id = getattr(actor, "id", None)
        _touch(contract)  # the version moves even when only the services changed
    if changes:
        record("contract_updated", contract, actor=actor, changes=changes, session=session,
               summary="contract changed")
    return contract


def _comparable(value):
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return sorted((service_id, Decimal(volume), None if amount is None else Decimal(amount))
                      for service_id, volume, amount in map(line_of, value))
    return value


def conflicts(contract, data):
    """(field, saved value, the user's value) where they differ."""
    saved = contract_data(contract)
    return [(key, saved[key], data.get(key)) for key in (*FIELDS, "lines")
            if _comparable(saved[key]) != _comparable(data.get(key))]


def add_amendment(session, contract, data, *, actor, expected_version):
    """An amendment signed on data["signed_on"] setting a new end, amount and/or volumes
    ({service id: volume}); returns it."""
    check_version(contract, expected_version)
    if contract.status == "terminated":
        raise TransitionError(_l("Rozwiązanej umowy nie można zmieniać aneksem."))
    signed_on = data.get("signed_on")
    if signed_on is None:
        raise DataError("signed_on", _l("Podaj dzień podpisania aneksu."))
    if signed_on > contract.current_end:
        raise DataError("signed_on", _l("Aneks podpisuje się przed końcem umowy."))
    ends_on, amount = data.get("ends_on"), data.get("amount")
    volumes = {service_id: volume for service_id, volume in (data.get("volumes") or {}).items()
               if volume is not None}
    current = contract.current_volumes()
    if ends_on is None and amount is None and not volumes:
        raise DataError("ends_on", _l("Aneks musi zmieniać koniec umowy, kwotę albo wolumen co najmniej jednej "
                                      "usługi."))
    if ends_on is not None and ends_on < contract.starts_on:
        raise DataError("ends_on", _l("Umowa nie może kończyć się przed swoim początkiem."))
    if amount is not None and amount < 0:
        raise DataError("amount", _l("Kwota umowy nie może być ujemna."))
    if amount is not None:
        _check_parts([(line.service_id, line.volume, line.amount) for line in contract.lines], amount, "amount")
    for service_id, volume in volumes.items():
        if service_id not in current:
            raise DataError(f"volume_{service_id}", _l("Ta usługa nie jest objęta umową."))
        if volume <= 0:
            raise DataError(f"volume_{service_id}", _l("Podaj wolumen większy od zera."))
    _check_limits(contract.mode, contract.provider, contract.starts_on, ends_on or contract.current_end,
                  contract.current_amount if amount is None else amount)
    amendment = ContractAmendment(signed_on=signed_on, ends_on=ends_on, amount=amount,
                                  note=(data.get("note") or "").strip() or None,
                                  created_by_id=getattr(actor, "id", None))
    amendment.volumes = [ContractAmendmentVolume(service_id=service_id, volume=volume)
                         for service_id, volume in volumes.items()]
    contract.amendments.append(amendment)
    contract.updated_by_id = getattr(actor, "id", None)
    _touch(contract)  # an amendment changes the contract's terms: its version moves
    session.flush()
    changes = {}
    if ends_on is not None:
        changes["ends_on"] = [_plain(contract.ends_on), ends_on.isoformat()]
    if amount is not None:
        changes["amount"] = [None, str(amount)]
    for service_id, volume in volumes.items():
        changes[f"volume_{service_id}"] = [str(current[service_id]), str(volume)]
    record("contract_amended", contract, actor=actor, changes=changes, session=session,
           summary=f"amendment {amendment.id} signed on {signed_on.isoformat()}")
    return amendment


def terminate(session, contract, data, *, actor, expected_version):
    """End the contract early (irreversible); False when it already was."""
    check_version(contract, expected_version)
    if contract.status == "terminated":
        return False
    day, reason = data.get("terminated_on"), (data.get("reason") or "").strip()
    if day is None:
        raise DataError("terminated_on", _l("Podaj dzień rozwiązania umowy."))
    if not contract.starts_on <= day <= contract.current_end:
        raise DataError("terminated_on", _l("Dzień rozwiązania musi przypadać w okresie umowy."))
    if not reason:
        raise DataError("reason", _l("Podaj powód rozwiązania umowy."))
    contract.status, contract.terminated_on, contract.termination_reason = "terminated", day, reason[:500]
    contract.updated_by_id = getattr(actor, "id", None)
    record("contract_terminated", contract, actor=actor, session=session, reason=reason[:500],
           changes={"terminated_on": [None, day.isoformat()]}, summary="contract terminated")
    return True


def attach_scan(session, contract, data, *, actor, directory, expected_version):
    """Store the signed contract's scan; returns (stored name, the replaced name or None).
    The caller removes the stored file if the transaction does not commit, and the
    replaced one when it does."""
    check_version(contract, expected_version)
    if not data:
        raise DataError("scan", _l("Wybierz plik ze skanem podpisanej umowy."))
    stored, content_type, digest, _size = store_checked(directory, data)
    replaced = contract.scan_file
    contract.scan_file, contract.scan_type, contract.scan_sha256 = stored, content_type, digest
    contract.updated_by_id = getattr(actor, "id", None)
    record("contract_scan_attached", contract, actor=actor, session=session,
           summary=f"scan of the signed contract attached ({content_type}, sha256 {digest[:12]}…)")
    return stored, replaced


def note_scan_opened(session, contract, *, actor):
    record("contract_scan_opened", contract, actor=actor, session=session, summary="scan of the signed contract opened")


def providers(session, current_id=None):
    """The providers a contract may be made with (active, and the contract's own)."""
    from ..text import polish_sort_key

    rows = session.scalars(select(Provider).where((Provider.status == "active") | (Provider.id == current_id))).all()
    return sorted(rows, key=lambda p: polish_sort_key(p.name))


def services_of(session, provider_ids=None, current_ids=()):
    """Services a contract may name: not archived (or already on it), with their providers."""
    from ..text import polish_sort_key

    query = select(Service).where((Service.status != "archived") | (Service.id.in_(list(current_ids) or [0])))
    if provider_ids is not None:
        query = query.where(Service.provider_id.in_(list(provider_ids)))
    rows = session.scalars(query).all()
    return sorted(rows, key=lambda s: (polish_sort_key(s.provider.name), polish_sort_key(s.name)))
