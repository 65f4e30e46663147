"""History from before the portal: counts imported from paper and spreadsheets.

A row is one service granted to one person (`kind` "service") or one plan
concluded (`kind` "plan"), on a day, with a case reference that holds no
personal data (distinct references count as distinct people), the service
matched to the catalogue when it exists or kept as a historical name, and an
optional quantity in the service's unit. Every report counts these rows
exactly as it counts live records.

Rows arrive in imports (`HistoryImport`: the file's name, who imported it and
when); an import is withdrawn as a whole: its rows are deleted and the import
stays listed with who withdrew it and when.
"""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Created
from ..extensions import db

SERVICE = "service"
PLAN = "plan"
KINDS = (SERVICE, PLAN)


class HistoryImport(Created, db.Model):
    __tablename__ = "history_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    row_count: Mapped[int] = mapped_column(default=0)
    withdrawn_at: Mapped[datetime | None] = mapped_column()
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    withdrawn_by = relationship("User", foreign_keys=[withdrawn_by_id])
    rows = relationship("HistoryRow", back_populates="history_import", cascade="all, delete-orphan",
                        passive_deletes=True)


class HistoryRow(db.Model):
    __tablename__ = "history_row"
    __table_args__ = (Index("ix_history_row_kind_day", "kind", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("history_import.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    day: Mapped[date] = mapped_column()
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"), index=True)
    # The name as the file gave it: kept for a service the catalogue does not hold.
    service_name: Mapped[str | None] = mapped_column(String(300))
    case_ref: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))

    history_import = relationship("HistoryImport", back_populates="rows")
    service = relationship("Service")
