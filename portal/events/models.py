"""Events of the centre and its partners, and urgent notices.

Times are kept as the organiser means them: a local (Europe/Warsaw) date and
wall-clock time, so a weekly 10:00 club stays at 10:00 across the summer-time
changes. `span_start` / `span_end` are derived UTC bounds of the whole series
(kept by a mapper hook), only there to find candidate events with an index.
"""
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import Created, Updated, Versioned, link_table
from ..extensions import db
from ..timeutil import now
from . import recurrence as rec

CATEGORIES = {
    "culture": _l("kultura"),
    "integration": _l("integracja"),
    "education": _l("edukacja"),
    "health": _l("zdrowie"),
    "sport": _l("sport"),
    "workshop": _l("warsztaty"),
    "club": _l("spotkanie klubu"),
    "other": _l("inne"),
}

STATUSES = {
    "draft": _l("szkic"),
    "published": _l("opublikowane"),
    "cancelled": _l("odwołane"),
}

FREQUENCIES = {
    rec.NONE: _l("jednorazowo"),
    rec.WEEKLY: _l("co tydzień"),
    rec.MONTHLY: _l("co miesiąc"),
}

MONTHLY_MODES = {
    rec.BY_DAY: _l("tego samego dnia miesiąca"),
    rec.BY_NTH_WEEKDAY: _l("w ten sam dzień tygodnia (np. drugi wtorek)"),
    rec.BY_LAST_WEEKDAY: _l("w ostatni taki dzień tygodnia w miesiącu"),
}

event_audience = link_table("event_audience", "event", "target_group")


class Event(Created, Updated, Versioned, db.Model):
    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_status_span", "status", "span_start", "span_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(16), default="other")

    # The first occurrence, in local wall-clock time. All-day events have no
    # times and run from the start date to the end date inclusive.
    start_date: Mapped[date]
    start_time: Mapped[time | None]
    end_date: Mapped[date]
    end_time: Mapped[time | None]
    all_day: Mapped[bool] = mapped_column(default=False)

    # Recurrence, expanded in local time by portal/events/recurrence.py.
    frequency: Mapped[str] = mapped_column(String(8), default=rec.NONE)
    interval: Mapped[int] = mapped_column(default=1)
    weekdays: Mapped[str] = mapped_column(String(20), default="")  # "0,2": Monday, Wednesday
    monthly_mode: Mapped[str] = mapped_column(String(12), default=rec.BY_DAY)
    until: Mapped[date | None]
    skip_holidays: Mapped[bool] = mapped_column(default=False)

    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    room: Mapped[str | None] = mapped_column(String(120))
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))  # None: the centre itself

    registration_needed: Mapped[bool] = mapped_column(default=False)
    registration_phone: Mapped[str | None] = mapped_column(String(16))
    registration_limit: Mapped[int | None]
    free: Mapped[bool] = mapped_column(default=True)
    price: Mapped[str | None] = mapped_column(String(120))

    image_name: Mapped[str | None] = mapped_column(String(80))  # file under instance/media/events/
    image_alt: Mapped[str | None] = mapped_column(String(250))

    public: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    cancel_note: Mapped[str | None] = mapped_column(String(300))

    span_start: Mapped[datetime]
    span_end: Mapped[datetime | None]  # None: repeats without an end

    place = relationship("Place")
    organiser = relationship("Provider")
    audience = relationship("TargetGroup", secondary=event_audience, order_by="TargetGroup.position")
    exceptions = relationship("EventException", cascade="all, delete-orphan", order_by="EventException.day",
                              back_populates="event")

    @property
    def times(self) -> rec.Times:
        return rec.Times(self.start_date, self.start_time, self.end_date, self.end_time, self.all_day)

    @property
    def rule(self) -> rec.Rule:
        return rec.Rule(
            frequency=self.frequency,
            interval=self.interval or 1,
            weekdays=rec.parse_weekdays(self.weekdays),
            monthly_mode=self.monthly_mode,
            until=self.until,
            skipped=frozenset(x.day for x in self.exceptions if not x.cancelled),
            cancelled=frozenset(x.day for x in self.exceptions if x.cancelled),
            skip_holidays=self.skip_holidays,
        )

    @property
    def recurring(self) -> bool:
        return self.frequency != rec.NONE

    @property
    def category_label(self):
        return CATEGORIES.get(self.category, self.category)

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    def refresh_span(self):
        self.span_start, self.span_end = rec.span(self.times, self.frequency, self.until)

    def __repr__(self):
        return f"<Event {self.id} {self.slug}>"


@event.listens_for(Event, "before_insert")
@event.listens_for(Event, "before_update")
def _keep_span(mapper, connection, target):
    target.refresh_span()


class EventException(db.Model):
    """A date of a recurring event that does not take place: skipped quietly,
    or shown as cancelled (the club does not meet this Tuesday)."""

    __tablename__ = "event_exception"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    cancelled: Mapped[bool] = mapped_column(default=False)

    event = relationship("Event", back_populates="exceptions")


NOTICE_DISPLAYS = {
    "banner": _l("pasek na każdym slajdzie"),
    "full": _l("cały ekran"),
}


class Notice(Created, db.Model):
    """An urgent notice, from `starts_at` until `ends_at` (exclusive): on the
    kiosks either full screen (instead of the slides) or a banner on every
    slide (`display`), never while a screen sleeps; a banner on every portal
    page. Ended before its start, it keeps its planned start and gets an
    end before it: it never shows."""

    __tablename__ = "notice"
    __table_args__ = (
        Index("ix_notice_window", "ends_at", "starts_at"),
        CheckConstraint("display = 'full' OR display = 'banner'", name="display_known"),
    )

    TEXT_MAX = 140

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(TEXT_MAX))
    starts_at: Mapped[datetime] = mapped_column(default=now)
    ends_at: Mapped[datetime]
    display: Mapped[str] = mapped_column(String(8), default="full", server_default="full")

    def is_active(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at

    @property
    def withdrawn(self) -> bool:
        """Ended before it started: it never showed."""
        return self.ends_at <= self.starts_at

    @property
    def display_label(self):
        return NOTICE_DISPLAYS.get(self.display, self.display)

    def __repr__(self):
        return f"<Notice {self.id} {self.text[:30]!r}>"
