"""Individual plans (IPUS), single grants of a service, waiting lists.

The shape, for whoever builds on it (monitoring, closure, "My cases"):

Plan — one per case: the person, the request, the completed assessment it
is drawn from, the coordinator; the number (given at the first approval,
per year: IPUS/<seq>/<year>); the lifecycle status; the overdue reason.
`Plan.version` is the optimistic lock of the whole plan: every change to the
plan, to any of its versions or items moves it.

PlanVersion — the content. Number 0 is the original plan, 1, 2, ... are
updates ("aktualizacja nr 1"). Each has its own items, dates, expected
effects and check frequency, its own approval steps and signatures, and once
approved a frozen snapshot (JSON), the PDF bytes and their hashes. At most
one version is "in the works" (draft / submitted / returned) and at most one
is in force (approved / signed); an approved update supersedes the version
in force. Nothing of an approved version is ever edited again.

Statuses:
  Plan.status      draft -> submitted -> (returned -> submitted)* -> approved
                   -> active (version 0 signed by both sides) -> closed;
                   cancelled before approval. Updates do not change it.
  PlanVersion.status  draft -> submitted -> (returned -> submitted)* ->
                   approved -> signed; superseded when a later version is
                   approved; cancelled (a draft given up).

Capacity: items of versions in force (approved / signed) of plans that are
not cancelled, and grants with status "granted", hold their quantity of the
service on every day of their period (a closed plan's items until
`Plan.closed_on`). See capacity.py.
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..core.models import Created, Versioned
from ..extensions import db
from ..timeutil import now

PLAN_STATUSES = {
    "draft": _l("projekt"),
    "submitted": _l("przekazany do zatwierdzenia"),
    "returned": _l("zwrócony do poprawy"),
    "approved": _l("zatwierdzony — czeka na podpisy"),
    "active": _l("podpisany — w realizacji"),
    "closed": _l("zamknięty"),
    "cancelled": _l("anulowany"),
}
# Plans a coordinator still works on or follows.
OPEN_PLAN_STATUSES = ("draft", "submitted", "returned", "approved", "active")

VERSION_STATUSES = {
    "draft": _l("projekt"),
    "submitted": _l("przekazana do zatwierdzenia"),
    "returned": _l("zwrócona do poprawy"),
    "approved": _l("zatwierdzona — czeka na podpisy"),
    "signed": _l("podpisana"),
    "superseded": _l("zastąpiona aktualizacją"),
    "cancelled": _l("anulowana"),
}
# The same statuses for the original version, which the pages name "Plan
# pierwotny" (masculine); the updates ("Aktualizacja nr 1") take the ones above.
ORIGINAL_VERSION_STATUSES = {
    "draft": _l("projekt"),
    "submitted": _l("przekazany do zatwierdzenia"),
    "returned": _l("zwrócony do poprawy"),
    "approved": _l("zatwierdzony — czeka na podpisy"),
    "signed": _l("podpisany"),
    "superseded": _l("zastąpiony aktualizacją"),
    "cancelled": _l("anulowany"),
}
EDITABLE_VERSION_STATUSES = ("draft", "returned")
WORKING_VERSION_STATUSES = ("draft", "submitted", "returned")
IN_FORCE_VERSION_STATUSES = ("approved", "signed")
FROZEN_VERSION_STATUSES = ("approved", "signed", "superseded")

# How often quality and satisfaction are checked: at least every quarter.
CHECK_FREQUENCIES = {
    "monthly": _l("co miesiąc"),
    "quarterly": _l("co kwartał"),
}

STEP_ACTIONS = {
    "submitted": _l("przekazano do zatwierdzenia"),
    "approved": _l("zatwierdzono"),
    "returned": _l("zwrócono do poprawy"),
    "cancelled": _l("anulowano"),
}

SIGNER_ROLES = {
    "participant": _l("uczestnik"),
    "representative": _l("przedstawiciel ustawowy / opiekun"),
    "director": _l("dyrektor"),
}

SUPPORTS = {
    "volunteers": _l("wolontariusze"),
    "self_help": _l("samopomoc"),
    "neighbours": _l("pomoc sąsiedzka"),
}

GRANT_STATUSES = {
    "granted": _l("przyznana"),
    "cancelled": _l("anulowana"),
}

WAITING_STATUSES = {
    "waiting": _l("oczekuje"),
    "placed": _l("przyznano miejsce"),
    "withdrawn": _l("wycofano z listy"),
}


class Plan(Created, Versioned, db.Model):
    __tablename__ = "plan"
    __table_args__ = (
        UniqueConstraint("number_year", "number_seq", name="uq_plan_number"),
        Index("ix_plan_coordinator_status", "coordinator_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # IPUS/<number_seq>/<number_year>, given when version 0 is approved.
    number_year: Mapped[int | None]
    number_seq: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)

    # The 30-day deadline: the day version 0 was first submitted (Warsaw),
    # and why, when that was after the deadline.
    first_submitted_on: Mapped[date | None]
    overdue_reason: Mapped[str | None] = mapped_column(Text)

    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    # Set by the closure (a later feature); items hold capacity until closed_on.
    closed_on: Mapped[date | None]
    closed_at: Mapped[datetime | None]

    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    resident = relationship("Resident")
    request = relationship("Request")
    assessment = relationship("Assessment")
    coordinator = relationship("User", foreign_keys=[coordinator_id])
    versions = relationship("PlanVersion", back_populates="plan", order_by="PlanVersion.number",
                            cascade="all, delete-orphan")

    @property
    def number(self):
        """"IPUS/12/2026", or None before the first approval."""
        if self.number_seq is None:
            return None
        return f"IPUS/{self.number_seq}/{self.number_year}"

    @property
    def status_label(self):
        return PLAN_STATUSES.get(self.status, self.status)

    @property
    def original(self):
        return self.versions[0] if self.versions else None

    @property
    def working_version(self):
        """The version being drafted or approved (draft / submitted / returned), or None."""
        for version in reversed(self.versions):
            if version.status in WORKING_VERSION_STATUSES:
                return version
        return None

    @property
    def version_in_force(self):
        """The approved (or signed) version in force, or None."""
        for version in reversed(self.versions):
            if version.status in IN_FORCE_VERSION_STATUSES:
                return version
        return None

    @property
    def current_version(self):
        """What the plan's page shows first: the version in the works, else
        the one in force, else the latest."""
        return self.working_version or self.version_in_force or (self.versions[-1] if self.versions else None)

    @property
    def is_open(self):
        return self.status in OPEN_PLAN_STATUSES


class PlanVersion(Created, db.Model):
    __tablename__ = "plan_version"
    __table_args__ = (
        UniqueConstraint("plan_id", "number", name="uq_plan_version_number"),
        Index("ix_plan_version_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=0)  # 0 = original, n = "aktualizacja nr n"
    status: Mapped[str] = mapped_column(String(16), default="draft")

    drawn_up_on: Mapped[date]  # date drawn up (version 0) or updated
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    expected_effects: Mapped[str] = mapped_column(Text, default="")
    check_frequency: Mapped[str] = mapped_column(String(16), default="quarterly")
    update_reason: Mapped[str | None] = mapped_column(Text)

    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Approved by an organiser under the director's authorisation.
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("approval_delegation.id"))
    signed_at: Mapped[datetime | None]  # both sides have signed
    superseded_at: Mapped[datetime | None]

    # Frozen at approval: the legal guardian as the register held them, the
    # whole content as JSON, its hash (printed in the PDF's footer), and the
    # PDF with the sha256 of its bytes. Later prints serve these bytes.
    guardian_kind: Mapped[str | None] = mapped_column(String(16))
    guardian_name: Mapped[str | None] = mapped_column(String(200))
    guardian_contact: Mapped[str | None] = mapped_column(String(300))
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    plan = relationship("Plan", back_populates="versions")
    items = relationship("PlanItem", back_populates="plan_version", order_by="(PlanItem.position, PlanItem.id)",
                         cascade="all, delete-orphan")
    steps = relationship("ApprovalStep", back_populates="plan_version", order_by="(ApprovalStep.at, ApprovalStep.id)",
                         cascade="all, delete-orphan")
    signatures = relationship("Signature", back_populates="plan_version",
                              order_by="(Signature.signed_on, Signature.id)", cascade="all, delete-orphan")
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    delegation = relationship("ApprovalDelegation")

    @property
    def status_label(self):
        labels = VERSION_STATUSES if self.number else ORIGINAL_VERSION_STATUSES
        return labels.get(self.status, self.status)

    @property
    def is_editable(self):
        return self.status in EDITABLE_VERSION_STATUSES

    @property
    def is_frozen(self):
        return self.status in FROZEN_VERSION_STATUSES

    @property
    def is_update(self):
        return self.number > 0

    @property
    def check_frequency_label(self):
        return CHECK_FREQUENCIES.get(self.check_frequency, self.check_frequency)

    def signed_by(self, *roles):
        return [s for s in self.signatures if s.signer_role in roles]

    @property
    def person_signed(self):
        return bool(self.signed_by("participant", "representative"))

    @property
    def director_signed(self):
        return bool(self.signed_by("director"))


class PlanItem(db.Model):
    """One service of a plan version, with everything the printed plan lists."""

    __tablename__ = "plan_item"
    __table_args__ = (Index("ix_plan_item_service_period", "service_id", "period_from", "period_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    place: Mapped[str] = mapped_column(String(300), default="")
    schedule: Mapped[str] = mapped_column(Text, default="")  # prefilled from the catalogue, editable
    period_from: Mapped[date]
    period_to: Mapped[date]
    scope: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[int] = mapped_column(default=1)  # in the service's unit, for the period
    unit: Mapped[str] = mapped_column(String(16), default="meeting")  # the service's unit when added
    # Supporting activities organised by the community organiser.
    supports_volunteers: Mapped[bool] = mapped_column(default=False)
    supports_self_help: Mapped[bool] = mapped_column(default=False)
    supports_neighbours: Mapped[bool] = mapped_column(default=False)
    supporting_note: Mapped[str | None] = mapped_column(Text)

    plan_version = relationship("PlanVersion", back_populates="items")
    service = relationship("Service")
    provider = relationship("Provider")

    @property
    def supports(self):
        """The supporting activities ticked, as codes of SUPPORTS."""
        return [code for code in SUPPORTS if getattr(self, f"supports_{code}")]


class ApprovalStep(db.Model):
    """Submitted, approved, returned (with comments) or cancelled: who and when."""

    __tablename__ = "approval_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    # Set when an organiser acted under the director's authorisation.
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("approval_delegation.id"))

    plan_version = relationship("PlanVersion", back_populates="steps")
    actor = relationship("User")
    delegation = relationship("ApprovalDelegation")

    @property
    def label(self):
        return STEP_ACTIONS.get(self.action, self.action)


class ApprovalDelegation(db.Model):
    """The director authorises a services organiser to approve plans;
    recorded, and revocable (the row stays, with who revoked it and when)."""

    __tablename__ = "approval_delegation"

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    granted_at: Mapped[datetime] = mapped_column(default=now)
    valid_until: Mapped[date | None]  # open-ended when empty
    note: Mapped[str | None] = mapped_column(String(500))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    organiser = relationship("User", foreign_keys=[organiser_id])
    granted_by = relationship("User", foreign_keys=[granted_by_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])

    def is_active(self, today):
        return self.revoked_at is None and (self.valid_until is None or today <= self.valid_until)


class Signature(db.Model):
    """A signature on a plan version, with an optional scan of the signed
    paper (kept under the instance folder, never under static/)."""

    __tablename__ = "plan_signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    signer_role: Mapped[str] = mapped_column(String(16))  # SIGNER_ROLES
    signer_name: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    # The scan: a random file name under <instance>/scans/, its checked type,
    # size and sha256.
    scan_file: Mapped[str | None] = mapped_column(String(80))
    scan_type: Mapped[str | None] = mapped_column(String(40))
    scan_size: Mapped[int | None]
    scan_sha256: Mapped[str | None] = mapped_column(String(64))

    plan_version = relationship("PlanVersion", back_populates="signatures")
    recorded_by = relationship("User")

    @property
    def role_label(self):
        return SIGNER_ROLES.get(self.signer_role, self.signer_role)


class ServiceGrant(db.Model):
    """A single service granted without a plan: it uses the service's
    capacity like a plan item while its status is "granted"."""

    __tablename__ = "service_grant"
    __table_args__ = (Index("ix_service_grant_service_period", "service_id", "period_from", "period_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    quantity: Mapped[int] = mapped_column(default=1)
    unit: Mapped[str] = mapped_column(String(16))
    period_from: Mapped[date]
    period_to: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="granted")
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    granted_at: Mapped[datetime] = mapped_column(default=now)
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    resident = relationship("Resident")
    request = relationship("Request")
    service = relationship("Service")
    granted_by = relationship("User", foreign_keys=[granted_by_id])
    cancelled_by = relationship("User", foreign_keys=[cancelled_by_id])

    @property
    def status_label(self):
        return GRANT_STATUSES.get(self.status, self.status)


class WaitingListEntry(db.Model):
    """A person waiting for a place in a service that is full."""

    __tablename__ = "waiting_list_entry"
    __table_args__ = (Index("ix_waiting_list_service_status", "service_id", "status", "added_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    quantity: Mapped[int] = mapped_column(default=1)
    period_from: Mapped[date | None]
    period_to: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    added_at: Mapped[datetime] = mapped_column(default=now)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    service = relationship("Service")
    resident = relationship("Resident")
    request = relationship("Request")
    plan = relationship("Plan")
    added_by = relationship("User", foreign_keys=[added_by_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])

    @property
    def status_label(self):
        return WAITING_STATUSES.get(self.status, self.status)


class PlanNumberCounter(db.Model):
    """The last plan number given in a year. Taking a number updates this row
    in the approving transaction: the row lock (PostgreSQL) or the write lock
    (SQLite) makes concurrent approvals take turns, so no two plans share a
    number and none is skipped."""

    __tablename__ = "plan_number_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)
