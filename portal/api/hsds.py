"""The public catalogue as Open Referral HSDS 3.1 objects.

Pure mapping: models in, plain dicts out, with HSDS field names and nesting.
Empty values are left out (HSDS types its fields as strings and numbers, not
null). Ids are UUIDs derived from the portal's namespace and the row
(`uuid5(namespace, "service:12")`): stable as long as the row lives, no
column to keep. Only what the public pages show goes in: no keywords (staff
search aids), no capacity, no indicators, nothing about people.
"""
import hashlib
import uuid
from datetime import timezone
from decimal import Decimal

HSDS_VERSION = "3.1"
PROFILE = "https://openreferral.org/specification/3.1/"

# Service status -> HSDS status: a suspended service stays in the public
# catalogue (marked so), as the catalogue's own pages show it.
STATUSES = {"active": "active", "suspended": "temporarily closed"}

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

AREA_TAXONOMY = "area"
GROUP_TAXONOMY = "target_group"


def namespace(municipality):
    """The namespace of a portal's ids: one per municipality, so two portals'
    exports never share an id."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:portal-cus:{municipality}")


class Ids:
    """Deterministic UUIDs of rows: `ids("service", 12)` is
    `uuid5(namespace, "service:12")` (RFC 4122 version 5, computed here
    without uuid5's per-call overhead: an export derives some 100,000)."""

    def __init__(self, space):
        self.space = space
        self._prefix = hashlib.sha1(space.bytes)
        self._known = {}

    def __call__(self, table, key):
        name = f"{table}:{key}"
        found = self._known.get(name)
        if found is None:
            digest = self._prefix.copy()
            digest.update(name.encode())
            raw = bytearray(digest.digest()[:16])
            raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
            raw[8] = (raw[8] & 0x3F) | 0x80  # the RFC 4122 variant
            text = raw.hex()
            found = self._known[name] = f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
        return found


def _clean(obj):
    """The object without empty values (None, "", [])."""
    return {key: value for key, value in obj.items() if value not in (None, "", [])}


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _time(value):
    return value.strftime("%H:%M") if value is not None else None


def _instant(value):
    """An instant as ISO 8601 in UTC (SQLite gives it back without a zone)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _day(value):
    return value.isoformat() if value is not None else None


def taxonomy(ids, code, name, description):
    return {"id": ids("taxonomy", code), "name": name, "description": description}


def taxonomy_term(ids, taxonomy_code, taxonomy_name, entry):
    """An area or a target group."""
    return _clean({
        "id": ids(taxonomy_code, entry.code),
        "code": entry.code,
        "name": entry.name,
        "description": entry.name,
        "taxonomy": taxonomy_name,
        "taxonomy_id": ids("taxonomy", taxonomy_code),
        "language": "pl",
    })


def phone(ids, owner, owner_id, number, key):
    return {"id": ids("phone", key), f"{owner}_id": owner_id, "number": number}


def organization(ids, provider, type_label, url=None):
    org_id = ids("provider", provider.id)
    identifiers = [
        _clean({"id": ids("organization_identifier", f"{provider.id}:{scheme}"), "organization_id": org_id,
                "identifier_scheme": scheme_name, "identifier_type": scheme, "identifier": value})
        for scheme, scheme_name, value in (("NIP", "PL-NIP", provider.nip), ("REGON", "PL-REGON", provider.regon),
                                           ("KRS", "PL-KRS", provider.krs))
        if value
    ]
    return _clean({
        "id": org_id,
        "name": provider.name,
        "description": provider.description or type_label,
        "email": provider.email,
        "website": provider.website,
        "legal_status": type_label,
        "uri": url,
        "phones": [phone(ids, "organization", org_id, provider.phone, f"provider:{provider.id}")]
        if provider.phone else [],
        "organization_identifiers": identifiers,
    })


def location(ids, place, accessibility_labels, province):
    loc_id = ids("place", place.id)
    addresses = []
    if place.address_1 and place.city and place.postal_code:
        addresses.append({
            "id": ids("address", place.id), "location_id": loc_id, "address_1": place.address_1,
            "city": place.city, "state_province": province, "postal_code": place.postal_code,
            "country": "PL", "address_type": "physical"})
    accessibility = [
        {"id": ids("accessibility", f"{place.id}:{code}"), "location_id": loc_id,
         "description": str(accessibility_labels.get(code, code))}
        for code in place.accessibility
    ]
    if place.accessibility_description:
        accessibility.append({"id": ids("accessibility", f"{place.id}:note"), "location_id": loc_id,
                              "details": place.accessibility_description})
    return _clean({
        "id": loc_id,
        "location_type": "physical",
        "name": place.name,
        "description": place.village.name if place.village else None,
        "addresses": addresses,
        "accessibility": accessibility,
    })


def service_at_location(ids, service, place, location_obj=None):
    obj = {"id": ids("service_at_location", f"{service.id}:{place.id}"),
           "service_id": ids("service", service.id), "location_id": ids("place", place.id)}
    if location_obj is not None:
        obj["location"] = location_obj
    return obj


def _schedules(ids, service, service_id):
    found = []
    for rule in service.schedule_rules:
        found.append(_clean({
            "id": ids("schedule", rule.id),
            "service_id": service_id,
            "valid_from": _day(rule.valid_from),
            "valid_to": _day(rule.valid_to),
            "freq": "WEEKLY",
            "interval": 1,
            "wkst": "MO",
            "byday": WEEKDAYS[rule.weekday],
            "opens_at": _time(rule.opens),
            "closes_at": _time(rule.closes),
            "description": rule.label,
        }))
    if service.schedule_description:
        found.append({"id": ids("schedule", f"service:{service.id}"), "service_id": service_id,
                      "description": service.schedule_description})
    return found


def _cost_options(ids, service, service_id, texts):
    options = []
    if not service.fee_amount:
        options.append({"id": ids("cost_option", f"service:{service.id}"), "service_id": service_id,
                        "option": texts["free"], "currency": "PLN", "amount": 0})
    else:
        options.append(_clean({"id": ids("cost_option", f"service:{service.id}"), "service_id": service_id,
                               "option": texts["fee"], "currency": "PLN", "amount": _number(service.fee_amount),
                               "amount_description": texts["unit"]}))
    for discount in service.discounts:
        options.append({"id": ids("cost_option", discount.id), "service_id": service_id,
                        "option": discount.entitled, "currency": "PLN", "amount": _number(discount.amount)})
    return options


def _service_areas(ids, service, service_id, texts):
    if service.at_client_home:
        return [{"id": ids("service_area", f"service:{service.id}"), "service_id": service_id,
                 "name": texts["municipality"], "description": texts["at_home"], "extent_type": "municipality"}]
    villages = {}
    for place in service.places:
        if place.village is not None:
            villages[place.village.id] = place.village
    return [{"id": ids("service_area", f"{service.id}:{village.id}"), "service_id": service_id,
             "name": village.name, "extent_type": "village"} for village in villages.values()]


def _attributes(ids, service, service_id, terms):
    found = []
    for taxonomy_code, entries in ((AREA_TAXONOMY, service.areas), (GROUP_TAXONOMY, service.target_groups)):
        for entry in entries:
            term = terms[(taxonomy_code, entry.code)]
            found.append({"id": ids("attribute", f"{service.id}:{taxonomy_code}:{entry.code}"),
                          "link_id": service_id, "link_type": taxonomy_code, "link_entity": "service",
                          "taxonomy_term_id": term["id"], "taxonomy_term": term})
    return found


# The one-to-one fields of a service: what HSDS's list of services carries
# (compiled/service_list.json), with the organisation's own one-to-one fields.
LIST_FIELDS = ("id", "organization_id", "name", "description", "url", "email", "status", "application_process",
               "fees_description", "eligibility_description", "minimum_age", "maximum_age", "assured_date",
               "last_modified")
ORGANIZATION_LIST_FIELDS = ("id", "name", "description", "email", "website", "legal_status", "uri")


def service_summary(full):
    """The list form of a full service object."""
    summary = {key: full[key] for key in LIST_FIELDS if key in full}
    summary["organization"] = {key: full["organization"][key] for key in ORGANIZATION_LIST_FIELDS
                               if key in full["organization"]}
    return summary


def service(ids, service, *, organization_obj, locations, terms, texts, url=None):
    """The full HSDS service: its organisation, locations, schedules, costs,
    documents, contacts and taxonomy terms nested as HSDS nests them.

    `locations`: place id -> HSDS location; `terms`: (taxonomy, code) -> term;
    `texts`: the few words the export writes (translated by the caller)."""
    service_id = ids("service", service.id)
    description = "\n\n".join(filter(None, (service.description, service.goal, service.delivery_description)))
    contacts = []
    if service.contact_name or service.email:
        contact_id = ids("contact", f"service:{service.id}")
        contacts.append(_clean({"id": contact_id, "service_id": service_id, "name": service.contact_name,
                                "email": service.email}))
    return _clean({
        "id": service_id,
        "organization_id": organization_obj["id"],
        "name": service.name,
        "description": description,
        "url": url,
        "email": service.email,
        "status": STATUSES.get(service.status, "inactive"),
        "application_process": service.application_process,
        "fees_description": service.fees_description,
        "eligibility_description": service.eligibility_description,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "assured_date": _day(service.assured_date),
        "last_modified": _instant(service.updated_at),
        "phones": [phone(ids, "service", service_id, service.phone, f"service:{service.id}")] if service.phone else [],
        "schedules": _schedules(ids, service, service_id),
        "service_areas": _service_areas(ids, service, service_id, texts),
        "service_at_locations": [service_at_location(ids, service, place, locations[place.id])
                                 for place in service.places],
        "languages": [{"id": ids("language", f"service:{service.id}:pl"), "service_id": service_id,
                       "name": texts["polish"], "code": "pl"}],
        "organization": organization_obj,
        "cost_options": _cost_options(ids, service, service_id, texts),
        "required_documents": [{"id": ids("required_document", doc.id), "service_id": service_id,
                                "document": doc.document} for doc in service.required_documents],
        "contacts": contacts,
        "attributes": _attributes(ids, service, service_id, terms),
    })
