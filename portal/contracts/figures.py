"""What a contract gives: per service, the contracted volume (as amended)
against what the provider delivered in the contract's period, the percent
used; the contract's state on a day; its alerts.

What counts as delivered, in the service's own unit, by the contract's
provider, from the contract's start to its end (or the day it was
terminated) — read from the delivery register (portal/delivery), the rules
of tests/contracts/test_contracts_figures.py:
- a service counted in people ("osoba"): the distinct people on record who
  attended a held session, received an entry or a consultation;
- a group service counted in meetings: the held sessions;
- a group service counted in hours: the hours its held sessions lasted
  (delivery.figures.session_hours);
- any other: as the services' use counts units — the entries' quantities,
  one per person at a held session, one per consultation (its minutes as
  hours when the unit is the hour).
Planned and cancelled sessions count nothing.

The value delivered: when the contract gives a service its part of the
amount, that part pro rata to the volume delivered (at most the whole part);
the contract's, the sum over its services when every service has a part.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..delivery.figures import session_hours
from ..delivery.models import Attendance, Consultation, DeliveryEntry, GroupSession

ENDING_WITHIN_DAYS = 60
NEARLY_USED_PERCENT = Decimal(90)

STATES = {
    "upcoming": _l("jeszcze nie obowiązuje"),
    "active": _l("obowiązuje"),
    "ending": _l("kończy się w ciągu 60 dni"),
    "ended": _l("zakończona"),
    "terminated": _l("rozwiązana"),
}
RUNNING = ("active", "ending")


def state_of(contract, today):
    if contract.status == "terminated":
        return "terminated"
    if today < contract.starts_on:
        return "upcoming"
    end = contract.effective_end
    if today > end:
        return "ended"
    if (end - today).days <= ENDING_WITHIN_DAYS:
        return "ending"
    return "active"


def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class LineFigure:
    service: object
    volume: Decimal  # as amended
    delivered: Decimal = Decimal(0)
    amount: Decimal | None = None  # the part of the contract's amount for the service, when given

    @property
    def value_delivered(self):
        """The service's amount pro rata to the volume delivered (at most the whole of it)."""
        if self.amount is None or not self.volume:
            return None
        share = min(Decimal(self.delivered) / Decimal(self.volume), Decimal(1))
        return (Decimal(self.amount) * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def percent(self):
        return percent(self.delivered, self.volume)

    @property
    def remaining(self):
        return max(self.volume - self.delivered, Decimal(0))

    @property
    def nearly_used(self):
        return self.percent is not None and self.percent >= NEARLY_USED_PERCENT


@dataclass
class ContractFigures:
    contract: object
    today: date
    lines: list = field(default_factory=list)  # [LineFigure] in the contract's order

    @property
    def state(self):
        return state_of(self.contract, self.today)

    @property
    def priced(self):
        """Whether the contract gives an amount for each of its services."""
        return bool(self.lines) and all(line.amount is not None for line in self.lines)

    @property
    def value_delivered(self):
        """The amounts of the services pro rata to what was delivered (when every service has one)."""
        if not self.priced:
            return None
        return sum((line.value_delivered for line in self.lines), Decimal(0))

    @property
    def value_percent(self):
        return percent(self.value_delivered, self.contract.current_amount) if self.priced else None

    @property
    def state_label(self):
        return STATES[self.state]

    @property
    def running(self):
        return self.state in RUNNING

    @property
    def days_left(self):
        return (self.contract.effective_end - self.today).days

    @property
    def ending_soon(self):
        return self.state == "ending"

    @property
    def nearly_used(self):
        """The running contract's services whose volume is at least 90% used."""
        return [line for line in self.lines if line.nearly_used] if self.running else []

    @property
    def alerted(self):
        return self.ending_soon or bool(self.nearly_used)


def delivered(session, provider_id, services, start, end):
    """{service id: Decimal delivered} of `services` by the provider in [start, end]."""
    ids = [s.id for s in services]
    result = {s.id: Decimal(0) for s in services}
    if not ids:
        return result
    by_id = {s.id: s for s in services}
    people = defaultdict(set)
    units = defaultdict(Decimal)
    held_sessions = defaultdict(int)
    held_hours = defaultdict(Decimal)
    for service_id, resident_id, quantity in session.execute(
            select(DeliveryEntry.service_id, DeliveryEntry.resident_id, func.sum(DeliveryEntry.quantity))
            .where(DeliveryEntry.provider_id == provider_id, DeliveryEntry.service_id.in_(ids),
                   DeliveryEntry.delivered_on.between(start, end))
            .group_by(DeliveryEntry.service_id, DeliveryEntry.resident_id)):
        people[service_id].add(resident_id)
        units[service_id] += Decimal(quantity)
    held = (GroupSession.provider_id == provider_id, GroupSession.service_id.in_(ids),
            GroupSession.status == "held", GroupSession.held_on.between(start, end))
    for service_id, resident_id, count in session.execute(
            select(GroupSession.service_id, Attendance.resident_id, func.count())
            .join(GroupSession, GroupSession.id == Attendance.session_id).where(*held)
            .group_by(GroupSession.service_id, Attendance.resident_id)):
        people[service_id].add(resident_id)
        units[service_id] += count
    for service_id, day, starts, ends, count in session.execute(
            select(GroupSession.service_id, GroupSession.held_on, GroupSession.starts, GroupSession.ends,
                   func.count()).where(*held)
            .group_by(GroupSession.service_id, GroupSession.held_on, GroupSession.starts, GroupSession.ends)):
        held_sessions[service_id] += count
        held_hours[service_id] += session_hours(day, starts, ends) * count
    for service_id, resident_id, count, minutes in session.execute(
            select(Consultation.service_id, Consultation.resident_id, func.count(), func.sum(Consultation.minutes))
            .where(Consultation.provider_id == provider_id, Consultation.service_id.in_(ids),
                   Consultation.given_on.between(start, end))
            .group_by(Consultation.service_id, Consultation.resident_id)):
        if resident_id is not None:
            people[service_id].add(resident_id)
        hourly = by_id[service_id].unit == "hour"
        units[service_id] += Decimal(minutes) / 60 if hourly else Decimal(count)
    for service_id, service in by_id.items():
        group = service.delivery_mode == "group"
        if service.unit == "person":
            result[service_id] = Decimal(len(people[service_id]))
        elif group and service.unit == "meeting":
            result[service_id] = Decimal(held_sessions[service_id])
        elif group and service.unit == "hour":
            result[service_id] = held_hours[service_id]
        else:
            result[service_id] = units[service_id]
    return result


def contract_figures(session, contract, today):
    volumes = contract.current_volumes()
    services = [line.service for line in contract.lines]
    found = delivered(session, contract.provider_id, services, contract.starts_on, contract.effective_end)
    return ContractFigures(contract, today, [LineFigure(line.service, volumes[line.service_id],
                                                        found[line.service_id], line.amount)
                                             for line in contract.lines])


def alerts(figures):
    """The contract's alerts in words: ending within 60 days, volumes nearly used."""
    from flask_babel import gettext, ngettext

    from ..i18n import format_date_numeric, format_number

    texts = []
    if figures.ending_soon:
        days = figures.days_left
        when = format_date_numeric(figures.contract.effective_end)
        texts.append(gettext("Umowa kończy się dziś (%(day)s).", day=when) if days == 0 else ngettext(
            "Umowa kończy się za %(num)s dzień (%(day)s).", "Umowa kończy się za %(num)s dni (%(day)s).", days,
            day=when))
    for line in figures.nearly_used:
        texts.append(gettext("Wolumen usługi „%(name)s” wykorzystany w %(percent)s%%.", name=line.service.name,
                             percent=format_number(line.percent)))
    return texts


def contract_values(session, start, end):
    """{provider type: the contracts' value} of the contracts in force on at least
    one day of [start, end]: each by its current amount (the latest amendment's),
    a terminated one until the day it was terminated (the providers report)."""
    from sqlalchemy.orm import selectinload

    from ..catalogue.models import Provider
    from .models import Contract

    values = defaultdict(Decimal)
    query = (select(Contract, Provider.provider_type).join(Provider, Provider.id == Contract.provider_id)
             .where(Contract.starts_on <= end).options(selectinload(Contract.amendments)))
    for contract, provider_type in session.execute(query):
        if contract.effective_end >= start:
            values[provider_type] += Decimal(contract.current_amount)
    return dict(values)
