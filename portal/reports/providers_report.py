"""Providers: the share of services, of people served and of units delivered
by NGOs and social-economy entities, against a minimum (issue 14 §1).

Counting rules (tests/reports/test_providers_report.py holds each):

- A delivery counts for the provider that delivered it (each session, entry
  and consultation names its provider), NGOs and social-economy entities
  being the provider types of catalogue.models.NGO_PROVIDER_TYPES
  (associations, foundations, social-economy entities, church entities).
- Services: the distinct services delivered at least once in the period (a
  held session, an entry, a consultation); a service delivered by providers
  of both kinds counts once on each side, so the total is the distinct
  services of all providers.
- The catalogue's services: those not archived and added by the period's
  end, by their provider's type (what is offered, rather than delivered).
- People served: distinct people on record who attended a held session,
  received an entry or a consultation; the share divides the people served
  by NGOs by every person served (a person served by both counts in both).
- Units delivered, in each service's own unit, as the service's use page
  counts them (portal/delivery/figures.py): an entry's quantity, one per
  person at a held session, one per consultation (its minutes as hours when
  the unit is the hour). Planned and cancelled sessions count nothing.
- Contract value (issue 15 §2): the contracts in force on at least one day
  of the period (portal/contracts/figures.py contract_values), each by its
  current amount (the latest amendment's), by its provider's type; the
  whole amount of a contract counts, whatever part of it falls in the period.
- The minimum share is the setting REPORTS_MIN_NGO_SHARE (percent, 30 by
  default); each share is met when it is at least the minimum.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..catalogue.models import NGO_PROVIDER_TYPES, PROVIDER_TYPES, Provider, Service
from ..contracts.figures import contract_values
from ..delivery.models import Attendance, Consultation, DeliveryEntry, GroupSession
from .indicators import instants
from .services_report import kept
from .tables import share

DEFAULT_MIN_SHARE = 30

MEASURES = {
    "services": _l("Usługi realizowane w okresie"),
    "catalogue": _l("Usługi w katalogu"),
    "people": _l("Osoby, którym udzielono usług"),
    "units": _l("Zrealizowane jednostki usług"),
    "value": _l("Wartość umów z realizatorami (zł)"),
}


def minimum_share():
    """The configured minimum share of NGOs and social-economy entities, in percent."""
    return Decimal(str(current_app.config.get("REPORTS_MIN_NGO_SHARE", DEFAULT_MIN_SHARE)))


@dataclass
class ShareRow:
    code: str
    ngo: Decimal
    others: Decimal  # by the other providers (a person served by both kinds counts on both sides)
    total: Decimal  # distinct: not always ngo + others
    minimum: Decimal

    @property
    def label(self):
        return MEASURES[self.code]

    @property
    def percent(self):
        return share(self.ngo, self.total, 1)

    @property
    def met(self):
        return self.percent is not None and self.percent >= self.minimum


@dataclass
class TypeRow:
    """One provider type's services, people and units."""

    provider_type: str
    services: int = 0
    catalogue: int = 0
    people: int = 0
    units: Decimal = Decimal(0)
    value: Decimal = Decimal(0)  # contracts in force in the period, zł

    @property
    def label(self):
        return PROVIDER_TYPES.get(self.provider_type, self.provider_type)

    @property
    def ngo(self):
        return self.provider_type in NGO_PROVIDER_TYPES


@dataclass
class ProvidersReport:
    start: object
    end: object
    minimum: Decimal
    shares: list = field(default_factory=list)  # [ShareRow] in MEASURES' order
    types: list = field(default_factory=list)  # [TypeRow] in PROVIDER_TYPES' order, those with anything


def _deliveries(session, start, end):
    """`_read_deliveries`, kept per process while the delivery register's data
    version stands (the reports' cache, services_report.kept)."""
    return kept("provider_deliveries", session, (start, end), lambda: _read_deliveries(session, start, end))


def _read_deliveries(session, start, end):
    """[(provider_id, service_id, resident_id or None, units)] of [start, end]:
    each source read once, grouped by provider, service and person (the
    figures' rule for units), so that services, people and units all come
    from the same rows. A held session with no one on record gives a row
    without a person: the service ran."""
    found = []
    found += session.execute(
        select(DeliveryEntry.provider_id, DeliveryEntry.service_id, DeliveryEntry.resident_id,
               func.sum(DeliveryEntry.quantity))
        .where(DeliveryEntry.delivered_on.between(start, end))
        .group_by(DeliveryEntry.provider_id, DeliveryEntry.service_id, DeliveryEntry.resident_id)).all()
    found += session.execute(
        select(GroupSession.provider_id, GroupSession.service_id, Attendance.resident_id, func.count(Attendance.id))
        .outerjoin(Attendance, Attendance.session_id == GroupSession.id)
        .where(GroupSession.held_on.between(start, end), GroupSession.status == "held")
        .group_by(GroupSession.provider_id, GroupSession.service_id, Attendance.resident_id)).all()
    for provider_id, service_id, resident_id, unit, count, minutes in session.execute(
            select(Consultation.provider_id, Consultation.service_id, Consultation.resident_id, Service.unit,
                   func.count(), func.sum(Consultation.minutes))
            .join(Service, Service.id == Consultation.service_id)
            .where(Consultation.given_on.between(start, end))
            .group_by(Consultation.provider_id, Consultation.service_id, Consultation.resident_id, Service.unit)):
        found.append((provider_id, service_id, resident_id,
                      Decimal(minutes) / 60 if unit == "hour" else Decimal(count)))
    return found


def providers_report(session, start, end, minimum=None):
    """The providers report for [start, end] (ProvidersReport)."""
    minimum = minimum_share() if minimum is None else Decimal(minimum)
    types = dict(session.execute(select(Provider.id, Provider.provider_type)).all())
    rows = {code: TypeRow(code) for code in PROVIDER_TYPES}
    delivered = defaultdict(set)  # provider type -> service ids
    people = defaultdict(set)  # provider type -> resident ids
    for provider_id, service_id, resident_id, amount in _deliveries(session, start, end):
        kind = types.get(provider_id)
        row = rows.setdefault(kind, TypeRow(kind))
        row.units += Decimal(amount or 0)
        delivered[kind].add(service_id)
        if resident_id is not None:
            people[kind].add(resident_id)
    for kind, services in delivered.items():
        rows[kind].services = len(services)
    for kind, residents in people.items():
        rows[kind].people = len(residents)

    def union_of(sets, ngo):
        return set().union(*(found for kind, found in sets.items() if (kind in NGO_PROVIDER_TYPES) == ngo))

    ngo_services, other_services = union_of(delivered, True), union_of(delivered, False)
    all_services = ngo_services | other_services
    ngo_people, other_people = union_of(people, True), union_of(people, False)
    all_people = ngo_people | other_people

    _begin, finish = instants(start, end)
    catalogue = dict(session.execute(
        select(Provider.provider_type, func.count(Service.id))
        .join(Provider, Provider.id == Service.provider_id)
        .where(Service.status != "archived", Service.created_at < finish)
        .group_by(Provider.provider_type)).all())
    for kind, count in catalogue.items():
        rows.setdefault(kind, TypeRow(kind)).catalogue = count

    for kind, value in contract_values(session, start, end).items():
        rows.setdefault(kind, TypeRow(kind)).value = value

    ngo_value = sum((row.value for row in rows.values() if row.ngo), Decimal(0))
    all_value = sum((row.value for row in rows.values()), Decimal(0))
    ngo_units = sum((row.units for row in rows.values() if row.ngo), Decimal(0))
    all_units = sum((row.units for row in rows.values()), Decimal(0))
    ngo_catalogue = sum(row.catalogue for row in rows.values() if row.ngo)
    all_catalogue = sum(row.catalogue for row in rows.values())
    return ProvidersReport(
        start, end, minimum,
        shares=[ShareRow("services", Decimal(len(ngo_services)), Decimal(len(other_services)),
                         Decimal(len(all_services)), minimum),
                ShareRow("catalogue", Decimal(ngo_catalogue), Decimal(all_catalogue - ngo_catalogue),
                         Decimal(all_catalogue), minimum),
                ShareRow("people", Decimal(len(ngo_people)), Decimal(len(other_people)), Decimal(len(all_people)),
                         minimum),
                ShareRow("units", ngo_units, all_units - ngo_units, all_units, minimum),
                ShareRow("value", ngo_value, all_value - ngo_value, all_value, minimum)],
        types=[row for row in rows.values() if row.services or row.catalogue or row.people or row.units or row.value],
    )

