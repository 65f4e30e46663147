"""The public page of a service: read in a few cheap statements, kept rendered.

It was the slowest public page (about 9 ms of CPU per request at 5,000
services, where a search costs 2). The profile put most of it in SQLAlchemy
building the cache keys of eight `selectinload`s, not in the database. So:

- one statement built once per process instead of ten built per request:
  the service with the data version, its provider, its small collections
  and the ids of its areas, target groups and places. The areas, target groups and places themselves are
  few and shared by every service: each process keeps them, read once per
  catalogue version (`_references`), detached from any session. They are
  set as the loaded value of the relationships (`set_committed_value`), so
  templates and presenters read the usual model and nothing loads lazily;
- the page's content (everything but the frame of base.html, which holds the
  visitor's CSRF token and login) is rendered once per service and language
  and kept (portal/fragments.py `TimedRegions`) until the catalogue's data
  version moves, so an edit shows at once (every change a page could show —
  service, provider, place, village — bumps it), or until what it shows moves
  on in time (presenters.changes_at: a session starts or ends, midnight).

Each process keeps its own, in the app's extensions, at most PAGES_KEPT.
"""
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from threading import Lock

from flask import current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import String, bindparam, cast, func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..core import versions
from ..fragments import TimedRegions
from ..text import polish_sort_key
from . import schedule as sched
from .models import (
    Area,
    Closure,
    Place,
    Service,
    TargetGroup,
    service_area,
    service_place,
    service_target_group,
)
from .presenters import detail_for

SLUG_LENGTH = 140
PAGES_KEPT = 1000  # services x languages; a page's content is 3-6 kB


@cache
def _statement():
    """The one statement of a first view, built on first use (the mappers
    must be configured) and reused: a statement object built once costs
    SQLAlchemy far less per execution. It brings the service with the
    data versions (every counter: the notice banner reads them too), its provider and its few one-to-many rows
    (they multiply, but a service has a handful of each; of its closures only
    those not over, as the page and the schedule from yesterday on need), and
    the ids of its areas, target groups and places, each list comma-joined
    in a subquery (aggregate_strings: group_concat / string_agg)."""
    def ids(link, column):
        """The ids a many-to-many link table holds for the service, comma-joined."""
        return (select(func.aggregate_strings(cast(column, String), ","))
                .where(link.c.service_id == Service.id).scalar_subquery())

    return (select(Service, versions.every_counter(),
                   ids(service_area, service_area.c.area_id),
                   ids(service_target_group, service_target_group.c.target_group_id),
                   ids(service_place, service_place.c.place_id))
            .where(Service.slug == bindparam("slug"))
            .options(joinedload(Service.provider), joinedload(Service.schedule_rules),
                     joinedload(Service.discounts), joinedload(Service.required_documents),
                     joinedload(Service.closures.and_(Closure.ends_on >= bindparam("since")))))


@dataclass(frozen=True)
class _References:
    """The areas, target groups and places by id, as of one catalogue
    version: detached objects with every attribute the page reads loaded."""

    version: int
    by_name: dict  # "areas" / "target_groups" / "places" -> {id: object}


_references_lock = Lock()


def _references(session, version, *, again=False):
    """The process's areas, target groups and places, read again when the
    catalogue's version moved (an edit of a place bumps it) or `again`."""
    held = current_app.extensions.get("catalogue_references")
    if held is not None and held.version == version and not again:
        return held.by_name
    with _references_lock:
        loaded = {
            "areas": session.scalars(select(Area)).all(),
            "target_groups": session.scalars(select(TargetGroup)).all(),
            "places": session.scalars(select(Place).options(joinedload(Place.village))).all(),
        }
        for rows in loaded.values():
            for row in rows:
                session.expunge(row)
        held = _References(version, {name: {row.id: row for row in rows} for name, rows in loaded.items()})
        current_app.extensions["catalogue_references"] = held
    return held.by_name


# The order each collection is shown in: as the catalogue lists areas and
# groups, places in Polish alphabetical order.
_ORDER = {
    "areas": lambda area: (area.position, area.id),
    "target_groups": lambda group: (group.position, group.id),
    "places": lambda place: (polish_sort_key(place.name), place.id),
}


def _read(session, slug, moment):
    """(the published service with what its page shows loaded, the catalogue
    version it was read at), or (None, None)."""
    since = moment.astimezone(sched.WARSAW).date() - timedelta(days=1)
    row = session.execute(_statement(), {"slug": slug[:SLUG_LENGTH], "since": since}).unique().first()
    if row is None or not row[0].is_public:
        return None, None
    service, counters, *joined = row
    version = versions.remember(counters).get(versions.CATALOGUE, 0)
    ids = {name: [int(i) for i in (text or "").split(",") if i] for name, text in zip(_ORDER, joined, strict=True)}
    references = _references(session, version)
    if any(i not in references[name] for name in ids for i in ids[name]):
        # Made without moving the version (a script, a restore): read them again.
        references = _references(session, version, again=True)
    for name, order in _ORDER.items():
        known = references[name]
        set_committed_value(service, name, sorted((known[i] for i in ids[name] if i in known), key=order))
    return service, version


def public_service(session, slug, moment):
    """The published service with everything its page shows loaded (of its
    closures, those not over at `moment`), or None."""
    return _read(session, slug, moment)[0]


def _pages():
    pages = current_app.extensions.get("catalogue_pages")
    if pages is None:
        pages = current_app.extensions.setdefault("catalogue_pages", TimedRegions(PAGES_KEPT))
    return pages


def service_page(session, slug, moment):
    """(name, content HTML) of a published service's page at `moment`, or
    None. A page kept for this service and language costs one read of the
    data version; a first view reads the version with the service."""
    pages = _pages()
    key = (slug[:SLUG_LENGTH], str(get_locale()))
    if pages.holds(key):
        kept = pages.held(versions.as_request_saw(session, versions.CATALOGUE), key, moment)
        if kept is not None:
            return kept
    service, version = _read(session, slug, moment)
    if service is None:
        return None
    info = detail_for(service, moment)
    page = (service.name, Markup(render_template("catalogue/_service.html", service=service, info=info)))
    pages.put(version, key, moment, page, info["until"])
    return page
