"""An organisation's application to become a provider (zgłoszenie realizatora).

Sent through the public form (no login) with the questions of the centre's
survey of providers: who they are (name, legal form and kind, NIP, REGON,
KRS, address), who to talk to, their experience, the services they propose,
their premises and its accessibility, their staff. The services organiser
reviews it: accepts (the provider goes into the catalogue with a first
account for the contact person), asks for more (the applicant corrects the
application through a one-time link, and it comes back to the queue as
updated), or declines. Each decision e-mails the applicant.

The one-time link's token is never stored: only its SHA-256, as the
accounts' set-password links.
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import ACCESSIBILITY, PROVIDER_TYPES
from ..core.models import Versioned
from ..extensions import db
from ..timeutil import now

STATUSES = {
    "new": _l("nowe"),
    "more_info": _l("poproszono o uzupełnienie"),
    "updated": _l("uzupełnione"),
    "accepted": _l("przyjęte"),
    "declined": _l("odrzucone"),
}
# What waits for the organiser: a new application, or one the applicant completed.
WAITING = ("new", "updated")
OPEN = ("new", "more_info", "updated")

# The kinds an organisation may register as: every kind of provider but the
# municipality's own office and units (the organiser enters those).
APPLYING_TYPES = {code: label for code, label in PROVIDER_TYPES.items()
                  if code not in ("municipal_office", "municipal_unit")}
# Registered in the National Court Register by law: a foundation and a social
# cooperative always; an association when registered (an ordinary association,
# stowarzyszenie zwykłe, is in the starost's register and has no KRS number).
KRS_REQUIRED = frozenset({"foundation", "social_economy"})
# An informal group has no NIP, REGON or KRS.
NO_REGISTRATION = frozenset({"informal_group"})

MAX_SERVICES = 5


class ProviderApplication(Versioned, db.Model):
    __tablename__ = "provider_application"
    __table_args__ = (Index("ix_provider_application_status_received", "status", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="new")
    received_at: Mapped[datetime] = mapped_column(default=now)
    # When the applicant last sent it (the first time, or a correction).
    sent_at: Mapped[datetime] = mapped_column(default=now)

    # The organisation.
    name: Mapped[str] = mapped_column(String(250))
    legal_form: Mapped[str | None] = mapped_column(String(200))
    provider_type: Mapped[str] = mapped_column(String(32))  # APPLYING_TYPES
    nip: Mapped[str | None] = mapped_column(String(10))
    regon: Mapped[str | None] = mapped_column(String(14))
    krs: Mapped[str | None] = mapped_column(String(10))
    address_1: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(6))
    city: Mapped[str] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(300))

    # The contact person.
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(16))

    # The survey.
    experience: Mapped[str] = mapped_column(Text)
    # [{"name", "description", "target_group", "area"}], at most MAX_SERVICES.
    proposed_services: Mapped[list] = mapped_column(JSON, default=list)
    premises: Mapped[str | None] = mapped_column(Text)
    # Comma-separated codes of catalogue.models.ACCESSIBILITY.
    accessibility_codes: Mapped[str] = mapped_column(String(300), default="")
    staff_count: Mapped[int | None]
    staff_qualifications: Mapped[str | None] = mapped_column(Text)

    # The review.
    message: Mapped[str | None] = mapped_column(Text)  # the last message to the applicant
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The one-time correction link: its SHA-256 and until when it works.
    link_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    link_expires_at: Mapped[datetime | None]

    decided_by = relationship("User", foreign_keys=[decided_by_id])
    account = relationship("User", foreign_keys=[account_id])
    provider = relationship("Provider")

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    @property
    def type_label(self):
        return PROVIDER_TYPES.get(self.provider_type, self.provider_type)

    @property
    def accessibility(self):
        return [c for c in (self.accessibility_codes or "").split(",") if c]

    @accessibility.setter
    def accessibility(self, codes):
        self.accessibility_codes = ",".join(sorted(c for c in set(codes or ()) if c in ACCESSIBILITY))

    @property
    def accessibility_labels(self):
        return [ACCESSIBILITY[c] for c in self.accessibility if c in ACCESSIBILITY]

    @property
    def is_open(self):
        return self.status in OPEN
