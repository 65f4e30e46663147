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
- The minimum share is the setting REPORTS_MIN_NGO_SHARE (percent, 30 by
  default); each share is met when it is at least the minimum.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, union

from ..catalogue.models import NGO_PROVIDER_TYPES, PROVIDER_TYPES, Provider, Service
from ..delivery.models import Attendance, Consultation, DeliveryEntry, GroupSession
from .indicators import instants

DEFAULT_MIN_SHARE = 30

MEASURES = {
    "services": _l("Usługi realizowane w okresie"),
    "catalogue": _l("Usługi w katalogu"),
    "people": _l("Osoby, którym udzielono usług"),
    "units": _l("Zrealizowane jednostki usług"),
}


def minimum_share():
    """The configured minimum share of NGOs and social-economy entities, in percent."""
    return Decimal(str(current_app.config.get("REPORTS_MIN_NGO_SHARE", DEFAULT_MIN_SHARE)))


def share(part, whole):
    """`part` as a percentage of `whole`, to one decimal place (None of nothing)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


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
        return share(self.ngo, self.total)

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


def _units(session, start, end):
    """{(provider_id, service_id): units} in [start, end], by the figures' rule."""
    units = defaultdict(Decimal)
    for provider_id, service_id, quantity in session.execute(
            select(DeliveryEntry.provider_id, DeliveryEntry.service_id, func.sum(DeliveryEntry.quantity))
            .where(DeliveryEntry.delivered_on.between(start, end))
            .group_by(DeliveryEntry.provider_id, DeliveryEntry.service_id)):
        units[(provider_id, service_id)] += Decimal(quantity)
    for provider_id, service_id, count in session.execute(
            select(GroupSession.provider_id, GroupSession.service_id, func.count(Attendance.id))
            .join(Attendance, Attendance.session_id == GroupSession.id)
            .where(GroupSession.held_on.between(start, end), GroupSession.status == "held")
            .group_by(GroupSession.provider_id, GroupSession.service_id)):
        units[(provider_id, service_id)] += count
    # A held session with no one on record still means the service ran.
    for provider_id, service_id in session.execute(
            select(GroupSession.provider_id, GroupSession.service_id).distinct()
            .where(GroupSession.held_on.between(start, end), GroupSession.status == "held")):
        units[(provider_id, service_id)] += 0
    for provider_id, service_id, unit, count, minutes in session.execute(
            select(Consultation.provider_id, Consultation.service_id, Service.unit, func.count(),
                   func.sum(Consultation.minutes))
            .join(Service, Service.id == Consultation.service_id)
            .where(Consultation.given_on.between(start, end))
            .group_by(Consultation.provider_id, Consultation.service_id, Service.unit)):
        units[(provider_id, service_id)] += Decimal(minutes) / 60 if unit == "hour" else Decimal(count)
    return units


def _people(session, start, end):
    """({provider_type: distinct people}, people served by NGOs, by the others, every person served)."""
    served = union(
        select(GroupSession.provider_id.label("provider_id"), Attendance.resident_id.label("resident_id"))
        .join(Attendance, Attendance.session_id == GroupSession.id)
        .where(GroupSession.held_on.between(start, end), GroupSession.status == "held"),
        select(DeliveryEntry.provider_id, DeliveryEntry.resident_id)
        .where(DeliveryEntry.delivered_on.between(start, end)),
        select(Consultation.provider_id, Consultation.resident_id)
        .where(Consultation.given_on.between(start, end), Consultation.resident_id.is_not(None)),
    ).subquery()
    is_ngo = Provider.provider_type.in_(sorted(NGO_PROVIDER_TYPES))
    by_type = dict(session.execute(
        select(Provider.provider_type, func.count(func.distinct(served.c.resident_id)))
        .join(Provider, Provider.id == served.c.provider_id).group_by(Provider.provider_type)).all())
    ngo, others, total = session.execute(
        select(func.count(func.distinct(case((is_ngo, served.c.resident_id)))),
               func.count(func.distinct(case((~is_ngo, served.c.resident_id)))),
               func.count(func.distinct(served.c.resident_id)))
        .join(Provider, Provider.id == served.c.provider_id)).one()
    return by_type, int(ngo or 0), int(others or 0), int(total or 0)


def providers_report(session, start, end, minimum=None):
    """The providers report for [start, end] (ProvidersReport)."""
    minimum = minimum_share() if minimum is None else Decimal(minimum)
    types = dict(session.execute(select(Provider.id, Provider.provider_type)).all())
    units = _units(session, start, end)
    rows = {code: TypeRow(code) for code in PROVIDER_TYPES}

    delivered = defaultdict(set)  # provider type -> service ids
    for (provider_id, service_id), amount in units.items():
        kind = types.get(provider_id)
        row = rows.setdefault(kind, TypeRow(kind))
        row.units += amount
        delivered[kind].add(service_id)
    for kind, services in delivered.items():
        rows[kind].services = len(services)
    ngo_services = set().union(*(s for kind, s in delivered.items() if kind in NGO_PROVIDER_TYPES))
    other_services = set().union(*(s for kind, s in delivered.items() if kind not in NGO_PROVIDER_TYPES))
    all_services = set().union(*delivered.values())

    _begin, finish = instants(start, end)
    catalogue = dict(session.execute(
        select(Provider.provider_type, func.count(Service.id))
        .join(Provider, Provider.id == Service.provider_id)
        .where(Service.status != "archived", Service.created_at < finish)
        .group_by(Provider.provider_type)).all())
    for kind, count in catalogue.items():
        rows.setdefault(kind, TypeRow(kind)).catalogue = count

    by_type, ngo_people, other_people, all_people = _people(session, start, end)
    for kind, count in by_type.items():
        rows.setdefault(kind, TypeRow(kind)).people = count

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
                ShareRow("people", Decimal(ngo_people), Decimal(other_people), Decimal(all_people), minimum),
                ShareRow("units", ngo_units, all_units - ngo_units, all_units, minimum)],
        types=[row for row in rows.values() if row.services or row.catalogue or row.people or row.units],
    )

