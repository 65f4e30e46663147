"""Requests (zgłoszenia) registered at the one window."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Versioned, link_table
from ..extensions import db
from ..timeutil import now

CHANNELS = {
    "in_person": _l("osobiście"),
    "phone": _l("telefon"),
    "email": _l("e-mail"),
    "letter": _l("pismo"),
    "web_form": _l("formularz internetowy"),
}

APPLICANTS = {
    "self": _l("osoba zainteresowana"),
    "legal_representative": _l("przedstawiciel ustawowy"),
    "de_facto_carer": _l("opiekun faktyczny"),
}

KINDS = {
    "information": _l("informacja"),
    "application": _l("wniosek o usługi"),
}

STATUSES = {
    "new": _l("nowe"),
    "assigned": _l("przydzielone"),
    "in_assessment": _l("w diagnozie"),
    "closed_information": _l("zamknięte — udzielono informacji"),
    "withdrawn": _l("wycofane"),
    "handed_to_plan": _l("przekazane do planu"),
    # Set when the individual plan closes (portal/casework), never by hand.
    "closed_plan": _l("zamknięte — plan zakończony"),
    # Set when a coordinator grants a single service without a plan (portal/plans).
    "service_granted": _l("zamknięte — przyznano usługę"),
}
OPEN_STATUSES = ("new", "assigned", "in_assessment")

# Where the desk routes a matter it does not settle itself.
ROUTES = {
    "social_assistance": _l("Zespół pomocy społecznej CUS"),
    "family_benefits": _l("Świadczenia rodzinne"),
    "coordinators": _l("Zespół koordynatorów IPUS"),
    "community": _l("Organizator społeczności lokalnej"),
    "pup": _l("Powiatowy Urząd Pracy"),
    "pcpr": _l("Powiatowe Centrum Pomocy Rodzinie"),
    "gmina": _l("Urząd Gminy"),
    "other": _l("Inna instytucja"),
}

URGENCY = {
    "normal": _l("zwykła"),
    "urgent": _l("pilna"),
}

request_service = link_table("request_service", "request", "service")


class Request(Versioned, db.Model):
    __tablename__ = "request"
    __table_args__ = (
        Index("ix_request_status_received", "status", "received_at"),
        Index("ix_request_coordinator_status", "coordinator_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The request date starts the 30-day deadline for an individual plan.
    received_at: Mapped[datetime] = mapped_column(default=now, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    applicant: Mapped[str] = mapped_column(String(24), default="self")
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24), default="new")
    urgency: Mapped[str] = mapped_column(String(8), default="normal")
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True)
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    # Information requests: what was asked, what was answered, where routed.
    question: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    routed_to: Mapped[str | None] = mapped_column(String(24))
    routed_note: Mapped[str | None] = mapped_column(String(300))
    # Applications: the needs in the person's own words.
    needs_description: Mapped[str | None] = mapped_column(Text)

    # Web-form requests arrive before the person is identified.
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(16))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    message: Mapped[str | None] = mapped_column(Text)

    closed_at: Mapped[datetime | None] = mapped_column(index=True)  # "closed today" on the board
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    resident = relationship("Resident")
    coordinator = relationship("User", foreign_keys=[coordinator_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    services = relationship("Service", secondary=request_service, order_by="Service.name")
    history = relationship("RequestStatusChange", back_populates="request",
                           order_by="(RequestStatusChange.at, RequestStatusChange.id)", cascade="all, delete-orphan")

    @property
    def number(self):
        year = self.received_at.year if self.received_at else ""
        return f"Z/{self.id}/{year}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class RequestStatusChange(db.Model):
    __tablename__ = "request_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(String(500))

    request = relationship("Request", back_populates="history")
    actor = relationship("User")

    @property
    def is_handover(self):
        """A reassignment to another coordinator (services.assign): the only
        change that keeps the status; the note names both coordinators."""
        return self.from_status is not None and self.from_status == self.to_status


class VillageCoordinator(db.Model):
    """The assignment rule: applications from this village go to this coordinator."""

    __tablename__ = "village_coordinator"

    village_id: Mapped[int] = mapped_column(ForeignKey("village.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))

    village = relationship("Village")
    user = relationship("User")
