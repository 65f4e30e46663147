"""Residents: the people the centre serves. Personal data lives here only."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Created, Updated, Versioned
from ..extensions import db
from ..timeutil import now

PREFERRED_CONTACT = {
    "phone": _l("telefon"),
    "email": _l("e-mail"),
    "letter": _l("list"),
    "in_person": _l("osobiście"),
}

REPRESENTATIVE_KINDS = {
    "legal": _l("Przedstawiciel ustawowy"),
    "de_facto": _l("Opiekun faktyczny"),
}

CONSENT_CHANNELS = {
    "email": _l("wiadomości e-mail"),
    "sms": _l("SMS"),
}


class Resident(Created, Updated, Versioned, db.Model):
    __tablename__ = "resident"
    __table_args__ = (
        # Ordered name search: a last-name prefix range read in display order.
        Index("ix_resident_search_name", "search_last", "search_first", "id"),
        Index("ix_resident_search_first", "search_first"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    # Folded (lower case, no diacritics) for diacritics-insensitive prefix search.
    search_first: Mapped[str] = mapped_column(String(100))
    search_last: Mapped[str] = mapped_column(String(100))
    pesel: Mapped[str | None] = mapped_column(String(11), unique=True)
    no_pesel_reason: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(index=True)
    sex: Mapped[str | None] = mapped_column(String(1))  # F / M, from PESEL when present

    address_1: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(6))
    city: Mapped[str | None] = mapped_column(String(120))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(16), index=True)  # +48XXXXXXXXX
    email: Mapped[str | None] = mapped_column(String(254))
    preferred_contact: Mapped[str | None] = mapped_column(String(16))

    representative_kind: Mapped[str | None] = mapped_column(String(16))
    representative_name: Mapped[str | None] = mapped_column(String(200))
    representative_phone: Mapped[str | None] = mapped_column(String(16))
    representative_email: Mapped[str | None] = mapped_column(String(254))
    representative_address: Mapped[str | None] = mapped_column(String(300))

    # The GDPR information clause (art. 13): when and by whom the person was informed.
    informed_at: Mapped[datetime | None]
    informed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    notes: Mapped[str | None] = mapped_column(Text)
    # A merged duplicate points at the record that absorbed it.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True)

    village = relationship("Village")
    informed_by = relationship("User", foreign_keys=[informed_by_id])
    consents = relationship("Consent", back_populates="resident", order_by="Consent.given_at.desc()",
                            cascade="all, delete-orphan")

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def birth_year(self):
        return self.birth_date.year if self.birth_date else None

    def active_consent(self, channel):
        for consent in self.consents:
            if consent.channel == channel and consent.withdrawn_at is None:
                return consent
        return None


class Consent(db.Model):
    """Consent to news by e-mail or SMS: who, when, which text, which channel;
    withdrawal closes the row, a new consent opens a new one (history kept)."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    text_version: Mapped[str] = mapped_column(String(40))
    given_at: Mapped[datetime] = mapped_column(default=now)
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    resident = relationship("Resident", back_populates="consents")
    given_by = relationship("User", foreign_keys=[given_by_id])
    withdrawn_by = relationship("User", foreign_keys=[withdrawn_by_id])
