"""What was actually delivered (issue 13 §1): group sessions and who came,
individual services per person (hours of care, rides, therapy sessions,
equipment lent), consultations, and head counts of events.

Every record names the provider that delivered it, so that a provider's own
staff can later enter and see only the deliveries of their services.

A delivery is matched to what was planned by the person, the service and the
date, not by a plan item's id: a plan's items are copied into each version
(an update), and a delivery stays where it was whatever version is in force.
`portal/delivery/figures.py` does that matching, in one place.

Group sessions keep local wall-clock times (a date, a start and an end, as
the attendance list prints them); their length in hours is computed through
Europe/Warsaw, so a session across a summer-time change counts the hours that
really passed.
"""
from datetime import date, time
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import DELIVERY_MODES, GROUP_UNITS  # noqa: F401  (one home: the catalogue)
from ..core.models import Created, Updated, Versioned
from ..extensions import db

SESSION_STATUSES = {
    "planned": _l("zaplanowana"),
    "held": _l("odbyła się"),
    "cancelled": _l("odwołana"),
}

CONSULTATION_KINDS = {
    "psychological": _l("psychologiczna"),
    "legal": _l("prawna"),
    "family": _l("rodzinna"),
    "addiction": _l("w sprawie uzależnień"),
    "career": _l("zawodowa"),
    "other": _l("inna"),
}


class GroupSession(Created, Updated, Versioned, db.Model):
    """One meeting of a group service (a club, a class, a workshop, a support
    group, a trip): planned ahead or entered after, then held or cancelled."""

    __tablename__ = "group_session"
    __table_args__ = (
        UniqueConstraint("service_id", "held_on", "starts", name="one_session_per_start"),
        CheckConstraint("ends > starts", name="ends_after_start"),
        CheckConstraint("other_participants >= 0", name="other_participants_not_negative"),
        Index("ix_group_session_service_day", "service_id", "held_on"),
        Index("ix_group_session_day", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    held_on: Mapped[date]
    starts: Mapped[time]
    ends: Mapped[time]
    place: Mapped[str] = mapped_column(String(300), default="")
    leader: Mapped[str] = mapped_column(String(200), default="")
    topic: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    # Participants who have no plan item or grant for the service (a head count).
    other_participants: Mapped[int] = mapped_column(default=0)
    # The signed attendance list, scanned (checked like the plans' scans).
    scan_file: Mapped[str | None] = mapped_column(String(80))
    scan_type: Mapped[str | None] = mapped_column(String(40))
    scan_sha256: Mapped[str | None] = mapped_column(String(64))

    service = relationship("Service")
    provider = relationship("Provider")
    attendances = relationship("Attendance", back_populates="session", cascade="all, delete-orphan")

    @property
    def status_label(self):
        return SESSION_STATUSES.get(self.status, self.status)


class Attendance(db.Model):
    """A person on record who was present at a session (absent: no row)."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "resident_id", name="once_per_session"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    session = relationship("GroupSession", back_populates="attendances")
    resident = relationship("Resident")


class DeliveryEntry(Created, db.Model):
    """An individual service delivered to one person on one day: hours of
    care, rides, therapy sessions, days of equipment lent — a quantity in the
    service's unit."""

    __tablename__ = "delivery_entry"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_delivery_entry_person_service_day", "resident_id", "service_id", "delivered_on"),
        # Covering: a service's use in a period is summed from the index alone
        # (figures.usage: 60,000 entries a year of a large care service).
        Index("ix_delivery_entry_service_day", "service_id", "delivered_on", "resident_id", "quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    delivered_on: Mapped[date]
    quantity: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    unit: Mapped[str] = mapped_column(String(16))  # the service's unit when entered
    delivered_by: Mapped[str] = mapped_column(String(200), default="")  # the carer, driver, therapist
    note: Mapped[str | None] = mapped_column(String(500))

    service = relationship("Service")
    resident = relationship("Resident")
    provider = relationship("Provider")


class Consultation(Created, db.Model):
    """A consultation given (Łapy's "rejestr udzielonych konsultacji"): for a
    person on record, or anonymous (no resident)."""

    __tablename__ = "consultation"
    __table_args__ = (
        CheckConstraint("minutes > 0", name="minutes_positive"),
        Index("ix_consultation_service_day", "service_id", "given_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    given_on: Mapped[date]
    minutes: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16), default="other")
    given_by: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str | None] = mapped_column(Text)

    service = relationship("Service")
    resident = relationship("Resident")
    provider = relationship("Provider")

    @property
    def kind_label(self):
        return CONSULTATION_KINDS.get(self.kind, self.kind)


class EventHeadCount(Created, Updated, db.Model):
    """How many came to one occurrence of an event (the picnic's 450),
    entered by the community organiser."""

    __tablename__ = "event_head_count"
    __table_args__ = (
        UniqueConstraint("event_id", "occurs_on", name="one_count_per_occurrence"),
        CheckConstraint("head_count >= 0", name="head_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    occurs_on: Mapped[date]
    head_count: Mapped[int]

    event = relationship("Event")
