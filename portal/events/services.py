"""Events and notices: reading occurrences for pages, feeds and kiosks, and
the actions the organiser takes. Plain functions taking the session (and the
acting user); no request, no current_user."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..audit.services import diff, record
from ..catalogue.models import TargetGroup
from ..core import signals, versions
from ..core.errors import DataError, VersionConflict
from ..core.models import unique_slug
from ..text import fold
from ..timeutil import now
from . import recurrence as rec
from .models import NOTICE_DISPLAYS, Event, EventException, Notice
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


def next_notice_change(session, at):
    """The next moment a notice starts or ends after `at` (or None): caches
    of the banner are good until then."""
    starts = session.scalar(select(func.min(Notice.starts_at)).where(Notice.starts_at > at,
                                                                      Notice.ends_at > Notice.starts_at))
    ends = session.scalar(select(func.min(Notice.ends_at)).where(Notice.ends_at > at))
    moments = [m for m in (starts, ends) if m is not None]
    return min(moments) if moments else None


def public_event(session, slug):
    """A public, published or cancelled event by its address, or None."""
    return session.scalar(
        select(Event).where(Event.slug == slug, Event.public.is_(True),
                            Event.status.in_(("published", "cancelled")))
    )


def event_instances(event, start, end):
    """The event's own occurrences in [start, end) (recurrence.Instance)."""
    return expand(event.times, event.rule, start, end)


def next_instances(event, moment, count=10, horizon_days=400):
    """The next `count` occurrences that have not ended at `moment`."""
    found = expand(event.times, event.rule, moment, moment + timedelta(days=horizon_days))
    return found[:count]


# --- the organiser's actions ----------------------------------------------------------

EVENT_FIELDS = (
    "title", "summary", "description", "category",
    "start_date", "start_time", "end_date", "end_time", "all_day",
    "frequency", "interval", "weekdays", "monthly_mode", "until", "skip_holidays",
    "skipped_dates", "cancelled_dates",
    "place_id", "room", "organiser_id", "audience_ids",
    "registration_needed", "registration_phone", "registration_limit", "free", "price",
    "image_name", "image_alt", "public",
)
MAX_ONE_OFF_DAYS = 366
MAX_REPEATED_DAYS = 14


def event_data(event):
    """The editable values of an event, as the form and the audit trail see them."""
    return {
        "title": event.title,
        "summary": event.summary or None,
        "description": event.description,
        "category": event.category,
        "start_date": event.start_date,
        "start_time": event.start_time,
        "end_date": event.end_date,
        "end_time": event.end_time,
        "all_day": event.all_day,
        "frequency": event.frequency,
        "interval": event.interval,
        "weekdays": list(rec.parse_weekdays(event.weekdays)),
        "monthly_mode": event.monthly_mode,
        "until": event.until,
        "skip_holidays": event.skip_holidays,
        "skipped_dates": [x.day for x in event.exceptions if not x.cancelled],
        "cancelled_dates": [x.day for x in event.exceptions if x.cancelled],
        "place_id": event.place_id,
        "room": event.room,
        "organiser_id": event.organiser_id,
        "audience_ids": [g.id for g in event.audience],
        "registration_needed": event.registration_needed,
        "registration_phone": event.registration_phone,
        "registration_limit": event.registration_limit,
        "free": event.free,
        "price": event.price,
        "image_name": event.image_name,
        "image_alt": event.image_alt,
        "public": event.public,
    }


def _plain(value):
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return value or None
    return value


def event_snapshot(data):
    """JSON-safe values (audit trail, conflict table)."""
    return {key: _plain(data.get(key)) for key in EVENT_FIELDS}


def event_conflicts(event, data):
    """[(field, theirs, yours)] where the saved event and the editor's input differ."""
    theirs = event_snapshot(event_data(event))
    yours = event_snapshot(data)
    return [(key, theirs[key], yours[key]) for key in EVENT_FIELDS if theirs[key] != yours[key]]


def _check_event(data):
    if not data.get("title"):
        raise DataError("title", _("Podaj tytuł wydarzenia."))
    start_date, end_date = data["start_date"], data.get("end_date") or data["start_date"]
    if end_date < start_date:
        raise DataError("end_date", _("Dzień zakończenia nie może być przed dniem rozpoczęcia."))
    if data.get("all_day"):
        length = (end_date - start_date).days
    else:
        start, end = data.get("start_time"), data.get("end_time")
        if start is None:
            raise DataError("start_time", _("Podaj godzinę rozpoczęcia albo zaznacz „cały dzień”."))
        if end is None:
            raise DataError("end_time", _("Podaj godzinę zakończenia."))
        if datetime.combine(end_date, end) <= datetime.combine(start_date, start):
            raise DataError("end_time", _("Koniec musi być po początku."))
        length = (end_date - start_date).days
    repeated = data.get("frequency", rec.NONE) != rec.NONE
    if repeated and length > MAX_REPEATED_DAYS:
        raise DataError("end_date", _("Powtarzane wydarzenie może trwać najwyżej %(days)d dni.",
                                      days=MAX_REPEATED_DAYS))
    if not repeated and length > MAX_ONE_OFF_DAYS:
        raise DataError("end_date", _("Wydarzenie może trwać najwyżej rok."))
    until = data.get("until")
    if repeated and until is not None and until < start_date:
        raise DataError("until", _("Ostatni termin nie może być przed pierwszym."))
    if not data.get("free", True) and not data.get("price"):
        raise DataError("price", _("Podaj cenę, np. „10 zł od osoby”."))


def _apply_event(session, event, data):
    event.title = data["title"]
    event.summary = data.get("summary") or ""
    event.description = data.get("description")
    event.category = data.get("category") or "other"
    event.all_day = bool(data.get("all_day"))
    event.start_date = data["start_date"]
    event.end_date = data.get("end_date") or data["start_date"]
    event.start_time = None if event.all_day else data.get("start_time")
    event.end_time = None if event.all_day else data.get("end_time")
    event.frequency = data.get("frequency") or rec.NONE
    repeated = event.frequency != rec.NONE
    event.interval = (data.get("interval") or 1) if repeated else 1
    event.weekdays = rec.format_weekdays(data.get("weekdays") or ()) if event.frequency == rec.WEEKLY else ""
    event.monthly_mode = data.get("monthly_mode") or rec.BY_DAY
    event.until = data.get("until") if repeated else None
    event.skip_holidays = bool(data.get("skip_holidays")) and repeated
    cancelled = set(data.get("cancelled_dates") or ())
    skipped = set(data.get("skipped_dates") or ()) - cancelled
    wanted = {day: False for day in skipped} | {day: True for day in cancelled}
    kept = []
    for row in event.exceptions:
        if row.day in wanted:
            row.cancelled = wanted.pop(row.day)
            kept.append(row)
    event.exceptions = kept + [EventException(day=day, cancelled=flag) for day, flag in sorted(wanted.items())]
    event.place_id = data.get("place_id")
    event.room = data.get("room")
    event.organiser_id = data.get("organiser_id")
    ids = list(data.get("audience_ids") or ())
    event.audience = list(session.scalars(select(TargetGroup).where(TargetGroup.id.in_(ids)))) if ids else []
    event.registration_needed = bool(data.get("registration_needed"))
    event.registration_phone = data.get("registration_phone") if event.registration_needed else None
    event.registration_limit = data.get("registration_limit") if event.registration_needed else None
    event.free = bool(data.get("free", True))
    event.price = None if event.free else data.get("price")
    event.image_name = data.get("image_name")
    event.image_alt = data.get("image_alt") if event.image_name else None
    event.public = bool(data.get("public", True))
    event.refresh_span()


def create_event(session, data, *, actor, status="draft"):
    _check_event(data)
    slug = unique_slug(session, Event, data["title"], max_length=150, fallback="wydarzenie")
    event = Event(slug=slug, status=status,
                  created_by_id=getattr(actor, "id", None), updated_by_id=getattr(actor, "id", None))
    session.add(event)
    with session.no_autoflush:
        _apply_event(session, event, data)
    session.flush()
    record("create", event, actor=actor, summary=f"event created: {event.title}",
           changes={k: [None, v] for k, v in event_snapshot(data).items() if v not in (None, [], False)})
    versions.bump(session, versions.EVENTS)
    if event.status == "published":
        _published(session, event, actor)
    return event


def _published(session, event, actor):
    signals.emit(session, signals.event_published, event_id=event.id, slug=event.slug,
                 actor_id=getattr(actor, "id", None))


def update_event(session, event, data, *, actor, expected_version):
    """Raises VersionConflict when the editor started from an older version;
    the flush raises StaleDataError when someone saved in the meantime."""
    if expected_version is None or int(expected_version) != event.version:
        raise VersionConflict(event)
    _check_event(data)
    before = event_snapshot(event_data(event))
    with session.no_autoflush:
        _apply_event(session, event, data)
        # Always touch the row, so the version moves even when only exceptions changed.
        event.updated_by_id = getattr(actor, "id", None)
        event.updated_at = now()
    session.flush()
    changes = diff(before, event_snapshot(event_data(event)))
    record("update", event, actor=actor, summary=f"event updated: {event.title}", changes=changes)
    versions.bump(session, versions.EVENTS)
    return event


STATUS_ACTIONS = {"publish": "published", "cancel": "cancelled", "unpublish": "draft"}


def set_event_status(session, event, action, *, actor, note=None):
    """publish / cancel / unpublish. Returns False when nothing changed."""
    status = STATUS_ACTIONS[action]
    if event.status == status:
        return False
    before = event.status
    event.status = status
    event.cancel_note = (note or None) if status == "cancelled" else None
    event.updated_by_id = getattr(actor, "id", None)
    event.updated_at = now()
    session.flush()
    record("status", event, actor=actor, summary=f"event {status}: {event.title}",
           changes={"status": [before, status]})
    versions.bump(session, versions.EVENTS)
    if status == "published":
        _published(session, event, actor)
    return True


def duplicate_event(session, event, *, actor, copy_image=None):
    """A draft copy with a new address; `copy_image` copies the image file
    and returns the copy's name (the caller owns the files)."""
    data = event_data(event)
    data["title"] = event.title
    if event.image_name and copy_image is not None:
        data["image_name"] = copy_image(event.image_name)
    else:
        data["image_name"] = None
    copy = create_event(session, data, actor=actor, status="draft")
    return copy


def list_events(session, view, moment, *, text="", category=""):
    """Staff list: 'upcoming' (published or cancelled, not over), 'past',
    'drafts'. Returns [(event, next Instance or None)]."""
    query = select(Event).options(selectinload(Event.place), selectinload(Event.exceptions))
    if view == "drafts":
        query = query.where(Event.status == "draft")
    elif view == "past":
        query = query.where(Event.status != "draft", Event.span_end.is_not(None), Event.span_end <= moment)
    else:
        query = query.where(Event.status != "draft", or_(Event.span_end.is_(None), Event.span_end > moment))
    if category:
        query = query.where(Event.category == category)
    events = session.scalars(query).all()
    if text:
        folded = fold(text)
        events = [e for e in events if folded in fold(e.title)]
    rows = []
    for event in events:
        upcoming = rec.first_after(event.times, event.rule, moment) if view != "past" else None
        rows.append((event, upcoming))
    if view == "past":
        rows.sort(key=lambda r: r[0].span_start, reverse=True)
    else:
        far = datetime.max.replace(tzinfo=timezone.utc)
        rows.sort(key=lambda r: (r[1].start.astimezone(timezone.utc) if r[1] else far, r[0].title))
    return rows


# --- notices ---------------------------------------------------------------------------

def create_notice(session, text, ends_at, *, actor, starts_at=None, display="full"):
    """A notice from `starts_at` (now when empty) until `ends_at`, shown on
    the screens full screen or as a banner alongside the slides."""
    moment = now()
    starts_at = starts_at or moment
    text = (text or "").strip()
    if not text:
        raise DataError("text", _("Wpisz treść komunikatu."))
    if len(text) > Notice.TEXT_MAX:
        raise DataError("text", _("Komunikat może mieć najwyżej %(max)d znaków.", max=Notice.TEXT_MAX))
    if display not in NOTICE_DISPLAYS:
        raise DataError("display", _("Wybierz, jak pokazać komunikat na ekranach."))
    if ends_at is None:
        raise DataError("ends_at", _("Podaj, do kiedy komunikat ma być widoczny."))
    if ends_at <= starts_at:
        raise DataError("ends_at", _("Koniec musi być po początku."))
    if ends_at <= moment:
        raise DataError("ends_at", _("Koniec musi być w przyszłości."))
    notice = Notice(text=text, starts_at=starts_at, ends_at=ends_at, display=display,
                    created_by_id=getattr(actor, "id", None))
    session.add(notice)
    session.flush()
    record("create", notice, actor=actor, summary=f"notice created until {ends_at.isoformat()}",
           changes={"text": [None, text], "display": [None, display]})
    versions.bump(session, versions.EVENTS)
    signals.emit(session, signals.notice_started, notice_id=notice.id, starts_at=notice.starts_at,
                 ends_at=notice.ends_at, display=notice.display, actor_id=getattr(actor, "id", None))
    return notice


def end_notice(session, notice, *, actor):
    """End a notice now. One that has not started yet is withdrawn: it keeps
    its planned start and ends now, before it (Notice.withdrawn), so it never
    shows and is listed with the ended ones. Returns False when it had
    already ended."""
    moment = now()
    if notice.ends_at <= moment:
        return False
    before = notice.ends_at
    notice.ends_at = moment
    session.flush()
    record("end", notice, actor=actor, summary="notice withdrawn before its start" if notice.withdrawn
           else "notice ended", changes={"ends_at": [before.isoformat(), moment.isoformat()]})
    versions.bump(session, versions.EVENTS)
    return True


def list_notices(session, moment, limit=30):
    """(showing or upcoming, recently ended)."""
    current = session.scalars(select(Notice).where(Notice.ends_at > moment)
                              .order_by(Notice.starts_at, Notice.id)).all()
    ended = session.scalars(select(Notice).where(Notice.ends_at <= moment)
                            .order_by(Notice.ends_at.desc(), Notice.id.desc()).limit(limit)).all()
    return current, ended
