"""Events and notices: reading occurrences for pages, feeds and kiosks, and
the actions the organiser takes. Plain functions taking the session (and the
acting user); no request, no current_user."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from ..timeutil import now
from .models import Event, EventsVersion, Notice
from .recurrence import expand


@dataclass(frozen=True)
class Occurrence:
    event_id: int
    slug: str
    title: str
    summary: str
    start: datetime        # aware, Europe/Warsaw
    end: datetime          # aware, Europe/Warsaw
    all_day: bool
    place_name: str | None
    room: str | None
    village_id: int | None
    cancelled: bool
    registration_needed: bool
    registration_phone: str | None
    free: bool
    price: str | None
    has_image: bool
    audience_ids: tuple[int, ...]


# --- the version marker ---------------------------------------------------------

def events_version(session) -> int:
    return session.scalar(select(EventsVersion.value).where(EventsVersion.id == 1)) or 0


def bump_events_version(session) -> None:
    """Move the marker in the same transaction as the change."""
    changed = session.execute(
        update(EventsVersion).where(EventsVersion.id == 1).values(value=EventsVersion.value + 1)
    ).rowcount
    if not changed:
        session.add(EventsVersion(id=1, value=1))


# --- reading --------------------------------------------------------------------

def _candidates(session, start, end, *, public_only, statuses=("published", "cancelled")):
    query = (
        select(Event)
        .where(Event.status.in_(statuses), Event.span_start < end,
               or_(Event.span_end.is_(None), Event.span_end > start))
        .options(selectinload(Event.place), selectinload(Event.audience), selectinload(Event.exceptions))
        .order_by(Event.id)
    )
    if public_only:
        query = query.where(Event.public.is_(True))
    return session.scalars(query).all()


def occurrences(session, start, end, *, public_only=True, audience_ids=None, village_id=None) -> list[Occurrence]:
    """Every occurrence overlapping [start, end), by start.

    Published events, and cancelled ones (the whole event or one date) only
    until they would have ended, marked cancelled; never drafts. An audience
    filter keeps events for any of the given target groups, and events for
    everybody (no audience set)."""
    moment = now()
    wanted_audience = set(audience_ids) if audience_ids else None
    result = []
    for event in _candidates(session, start, end, public_only=public_only):
        audience = tuple(group.id for group in event.audience)
        if wanted_audience is not None and audience and not wanted_audience.intersection(audience):
            continue
        place = event.place
        if village_id is not None and (place is None or place.village_id != village_id):
            continue
        for instance in expand(event.times, event.rule, start, end):
            cancelled = event.status == "cancelled" or instance.cancelled
            if cancelled and instance.end <= moment:
                continue
            result.append(Occurrence(
                event_id=event.id,
                slug=event.slug,
                title=event.title,
                summary=event.summary or "",
                start=instance.start,
                end=instance.end,
                all_day=event.all_day,
                place_name=place.name if place else None,
                room=event.room or None,
                village_id=place.village_id if place else None,
                cancelled=cancelled,
                registration_needed=event.registration_needed,
                registration_phone=event.registration_phone or None,
                free=event.free,
                price=event.price or None,
                has_image=bool(event.image_name),
                audience_ids=audience,
            ))
    result.sort(key=lambda o: (o.start, o.end, o.title, o.event_id))
    return result


def active_notices(session, at) -> list[Notice]:
    """Notices showing at `at`, newest first."""
    return session.scalars(
        select(Notice).where(Notice.ends_at > at, Notice.starts_at <= at)
        .order_by(Notice.starts_at.desc(), Notice.id.desc())
    ).all()
