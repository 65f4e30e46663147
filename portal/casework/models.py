"""Following a plan (monitoring card) and closing it (summary and survey).

MonitoringEntry — one line of the monitoring card (karta monitoringu): a
contact with the person (by phone, a visit, at the centre) about one service
of the plan: what was delivered, remarks, the person's satisfaction 1–5. The
entry points at the plan item of the version in force on the day it was
recorded and keeps the service too, so the card reads the same after an
update supersedes that version. Entries are only ever added.

PlanClosure — the end of the plan: the date of the summary conversation, the
written description of the course and results (period, services and their
periods, scope, reasons the person was supported, effects), an outcome per
service (ClosureItem) and the satisfaction survey (fixed questions, 1–5, and
free text). One per plan; written once, when the plan closes, and never
changed: a closed plan is frozen.
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import now

CONTACT_KINDS = {
    "phone": _l("kontakt telefoniczny"),
    "visit": _l("wizyta w miejscu zamieszkania"),
    "centre": _l("spotkanie w siedzibie centrum"),
}

SATISFACTION = {
    1: _l("1 — bardzo niezadowolony(-a)"),
    2: _l("2 — niezadowolony(-a)"),
    3: _l("3 — ani zadowolony(-a), ani niezadowolony(-a)"),
    4: _l("4 — zadowolony(-a)"),
    5: _l("5 — bardzo zadowolony(-a)"),
}

OUTCOMES = {
    "attained": _l("cel osiągnięty"),
    "partly": _l("cel osiągnięty częściowo"),
    "not_attained": _l("cel nieosiągnięty"),
    "cancelled": _l("usługa anulowana"),
}

# The satisfaction survey at closure: fixed questions, answered 1–5.
SURVEY_QUESTIONS = {
    "survey_needs": _l("Czy usługi odpowiadały Pani/Pana potrzebom?"),
    "survey_quality": _l("Jak ocenia Pani/Pan jakość otrzymanych usług?"),
    "survey_access": _l("Czy usługi były dostępne w dogodnym miejscu i czasie?"),
    "survey_coordinator": _l("Jak ocenia Pani/Pan współpracę z koordynatorem?"),
    "survey_change": _l("Czy dzięki wsparciu Pani/Pana sytuacja się poprawiła?"),
}
SURVEY_SCALE = {
    1: _l("1 — zdecydowanie nie / bardzo źle"),
    2: _l("2 — raczej nie / źle"),
    3: _l("3 — trudno powiedzieć"),
    4: _l("4 — raczej tak / dobrze"),
    5: _l("5 — zdecydowanie tak / bardzo dobrze"),
}


class MonitoringEntry(db.Model):
    __tablename__ = "monitoring_entry"
    __table_args__ = (
        # The last contact of a plan (the quarterly deadline) is one index read.
        Index("ix_monitoring_entry_plan_contact", "plan_id", "contact_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    contact_on: Mapped[date]
    contact_kind: Mapped[str] = mapped_column(String(16))  # CONTACT_KINDS
    scope_delivered: Mapped[str] = mapped_column(Text)
    remarks: Mapped[str | None] = mapped_column(Text)
    satisfaction: Mapped[int | None]  # 1–5; empty when the person gave no rating
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=now)

    plan = relationship("Plan")
    plan_item = relationship("PlanItem")
    service = relationship("Service")
    recorded_by = relationship("User")

    @property
    def kind_label(self):
        return CONTACT_KINDS.get(self.contact_kind, self.contact_kind)


class PlanClosure(db.Model):
    __tablename__ = "plan_closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), unique=True)
    conversation_on: Mapped[date]  # the summary conversation
    period_from: Mapped[date]  # the period the person was supported
    period_to: Mapped[date]
    course: Mapped[str] = mapped_column(Text)  # services, their periods and scope, as it went
    reasons: Mapped[str] = mapped_column(Text)  # why the person was supported
    effects: Mapped[str] = mapped_column(Text)

    survey_declined: Mapped[bool] = mapped_column(default=False)
    survey_needs: Mapped[int | None]
    survey_quality: Mapped[int | None]
    survey_access: Mapped[int | None]
    survey_coordinator: Mapped[int | None]
    survey_change: Mapped[int | None]
    survey_comment: Mapped[str | None] = mapped_column(Text)

    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime] = mapped_column(default=now)

    plan = relationship("Plan")
    closed_by = relationship("User")
    items = relationship("ClosureItem", back_populates="closure", order_by="(ClosureItem.position, ClosureItem.id)",
                         cascade="all, delete-orphan")

    @property
    def answers(self):
        """[(question, answer or None)] in the survey's order."""
        return [(label, getattr(self, key)) for key, label in SURVEY_QUESTIONS.items()]


class ClosureItem(db.Model):
    """A service of the plan at its end: when it actually ran and how it went."""

    __tablename__ = "plan_closure_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    closure_id: Mapped[int] = mapped_column(ForeignKey("plan_closure.id", ondelete="CASCADE"), index=True)
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    position: Mapped[int] = mapped_column(default=0)
    period_from: Mapped[date]
    period_to: Mapped[date]
    outcome: Mapped[str] = mapped_column(String(16))  # OUTCOMES
    note: Mapped[str | None] = mapped_column(Text)

    closure = relationship("PlanClosure", back_populates="items")
    plan_item = relationship("PlanItem")
    service = relationship("Service")

    @property
    def outcome_label(self):
        return OUTCOMES.get(self.outcome, self.outcome)
