"""The public catalogue in HSDS, serialised once per catalogue version.

Which services are public is the catalogue's own rule, read through its
search (portal/catalogue/search.py): everything the catalogue lists with no
query and no filter (not archived, not past its `valid_to`), in the
catalogue's order. The snapshot is built from the search index it reads, so
a list (the search's page of ids) and the objects always agree, and it is
kept per process until the index moves on (a catalogue edit) or the day
changes (a service's period ends). Each object is kept as its JSON text: a
page of 50 services is 50 strings joined.
"""
import json
import re
import threading
from dataclasses import dataclass, field
from types import SimpleNamespace

from flask import current_app, g, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..catalogue import search as catalogue_search
from ..catalogue.models import (
    ACCESSIBILITY,
    PROVIDER_TYPES,
    UNITS,
    Area,
    Discount,
    Place,
    Provider,
    RequiredDocument,
    ScheduleRule,
    Service,
    TargetGroup,
    service_area,
    service_place,
    service_target_group,
)
from ..public_urls import public_url
from ..text import polish_sort_key
from ..timeutil import WARSAW
from . import hsds


class _Shared:
    """The objects many services nest (their organisation, locations and
    taxonomy terms) serialised once and spliced into each service's JSON:
    at 5,000 services most of the export's bytes are these repeats."""

    MARK = re.compile(r'"\\u0000([0-9a-f-]{36})\\u0000"')

    def __init__(self):
        self.texts = {}

    def ref(self, obj):
        if obj["id"] not in self.texts:
            self.texts[obj["id"]] = dumps(obj)
        return _Ref(obj["id"])

    def encode_service(self, service):
        flat = dict(service)
        flat["organization"] = self.ref(service["organization"])
        if "service_at_locations" in service:
            flat["service_at_locations"] = [dict(link, location=self.ref(link["location"]))
                                            for link in service["service_at_locations"]]
        if "attributes" in service:
            flat["attributes"] = [dict(attribute, taxonomy_term=self.ref(attribute["taxonomy_term"]))
                                  for attribute in service["attributes"]]
        text = json.dumps(flat, ensure_ascii=False, separators=(",", ":"), default=lambda ref: f"\0{ref.key}\0")
        return self.MARK.sub(lambda match: self.texts.get(match.group(1), match.group(0)), text).encode()


@dataclass(frozen=True)
class _Ref:
    key: str


def download(held, name, make):
    """The export file `name` of this snapshot, made once (under the lock)."""
    found = held.downloads.get(name)
    if found is None:
        with _lock:
            found = held.downloads.get(name)
            if found is None:
                found = held.downloads[name] = make()
    return found


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def encoded(obj):
    """The object's compact JSON as UTF-8 bytes (half the memory of a Polish str)."""
    return dumps(obj).encode()


@dataclass
class Table:
    """One kind of object: its JSON texts (UTF-8 bytes) by id, in the list
    order, and the HSDS dicts too unless `lean` (the services: some 7 kB
    each, read back from the text for the CSV export, once per snapshot)."""

    objects: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)
    order: list = field(default_factory=list)
    lean: bool = False
    encode: object = None  # obj -> bytes; `encoded` when not given

    def add(self, obj):
        if obj["id"] not in self.objects:
            self.order.append(obj["id"])
        self.objects[obj["id"]] = obj

    def seal(self):
        encode = self.encode or encoded
        self.texts = {key: encode(obj) for key, obj in self.objects.items()}
        if self.lean:
            self.objects = {}

    def listed(self):
        if self.lean:
            return [json.loads(self.texts[key]) for key in self.order]
        return [self.objects[key] for key in self.order]


@dataclass
class Snapshot:
    key: tuple
    services: Table
    organizations: Table
    locations: Table
    service_at_locations: Table
    taxonomy_terms: Table
    taxonomies: Table
    service_ids: dict  # service row id -> HSDS id
    location_villages: dict  # location HSDS id -> village slug (or None)
    term_taxonomy: dict  # term HSDS id -> taxonomy code
    summaries: dict  # service HSDS id -> JSON (bytes) of its list form (hsds.service_summary)
    downloads: dict = field(default_factory=dict)  # the export's files, made on first download


_lock = threading.Lock()


def public_docs(session, moment):
    """The search index and the catalogue's public services (its Docs), in
    the catalogue's order: the catalogue's search with no query and no filter."""
    index = catalogue_search.get_index(session)
    everything = max(1, len(index.docs))
    result = catalogue_search.search(session, "", catalogue_search.Filters(), moment=moment, page=1,
                                     per_page=everything)
    return index, result.docs


def snapshot(session, moment, index=None):
    """This process's snapshot for the session's database as of `moment`
    (`index`: the search index when the caller has just read it)."""
    index = index or catalogue_search.get_index(session)
    if has_request_context():
        g.api_index_version = index.version  # http.cached: no ETag while the index lags behind
    day = moment.astimezone(WARSAW).date()
    key = (str(session.get_bind().url), index.version, day)
    held = current_app.extensions.get("api_snapshot")
    if held is not None and held.key == key:
        return held
    with _lock:
        held = current_app.extensions.get("api_snapshot")
        if held is None or held.key != key:
            with force_locale("pl"):  # the catalogue's data is Polish; so are the few words added
                held = build(session, moment, key)
            current_app.extensions["api_snapshot"] = held
    return held


def _texts():
    return {
        "free": _("bezpłatna"),
        "fee": _("odpłatna"),
        "municipality": current_app.config["MUNICIPALITY_NAME"],
        "at_home": _("w domu klienta"),
        "polish": _("polski"),
    }


def _grouped(session, table, key="service_id"):
    """{service id: [rows]} of a service's one-to-many table, in id order."""
    found = {}
    for row in session.execute(select(table).order_by(table.c.id)):
        found.setdefault(getattr(row, key), []).append(row)
    return found


def _links(session, link, column, known):
    """{service id: [objects]} through a many-to-many link table."""
    found = {}
    for service_id, other_id in session.execute(select(link.c.service_id, column)):
        if other_id in known:
            found.setdefault(service_id, []).append(known[other_id])
    return found


def _services(session, wanted):
    """The wanted services as plain objects with what hsds.service reads:
    read with a few statements (Core rows, the references once), not with
    the ORM's loaders (at 5,000 services most of the time went there)."""
    areas = {a.id: a for a in session.scalars(select(Area))}
    groups = {g.id: g for g in session.scalars(select(TargetGroup))}
    places = {p.id: p for p in session.scalars(select(Place).options(joinedload(Place.village)))}
    providers = {p.id: p for p in session.scalars(select(Provider))}
    by_area = _links(session, service_area, service_area.c.area_id, areas)
    by_group = _links(session, service_target_group, service_target_group.c.target_group_id, groups)
    by_place = _links(session, service_place, service_place.c.place_id, places)
    rules = _grouped(session, ScheduleRule.__table__)
    discounts = _grouped(session, Discount.__table__)
    documents = _grouped(session, RequiredDocument.__table__)
    rows = {row.id: row for row in session.execute(select(Service.__table__).where(Service.status != "archived"))}
    found = []
    for service_id in wanted:
        row = rows.get(service_id)
        if row is None:
            continue
        found.append(SimpleNamespace(
            **row._asdict(),
            provider=providers[row.provider_id],
            areas=sorted(by_area.get(service_id, ()), key=lambda a: (a.position, a.id)),
            target_groups=sorted(by_group.get(service_id, ()), key=lambda g: (g.position, g.id)),
            places=sorted(by_place.get(service_id, ()), key=lambda p: (polish_sort_key(p.name), p.id)),
            schedule_rules=sorted(rules.get(service_id, ()), key=lambda r: (r.weekday, r.opens)),
            discounts=discounts.get(service_id, []),
            required_documents=documents.get(service_id, []),
        ))
    return found, [p for p in providers.values() if p.status != "archived"]


def build(session, moment, key):
    ids = hsds.Ids(hsds.namespace(current_app.config["MUNICIPALITY_NAME"]))
    province = current_app.config.get("PROVINCE", "")
    _index, docs = public_docs(session, moment)
    services_read, listed_providers = _services(session, [doc.id for doc in docs])

    taxonomies, terms_table, terms = Table(), Table(), {}
    term_taxonomy = {}
    for code, name, description, model in (
            (hsds.AREA_TAXONOMY, _("Obszary usług społecznych"),
             _("Obszary usług społecznych według ustawy o realizowaniu usług społecznych"), Area),
            (hsds.GROUP_TAXONOMY, _("Grupy odbiorców"), _("Dla kogo jest usługa"), TargetGroup)):
        taxonomies.add(hsds.taxonomy(ids, code, name, description))
        for entry in session.scalars(select(model).order_by(model.position, model.id)):
            term = hsds.taxonomy_term(ids, code, name, entry)
            terms[(code, entry.code)] = term
            terms_table.add(term)
            term_taxonomy[term["id"]] = code

    org_objects = {}

    def organization_of(provider):
        found = org_objects.get(provider.id)
        if found is None:
            found = org_objects[provider.id] = hsds.organization(
                ids, provider, str(PROVIDER_TYPES.get(provider.provider_type, provider.provider_type)),
                public_url("catalogue.provider_detail", slug=provider.slug))
        return found

    common = _texts()
    # The service pages' address once: the slugs are the portal's own (ASCII, URL-safe).
    page_address = public_url("catalogue.service_detail", slug="0")[:-1]
    unit_texts = {}
    locations, location_villages = Table(), {}
    service_at_locations = Table()
    services, service_ids, summaries = Table(lean=True, encode=_Shared().encode_service), {}, {}
    place_objects = {}
    for service in services_read:
        for place in service.places:
            if place.id not in place_objects:
                place_objects[place.id] = hsds.location(ids, place, ACCESSIBILITY, province)
                location_villages[place_objects[place.id]["id"]] = place.village.slug if place.village else None
        if service.unit not in unit_texts:
            unit_texts[service.unit] = _("za jednostkę: %(unit)s", unit=UNITS.get(service.unit, (service.unit,))[0])
        obj = hsds.service(ids, service, organization_obj=organization_of(service.provider),
                           locations=place_objects, terms=terms, texts=dict(common, unit=unit_texts[service.unit]),
                           url=page_address + service.slug)
        services.add(obj)
        service_ids[service.id] = obj["id"]
        summaries[obj["id"]] = encoded(hsds.service_summary(obj))
        for place in service.places:
            service_at_locations.add(hsds.service_at_location(ids, service, place, place_objects[place.id]))
    organizations = Table()
    for provider in sorted({*listed_providers, *(s.provider for s in services_read)},
                           key=lambda p: (polish_sort_key(p.name), p.id)):
        organizations.add(organization_of(provider))
    for place_id in sorted(place_objects, key=lambda i: (polish_sort_key(place_objects[i]["name"]), i)):
        locations.add(place_objects[place_id])
    for table in (services, organizations, locations, service_at_locations, terms_table, taxonomies):
        table.seal()
    return Snapshot(key, services, organizations, locations, service_at_locations, terms_table, taxonomies,
                    service_ids, location_villages, term_taxonomy, summaries)
