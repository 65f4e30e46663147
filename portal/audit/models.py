from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import now


class AuditEvent(db.Model):
    """Never updated or deleted by the application."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(32))  # create, update, view, print, export, ...
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(String(500), default="")
    # Field-level changes: {"field": [old, new]}; never special-category values.
    changes: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(500))

    actor = relationship("User")
