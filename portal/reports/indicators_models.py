"""What the indicators report keeps (issue 14 §1, "Indicators").

A catalogue indicator (catalogue.models.Indicator: name, unit, target,
evidence, year) gets an actual value for a period in one of two ways:

- computed from what the portal counts — the service's participants, hours,
  held sessions or units delivered (`IndicatorMeasure.measure`);
- entered by the services organiser with the document that proves it
  (`IndicatorValue`: the value, the evidence document's reference, a note),
  one per indicator and period.

How an indicator is measured is the organiser's choice, kept apart from the
catalogue so the catalogue's form stays as it is; until chosen, a guess
from the indicator's name and unit (indicators.guess_measure).
"""
from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Created, Updated
from ..extensions import db


class IndicatorMeasure(Updated, db.Model):
    """How one indicator's actual value is found (indicators.MEASURES)."""

    __tablename__ = "indicator_measure"

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True,
                                              autoincrement=False)
    measure: Mapped[str] = mapped_column(String(16))

    indicator = relationship("Indicator")


class IndicatorValue(Created, Updated, db.Model):
    """An indicator's value for a period, entered with its evidence."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator_id", "period_start", "period_end", name="one_value_per_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    # The evidence document: its name and reference ("lista obecności, teczka 3/2026").
    evidence: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    # The evidence document's scan, optional: checked and written anew as the
    # plans' scans are (plans/scans.py), stored under a random name.
    evidence_file: Mapped[str | None] = mapped_column(String(80))
    evidence_type: Mapped[str | None] = mapped_column(String(40))
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))

    indicator = relationship("Indicator")


class CentreTarget(Updated, db.Model):
    """The target of a centre-wide indicator (indicators.CENTRE) for a year."""

    __tablename__ = "centre_indicator_target"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    target: Mapped[Decimal] = mapped_column(Numeric(12, 2))
