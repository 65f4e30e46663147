"""A provider's proposal: a new service, or a change to one of its services
(issue 15 §1).

The proposed data is kept as JSON (the shape of the catalogue's service
data, dates and amounts as ISO text) beside the service's version when the
provider started from it (`base_version`) and its data then (`base`). Nothing of it reaches the
catalogue until the services organiser accepts it; accepting applies it
through the catalogue management's own operation with `base_version` as the
expected version, so a service changed since gets the conflict screen.
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Created, Updated, Versioned
from ..extensions import db

STATES = {
    "submitted": _l("czeka na decyzję"),
    "returned": _l("zwrócona do poprawy"),
    "accepted": _l("przyjęta"),
    "withdrawn": _l("wycofana"),
}
# The states a provider may still revise (and resubmit) or withdraw.
OPEN_STATES = ("submitted", "returned")

KINDS = {
    "new": _l("nowa usługa"),
    "change": _l("zmiana usługi"),
}


class Proposal(Created, Updated, Versioned, db.Model):
    __tablename__ = "service_proposal"
    __table_args__ = (
        Index("ix_service_proposal_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    # The service changed; None for a new service until it is accepted (then the service made).
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    # The service's version the provider started from (a change only).
    base_version: Mapped[int | None]
    # What the provider proposes: every field it may set, as its form sent them.
    data: Mapped[dict] = mapped_column(JSON)
    # The same fields of the service at `base_version` (a change only): what
    # differs between the two is the change, applied on acceptance to the
    # service as it is then (someone else's edit of another field stays).
    base: Mapped[dict | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="submitted")
    submitted_at: Mapped[datetime] = mapped_column()
    # The organiser's message when returning it; kept until the next return.
    message: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    provider = relationship("Provider")
    service = relationship("Service")
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def state_label(self):
        return STATES.get(self.state, self.state)

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def name(self):
        """The service's name as proposed."""
        return self.data.get("name") or ""
