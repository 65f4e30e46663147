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
import threading
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..catalogue import search as catalogue_search
from ..catalogue.models import ACCESSIBILITY, PROVIDER_TYPES, UNITS, Area, Place, Provider, Service, TargetGroup
from ..public_urls import public_url
from ..text import polish_sort_key
from ..timeutil import WARSAW
from . import hsds


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Table:
    """One kind of object: HSDS dicts by id, their JSON texts, the list order."""

    objects: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)
    order: list = field(default_factory=list)

    def add(self, obj):
        if obj["id"] not in self.objects:
            self.order.append(obj["id"])
        self.objects[obj["id"]] = obj

    def seal(self):
        self.texts = {key: dumps(obj) for key, obj in self.objects.items()}

    def listed(self):
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


_lock = threading.Lock()


def public_docs(session, moment):
    """The search index and the catalogue's public services (its Docs), in
    the catalogue's order: the catalogue's search with no query and no filter."""
    index = catalogue_search.get_index(session)
    everything = max(1, len(index.docs))
    result = catalogue_search.search(session, "", catalogue_search.Filters(), moment=moment, page=1,
                                     per_page=everything)
    return index, result.docs


def snapshot(session, moment):
    """This process's snapshot for the session's database as of `moment`."""
    index = catalogue_search.get_index(session)
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


def build(session, moment, key):
    ids = hsds.Ids(hsds.namespace(current_app.config["MUNICIPALITY_NAME"]))
    province = current_app.config.get("PROVINCE", "")
    _index, docs = public_docs(session, moment)
    wanted = [doc.id for doc in docs]
    public = set(wanted)
    rows = session.scalars(
        select(Service).where(Service.status != "archived").options(
            selectinload(Service.provider), selectinload(Service.areas), selectinload(Service.target_groups),
            selectinload(Service.places).selectinload(Place.village), selectinload(Service.schedule_rules),
            selectinload(Service.discounts), selectinload(Service.required_documents))
    ).all()
    by_id = {row.id: row for row in rows if row.id in public}

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

    organizations = Table()
    org_objects = {}

    def organization_of(provider):
        found = org_objects.get(provider.id)
        if found is None:
            found = org_objects[provider.id] = hsds.organization(
                ids, provider, str(PROVIDER_TYPES.get(provider.provider_type, provider.provider_type)),
                public_url("catalogue.provider_detail", slug=provider.slug))
        return found

    listed_providers = session.scalars(select(Provider).where(Provider.status != "archived")).all()
    locations, location_villages = Table(), {}
    service_at_locations = Table()
    services, service_ids = Table(), {}
    place_objects = {}
    for service_id in wanted:
        service = by_id.get(service_id)
        if service is None:
            continue
        for place in service.places:
            if place.id not in place_objects:
                place_objects[place.id] = hsds.location(ids, place, ACCESSIBILITY, province)
                location_villages[place_objects[place.id]["id"]] = place.village.slug if place.village else None
        texts = dict(_texts(), unit=_("za jednostkę: %(unit)s", unit=UNITS.get(service.unit, (service.unit,))[0]))
        obj = hsds.service(ids, service, organization_obj=organization_of(service.provider),
                           locations=place_objects, terms=terms, texts=texts,
                           url=public_url("catalogue.service_detail", slug=service.slug))
        services.add(obj)
        service_ids[service.id] = obj["id"]
        for place in service.places:
            service_at_locations.add(hsds.service_at_location(ids, service, place, place_objects[place.id]))
    for provider in sorted({*listed_providers, *(s.provider for s in by_id.values())},
                           key=lambda p: (polish_sort_key(p.name), p.id)):
        organizations.add(organization_of(provider))
    for place_id in sorted(place_objects, key=lambda i: (polish_sort_key(place_objects[i]["name"]), i)):
        locations.add(place_objects[place_id])
    for table in (services, organizations, locations, service_at_locations, terms_table, taxonomies):
        table.seal()
    return Snapshot(key, services, organizations, locations, service_at_locations, terms_table, taxonomies,
                    service_ids, location_villages, term_taxonomy)
