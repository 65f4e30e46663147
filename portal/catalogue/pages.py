"""The public page of a service: read in a few cheap statements, kept rendered.

It was the slowest public page (about 9 ms of CPU per request at 5,000
services, where a search costs 2). The profile put most of it in SQLAlchemy
building the cache keys of eight `selectinload`s, not in the database. So:

- five statements built once per process instead of nine built per request:
  the service with its provider and small collections, then one per
  collection that would multiply the rows; those are set as the loaded
  value of the relationship (`set_committed_value`), so templates and
  presenters read the usual model and nothing loads lazily;
- the page's content (everything but the frame of base.html, which holds the
  visitor's CSRF token and login) is rendered once per service and language
  and kept (portal/fragments.py `TimedRegions`) until the catalogue's data
  version moves, so an edit shows at once (every change a page could show —
  service, provider, place, village — bumps it), or until what it shows moves
  on in time (presenters.changes_at: a session starts or ends, midnight).

Each process keeps its own, in the app's extensions, at most PAGES_KEPT.
"""
from functools import cache

from flask import current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..core import versions
from ..fragments import TimedRegions
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
def _statements():
    """Built on first use (the mappers must be configured) and reused: a
    statement object built once costs SQLAlchemy far less per execution.
    The service comes with its provider and its few one-to-many rows in one
    statement (the rows multiply, but a service has a handful of each);
    closures pile up over the years and the many-to-many collections join
    badly on SQLite, so each of those has a statement of its own."""
    service = (select(Service).where(Service.slug == bindparam("slug"))
               .options(joinedload(Service.provider), joinedload(Service.schedule_rules),
                        joinedload(Service.discounts), joinedload(Service.required_documents)))
    by_service = bindparam("service_id")
    collections = (
        ("areas", select(Area).join(service_area, service_area.c.area_id == Area.id)
         .where(service_area.c.service_id == by_service).order_by(Area.position)),
        ("target_groups", select(TargetGroup)
         .join(service_target_group, service_target_group.c.target_group_id == TargetGroup.id)
         .where(service_target_group.c.service_id == by_service).order_by(TargetGroup.position)),
        ("places", select(Place).join(service_place, service_place.c.place_id == Place.id)
         .where(service_place.c.service_id == by_service).options(joinedload(Place.village)).order_by(Place.name)),
        ("closures", select(Closure).where(Closure.service_id == by_service).order_by(Closure.starts_on)),
    )
    return service, collections


def public_service(session, slug):
    """The published service with everything its page shows loaded, or None."""
    by_slug, collections = _statements()
    service = session.scalars(by_slug, {"slug": slug[:SLUG_LENGTH]}).unique().first()
    if service is None or not service.is_public:
        return None
    for name, statement in collections:
        set_committed_value(service, name, session.scalars(statement, {"service_id": service.id}).all())
    return service


def _pages():
    pages = current_app.extensions.get("catalogue_pages")
    if pages is None:
        pages = current_app.extensions.setdefault("catalogue_pages", TimedRegions(PAGES_KEPT))
    return pages


def service_page(session, slug, moment):
    """(name, content HTML) of a published service's page at `moment`, or None."""
    version = versions.current(session, versions.CATALOGUE)

    def render():
        service = public_service(session, slug)
        if service is None:
            return None, None
        info = detail_for(service, moment)
        html = Markup(render_template("catalogue/_service.html", service=service, info=info))
        return (service.name, html), info["until"]

    return _pages().get(version, (slug[:SLUG_LENGTH], str(get_locale())), moment, render)
