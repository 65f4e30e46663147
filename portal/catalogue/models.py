"""The local bank of social services: services, providers, places.

Field names follow Open Referral HSDS 3.x wherever a field means the same
(`eligibility_description`, `minimum_age`, `fees_description`,
`assured_date`, ...), so an HSDS export is a mapping, not a rewrite.
"""
from datetime import date, datetime, time
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Created, ReferenceEntry, Updated, Versioned, link_table
from ..extensions import db
from ..timeutil import now
from . import schedule as sched


class Area(ReferenceEntry, db.Model):
    """A statutory area of social services (art. 2(1) of the act); seeded by a migration."""

    __tablename__ = "area"


class TargetGroup(ReferenceEntry, db.Model):
    """Who a service is for (seniorzy, osoby z niepełnosprawnościami, ...); seeded by a migration."""

    __tablename__ = "target_group"


class Village(db.Model):
    """A village (sołectwo) or town of the municipality: a managed list."""

    __tablename__ = "village"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)


# Accessibility of a place, as filterable codes (HSDS keeps free text; we
# need facets). Labels are shown to residents.
ACCESSIBILITY = {
    "step_free": _l("Wejście bez schodów / podjazd dla wózków"),
    "lift": _l("Winda"),
    "accessible_toilet": _l("Toaleta dostosowana"),
    "induction_loop": _l("Pętla indukcyjna"),
    "sign_language": _l("Tłumacz polskiego języka migowego (PJM)"),
    "parking": _l("Miejsce parkingowe dla osób z niepełnosprawnościami"),
    "large_print": _l("Materiały w dużym druku"),
    "assistance_dog": _l("Wstęp z psem asystującym"),
}


class Place(db.Model):
    """Where a service happens (HSDS location): an address or a whole village."""

    __tablename__ = "place"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address_1: Mapped[str | None] = mapped_column(String(200))  # street and number
    postal_code: Mapped[str | None] = mapped_column(String(6))
    city: Mapped[str | None] = mapped_column(String(120))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)
    # Comma-separated codes from ACCESSIBILITY; small, read with the place.
    accessibility_codes: Mapped[str] = mapped_column(String(300), default="")
    accessibility_description: Mapped[str | None] = mapped_column(Text)

    village = relationship("Village")

    @property
    def accessibility(self):
        return [c for c in (self.accessibility_codes or "").split(",") if c]

    @accessibility.setter
    def accessibility(self, codes):
        self.accessibility_codes = ",".join(sorted(c for c in set(codes) if c in ACCESSIBILITY))

    @property
    def one_line(self):
        parts = [self.name]
        street = ", ".join(p for p in (self.address_1, " ".join(filter(None, (self.postal_code, self.city)))) if p)
        if street:
            parts.append(street)
        return " — ".join(parts)


PROVIDER_TYPES = {
    "municipal_office": _l("Urząd gminy"),
    "municipal_unit": _l("Jednostka gminna (w tym CUS)"),
    "association": _l("Stowarzyszenie"),
    "foundation": _l("Fundacja"),
    "social_economy": _l("Spółdzielnia socjalna lub inny podmiot ekonomii społecznej"),
    "church": _l("Podmiot kościelny"),
    "healthcare": _l("Podmiot leczniczy"),
    "private_practice": _l("Praktyka prywatna"),
    "company": _l("Przedsiębiorstwo"),
    # Issue 15: the kinds of organisation that register themselves.
    "kgw": _l("Koło gospodyń wiejskich"),
    "public_body": _l("Inna jednostka publiczna"),
    "informal_group": _l("Grupa nieformalna"),
}
# Non-governmental and social-economy providers: the plans track their share.
NGO_PROVIDER_TYPES = {"association", "foundation", "social_economy", "church", "kgw"}


class Provider(Versioned, db.Model):
    """A provider of services (realizator; HSDS organization)."""

    __tablename__ = "provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(250))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    provider_type: Mapped[str] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)
    nip: Mapped[str | None] = mapped_column(String(10))
    regon: Mapped[str | None] = mapped_column(String(14))
    krs: Mapped[str | None] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(16))
    website: Mapped[str | None] = mapped_column(String(300))
    address_1: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(6))
    city: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active / archived
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    services = relationship("Service", back_populates="provider")

    @property
    def type_label(self):
        return PROVIDER_TYPES.get(self.provider_type, self.provider_type)


service_area = link_table("service_area", "service", "area")
service_target_group = link_table("service_target_group", "service", "target_group")
service_place = link_table("service_place", "service", "place")


UNITS = {
    "hour": (_l("godzina"), _l("godz.")),
    "meeting": (_l("spotkanie"), _l("spotkanie")),
    "person": (_l("osoba"), _l("os.")),
    "month": (_l("miesiąc"), _l("mies.")),
    "day": (_l("dzień"), _l("dzień")),
    "visit": (_l("wizyta"), _l("wizyta")),
    "trip": (_l("przejazd"), _l("przejazd")),
    "loan": (_l("wypożyczenie"), _l("wypożyczenie")),
    "package": (_l("pakiet"), _l("pakiet")),
}

# What a service's capacity counts (Service.capacity_basis).
CAPACITY_BASES = {
    "places": _l("miejsca — jedna osoba zajmuje jedno miejsce"),
    "units": _l("jednostki usługi — np. godziny opieki"),
}

# How a service's delivery is recorded (issue 13, portal/delivery/): sessions
# with an attendance list, entries per person in the service's unit, or the
# register of consultations.
DELIVERY_MODES = {
    "group": _l("zajęcia grupowe — sesje z listą obecności"),
    "individual": _l("usługa indywidualna — wpisy dla każdej osoby"),
    "consultation": _l("konsultacje — rejestr udzielonych konsultacji"),
}
# The mode a service gets from its unit until the services organiser sets it.
GROUP_UNITS = ("meeting", "person")


def default_delivery_mode(unit):
    return "group" if unit in GROUP_UNITS else "individual"


SERVICE_STATUSES = {
    "active": _l("Działa"),
    "suspended": _l("Zawieszona"),
    "archived": _l("Zarchiwizowana"),
}

ORIGINS = {
    "existing": _l("Usługa dotychczasowa"),
    "new": _l("Nowa usługa"),
    "expanded": _l("Zwiększenie dostępności istniejącej usługi"),
}


class Service(Created, Updated, Versioned, db.Model):
    __tablename__ = "service"
    __table_args__ = (
        CheckConstraint("minimum_age IS NULL OR minimum_age >= 0", name="minimum_age_positive"),
        CheckConstraint(
            "maximum_age IS NULL OR minimum_age IS NULL OR maximum_age >= minimum_age",
            name="age_range_ordered",
        ),
        CheckConstraint("fee_amount IS NULL OR fee_amount >= 0", name="fee_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str | None] = mapped_column(Text)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    origin: Mapped[str] = mapped_column(String(16), default="existing")
    # Period of operation (e.g. the programme's pilot); open-ended when empty.
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]

    # How it is delivered
    delivery_description: Mapped[str | None] = mapped_column(Text)
    at_client_home: Mapped[bool] = mapped_column(default=False)
    application_process: Mapped[str | None] = mapped_column(Text)  # HSDS: how to apply
    unit: Mapped[str] = mapped_column(String(16), default="meeting")
    delivery_mode: Mapped[str] = mapped_column(
        String(16), server_default="group",
        default=lambda context: default_delivery_mode(context.get_current_parameters().get("unit")))

    # Schedule: weekly sessions (ScheduleRule) and closures; free text for the rest.
    schedule_description: Mapped[str | None] = mapped_column(Text)
    closed_on_public_holidays: Mapped[bool] = mapped_column(default=True)

    # Cost: free when fee_amount is empty or zero.
    fee_amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    fees_description: Mapped[str | None] = mapped_column(Text)

    # Eligibility, structured so that a person can be matched against it.
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    residents_only: Mapped[bool] = mapped_column(default=False)
    requires_disability_certificate: Mapped[bool] = mapped_column(default=False)
    # Only for its target groups (rather than aimed at them).
    target_groups_only: Mapped[bool] = mapped_column(default=False)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    personal_data_required: Mapped[str | None] = mapped_column(Text)

    # Capacity for the current period: places (one per person, whatever the
    # quantity in the service's unit) or units of the service (hours of care).
    capacity_basis: Mapped[str] = mapped_column(String(8), default="units", server_default="units")
    capacity_maximum: Mapped[int | None]
    capacity_granted: Mapped[int] = mapped_column(default=0)

    # Contact
    contact_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(String(300))

    # When the entry was last checked with the provider (HSDS assured_date).
    assured_date: Mapped[date | None]

    # Words and phrases residents use for this service, separated by commas
    # ("niania, opiekunka, babysitter"): staff-edited search aids, read by the
    # search index and shown to staff only, never on public pages.
    keywords: Mapped[str | None] = mapped_column(Text)

    provider = relationship("Provider", back_populates="services")
    areas = relationship("Area", secondary=service_area, order_by="Area.position")
    target_groups = relationship("TargetGroup", secondary=service_target_group, order_by="TargetGroup.position")
    places = relationship("Place", secondary=service_place, order_by="Place.name")
    schedule_rules = relationship("ScheduleRule", cascade="all, delete-orphan",
                                  order_by="(ScheduleRule.weekday, ScheduleRule.opens)")
    closures = relationship("Closure", cascade="all, delete-orphan", order_by="Closure.starts_on")
    discounts = relationship("Discount", cascade="all, delete-orphan", order_by="Discount.id")
    required_documents = relationship("RequiredDocument", cascade="all, delete-orphan", order_by="RequiredDocument.id")
    indicators = relationship("Indicator", cascade="all, delete-orphan", order_by="Indicator.id")

    @property
    def is_free(self):
        return not self.fee_amount

    @property
    def capacity_available(self):
        if self.capacity_maximum is None:
            return None
        return max(self.capacity_maximum - self.capacity_granted, 0)

    @property
    def delivery_mode_label(self):
        return DELIVERY_MODES.get(self.delivery_mode, self.delivery_mode)

    @property
    def unit_label(self):
        return UNITS.get(self.unit, (self.unit, self.unit))[0]

    @property
    def status_label(self):
        return SERVICE_STATUSES.get(self.status, self.status)

    @property
    def is_public(self):
        return self.status != "archived"

    def schedule(self):
        """The pure schedule value the schedule module computes with."""
        return sched.Schedule(
            rules=tuple(r.as_rule() for r in self.schedule_rules),
            closures=tuple(sched.Closure(c.starts_on, c.ends_on, c.reason or "") for c in self.closures),
            closed_on_holidays=self.closed_on_public_holidays,
        )

    def __repr__(self):
        return f"<Service {self.slug}>"


class ScheduleRule(db.Model):
    """A weekly session: every <weekday> from <opens> to <closes>, optionally
    only between two dates (e.g. summer holidays)."""

    __tablename__ = "schedule_rule"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]  # 0 = Monday
    opens: Mapped[time]
    closes: Mapped[time]
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    label: Mapped[str | None] = mapped_column(String(200))

    def as_rule(self):
        return sched.Rule(self.weekday, self.opens, self.closes, self.valid_from, self.valid_to, self.label or "")


class Closure(db.Model):
    __tablename__ = "closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str | None] = mapped_column(String(200))


class Discount(db.Model):
    """A reduced fee and who is entitled to it (HSDS cost_option)."""

    __tablename__ = "discount"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    entitled: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))


class RequiredDocument(db.Model):
    """How eligibility is documented (HSDS required_document)."""

    __tablename__ = "required_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    document: Mapped[str] = mapped_column(String(300))


class Indicator(db.Model):
    """A yearly indicator: "liczba uczestników warsztatów, rok, 80 osób, karta zgłoszeniowa"."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(60))
    target_value: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str | None] = mapped_column(String(300))
    year: Mapped[int | None]


class SynonymGroup(db.Model):
    """Phrases that mean the same to a resident, separated by semicolons:
    "wytchnienie; opieka wytchnieniowa; usługa wytchnieniowa"."""

    __tablename__ = "synonym_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrases: Mapped[str] = mapped_column(String(1000))
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    @property
    def phrase_list(self):
        return [p.strip() for p in self.phrases.split(";") if p.strip()]


class SearchCount(db.Model):
    """The searches of one folded text on one day (Europe/Warsaw): counts
    only, never who asked. The text keeps only words that could name a
    service (catalogue/services.py); the process buffers the counts and
    writes them in batches (catalogue/statistics.py)."""

    __tablename__ = "search_count"
    __table_args__ = (
        UniqueConstraint("day", "query", name="uq_search_count_day_query"),
        CheckConstraint("misses <= searches", name="misses_within_searches"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    query: Mapped[str] = mapped_column(String(200), index=True)
    searches: Mapped[int] = mapped_column(default=0)
    # Of those, the searches the organiser counts as misses (Result.is_miss).
    misses: Mapped[int] = mapped_column(default=0)
    # How many services the latest of them found.
    results: Mapped[int] = mapped_column(default=0)
    last_at: Mapped[datetime] = mapped_column(default=now)
    # The organiser turned the miss into a synonym or took it off the list;
    # a later miss of the same text that day puts it back.
    handled: Mapped[bool] = mapped_column(default=False)


life_situation_service = link_table("life_situation_service", "life_situation", "service")


class LifeSituation(Created, Updated, Versioned, db.Model):
    """A situation in residents' own words ("straciłem pracę", "przemoc w
    domu") with the services the services organiser chose for it: a way into
    the catalogue for someone who does not know what a service is called.

    Situations are listed by `position` (the organiser's order); their
    services in the catalogue's order (active first, then Polish
    alphabetical), so there is one order to keep, not one per situation.
    A draft (`published` off) shows nowhere in public."""

    __tablename__ = "life_situation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # Made from the first name and kept: printed and shared addresses stay valid.
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    description: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(default=False)

    services = relationship("Service", secondary=life_situation_service)

    def __repr__(self):
        return f"<LifeSituation {self.slug}>"
