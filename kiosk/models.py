"""Kiosk screens and their heartbeats.

The heartbeat lives in its own table: a screen reports every 15 s, and
writing those reports into the screen's row would move its version and
turn every staff edit into a conflict.
"""
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import now

from .hours import parse_hours

screen_service = Table(
    "kiosk_screen_service",
    db.Model.metadata,
    Column("screen_id", ForeignKey("kiosk_screen.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
)


class Screen(db.Model):
    __tablename__ = "kiosk_screen"
    __table_args__ = (
        CheckConstraint("slide_seconds IS NULL OR slide_seconds BETWEEN 5 AND 120", name="slide_seconds_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Where the screen hangs (shown to staff); optional.
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"), index=True)
    # The secret part of the screen's URL: secrets.token_urlsafe(24), 32 characters.
    token: Mapped[str] = mapped_column(String(64), unique=True)

    # Opening hours: seven "HH:MM-HH:MM" or "" (closed), Monday first, comma-separated.
    hours: Mapped[str] = mapped_column(String(120), default=",,,,,,")
    always_on: Mapped[bool] = mapped_column(default=False)
    closed_on_holidays: Mapped[bool] = mapped_column(default=True)
    # Empty: computed per slide from the amount of text (10-20 s).
    slide_seconds: Mapped[int | None]

    show_today: Mapped[bool] = mapped_column(default=True)
    show_upcoming: Mapped[bool] = mapped_column(default=True)
    show_free_services: Mapped[bool] = mapped_column(default=True)
    show_notices: Mapped[bool] = mapped_column(default=True)

    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    version: Mapped[int] = mapped_column(default=1)

    place = relationship("Place")
    services = relationship("Service", secondary=screen_service, order_by="Service.name")
    heartbeat = relationship("Heartbeat", uselist=False, cascade="all, delete-orphan", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}

    @property
    def weekly_hours(self):
        return parse_hours(self.hours)

    def __repr__(self):
        return f"<Screen {self.id} {self.name!r}>"


class Heartbeat(db.Model):
    """What a screen last reported: when, which slide, which slide set."""

    __tablename__ = "kiosk_heartbeat"

    screen_id: Mapped[int] = mapped_column(ForeignKey("kiosk_screen.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[datetime]
    slide_key: Mapped[str | None] = mapped_column(String(80))
    position: Mapped[int | None]
    count: Mapped[int | None]
    # The version marker of the set the screen holds, and when it last
    # reached the server before this report (its data are from then).
    set_version: Mapped[str | None] = mapped_column(String(80))
    data_at: Mapped[datetime | None]
    user_agent: Mapped[str | None] = mapped_column(String(300))
