"""The OpenAPI 3.1 description of the public API, served at /api/v1/openapi.json.

Written by hand: the objects' schemas name the HSDS 3.1 fields the portal
fills (HSDS allows more; `additionalProperties` stays open as HSDS's own
schemas leave it). tests/api/test_schemathesis.py fuzzes the API from this
description and checks every answer against it.
"""
from copy import deepcopy

STRING = {"type": "string"}
UUID = {"type": "string", "format": "uuid"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}


def _object(required, properties):
    return {"type": "object", "required": list(required), "properties": properties}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _array(name):
    return {"type": "array", "items": _ref(name)}


SCHEMAS = {
    "Problem": _object(("type", "title", "status", "detail"), {
        "type": STRING, "title": STRING, "status": {"type": "integer"}, "detail": STRING}),
    "Links": _object(("self", "first", "last"), {
        "self": STRING, "first": STRING, "last": STRING, "prev": STRING, "next": STRING}),
    "Phone": _object(("id", "number"), {"id": UUID, "number": STRING, "service_id": UUID, "organization_id": UUID}),
    "OrganizationIdentifier": _object(("id", "identifier_type", "identifier"), {
        "id": UUID, "organization_id": UUID, "identifier_scheme": STRING, "identifier_type": STRING,
        "identifier": STRING}),
    "Organization": _object(("id", "name", "description"), {
        "id": UUID, "name": STRING, "description": STRING, "email": STRING, "website": STRING,
        "legal_status": STRING, "uri": STRING, "phones": _array("Phone"),
        "organization_identifiers": _array("OrganizationIdentifier")}),
    "Address": _object(("id", "address_1", "city", "state_province", "postal_code", "country", "address_type"), {
        "id": UUID, "location_id": UUID, "address_1": STRING, "city": STRING, "state_province": STRING,
        "postal_code": STRING, "country": STRING, "address_type": {"enum": ["physical", "postal", "virtual"]}}),
    "Accessibility": _object(("id",), {"id": UUID, "location_id": UUID, "description": STRING, "details": STRING}),
    "Location": _object(("id", "location_type"), {
        "id": UUID, "location_type": {"enum": ["physical", "postal", "virtual"]}, "name": STRING,
        "description": STRING, "addresses": _array("Address"), "accessibility": _array("Accessibility")}),
    "ServiceAtLocation": _object(("id",), {
        "id": UUID, "service_id": UUID, "location_id": UUID, "location": _ref("Location")}),
    "Schedule": _object(("id",), {
        "id": UUID, "service_id": UUID, "valid_from": STRING, "valid_to": STRING,
        "freq": {"enum": ["WEEKLY", "MONTHLY"]}, "interval": NUMBER,
        "wkst": {"enum": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]}, "byday": STRING, "opens_at": STRING,
        "closes_at": STRING, "description": STRING}),
    "ServiceArea": _object(("id",), {"id": UUID, "service_id": UUID, "name": STRING, "description": STRING,
                                     "extent_type": STRING}),
    "Language": _object(("id",), {"id": UUID, "service_id": UUID, "name": STRING, "code": STRING}),
    "CostOption": _object(("id",), {"id": UUID, "service_id": UUID, "option": STRING, "currency": STRING,
                                    "amount": NUMBER, "amount_description": STRING}),
    "RequiredDocument": _object(("id",), {"id": UUID, "service_id": UUID, "document": STRING}),
    "Contact": _object(("id",), {"id": UUID, "service_id": UUID, "name": STRING, "email": STRING}),
    "Taxonomy": _object(("id", "name", "description"), {"id": UUID, "name": STRING, "description": STRING}),
    "TaxonomyTerm": _object(("id", "name", "description"), {
        "id": UUID, "code": STRING, "name": STRING, "description": STRING, "taxonomy": STRING,
        "taxonomy_id": UUID, "language": STRING}),
    "Attribute": _object(("id",), {
        "id": UUID, "link_id": UUID, "link_type": {"enum": ["area", "target_group"]}, "link_entity": STRING,
        "taxonomy_term_id": UUID, "taxonomy_term": _ref("TaxonomyTerm")}),
    "Service": _object(("id", "name", "status"), {
        "id": UUID, "organization_id": UUID, "name": STRING, "description": STRING, "url": STRING,
        "email": STRING, "status": {"enum": ["active", "inactive", "defunct", "temporarily closed"]},
        "application_process": STRING, "fees_description": STRING, "eligibility_description": STRING,
        "minimum_age": NUMBER, "maximum_age": NUMBER, "assured_date": {"type": "string", "format": "date"},
        "last_modified": {"type": "string", "format": "date-time"},
        "phones": _array("Phone"), "schedules": _array("Schedule"), "service_areas": _array("ServiceArea"),
        "service_at_locations": _array("ServiceAtLocation"), "languages": _array("Language"),
        "organization": _ref("Organization"), "cost_options": _array("CostOption"),
        "required_documents": _array("RequiredDocument"), "contacts": _array("Contact"),
        "attributes": _array("Attribute")}),
    "ServiceSummary": _object(("id", "name", "status"), {
        "id": UUID, "organization_id": UUID, "name": STRING, "description": STRING, "url": STRING,
        "email": STRING, "status": {"enum": ["active", "inactive", "defunct", "temporarily closed"]},
        "application_process": STRING, "fees_description": STRING, "eligibility_description": STRING,
        "minimum_age": NUMBER, "maximum_age": NUMBER, "assured_date": {"type": "string", "format": "date"},
        "last_modified": {"type": "string", "format": "date-time"},
        "organization": _object(("id", "name", "description"), {
            "id": UUID, "name": STRING, "description": STRING, "email": STRING, "website": STRING,
            "legal_status": STRING, "uri": STRING})}),
    "Event": _object(("id", "event_slug", "name", "start", "end", "all_day", "cancelled", "free", "url", "ics_url"), {
        "id": STRING, "event_slug": STRING, "name": STRING, "summary": STRING,
        "start": {"type": "string", "format": "date-time"}, "end": {"type": "string", "format": "date-time"},
        "all_day": BOOLEAN, "cancelled": BOOLEAN, "location_name": {"type": ["string", "null"]},
        "room": {"type": ["string", "null"]}, "village": {"type": ["string", "null"]}, "free": BOOLEAN,
        "price": {"type": ["string", "null"]}, "registration_needed": BOOLEAN,
        "registration_phone": {"type": ["string", "null"]}, "target_groups": {"type": "array", "items": STRING},
        "url": STRING, "ics_url": STRING}),
}


def _page_of(name):
    return {"type": "object",
            "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
                         "links", "contents"],
            "properties": {"total_items": {"type": "integer", "minimum": 0},
                           "total_pages": {"type": "integer", "minimum": 1},
                           "page_number": {"type": "integer", "minimum": 1},
                           "size": {"type": "integer", "minimum": 0, "maximum": 100},
                           "first_page": BOOLEAN, "last_page": BOOLEAN, "empty": BOOLEAN,
                           "partial_match": BOOLEAN, "links": _ref("Links"), "contents": _array(name)}}


# The portal refuses control characters in any address (portal/input_guard.py: 400, 404 in a path).
NO_CONTROL = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"


def _query(name, description, schema):
    if schema.get("type") == "string" and "enum" not in schema:
        schema = dict(schema, pattern=NO_CONTROL)
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _path(name, description):
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string", "maxLength": 40, "pattern": NO_CONTROL}}


PAGING = [
    _query("page", "The page, from 1.", {"type": "integer", "minimum": 1, "maximum": 10000}),
    _query("per_page", "Items on a page: 1 to 100, 20 when not given.", {"type": "integer", "minimum": 1,
                                                                         "maximum": 100}),
]
CODE = {"type": "string", "maxLength": 60}
PROBLEM = {"application/problem+json": {"schema": _ref("Problem")}}
ETAG = {"ETag": {"description": "The answer's version: send it back in If-None-Match.",
                 "schema": {"type": "string"}}}


def _answers(schema, *errors, media="application/json"):
    answers = {"200": {"description": "OK", "headers": ETAG,
                       "content": {media: {"schema": schema}}},
               "304": {"description": "Not modified since the ETag in If-None-Match."},
               "429": {"description": "Over the rate limit.", "content": PROBLEM}}
    for status, description in (("400", "A malformed parameter."), ("404", "No such object in the public catalogue."),
                                ("422", "A parameter's value is unknown (a code, a village) or out of range.")):
        if status in errors:
            answers[status] = {"description": description, "content": PROBLEM}
    return answers


def _get(operation_id, summary, answers, parameters=(), tags=("catalogue",)):
    return {"get": {"operationId": operation_id, "summary": summary, "tags": list(tags),
                    "parameters": list(parameters), "responses": answers}}


def _list_and_one(plural, schema, summary, one_summary, id_name, parameters=(), listed=None):
    """A list (of `listed` objects, `schema` when not given) and one object by id."""
    return {
        f"/{plural}": _get(f"list_{plural}", summary, _answers(_page_of(listed or schema), "400", "422"),
                           (*PAGING, *parameters)),
        f"/{plural}/{{{id_name}}}": _get(f"get_{plural}", one_summary, _answers(_ref(schema), "404"),
                                         (_path(id_name, "The object's id (a UUID)."),)),
    }


def _codes(codes):
    """A parameter's schema: one of today's codes (an unknown one is 422)."""
    return {"type": "string", "enum": sorted(codes)} if codes else {"type": "string", "maxLength": 0}


def _paths(lookups):
    area = _query("area", "An area's code (taxonomy_terms?taxonomy=area), e.g. `social_assistance`.",
                  _codes(lookups["areas"]))
    group = _query("group", "A target group's code (taxonomy_terms?taxonomy=target_group), e.g. `seniors`.",
                   _codes(lookups["groups"]))
    village = _query("village", "A village's slug; services at home reach every village.",
                     _codes(lookups["villages"]))
    paths = {
        "/": _get("root", "The API's HSDS version and description.", {
            "200": {"description": "OK", "headers": ETAG, "content": {"application/json": {"schema": _object(
                ("version", "openapi_url"), {"version": STRING, "profile": STRING, "openapi_url": STRING})}}},
            "304": {"description": "Not modified."},
            "429": {"description": "Over the rate limit.", "content": PROBLEM}}),
    }
    paths.update(_list_and_one(
        "services", "Service", "Public services, in the catalogue's order (or by relevance with `q`): HSDS's list "
        "form, the one-to-one fields and the organisation's.",
        "One public service with everything HSDS nests in it.", "service_id",
        (_query("q", "Search words, as in the catalogue (Polish inflections, typos, synonyms).",
                {"type": "string", "maxLength": 200}), area, group, village), listed="ServiceSummary"))
    paths.update(_list_and_one("organizations", "Organization", "Providers of the public catalogue.",
                               "One provider.", "organization_id"))
    paths.update(_list_and_one("locations", "Location", "Places where public services happen.", "One place.",
                               "location_id", (village,)))
    paths.update(_list_and_one("service_at_locations", "ServiceAtLocation", "Which service happens where.",
                               "One service at a location.", "service_at_location_id"))
    paths.update(_list_and_one("taxonomies", "Taxonomy", "The two taxonomies: areas and target groups.",
                               "One taxonomy.", "taxonomy_id"))
    paths.update(_list_and_one("taxonomy_terms", "TaxonomyTerm",
                               "The 14 statutory areas of social services and the target groups.",
                               "One term.", "taxonomy_term_id",
                               (_query("taxonomy", "Only the terms of one taxonomy.",
                                       {"type": "string", "enum": ["area", "target_group"]}),)))
    paths["/events"] = _get(
        "list_events", "Occurrences of the public events, by start (cancelled ones marked, until they would end).",
        _answers(_page_of("Event"), "400", "422"),
        (*PAGING,
         _query("from", "First day (Europe/Warsaw), today when not given.", {"type": "string", "format": "date"}),
         _query("to", "Last day: 90 days after `from` when not given, at most 366 days after it (a later one "
                "counts as that); before `from`, nothing.",
                {"type": "string", "format": "date"}), group, village),
        tags=("events",))
    paths["/export/hsds.json"] = _get(
        "export_json", "The whole public catalogue as one HSDS 3.1 JSON document.",
        _answers({"type": "object", "required": ["hsds_version", "services", "organizations"]}),
        tags=("export",))
    paths["/export/hsds.zip"] = _get(
        "export_zip", "The whole public catalogue as HSDS 3.1 CSV tables with datapackage.json, zipped.",
        _answers({"type": "string", "format": "binary"}, media="application/zip"), tags=("export",))
    paths["/openapi.json"] = _get("openapi", "This description.", {
        "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
        "304": {"description": "Not modified."},
        "429": {"description": "Over the rate limit.", "content": PROBLEM}}, tags=("meta",))
    return paths


def description(lookups):
    """The description with today's codes of areas, target groups and villages
    (the search index's `lookups`)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Portal CUS — the open catalogue",
            "version": "1.0.0",
            "summary": "The public catalogue of social services and the public events, read-only, in HSDS 3.1.",
            "description": (
                "No login. Objects follow Open Referral HSDS 3.1 (https://openreferral.org) with its field names "
                "and nesting; ids are UUIDs that stay the same for as long as the record lives. Lists are paged "
                "(page, per_page up to 100) with links to the other pages. Answers carry an ETag (send it back in "
                "If-None-Match for a 304) and Cache-Control. Errors are problem details (RFC 9457). A client "
                "may make a limited number of requests a minute (429 beyond it, with Retry-After)."),
            "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": "/api/v1"}],
        "tags": [{"name": "catalogue"}, {"name": "events"}, {"name": "export"}, {"name": "meta"}],
        "paths": _paths(lookups),
        "components": {"schemas": deepcopy(SCHEMAS)},
    }
