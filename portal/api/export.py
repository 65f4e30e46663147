"""The whole public catalogue as an HSDS 3.1 data package.

JSON: one document with every organisation, service (nested as HSDS nests
it), location, service at location, taxonomy and taxonomy term.

CSV (the tabular form): one file per HSDS table, named as the HSDS schemas
name them (services.csv, phones.csv, ...), the nested objects flattened to
rows that point at their parent by id, and a datapackage.json (Frictionless
tabular data package) describing each file's fields.
"""
import csv
import io
import json
import zipfile

from .data import dumps
from .hsds import HSDS_VERSION, PROFILE

# HSDS table -> (file, its flat fields, their Frictionless types). The fields
# are those of the HSDS 3.1 schema of the table that the portal fills;
# tests/api/test_export.py holds them to the schemas.
S, N, B = "string", "number", "boolean"
TABLES = {
    "organization": ("organizations.csv", {"id": S, "name": S, "description": S, "email": S, "website": S,
                                           "legal_status": S, "uri": S}),
    "organization_identifier": ("organization_identifiers.csv", {
        "id": S, "organization_id": S, "identifier_scheme": S, "identifier_type": S, "identifier": S}),
    "service": ("services.csv", {
        "id": S, "organization_id": S, "name": S, "description": S, "url": S, "email": S, "status": S,
        "application_process": S, "fees_description": S, "eligibility_description": S, "minimum_age": N,
        "maximum_age": N, "assured_date": S, "last_modified": S}),
    "location": ("locations.csv", {"id": S, "location_type": S, "name": S, "description": S}),
    "address": ("addresses.csv", {"id": S, "location_id": S, "address_1": S, "city": S, "state_province": S,
                                  "postal_code": S, "country": S, "address_type": S}),
    "accessibility": ("accessibility.csv", {"id": S, "location_id": S, "description": S, "details": S}),
    "service_at_location": ("service_at_location.csv", {"id": S, "service_id": S, "location_id": S}),
    "phone": ("phones.csv", {"id": S, "organization_id": S, "service_id": S, "number": S}),
    "schedule": ("schedules.csv", {
        "id": S, "service_id": S, "valid_from": S, "valid_to": S, "freq": S, "interval": N, "wkst": S,
        "byday": S, "opens_at": S, "closes_at": S, "description": S}),
    "service_area": ("service_areas.csv", {"id": S, "service_id": S, "name": S, "description": S,
                                           "extent_type": S}),
    "language": ("languages.csv", {"id": S, "service_id": S, "name": S, "code": S}),
    "cost_option": ("cost_options.csv", {"id": S, "service_id": S, "option": S, "currency": S, "amount": N,
                                         "amount_description": S}),
    "required_document": ("required_documents.csv", {"id": S, "service_id": S, "document": S}),
    "contact": ("contacts.csv", {"id": S, "service_id": S, "name": S, "email": S}),
    "taxonomy": ("taxonomies.csv", {"id": S, "name": S, "description": S}),
    "taxonomy_term": ("taxonomy_terms.csv", {"id": S, "code": S, "name": S, "description": S, "taxonomy": S,
                                             "taxonomy_id": S, "language": S}),
    "attribute": ("attributes.csv", {"id": S, "link_id": S, "link_type": S, "link_entity": S,
                                     "taxonomy_term_id": S}),
}

# A nested key -> the table its objects belong to.
CHILDREN = {
    "organization": "organization", "organization_identifiers": "organization_identifier",
    "location": "location", "addresses": "address", "accessibility": "accessibility",
    "service_at_locations": "service_at_location", "phones": "phone", "schedules": "schedule",
    "service_areas": "service_area", "languages": "language", "cost_options": "cost_option",
    "required_documents": "required_document", "contacts": "contact", "taxonomy_term": "taxonomy_term",
    "attributes": "attribute",
}


def _about(held, moment, config):
    return {
        "hsds_version": HSDS_VERSION,
        "profile": PROFILE,
        "publisher": config["CENTRE_NAME"],
        "municipality": config["MUNICIPALITY_NAME"],
        "generated": moment.isoformat().replace("+00:00", "Z"),
    }


def as_json(held, moment, config):
    """The JSON document: the catalogue's objects as its texts already are."""
    parts = [dumps(_about(held, moment, config))[:-1].encode()]
    for name, table in (("organizations", held.organizations), ("services", held.services),
                        ("locations", held.locations), ("service_at_locations", held.service_at_locations),
                        ("taxonomies", held.taxonomies), ("taxonomy_terms", held.taxonomy_terms)):
        parts.append(f',"{name}":['.encode() + b",".join(table.texts[key] for key in table.order) + b"]")
    return b"".join(parts) + b"}"


def _flatten(obj, table, rows):
    fields = TABLES[table][1]
    if obj["id"] not in rows[table]:
        rows[table][obj["id"]] = {key: obj[key] for key in fields if key in obj}
    for key, value in obj.items():
        child = CHILDREN.get(key)
        if child is None or child == table:
            continue
        for item in value if isinstance(value, list) else [value]:
            _flatten(item, child, rows)


def rows_of(held):
    """{table: {id: flat row}} of the whole catalogue."""
    rows = {table: {} for table in TABLES}
    for table, source in (("organization", held.organizations), ("service", held.services),
                          ("location", held.locations), ("service_at_location", held.service_at_locations),
                          ("taxonomy", held.taxonomies), ("taxonomy_term", held.taxonomy_terms)):
        for obj in source.listed():
            _flatten(obj, table, rows)
    return rows


def _csv(fields, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def as_tables(held, moment, config):
    """[(file name, content)] of the zip: each table's CSV and datapackage.json."""
    rows = rows_of(held)
    files, resources = [], []
    for table, (path, fields) in TABLES.items():
        files.append((path, _csv(fields, rows[table].values())))
        resources.append({
            "name": table, "path": path, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [{"name": name, "type": kind} for name, kind in fields.items()],
                       "primaryKey": "id"},
        })
    about = _about(held, moment, config)
    package = {"name": "hsds", "title": f"{config['CENTRE_NAME']} — HSDS {HSDS_VERSION}",
               "profile": "tabular-data-package", "created": about["generated"], "version": HSDS_VERSION,
               "homepage": PROFILE, "resources": resources}
    files.append(("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2)))
    return files


def as_zip(held, moment, config):
    """The zip's bytes: every table's CSV and datapackage.json."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in as_tables(held, moment, config):
            archive.writestr(name, content)
    return buffer.getvalue()
