"""The services organiser's duties under art. 46 of the act.

HalfYearSummary — the summary of the individual plans of one half-year (I:
January–June, II: July–December) for the director and the community
organiser (art. 46 ust. 1). One per half-year. The organiser writes the
conclusions (saved under the optimistic lock, `version`), then sends it:
sending is irreversible and freezes the figures as they were at that moment
(`snapshot`, JSON: counts and plan numbers only, never a person). Each
director and community organiser with an active account at sending is a
SummaryReader, who confirms having read it (`read_at`).

CoordinatorMeeting — a meeting of the organiser with the coordinators
(art. 46 ust. 2), at least every three months, providers when invited: the
day it was held, the staff who attended, the providers invited (free text),
the plans discussed (by plan: the pages show their numbers only), the
conclusions and the tasks with an owner and a due day.
"""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Created, Updated, Versioned, link_table
from ..extensions import db

DRAFT = "draft"
SENT = "sent"

meeting_attendees = link_table("duty_meeting_attendee", "duty_meeting", "user_account")
meeting_plans = link_table("duty_meeting_plan", "duty_meeting", "plan")


class HalfYearSummary(Created, Updated, Versioned, db.Model):
    __tablename__ = "duty_summary"
    __table_args__ = (UniqueConstraint("year", "half", name="uq_duty_summary_half"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    half: Mapped[int]  # 1: January–June, 2: July–December
    conclusions: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(8), default=DRAFT)
    sent_at: Mapped[datetime | None]
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The figures as they were at sending (duties.figures_data): counts and plan numbers.
    snapshot: Mapped[dict | None] = mapped_column(JSON)

    sent_by = relationship("User", foreign_keys=[sent_by_id])
    readers = relationship("SummaryReader", back_populates="summary", cascade="all, delete-orphan",
                           order_by="SummaryReader.id")

    @property
    def is_sent(self):
        return self.status == SENT


class SummaryReader(db.Model):
    """A recipient of a sent summary and when they confirmed reading it."""

    __tablename__ = "duty_summary_reader"
    __table_args__ = (UniqueConstraint("summary_id", "user_id", name="uq_duty_summary_reader"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("duty_summary.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(String(24))  # the role at sending
    read_at: Mapped[datetime | None]

    summary = relationship("HalfYearSummary", back_populates="readers")
    user = relationship("User")


class CoordinatorMeeting(Created, Updated, Versioned, db.Model):
    __tablename__ = "duty_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(index=True)
    invited_providers: Mapped[str | None] = mapped_column(Text)
    conclusions: Mapped[str] = mapped_column(Text, default="")

    attendees = relationship("User", secondary=meeting_attendees)
    plans = relationship("Plan", secondary=meeting_plans, order_by="(Plan.number_year, Plan.number_seq)")
    tasks = relationship("MeetingTask", back_populates="meeting", cascade="all, delete-orphan",
                         order_by="(MeetingTask.position, MeetingTask.id)")


class MeetingTask(db.Model):
    __tablename__ = "duty_meeting_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("duty_meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    due_on: Mapped[date]

    meeting = relationship("CoordinatorMeeting", back_populates="tasks")
    owner = relationship("User")
