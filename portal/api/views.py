"""The public read-only API: /api/v1/... (README "The open catalogue API").

Every answer is read from the snapshot of the public catalogue (data.py)
or from the events' own public reading (portal/events/services.py), never
from anything a login would show."""
from datetime import date, datetime, time, timedelta

from flask import abort, current_app, make_response, url_for
from sqlalchemy import select

from ..catalogue import search as catalogue_search
from ..catalogue.models import TargetGroup, Village
from ..core import versions
from ..events import services as events
from ..extensions import db
from ..public_urls import public_url
from ..timeutil import WARSAW, now
from . import bp, export, openapi
from .data import download, dumps, encoded, snapshot
from .http import (
    add_cors,
    cached,
    choice,
    day,
    json_response,
    over_the_limit,
    page_body,
    paging,
    text,
    today,
)

EVENTS_DEFAULT_DAYS = 90
EVENTS_MAX_DAYS = 366


@bp.before_request
def _limit():
    return over_the_limit()


@bp.after_request
def _cors(response):
    return add_cors(response)


def _listed(table, keys):
    page, per_page = paging()
    total = len(keys)
    pages = max(1, -(-total // per_page))
    page = min(page, pages)
    shown = keys[(page - 1) * per_page:page * per_page]
    return json_response(page_body([table.texts[key] for key in shown], total, page, per_page))


def _one(table, object_id):
    found = table.texts.get(object_id[:40])
    if found is None:
        abort(404)
    return json_response(found)


@bp.route("/")
@cached()
def root():
    return json_response(dumps({"version": "3.1", "profile": "https://openreferral.org/specification/3.1/",
                                "openapi_url": url_for(".openapi_description")}))


@bp.route("/openapi.json")
@cached(versions.CATALOGUE)
def openapi_description():
    return json_response(dumps(openapi.description(catalogue_search.get_index(db.session).lookups)))


@bp.route("/services")
@cached(versions.CATALOGUE)
def services():
    page, per_page = paging()
    query = text("q")
    moment = now()
    index = catalogue_search.get_index(db.session)
    held = snapshot(db.session, moment, index)
    lookups = index.lookups
    filters = catalogue_search.Filters(area=choice("area", lookups["areas"]),
                                       group=choice("group", lookups["groups"]),
                                       village=choice("village", lookups["villages"]))
    result = catalogue_search.search(db.session, catalogue_search.clean_query(query), filters, moment=moment,
                                     page=page, per_page=per_page)
    items = [held.summaries[held.service_ids[doc.id]] for doc in result.docs if doc.id in held.service_ids]
    extra = {"partial_match": result.partial} if query.strip() else None
    return json_response(page_body(items, result.total, result.page, per_page, extra))


@bp.route("/services/<hsds_id>")
@cached(versions.CATALOGUE)
def service(hsds_id):
    return _one(snapshot(db.session, now()).services, hsds_id)


@bp.route("/organizations")
@cached(versions.CATALOGUE)
def organizations():
    held = snapshot(db.session, now())
    return _listed(held.organizations, held.organizations.order)


@bp.route("/organizations/<hsds_id>")
@cached(versions.CATALOGUE)
def organization(hsds_id):
    return _one(snapshot(db.session, now()).organizations, hsds_id)


@bp.route("/locations")
@cached(versions.CATALOGUE)
def locations():
    held = snapshot(db.session, now())
    village = choice("village", catalogue_search.get_index(db.session).lookups["villages"])
    keys = held.locations.order
    if village:
        keys = [key for key in keys if held.location_villages.get(key) == village]
    return _listed(held.locations, keys)


@bp.route("/locations/<hsds_id>")
@cached(versions.CATALOGUE)
def location(hsds_id):
    return _one(snapshot(db.session, now()).locations, hsds_id)


@bp.route("/service_at_locations")
@cached(versions.CATALOGUE)
def service_at_locations():
    held = snapshot(db.session, now())
    return _listed(held.service_at_locations, held.service_at_locations.order)


@bp.route("/service_at_locations/<hsds_id>")
@cached(versions.CATALOGUE)
def service_at_location(hsds_id):
    return _one(snapshot(db.session, now()).service_at_locations, hsds_id)


@bp.route("/taxonomies")
@cached(versions.CATALOGUE)
def taxonomies():
    held = snapshot(db.session, now())
    return _listed(held.taxonomies, held.taxonomies.order)


@bp.route("/taxonomies/<hsds_id>")
@cached(versions.CATALOGUE)
def taxonomy(hsds_id):
    return _one(snapshot(db.session, now()).taxonomies, hsds_id)


@bp.route("/taxonomy_terms")
@cached(versions.CATALOGUE)
def taxonomy_terms():
    held = snapshot(db.session, now())
    wanted = choice("taxonomy", {"area", "target_group"})
    keys = held.taxonomy_terms.order
    if wanted:
        keys = [key for key in keys if held.term_taxonomy[key] == wanted]
    return _listed(held.taxonomy_terms, keys)


@bp.route("/taxonomy_terms/<hsds_id>")
@cached(versions.CATALOGUE)
def taxonomy_term(hsds_id):
    return _one(snapshot(db.session, now()).taxonomy_terms, hsds_id)


# --- events ---------------------------------------------------------------------------------

def _event_json(occurrence, groups, villages):
    return {
        "id": f"{occurrence.slug}:{occurrence.start.date().isoformat()}:{occurrence.start.strftime('%H%M')}",
        "event_slug": occurrence.slug,
        "name": occurrence.title,
        "summary": occurrence.summary,
        "start": occurrence.start.isoformat(),
        "end": occurrence.end.isoformat(),
        "all_day": occurrence.all_day,
        "cancelled": occurrence.cancelled,
        "location_name": occurrence.place_name,
        "room": occurrence.room,
        "village": villages.get(occurrence.village_id),
        "free": occurrence.free,
        "price": occurrence.price,
        "registration_needed": occurrence.registration_needed,
        "registration_phone": occurrence.registration_phone,
        "target_groups": [groups[i] for i in occurrence.audience_ids if i in groups],
        "url": public_url("events.detail", event_slug=occurrence.slug),
        "ics_url": public_url("events.event_feed", event_slug=occurrence.slug),
    }


def upcoming(first, last, group_code=None, village_slug=None):
    """The public events' occurrences from `first` to `last` (Warsaw days,
    inclusive), those still on: public, published or cancelled (marked so)."""
    groups = {group.id: group.code for group in db.session.scalars(select(TargetGroup))}
    villages = {village.id: village.slug for village in db.session.scalars(select(Village))}
    if last < first:
        return []
    start = max(datetime.combine(first, time(), WARSAW), now())
    end = datetime.combine(last + timedelta(days=1), time(), WARSAW)
    audience = [key for key, code in groups.items() if code == group_code] if group_code else None
    village_id = next((key for key, slug in villages.items() if slug == village_slug), None)
    if start >= end:
        return []
    found = events.occurrences(db.session, start, end, public_only=True, audience_ids=audience,
                               village_id=village_id)
    return [_event_json(o, groups, villages) for o in found]


# Dates outside these give nothing (and no arithmetic past the calendar's end).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def event_window():
    """(first, last) day asked for: `from` (today by default) to `to` (90
    days later by default), at most 366 days; `to` before `from` is an empty
    window, not an error (a client's two dates are each valid)."""
    first = max(day("from", today()), FIRST_DAY)
    asked_last = day("to", None)
    if first > LAST_DAY:
        return LAST_DAY, FIRST_DAY
    last = asked_last if asked_last is not None else first + timedelta(days=EVENTS_DEFAULT_DAYS)
    return first, min(last, first + timedelta(days=EVENTS_MAX_DAYS), LAST_DAY)


@bp.route("/events")
@cached(versions.EVENTS, versions.CATALOGUE)
def events_list():
    page, per_page = paging()
    first, last = event_window()
    lookups = catalogue_search.get_index(db.session).lookups
    group = choice("group", lookups["groups"])
    village = choice("village", lookups["villages"])
    found = upcoming(first, last, group, village)
    total = len(found)
    pages = max(1, -(-total // per_page))
    page = min(page, pages)
    shown = found[(page - 1) * per_page:page * per_page]
    return json_response(page_body([encoded(item) for item in shown], total, page, per_page))


# --- the HSDS export ------------------------------------------------------------------------

@bp.route("/export/hsds.json")
@cached(versions.CATALOGUE, max_age=3600)
def export_json():
    held = snapshot(db.session, now())
    # Not kept: it is the kept texts joined (under a second at 5,000 services).
    response = json_response(export.as_json(held, now(), current_app.config))
    response.headers["Content-Disposition"] = 'attachment; filename="hsds.json"'
    return response


@bp.route("/export/hsds.zip")
@cached(versions.CATALOGUE, max_age=3600)
def export_zip():
    held = snapshot(db.session, now())
    response = make_response(download(held, "hsds.zip", lambda: export.as_zip(held, now(), current_app.config)))
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = 'attachment; filename="hsds.zip"'
    return response



