"""Kiosk operations: a screen's slide set and version marker, heartbeats,
the health list, and the staff's changes to screens.

Plain functions with explicit arguments (session, screen, now, actor); they
never read the request, so the tests call them directly.
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.audit.services import diff, record
from portal.catalogue.models import UNITS, Service
from portal.core import versions
from portal.core.errors import VersionConflict
from portal.extensions import UTCDateTime
from portal.text import polish_order
from portal.timeutil import WARSAW

from . import hours as opening
from . import slides as build_slides
from .models import Heartbeat, Screen

ONLINE = timedelta(minutes=2)
STALE = timedelta(minutes=10)
TOKEN_BYTES = 24

SCREEN_FIELDS = ("name", "place_id", "hours", "always_on", "closed_on_holidays", "slide_seconds",
                 "show_today", "show_upcoming", "show_free_services", "show_notices")


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


# --- what a screen shows ------------------------------------------------------------

def centre_from(config):
    return build_slides.Centre(
        name=config["CENTRE_NAME"], address=config.get("CENTRE_ADDRESS") or "",
        phone=config.get("CENTRE_PHONE") or "", hours=config.get("CENTRE_HOURS") or "")


def content_of(screen):
    return build_slides.Content(
        today=screen.show_today, upcoming=screen.show_upcoming, free_services=screen.show_free_services,
        notices=screen.show_notices, seconds=screen.slide_seconds, rules=opening.Rules.of(screen))


def _address(place):
    town = " ".join(p for p in (place.postal_code, place.city) if p)
    return ", ".join(p for p in (place.address_1, town) if p) or None


def _card(service, today):
    """What the slide needs of a service; the weekly hours still in force from
    `today` (a summer-only rule that has ended is left out)."""
    place = service.places[0] if service.places else None
    weekly = tuple((r.weekday, r.opens, r.closes) for r in service.schedule_rules
                   if r.valid_to is None or r.valid_to >= today)
    return build_slides.ServiceCard(
        id=service.id, slug=service.slug, name=service.name, provider=service.provider.name,
        place=place.name if place else None, address=_address(place) if place else None,
        at_home=service.at_client_home, weekly=weekly, schedule_note=service.schedule_description or None,
        apply=service.application_process or None,
        free=service.is_free, free_places=service.capacity_available, places=service.capacity_basis == "places",
        unit_short=str(UNITS.get(service.unit, ("", ""))[1]))


def _services_query():
    return select(Service).options(selectinload(Service.provider), selectinload(Service.places),
                                   selectinload(Service.schedule_rules))


def free_service_cards(session, now, limit=build_slides.MAX_SERVICES):
    """Active services with places left, the most places first."""
    rows = session.scalars(
        _services_query()
        .where(Service.status == "active", Service.capacity_maximum.is_not(None),
               Service.capacity_maximum > Service.capacity_granted)
        .order_by((Service.capacity_maximum - Service.capacity_granted).desc(), Service.name)
        .limit(limit))
    today = now.astimezone(WARSAW).date()
    return tuple(_card(s, today) for s in rows)


def chosen_service_cards(session, screen, now):
    ids = [s.id for s in screen.services]
    if not ids:
        return ()
    rows = session.scalars(_services_query().where(Service.id.in_(ids), Service.status == "active")
                           .order_by(polish_order(Service.name)))
    today = now.astimezone(WARSAW).date()
    return tuple(_card(s, today) for s in rows)


def _local_midnight(day):
    return datetime.combine(day, time(0), WARSAW)


def notice_cards(session, now):
    from portal.events.models import Notice

    rows = session.scalars(select(Notice).where(Notice.ends_at > now,
                                                Notice.starts_at <= now + build_slides.NOTICE_HORIZON)
                           .order_by(Notice.starts_at, Notice.id))
    return tuple(build_slides.NoticeCard(n.id, n.text, n.starts_at, n.ends_at, n.display) for n in rows)


def occurrences_for(session, now):
    from portal.events.services import occurrences

    today = now.astimezone(WARSAW).date()
    start = _local_midnight(today)
    end = _local_midnight(today + timedelta(days=build_slides.UPCOMING_DAYS + 1))
    return tuple(occurrences(session, start, end, public_only=True))


def inputs_for(session, screen, now, *, centre, event_url=None, service_url=None, calendar_url=None,
               test_seconds=None):
    content = content_of(screen)
    return build_slides.Inputs(
        content=content, centre=centre,
        occurrences=occurrences_for(session, now) if (content.today or content.upcoming) else (),
        free_services=free_service_cards(session, now) if content.free_services else (),
        chosen_services=chosen_service_cards(session, screen, now),
        notices=notice_cards(session, now) if content.notices else (),
        event_url=event_url, service_url=service_url, calendar_url=calendar_url, test_seconds=test_seconds)


def slide_set(session, screen, now, **options):
    return build_slides.build(inputs_for(session, screen, now, **options), now)


# --- the version marker ---------------------------------------------------------------

# The check runs 13 times a second for 200 screens: plain SQL prepared once,
# without building ORM statements per request (most of its CPU time before).
_MARKER_SQL = text(
    "SELECT s.id, s.version,"
    f" (SELECT counter FROM data_version WHERE name = '{versions.EVENTS}'),"
    f" (SELECT counter FROM data_version WHERE name = '{versions.CATALOGUE}')"
    " FROM kiosk_screen s WHERE s.token = :token")
_NO_SYNC = text("SET LOCAL synchronous_commit TO OFF")
_BEAT_COLUMNS = ("seen_at", "slide_key", "position", "count", "set_version", "data_at", "user_agent")
_BEAT_TYPES = (bindparam("seen_at", type_=UTCDateTime()), bindparam("data_at", type_=UTCDateTime()))
_BEAT_UPDATE = text(
    "UPDATE kiosk_heartbeat SET " + ", ".join(f"{c} = :{c}" for c in _BEAT_COLUMNS)
    + " WHERE screen_id = :screen_id").bindparams(*_BEAT_TYPES)
_BEAT_INSERT = text(
    f"INSERT INTO kiosk_heartbeat (screen_id, {', '.join(_BEAT_COLUMNS)})"
    f" VALUES (:screen_id, {', '.join(':' + c for c in _BEAT_COLUMNS)})").bindparams(*_BEAT_TYPES)


def marker_of(screen_version, events_version, catalogue_version, now):
    """Moves when anything a screen shows may have changed: the screen's
    settings, any event or notice, the catalogue, or the local date (the
    "Dziś" slide, the 14-day window and the notices of the next two days)."""
    day = now.astimezone(WARSAW).date()
    return f"{screen_version}.{events_version or 0}.{catalogue_version or 0}.{day:%Y%m%d}"


def marker(session, token, now):
    """(screen id, marker) for a token, or None: one query, no slide building."""
    row = session.execute(_MARKER_SQL, {"token": token}).first()
    if row is None:
        return None
    screen_id, screen_version, events_version, catalogue_version = row
    return screen_id, marker_of(screen_version, events_version, catalogue_version, now)


def marker_for_screen(session, screen, now):
    return marker(session, screen.token, now)[1]


_code_versions = {}


def code_version(root):
    """A fingerprint of the kiosk's own page, script and style in this process:
    a screen renews its page in place when the server's code changed; the page
    names its script and style by it (?v=), so the new ones load beside the old."""
    if root not in _code_versions:
        digest = hashlib.sha256()
        for relative in ("static/kiosk/kiosk.js", "static/kiosk/kiosk.css", "templates/kiosk/screen.html",
                         "templates/kiosk/_slides.html", "templates/kiosk/_slide.html"):
            path = Path(root) / relative
            digest.update(path.read_bytes() if path.exists() else b"")
        _code_versions[root] = digest.hexdigest()[:12]
    return _code_versions[root]


# --- heartbeats and health ------------------------------------------------------------------

@dataclass(frozen=True)
class Report:
    slide_key: str | None
    position: int | None
    count: int | None
    set_version: str | None
    data_at: datetime | None


def record_heartbeat(session, screen_id, report, *, user_agent, now):
    values = {"screen_id": screen_id, "seen_at": now, "slide_key": report.slide_key, "position": report.position,
              "count": report.count, "set_version": report.set_version, "data_at": report.data_at,
              "user_agent": (user_agent or "")[:300] or None}
    if session.get_bind().dialect.name == "postgresql":
        # A heartbeat is worth nothing after a crash: do not wait for the disk.
        session.execute(_NO_SYNC)
    if not session.execute(_BEAT_UPDATE, values).rowcount:
        try:
            with session.begin_nested():
                session.execute(_BEAT_INSERT, values)
        except IntegrityError:
            pass  # another report of the same screen inserted it first: this one is as good


@dataclass
class Health:
    screen: Screen
    status: str  # online | stale | offline | sleeping
    heartbeat: Heartbeat | None
    age: timedelta | None
    current: bool  # the screen holds the newest slide set
    slide: object  # the slide it reported, rebuilt from the current set (None when unknown)


STATUS_ORDER = {"offline": 0, "stale": 1, "online": 2, "sleeping": 3}


def status_of(screen, heartbeat, now):
    age = now - heartbeat.seen_at if heartbeat else None
    if age is not None and age < ONLINE:
        return "online"
    if not opening.is_open(opening.Rules.of(screen), now):
        return "sleeping"
    if age is not None and age < STALE:
        return "stale"
    return "offline"


def health(session, now, **options):
    screens = session.scalars(select(Screen).options(selectinload(Screen.heartbeat), selectinload(Screen.place),
                                                     selectinload(Screen.services))
                              .order_by(polish_order(Screen.name), Screen.id)).all()
    rows = []
    for screen in screens:
        beat = screen.heartbeat
        status = status_of(screen, beat, now)
        current_marker = marker_for_screen(session, screen, now)
        slide = None
        if beat is not None and beat.slide_key:
            if beat.slide_key == "night":
                slide = "night"
            else:
                slide = slide_set(session, screen, now, **options).find(beat.slide_key)
        rows.append(Health(screen=screen, status=status, heartbeat=beat,
                           age=(now - beat.seen_at) if beat else None,
                           current=bool(beat and beat.set_version == current_marker), slide=slide))
    return rows


# --- staff changes --------------------------------------------------------------------------

def snapshot(screen):
    data = {name: getattr(screen, name) for name in SCREEN_FIELDS}
    data["service_ids"] = sorted(s.id for s in screen.services)
    return data


def _apply(session, screen, data):
    for name in SCREEN_FIELDS:
        setattr(screen, name, data[name])
    ids = sorted(set(data.get("service_ids") or ()))
    screen.services = list(session.scalars(select(Service).where(Service.id.in_(ids)))) if ids else []


def create_screen(session, data, *, actor, now):
    screen = Screen(token=new_token(), created_at=now, updated_at=now)
    _apply(session, screen, data)
    session.add(screen)
    session.flush()
    record("create", screen, actor=actor, summary=f"kiosk screen created: {screen.name}",
           changes=diff({}, _audit(snapshot(screen))))
    return screen


def update_screen(session, screen, data, *, actor, expected_version, now):
    if expected_version is None or expected_version != screen.version:
        raise VersionConflict(screen)
    before = snapshot(screen)
    _apply(session, screen, data)
    screen.updated_at = now
    session.flush()
    record("update", screen, actor=actor, summary=f"kiosk screen updated: {screen.name}",
           changes=diff(_audit(before), _audit(snapshot(screen))))
    return screen


def regenerate_token(session, screen, *, actor, now):
    """A new URL for the screen; the old one stops working at once (the screen
    must be given the new address). Moves the version so open edit forms notice."""
    screen.token = new_token()
    screen.updated_at = now
    session.flush()
    record("update", screen, actor=actor, summary=f"kiosk screen address changed: {screen.name}")
    return screen


def conflicts(screen, data):
    theirs = snapshot(screen)
    return [(key, theirs.get(key), data.get(key)) for key in (*SCREEN_FIELDS, "service_ids")
            if theirs.get(key) != (sorted(set(data.get(key) or ())) if key == "service_ids" else data.get(key))]


def _audit(data):
    return {key: value if not isinstance(value, (list, tuple)) else list(value) for key, value in data.items()}


def utc(moment):
    return moment.astimezone(timezone.utc) if moment is not None else None
