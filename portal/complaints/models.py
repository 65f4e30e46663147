"""The register of complaints and requests (skargi i wnioski, KPA dział VIII).

A complaint (skarga) or a request (wniosek) is received on a day, through a
channel, from a person (or anonymously), about a service, a provider, a
staff member of the centre or something else. The director assigns a
handler; the handler answers within a month (core/deadlines.py
`complaint_due`), possibly extended with a reason and a notice to the
person; the answer is a letter; the outcome and the follow-up actions are
recorded; closing is the last, irreversible step.

Numbers are per year, shown as SW/12/2026 (`ComplaintNumberCounter`, as
plans are numbered). Who sees which record is portal/complaints/access.py.
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Created, Updated, Versioned
from ..extensions import db

NUMBER_PREFIX = "SW"

KINDS = {
    "complaint": _l("skarga"),
    "request": _l("wniosek"),
}

CHANNELS = {
    "in_person": _l("osobiście"),
    "phone": _l("telefonicznie"),
    "email": _l("e-mail"),
    "letter": _l("pismo"),
    "web_form": _l("formularz na stronie"),
    "epuap": _l("ePUAP"),
}

SUBJECTS = {
    "service": _l("usługa"),
    "provider": _l("realizator usług"),
    "staff": _l("pracownik centrum"),
    "other": _l("inna sprawa"),
}

STATUSES = {
    "new": _l("nowa, bez prowadzącego"),
    "assigned": _l("w toku"),
    "answered": _l("udzielono odpowiedzi"),
    "closed": _l("zamknięta"),
}

# One code per outcome; each kind names it in its own words.
OUTCOMES = ("upheld", "rejected", "withdrawn")
OUTCOME_LABELS = {
    "complaint": {"upheld": _l("zasadna"), "rejected": _l("niezasadna"), "withdrawn": _l("wycofana")},
    "request": {"upheld": _l("uwzględniony"), "rejected": _l("nieuwzględniony"), "withdrawn": _l("wycofany")},
}


class Complaint(Created, Updated, Versioned, db.Model):
    __tablename__ = "complaint"
    __table_args__ = (
        UniqueConstraint("number_year", "number_seq"),
        Index("ix_complaint_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number_year: Mapped[int]
    number_seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="new")
    received_on: Mapped[date] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(16))

    # From whom: a name and a contact (an address, a phone, an e-mail), or nobody.
    anonymous: Mapped[bool] = mapped_column(default=False)
    complainant_name: Mapped[str | None] = mapped_column(String(200))
    complainant_contact: Mapped[str | None] = mapped_column(String(300))

    # About what: one of the subjects, with the record it names.
    subject: Mapped[str] = mapped_column(String(16))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), index=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    staff_member_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    description: Mapped[str] = mapped_column(Text)

    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    assigned_at: Mapped[datetime | None]

    # The deadline: one month from receipt; an extension moves it, with a
    # reason and the day the person was told (KPA art. 36, 237 §4).
    due_on: Mapped[date]
    extended_until: Mapped[date | None]
    extension_reason: Mapped[str | None] = mapped_column(String(1000))
    extension_notice_on: Mapped[date | None]

    answer_text: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(String(16))

    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    service = relationship("Service")
    provider = relationship("Provider")
    staff_member = relationship("User", foreign_keys=[staff_member_id])
    handler = relationship("User", foreign_keys=[handler_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])
    actions = relationship("FollowUpAction", back_populates="complaint", cascade="all, delete-orphan",
                           order_by="FollowUpAction.id")

    @property
    def number(self):
        return f"{NUMBER_PREFIX}/{self.number_seq}/{self.number_year}"

    @property
    def due(self):
        """The day the answer is due, as extended."""
        return self.extended_until or self.due_on

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)

    @property
    def channel_label(self):
        return CHANNELS.get(self.channel, self.channel)

    @property
    def subject_label(self):
        return SUBJECTS.get(self.subject, self.subject)

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    @property
    def outcome_label(self):
        return OUTCOME_LABELS.get(self.kind, {}).get(self.outcome) if self.outcome else None

    @property
    def is_open(self):
        """Still waiting for its answer (an answered or closed one is done)."""
        return self.answered_on is None and self.status != "closed"


class FollowUpAction(Created, db.Model):
    """What the centre does after a complaint: a text, who is responsible, when it was done."""

    __tablename__ = "complaint_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(1000))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    done_on: Mapped[date | None]

    complaint = relationship("Complaint", back_populates="actions")
    responsible = relationship("User", foreign_keys=[responsible_id])


class ComplaintNumberCounter(db.Model):
    """The last complaint number given in a year (see portal/plans/numbering.py)."""

    __tablename__ = "complaint_number_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)
