"""What the provider pages keep of their own: when a provider was last
reminded by e-mail that its catalogue entries need confirming (issue 15 §1),
so that `flask providers remind` run daily sends once per reminder period."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class AssuranceReminder(db.Model):
    """The last reminder sent to a provider's accounts: one row per provider."""

    __tablename__ = "provider_assurance_reminder"

    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), primary_key=True)
    sent_at: Mapped[datetime]
    # How many of its services were waiting for confirmation then, and to how many accounts it went.
    services: Mapped[int] = mapped_column(Integer, default=0)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
