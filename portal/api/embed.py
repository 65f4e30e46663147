"""Embeddable pages for the municipality's website (an iframe): the public
catalogue and the upcoming public events, plain and script-free.

The only pages the origins of EMBED_FRAME_ORIGINS may frame
(security.frameable); links open the portal's own pages in the whole
window. Filtering is a plain GET form."""
from datetime import timedelta

from flask import render_template, request
from sqlalchemy import select

from ..catalogue import search as catalogue_search
from ..catalogue.models import TargetGroup, Village
from ..core.pagination import page_number
from ..events import services as events
from ..extensions import db
from ..security import frameable
from ..timeutil import WARSAW, now
from . import embed_bp

PER_PAGE = 20
EVENT_DAYS = 30


def _choice(name, allowed):
    """An unknown value is ignored, as on the catalogue's own page."""
    value = (request.args.get(name) or "").strip()[:60]
    return value if value in allowed else None


@embed_bp.route("/services")
@frameable
def services():
    moment = now()
    lookups = catalogue_search.get_index(db.session).lookups
    query = catalogue_search.clean_query(request.args.get("q"))
    filters = catalogue_search.Filters(area=_choice("area", lookups["areas"]),
                                       group=_choice("group", lookups["groups"]),
                                       village=_choice("village", lookups["villages"]))
    result = catalogue_search.search(db.session, query, filters, moment=moment,
                                     page=page_number(request.args.get("page")), per_page=PER_PAGE)
    return render_template("embed/services.html", result=result, query=query, filters=filters, lookups=lookups)


@embed_bp.route("/events")
@frameable
def upcoming_events():
    moment = now()
    groups = {group.id: group for group in db.session.scalars(select(TargetGroup).order_by(TargetGroup.position))}
    villages = {village.id: village.name for village in db.session.scalars(select(Village))}
    group = next((g for g in groups.values() if g.code == (request.args.get("group") or "")[:60]), None)
    found = events.occurrences(db.session, moment, moment + timedelta(days=EVENT_DAYS), public_only=True,
                               audience_ids=[group.id] if group else None)
    days = []
    for occurrence in found:
        day = occurrence.start.astimezone(WARSAW).date()
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append(occurrence)
    return render_template("embed/events.html", days=days, groups=groups, villages=villages, group=group,
                           days_ahead=EVENT_DAYS)
