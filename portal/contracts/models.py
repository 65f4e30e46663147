"""The centre's contracts with providers (issue 15 §2): what was commissioned
from whom, how (the mode), for which services in what volume, for how much
and for how long; the amendments that change the terms; the signed scan.

A contract's current terms are its own, changed by its amendments in the
order they were signed: the latest amendment that sets the end, the amount
or a service's volume gives it (Contract.current_*)."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Created, Updated, Versioned
from ..extensions import db

# How a service was commissioned.
MODES = {
    "open_competition": _l("Otwarty konkurs ofert (ustawa o działalności pożytku publicznego)"),
    "simplified": _l("Tryb uproszczony (art. 19a)"),
    "procurement": _l("Zamówienie publiczne z klauzulami społecznymi"),
    "social_cooperative": _l("Zlecenie spółdzielni socjalnej"),
    "own_task": _l("Zadanie własne CUS"),
}

STATUSES = {
    "active": _l("Zawarta"),
    "terminated": _l("Rozwiązana"),
}


class Contract(Created, Updated, Versioned, db.Model):
    __tablename__ = "contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    mode: Mapped[str] = mapped_column(String(24))
    # The call for proposals or the award: its reference and date.
    reference: Mapped[str | None] = mapped_column(String(200))
    reference_date: Mapped[date | None]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active")
    terminated_on: Mapped[date | None]
    termination_reason: Mapped[str | None] = mapped_column(String(500))
    # The signed contract's scan (checked and written anew as the plans' scans are).
    scan_file: Mapped[str | None] = mapped_column(String(64))
    scan_type: Mapped[str | None] = mapped_column(String(40))
    scan_sha256: Mapped[str | None] = mapped_column(String(64))

    provider = relationship("Provider")
    lines = relationship("ContractService", cascade="all, delete-orphan", order_by="ContractService.id",
                         back_populates="contract")
    amendments = relationship("ContractAmendment", cascade="all, delete-orphan",
                              order_by="(ContractAmendment.signed_on, ContractAmendment.id)",
                              back_populates="contract")

    @property
    def mode_label(self):
        return MODES.get(self.mode, self.mode)

    @property
    def current_end(self):
        """The end as the latest amendment that moved it says, else the contract's."""
        end = self.ends_on
        for amendment in self.amendments:
            if amendment.ends_on is not None:
                end = amendment.ends_on
        return end

    @property
    def effective_end(self):
        """The last day the contract runs: its current end, or the day it was terminated."""
        if self.status == "terminated" and self.terminated_on is not None:
            return min(self.terminated_on, self.current_end)
        return self.current_end

    @property
    def current_amount(self):
        amount = self.amount
        for amendment in self.amendments:
            if amendment.amount is not None:
                amount = amendment.amount
        return amount

    def current_volumes(self):
        """{service id: volume} as amended."""
        volumes = {line.service_id: line.volume for line in self.lines}
        for amendment in self.amendments:
            for change in amendment.volumes:
                if change.service_id in volumes:
                    volumes[change.service_id] = change.volume
        return volumes


class ContractService(db.Model):
    """A service of the contract with its contracted volume in the service's unit."""

    __tablename__ = "contract_service"
    __table_args__ = (UniqueConstraint("contract_id", "service_id", name="one_line_per_service"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    volume: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    # The part of the contract's amount for this service, when the contract says it.
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))

    contract = relationship("Contract", back_populates="lines")
    service = relationship("Service")


class ContractAmendment(Created, db.Model):
    """An amendment (aneks): from its day, the end, the amount and the volumes it sets."""

    __tablename__ = "contract_amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    signed_on: Mapped[date]
    ends_on: Mapped[date | None]
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    note: Mapped[str | None] = mapped_column(Text)

    contract = relationship("Contract", back_populates="amendments")
    volumes = relationship("ContractAmendmentVolume", cascade="all, delete-orphan",
                           order_by="ContractAmendmentVolume.id")


class ContractAmendmentVolume(db.Model):
    __tablename__ = "contract_amendment_volume"

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("contract_amendment.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    volume: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    service = relationship("Service")
