"""The needs assessment (Indywidualna Diagnoza Potrzeb).

Identity and contact data (name, PESEL, date of birth, address, phone,
e-mail) are not copied here: they come from the Resident record whenever the
assessment is shown or printed, so there is one source of truth.

The special categories of personal data (GDPR art. 9: minority, disability,
health, and the housing and family situation that in practice carry them)
live in their own table, one row per assessment, with no relationship from
Assessment: they are read only through `services.sensitive_of`, which the
views call on the pages that audit the reading ("view_sensitive").
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import UNITS
from ..core.models import Updated, Versioned
from ..extensions import db
from ..timeutil import now

STATUSES = {
    "draft": _l("szkic"),
    "completed": _l("zakończona"),
}

PLACES = {
    "centre": _l("w siedzibie centrum"),
    "home": _l("w miejscu zamieszkania osoby"),
}

EDUCATION = {
    "none": _l("brak"),
    "primary": _l("podstawowe"),
    "secondary": _l("średnie"),
    "higher": _l("wyższe"),
}

LABOUR_STATUSES = {
    "employed": _l("pracujący(-a)"),
    "unemployed_registered": _l("bezrobotny(-a) zarejestrowany(-a) w PUP"),
    "unemployed_unregistered": _l("bezrobotny(-a) niezarejestrowany(-a) w PUP"),
    "job_seeker": _l("poszukujący(-a) pracy"),
    "inactive": _l("bierny(-a) zawodowo"),
    "farmer": _l("rolnik"),
    "other": _l("inna sytuacja"),
}

MARITAL_STATUSES = {
    "single": _l("panna / kawaler"),
    "married": _l("zamężna / żonaty"),
    "partnership": _l("w związku nieformalnym"),
    "separated": _l("w separacji"),
    "divorced": _l("rozwiedziony(-a)"),
    "widowed": _l("wdowa / wdowiec"),
}

# Support the person receives: from whom (rows) and of which kind (columns).
SUPPORT_SOURCES = {
    "family": _l("rodzina"),
    "others": _l("inne osoby (sąsiedzi, znajomi)"),
    "ngo": _l("organizacje pozarządowe"),
    "church": _l("Kościół, związek wyznaniowy"),
    "institutions": _l("instytucje"),
}
SUPPORT_KINDS = {
    "cash": _l("finansowe"),
    "in_kind": _l("rzeczowe"),
    "services": _l("usługi"),
}

READINESS = {
    "ready": _l("gotowa(-y) do zmiany"),
    "partly": _l("częściowo gotowa(-y)"),
    "not_ready": _l("niegotowa(-y)"),
}

# The special-category section (GDPR art. 9).
MINORITY = {
    "yes": _l("tak"),
    "no": _l("nie"),
    "refused": _l("odmowa odpowiedzi"),
}
DISABILITY = {
    "no": _l("nie"),
    "yes": _l("tak"),
}
DISABILITY_DEGREES = {
    "mild": _l("lekki"),
    "moderate": _l("umiarkowany"),
    "severe": _l("znaczny"),
}


class Assessment(Updated, Versioned, db.Model):
    __tablename__ = "assessment"
    __table_args__ = (
        Index("ix_assessment_coordinator_status", "coordinator_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Empty for an assessment started from the person's page (e.g. before a plan update).
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    assessed_on: Mapped[date | None]
    place: Mapped[str | None] = mapped_column(String(16))
    completed_at: Mapped[datetime | None]

    education: Mapped[str | None] = mapped_column(String(16))
    labour_status: Mapped[str | None] = mapped_column(String(32))
    occupation: Mapped[str | None] = mapped_column(String(200))
    marital_status: Mapped[str | None] = mapped_column(String(16))
    household_size: Mapped[int | None]
    income_source: Mapped[str | None] = mapped_column(Text)
    social_assistance: Mapped[str | None] = mapped_column(Text)
    # Per source, the kinds of support as a sorted comma list of SUPPORT_KINDS keys.
    support_family: Mapped[str | None] = mapped_column(String(40))
    support_others: Mapped[str | None] = mapped_column(String(40))
    support_ngo: Mapped[str | None] = mapped_column(String(40))
    support_church: Mapped[str | None] = mapped_column(String(40))
    support_institutions: Mapped[str | None] = mapped_column(String(40))
    support_notes: Mapped[str | None] = mapped_column(Text)
    social_engagement: Mapped[str | None] = mapped_column(Text)
    services_used: Mapped[str | None] = mapped_column(Text)
    problems: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[str | None] = mapped_column(Text)  # needs and expectations
    readiness: Mapped[str | None] = mapped_column(String(16))
    readiness_notes: Mapped[str | None] = mapped_column(Text)
    conclusions: Mapped[str | None] = mapped_column(Text)  # conclusions and recommendations

    created_at: Mapped[datetime] = mapped_column(default=now)

    request = relationship("Request")
    resident = relationship("Resident")
    coordinator = relationship("User", foreign_keys=[coordinator_id])
    services_wanted = relationship("AssessmentService", back_populates="assessment",
                                   order_by="(AssessmentService.position, AssessmentService.id)",
                                   cascade="all, delete-orphan")

    @property
    def number(self):
        day = self.assessed_on or (self.created_at.date() if self.created_at else None)
        return f"D/{self.id}/{day.year}" if day else f"D/{self.id}"

    @property
    def is_draft(self):
        return self.status == "draft"

    @property
    def is_completed(self):
        return self.status == "completed"

    def support(self, source):
        """The kinds of support from `source`, as a list of SUPPORT_KINDS keys."""
        value = getattr(self, f"support_{source}") or ""
        return [kind for kind in value.split(",") if kind in SUPPORT_KINDS]


class AssessmentService(db.Model):
    """A service the person wants: from the catalogue, or named in free text."""

    __tablename__ = "assessment_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))  # when not in the catalogue
    unit: Mapped[str | None] = mapped_column(String(40))  # a UNITS key, or free text
    quantity: Mapped[int | None]
    frequency: Mapped[str | None] = mapped_column(String(120))

    assessment = relationship("Assessment", back_populates="services_wanted")
    service = relationship("Service")

    @property
    def display_name(self):
        if self.service is not None:
            return self.service.name
        return self.name or ""

    @property
    def unit_label(self):
        if not self.unit:
            return ""
        if self.unit in UNITS:
            return str(UNITS[self.unit][0])
        return self.unit


class AssessmentSensitive(Updated, Versioned, db.Model):
    """The special-category section of one assessment (GDPR art. 9)."""

    __tablename__ = "assessment_sensitive"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True)
    minority: Mapped[str | None] = mapped_column(String(8))
    disability: Mapped[str | None] = mapped_column(String(8))
    disability_degree: Mapped[str | None] = mapped_column(String(16))
    health: Mapped[str | None] = mapped_column(Text)
    housing: Mapped[str | None] = mapped_column(Text)
    family: Mapped[str | None] = mapped_column(Text)

    assessment = relationship("Assessment")
