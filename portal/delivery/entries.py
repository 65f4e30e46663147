"""Individual services delivered person by person, the monthly grid of care
hours and the register of consultations (issue 13 §1): the operations.

Who is to receive a service is read only through `commitments()`; an entry
or a consultation on record is refused for a person with no commitment of the
service covering its day.

Who may do what (§4):
- the services organiser: every service, every person with a commitment;
- the coordinator: the individual services of their own cases only (the
  case coordinator of the plan, or of the request a grant was made on, as
  plans.access decides); never other people, never consultations;
- the director: reads everything, changes nothing;
- a provider's account (issue 15 §1): the services of its own organisation,
  the people with a commitment of them (delivery/access.py); never
  consultations.

Plain functions: they take the session and the actor, raise core.errors,
audit, and never commit.
"""
import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select

from ..audit.services import record, record_many
from ..auth.models import Role
from ..catalogue.models import Provider, Service
from ..core import versions
from ..core.errors import DataError, NotAllowed, VersionConflict
from ..desk.models import Request
from ..plans.models import Plan, PlanItem, ServiceGrant
from ..residents.models import Resident
from ..text import polish_sort_key
from ..timeutil import month_bounds, shift_month  # noqa: F401  (also for the views)
from . import access
from .commitments import commitments
from .models import CONSULTATION_KINDS, Consultation, DeliveryEntry

# The most one entry may hold, per unit: a day of care has at most 24 hours.
UNIT_MAXIMUM = {"hour": Decimal(24), "trip": 20, "visit": 10, "day": 31, "loan": 10, "package": 10, "month": 12,
                "meeting": 10, "person": 500}
DEFAULT_MAXIMUM = 100
DECIMAL_UNITS = ("hour",)  # quarter hours and half hours; every other unit is counted whole
MAX_MINUTES = 480
TEXT_LIMITS = {"delivered_by": 200, "note": 500, "given_by": 200}

OBJECT_TYPE_PERSON = "resident"


# --- who may see and change what ---------------------------------------------------

def _role(user):
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def sees_everyone(user):
    return _role(user) in (Role.SERVICES_ORGANISER, Role.DIRECTOR)


def may_enter(user):
    return _role(user) in (Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.PROVIDER)


def may_register_consultations(user):
    return _role(user) == Role.SERVICES_ORGANISER


def own_commitments(session, user, found):
    """The commitments of `found` the user may see: all for the organiser and
    the director; for a coordinator those of their own cases (a plan's case
    coordinator, a grant's request's coordinator); for anyone else none."""
    if sees_everyone(user):
        return list(found)
    if access.is_provider(user):
        return access.of_own_services(session, user, found)
    if _role(user) != Role.COORDINATOR or not found:
        return []
    plan_ids = {c.source_id for c in found if c.kind == "plan"}
    grant_ids = {c.source_id for c in found if c.kind == "grant"}
    mine = set()
    if plan_ids:
        rows = session.execute(select(Plan.id, Plan.request_id, Plan.coordinator_id, Request.coordinator_id)
                               .outerjoin(Request, Request.id == Plan.request_id).where(Plan.id.in_(plan_ids)))
        for plan_id, request_id, plan_coordinator, request_coordinator in rows:
            # plans.access: the request's current coordinator; the plan's own only without a request.
            coordinator = request_coordinator if request_id is not None else plan_coordinator
            if coordinator == user.id:
                mine.add(("plan", plan_id))
    if grant_ids:
        rows = session.execute(select(ServiceGrant.id).join(Request, Request.id == ServiceGrant.request_id)
                               .where(ServiceGrant.id.in_(grant_ids), Request.coordinator_id == user.id))
        mine.update(("grant", grant_id) for grant_id in rows.scalars())
    return [c for c in found if (c.kind, c.source_id) in mine]


def visible_commitments(session, user, *, service_ids=None, resident_ids=None, start=None, end=None):
    return own_commitments(session, user, commitments(session, service_ids=service_ids, resident_ids=resident_ids,
                                                      start=start, end=end))


def visible_services_of(session, user, resident_id):
    """The ids of the services whose deliveries to the person the user may
    see: None for every service (organiser, director)."""
    if sees_everyone(user):
        return None
    return {c.service_id for c in visible_commitments(session, user, resident_ids=[resident_id])}


def may_see_person(session, user, resident_id):
    return sees_everyone(user) or bool(visible_services_of(session, user, resident_id))


def people_of(session, user, service_id, start, end):
    """(people, {resident_id: [commitments]}) of the service overlapping
    [start, end] that the user may see, people in Polish order."""
    by_person = {}
    for c in visible_commitments(session, user, service_ids=[service_id], start=start, end=end):
        by_person.setdefault(c.resident_id, []).append(c)
    if not by_person:
        return [], {}
    people = session.scalars(select(Resident).where(Resident.id.in_(by_person))).all()
    people = sorted(people, key=lambda p: (polish_sort_key(p.last_name), polish_sort_key(p.first_name), p.id))
    return people, by_person


def covering(found, day):
    """The first commitment of `found` whose period holds `day`, or None."""
    return next((c for c in sorted(found, key=lambda c: (c.kind != "plan", c.start)) if c.start <= day <= c.end),
                None)


# --- months --------------------------------------------------------------------------

def parse_month(text, default):
    """'2026-03' -> (2026, 3); the default (year, month) for anything else."""
    text = (text or "").strip()
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        year, month = int(text[:4]), int(text[5:])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    return default


# --- checks ----------------------------------------------------------------------------

def check_quantity(quantity, unit, field="quantity"):
    """A positive quantity in the unit, whole unless counted in hours (at most
    two decimal places), not above the unit's maximum for one entry."""
    if quantity is None:
        raise DataError(field, _l("Podaj ilość."))
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise DataError(field, _l("Ilość musi być większa od zera."))
    if unit in DECIMAL_UNITS:
        if quantity != quantity.quantize(Decimal("0.01")):
            raise DataError(field, _l("Podaj liczbę godzin z najwyżej dwoma miejscami po przecinku, np. 1,5."))
    elif quantity != quantity.to_integral_value():
        raise DataError(field, _l("Tę usługę liczy się w całych jednostkach: podaj liczbę całkowitą."))
    maximum = UNIT_MAXIMUM.get(unit, DEFAULT_MAXIMUM)
    if quantity > maximum:
        if unit == "hour":
            raise DataError(field, _l("Jednego dnia można wpisać najwyżej 24 godziny."))
        raise DataError(field, _l("Jeden wpis może mieć najwyżej %(max)s.", max=maximum))
    return quantity


def _check_day(day, today, field):
    if day is None:
        raise DataError(field, _l("Podaj datę."))
    if day > today:
        raise DataError(field, _l("Nie można wpisać usługi z datą w przyszłości."))
    if day.year < 2000:
        raise DataError(field, _l("Sprawdź datę."))


def _text(data, name):
    value = data.get(name)
    value = value.strip() if isinstance(value, str) else value
    if value and len(value) > TEXT_LIMITS[name]:
        raise DataError(name, _l("Wpisz najwyżej %(max)d znaków.", max=TEXT_LIMITS[name]))
    return value or None


def _provider_id(session, data, commitment, service, actor=None):
    own = access.provider_of(actor)
    if own is not None:  # a provider's account records what its own organisation delivered
        return own
    chosen = data.get("provider_id")
    if chosen:
        if session.get(Provider, chosen) is None:
            raise DataError("provider_id", _l("Wybierz pozycję z listy."))
        return chosen
    if commitment is not None and commitment.item_id is not None:
        item_provider = session.scalar(select(PlanItem.provider_id).where(PlanItem.id == commitment.item_id))
        if item_provider:
            return item_provider
    return service.provider_id


def _commitment_for(session, actor, service, resident_id, day, field="resident_id"):
    if not resident_id:
        raise DataError(field, _l("Wybierz osobę."))
    found = visible_commitments(session, actor, service_ids=[service.id], resident_ids=[resident_id],
                                start=day, end=day)
    commitment = covering(found, day)
    if commitment is None:
        raise DataError(field, _l("Ta osoba nie ma tej usługi w planie ani przyznanej na ten dzień."))
    return commitment


# --- individual entries -------------------------------------------------------------------

def add_entry(session, service, data, *, actor, today):
    """One delivery to one person: data has resident_id, delivered_on,
    quantity, delivered_by, provider_id (None: the plan item's or the
    service's), note."""
    if not may_enter(actor):
        raise NotAllowed()
    if service.delivery_mode != "individual":
        raise DataError("service_id", _l("Tej usługi nie wpisuje się osoba po osobie."))
    day = data.get("delivered_on")
    _check_day(day, today, "delivered_on")
    quantity = check_quantity(data.get("quantity"), service.unit)
    commitment = _commitment_for(session, actor, service, data.get("resident_id"), day)
    entry = DeliveryEntry(service_id=service.id, resident_id=commitment.resident_id, delivered_on=day,
                          quantity=quantity, unit=service.unit, delivered_by=_text(data, "delivered_by") or "",
                          note=_text(data, "note"), provider_id=_provider_id(session, data, commitment, service, actor),
                          created_by_id=getattr(actor, "id", None))
    session.add(entry)
    versions.bump(session, versions.DELIVERY)  # the coordinators' warnings move with it
    session.flush()
    record("create", entry, actor=actor,
           summary=f"delivery of service {service.id} to resident {entry.resident_id} entered")
    return entry


def may_change_entry(session, user, entry):
    if not may_enter(user):
        return False
    if sees_everyone(user):
        return True
    return entry.service_id in (visible_services_of(session, user, entry.resident_id) or ())


def may_see_entry(session, user, entry):
    if sees_everyone(user):
        return True
    return entry.service_id in (visible_services_of(session, user, entry.resident_id) or ())


def delete_entry(session, entry, *, actor):
    """Correcting a mistake: the entry goes, the audit trail keeps what it was."""
    if not may_change_entry(session, actor, entry):
        raise NotAllowed()
    record("delete", entry, actor=actor,
           summary=f"delivery of service {entry.service_id} to resident {entry.resident_id} deleted",
           changes={"delivered_on": [entry.delivered_on.isoformat(), None], "quantity": [str(entry.quantity), None]})
    session.delete(entry)
    versions.bump(session, versions.DELIVERY)  # the coordinators' warnings move with it


def entries_of(session, service_id, start, end, resident_ids):
    if not resident_ids:
        return []
    return session.scalars(
        select(DeliveryEntry).where(DeliveryEntry.service_id == service_id, DeliveryEntry.delivered_on >= start,
                                    DeliveryEntry.delivered_on <= end, DeliveryEntry.resident_id.in_(resident_ids))
        .order_by(DeliveryEntry.delivered_on, DeliveryEntry.id)).all()


def person_entries(session, user, resident_id, start, end):
    """The person's individual deliveries and consultations in [start, end]
    the user may see: (entries, consultations)."""
    services = visible_services_of(session, user, resident_id)
    entries = select(DeliveryEntry).where(DeliveryEntry.resident_id == resident_id,
                                          DeliveryEntry.delivered_on >= start, DeliveryEntry.delivered_on <= end)
    if services is not None:
        entries = entries.where(DeliveryEntry.service_id.in_(services))
    found = session.scalars(entries.order_by(DeliveryEntry.delivered_on, DeliveryEntry.id)).all()
    consultations = []
    if services is None:  # a coordinator never reads the register of consultations
        consultations = session.scalars(
            select(Consultation).where(Consultation.resident_id == resident_id, Consultation.given_on >= start,
                                       Consultation.given_on <= end)
            .order_by(Consultation.given_on, Consultation.id)).all()
    return found, consultations


def record_viewed(session, residents_ids, *, actor, reason):
    """Each person whose deliveries a page showed gets a line in their trail."""
    record_many(session, "view", OBJECT_TYPE_PERSON, sorted(set(residents_ids)), actor=actor,
                summary="deliveries viewed", reason=reason)


# --- the monthly grid of hours ----------------------------------------------------------------

def cell_name(resident_id, day):
    return f"h-{resident_id}-{day.day}"


@dataclass
class Grid:
    """One month of one hour-based service: the people the user may see,
    the days, what is saved (sum per person and day), and which cells are
    open (the person's commitment covers the day, and the day has come)."""

    service: Service
    year: int
    month: int
    days: list
    people: list
    saved: dict = field(default_factory=dict)  # (resident_id, day) -> Decimal
    open: dict = field(default_factory=dict)  # resident_id -> set of days
    commitments: dict = field(default_factory=dict)  # resident_id -> [Commitment]

    @property
    def state(self):
        """A fingerprint of what the grid shows: a save from a page drawn
        before someone else's save is refused (409), not silently mixed."""
        text = ";".join(f"{rid}:{day.isoformat()}:{value.normalize()}"
                        for (rid, day), value in sorted(self.saved.items()))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def grid(session, service, year, month, *, user, today):
    first, last = month_bounds(year, month)
    people, by_person = people_of(session, user, service.id, first, last)
    days = [date(year, month, d) for d in range(1, last.day + 1)]
    result = Grid(service, year, month, days, people, commitments=by_person)
    for person in people:
        found = by_person[person.id]
        result.open[person.id] = {d for d in days if d <= today and covering(found, d) is not None}
    for entry in entries_of(session, service.id, first, last, [p.id for p in people]):
        key = (entry.resident_id, entry.delivered_on)
        result.saved[key] = result.saved.get(key, Decimal(0)) + Decimal(entry.quantity)
    return result


def save_grid(session, sheet, typed, *, actor, expected_state):
    """Replace the month's hours of the grid's people by what was typed:
    `typed` maps (resident_id, day) to a Decimal or None (empty), as parsed
    from every cell of the form. Only the cells that differ from what is
    saved are written; returns how many changed."""
    if not may_enter(actor):
        raise NotAllowed()
    if sheet.service.unit != "hour" or sheet.service.delivery_mode != "individual":
        raise DataError("service_id", _l("Miesięczna karta jest tylko dla usług liczonych w godzinach."))
    if expected_state != sheet.state:
        raise VersionConflict()
    changed = {}
    for person in sheet.people:
        for day in sheet.days:
            key = (person.id, day)
            value = typed.get(key)
            if value is not None:
                if day not in sheet.open[person.id]:
                    raise DataError(cell_name(person.id, day),
                                    _l("Tego dnia osoba nie ma tej usługi albo ten dzień jeszcze nie nadszedł."))
                value = check_quantity(value, "hour", field=cell_name(person.id, day))
            if value != sheet.saved.get(key):
                changed[key] = value
    if not changed:
        return 0
    by_person = {}
    for (resident_id, day), value in changed.items():
        by_person.setdefault(resident_id, []).append((day, value))
    rows = []
    providers = {}
    for resident_id, cells in by_person.items():
        session.execute(delete(DeliveryEntry).where(
            DeliveryEntry.service_id == sheet.service.id, DeliveryEntry.resident_id == resident_id,
            DeliveryEntry.delivered_on.in_([day for day, _value in cells])))
        for day, value in cells:
            if value is None:
                continue
            commitment = covering(sheet.commitments[resident_id], day)
            key = commitment.item_id if commitment else None
            if key not in providers:
                providers[key] = _provider_id(session, {}, commitment, sheet.service, actor)
            rows.append(dict(service_id=sheet.service.id, resident_id=resident_id, delivered_on=day, quantity=value,
                             unit="hour", delivered_by="", provider_id=providers[key],
                             created_by_id=getattr(actor, "id", None)))
    if rows:
        session.execute(insert(DeliveryEntry), rows)
        versions.bump(session, versions.DELIVERY)  # the coordinators' warnings move with it
    record("update", sheet.service, actor=actor, object_type="service",
           summary=f"hours grid {sheet.year}-{sheet.month:02d}: {len(changed)} cells changed "
                   f"for {len(by_person)} people")
    record_many(session, "update", OBJECT_TYPE_PERSON, sorted(by_person), actor=actor,
                summary=f"hours of service {sheet.service.id} in {sheet.year}-{sheet.month:02d} changed")
    return len(changed)


# --- consultations ------------------------------------------------------------------------------

def add_consultation(session, service, data, *, actor, today):
    """One consultation: given_on, minutes, kind, given_by, resident_id (None:
    anonymous), provider_id (None: the service's), note."""
    if not may_register_consultations(actor):
        raise NotAllowed()
    if service.delivery_mode != "consultation":
        raise DataError("service_id", _l("Ta usługa nie ma rejestru konsultacji."))
    day = data.get("given_on")
    _check_day(day, today, "given_on")
    minutes = data.get("minutes")
    if minutes is None:
        raise DataError("minutes", _l("Podaj czas trwania w minutach."))
    if minutes <= 0 or minutes > MAX_MINUTES:
        raise DataError("minutes", _l("Czas trwania: od 1 do %(max)d minut.", max=MAX_MINUTES))
    kind = data.get("kind")
    if kind not in CONSULTATION_KINDS:
        raise DataError("kind", _l("Wybierz jedną z możliwości."))
    commitment = None
    if data.get("resident_id"):
        commitment = _commitment_for(session, actor, service, data["resident_id"], day)
    consultation = Consultation(
        service_id=service.id, resident_id=commitment.resident_id if commitment else None, given_on=day,
        minutes=minutes, kind=kind, given_by=_text(data, "given_by") or "", note=_text(data, "note"),
        provider_id=_provider_id(session, data, commitment, service, actor), created_by_id=getattr(actor, "id", None))
    session.add(consultation)
    versions.bump(session, versions.DELIVERY)  # the coordinators' warnings move with it
    session.flush()
    whom = f"resident {consultation.resident_id}" if consultation.resident_id else "an anonymous person"
    record("create", consultation, actor=actor, summary=f"consultation of service {service.id} for {whom} entered")
    return consultation


def delete_consultation(session, consultation, *, actor):
    if not may_register_consultations(actor):
        raise NotAllowed()
    record("delete", consultation, actor=actor, summary=f"consultation of service {consultation.service_id} deleted",
           changes={"given_on": [consultation.given_on.isoformat(), None], "minutes": [consultation.minutes, None]})
    session.delete(consultation)
    versions.bump(session, versions.DELIVERY)  # the coordinators' warnings move with it


def consultations_of(session, service_id, start, end):
    return session.scalars(
        select(Consultation).where(Consultation.service_id == service_id, Consultation.given_on >= start,
                                   Consultation.given_on <= end)
        .order_by(Consultation.given_on, Consultation.id)).all()


# --- the services offered on the pages -------------------------------------------------------------

def services_for(session, user, mode, *, unit=None):
    """The services of a delivery mode the user may work on or read: all for
    the organiser and the director, those of their cases for a coordinator."""
    query = select(Service).where(Service.delivery_mode == mode, Service.status != "archived")
    if unit is not None:
        query = query.where(Service.unit == unit)
    services = session.scalars(query).all()
    if access.is_provider(user):
        services = access.own_services(user, services) if mode == "individual" else []
    elif not sees_everyone(user):
        if mode != "individual":
            return []
        ids = {c.service_id for c in visible_commitments(session, user, service_ids=[s.id for s in services])} \
            if services else set()
        services = [s for s in services if s.id in ids]
    return sorted(services, key=lambda s: (polish_sort_key(s.name), s.id))
