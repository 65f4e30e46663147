"""Quality of the services (issue 13 §2): satisfaction surveys, quality
standards and on-site checks of providers.

The survey is anonymous by construction: an answer keeps the service, the day
it was given, the channel (paper typed in by staff, or the one-time link) and
the scores and comment; never a resident, a user, an address or the link it
came through. A one-time link keeps only the SHA-256 of its token, and the
day it was used, not the answer it led to.
"""
from datetime import date, datetime

from sqlalchemy import ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import USER_ID, Created, Updated, Versioned
from ..extensions import db
from ..timeutil import now

CHANNELS = ("paper", "link")
STANDARD_STATUSES = ("draft", "approved", "superseded")


class SurveyQuestion(db.Model):
    """A question of a service's own questionnaire (1–5). A service without
    any asks the default questions (surveys.DEFAULT_QUESTIONS)."""

    __tablename__ = "survey_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(200))


class SurveyAnswer(db.Model):
    """One questionnaire filled in, anonymous: no person, no user, no token."""

    __tablename__ = "survey_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    answered_on: Mapped[date] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(8))  # paper / link
    comment: Mapped[str | None] = mapped_column(Text)

    scores = relationship("SurveyScore", cascade="all, delete-orphan", order_by="SurveyScore.position",
                          back_populates="answer")
    service = relationship("Service")


class SurveyScore(db.Model):
    """The score (1–5) given to one question; the question's text is kept as
    it was asked, so a question changed later does not change old answers."""

    __tablename__ = "survey_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("survey_answer.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    question: Mapped[str] = mapped_column(String(200))
    score: Mapped[int] = mapped_column(SmallInteger)

    answer = relationship("SurveyAnswer", back_populates="scores")


class SurveyToken(db.Model):
    """A one-time survey link. Only the SHA-256 of its random code is stored;
    `used_on` is the day it was used (no time, no answer: it cannot be
    matched to the answer it led to)."""

    __tablename__ = "survey_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    used_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey(USER_ID, ondelete="SET NULL"))

    service = relationship("Service")


class StandardVersion(Created, Updated, Versioned, db.Model):
    """A version of a service's quality standard: drafted by the services
    organiser, approved by the director's order (number and date), which
    freezes it; approving a newer version supersedes the one in force."""

    __tablename__ = "standard_version"
    __table_args__ = (UniqueConstraint("service_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft / approved / superseded
    order_number: Mapped[str | None] = mapped_column(String(80))
    order_date: Mapped[date | None]
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey(USER_ID))

    service = relationship("Service")
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    acceptances = relationship("StandardAcceptance", cascade="all, delete-orphan", back_populates="standard",
                               order_by="StandardAcceptance.accepted_on")


class StandardAcceptance(db.Model):
    """A provider's acceptance of an approved version of a standard."""

    __tablename__ = "standard_acceptance"
    __table_args__ = (UniqueConstraint("standard_id", "provider_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standard_version.id", ondelete="CASCADE"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    accepted_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey(USER_ID))

    standard = relationship("StandardVersion", back_populates="acceptances")
    provider = relationship("Provider")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])


class ProviderCheck(Created, Updated, Versioned, db.Model):
    """An on-site check of a provider (kontrola): who checked what, what they
    found and recommended, when to follow up, and the provider's answer."""

    __tablename__ = "provider_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"))
    checked_on: Mapped[date]
    inspectors: Mapped[str] = mapped_column(String(300))
    scope: Mapped[str] = mapped_column(Text)
    findings: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    follow_up_done_on: Mapped[date | None]
    answer: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None]

    provider = relationship("Provider")
    service = relationship("Service")
