"""Catalogue management operations.

Plain functions with an explicit `actor`: they never read the request or
current_user, and they never commit. The caller commits (or rolls back) the
whole unit of work, so an operation, its audit events and the catalogue
version bump land together or not at all.

Data passed in is a plain dict of Python values (the shape `service_data`
returns); the form layer and the importer both produce it.
"""
import re
from datetime import date, time
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.services import diff, history, record
from ..catalogue.models import (
    ACCESSIBILITY,
    DELIVERY_MODES,
    ORIGINS,
    PROVIDER_TYPES,
    SERVICE_STATUSES,
    UNITS,
    Area,
    Closure,
    Discount,
    Indicator,
    Place,
    Provider,
    RequiredDocument,
    ScheduleRule,
    Service,
    SynonymGroup,
    TargetGroup,
    Village,
    default_delivery_mode,
)
from ..catalogue.services import mark_handled
from ..core import signals, versions
from ..core.errors import DataError, VersionConflict
from ..core.models import unique_slug
from ..core.pagination import Page
from ..extensions import db
from ..text import fold, polish_sort_key, slugify
from ..timeutil import now

# --- slugs -------------------------------------------------------------------

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _slug_taken(model, slug, exclude_id):
    query = select(model.id).where(model.slug == slug)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query) is not None


def _actor_id(actor):
    return getattr(actor, "id", None)


# --- values for the audit trail and the conflict table -------------------------

WEEKDAY_SHORT = ("pn", "wt", "śr", "czw", "pt", "sob", "nd")


def _plain(value):
    """A JSON-safe value for the audit trail."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value or None
    return value


def _period(start, end):
    if not start and not end:
        return ""
    return f" ({_plain(start) or '…'} – {_plain(end) or '…'})"


def rule_text(row):
    text = f"{WEEKDAY_SHORT[row['weekday']]} {_plain(row['opens'])}-{_plain(row['closes'])}"
    text += _period(row.get("valid_from"), row.get("valid_to"))
    if row.get("label"):
        text += f" {row['label']}"
    return text


def _closure_text(row):
    text = f"{_plain(row['starts_on'])} – {_plain(row['ends_on'])}"
    return text + (f" {row['reason']}" if row.get("reason") else "")


def _discount_text(row):
    return f"{row['entitled']}: {_plain(row['amount'])}"


def _indicator_text(row):
    parts = [row["name"], row["unit"], str(row["target_value"])]
    if row.get("year"):
        parts.append(str(row["year"]))
    if row.get("evidence"):
        parts.append(row["evidence"])
    return ", ".join(parts)


# --- services ----------------------------------------------------------------

SERVICE_FIELDS = (
    "name", "slug", "description", "goal", "provider_id", "origin", "valid_from", "valid_to",
    "delivery_description", "at_client_home", "application_process", "unit", "delivery_mode",
    "schedule_description", "closed_on_public_holidays",
    "fee_amount", "fees_description",
    "minimum_age", "maximum_age", "residents_only", "requires_disability_certificate",
    "target_groups_only", "eligibility_description", "personal_data_required",
    "capacity_basis", "capacity_maximum", "capacity_granted",
    "contact_name", "email", "phone", "url", "assured_date", "keywords",
)

ROW_FIELDS = {
    "schedule_rules": ("weekday", "opens", "closes", "valid_from", "valid_to", "label"),
    "closures": ("starts_on", "ends_on", "reason"),
    "discounts": ("entitled", "amount"),
    "required_documents": ("document",),
    "indicators": ("name", "unit", "target_value", "evidence", "year"),
}

ROW_MODELS = {
    "schedule_rules": ScheduleRule,
    "closures": Closure,
    "discounts": Discount,
    "required_documents": RequiredDocument,
    "indicators": Indicator,
}

ROW_TEXT = {
    "schedule_rules": rule_text,
    "closures": _closure_text,
    "discounts": _discount_text,
    "required_documents": lambda row: row["document"],
    "indicators": _indicator_text,
}

_NOT_NULL_DEFAULTS = {
    "description": "",
    "origin": "existing",
    "unit": "meeting",
    "at_client_home": False,
    "closed_on_public_holidays": True,
    "residents_only": False,
    "requires_disability_certificate": False,
    "target_groups_only": False,
    "capacity_basis": "units",
    "capacity_granted": 0,
}


def service_defaults():
    """The data of an empty service, in the shape every operation takes."""
    data = {name: None for name in SERVICE_FIELDS}
    data.update(_NOT_NULL_DEFAULTS)
    data.update(areas=[], target_groups=[], place_ids=[])
    for key in ROW_FIELDS:
        data[key] = []
    return data


def service_data(service):
    """The service as a plain dict (the input shape of create/update)."""
    data = {name: getattr(service, name) for name in SERVICE_FIELDS}
    data["areas"] = [a.code for a in service.areas]
    data["target_groups"] = [g.code for g in service.target_groups]
    data["place_ids"] = [p.id for p in service.places]
    for key, fields in ROW_FIELDS.items():
        data[key] = [{f: getattr(row, f) for f in fields} for row in getattr(service, key)]
    return data


def describe_service_data(data):
    """JSON-safe values for the audit trail: names instead of ids, rows as text."""
    values = {}
    for name in SERVICE_FIELDS:
        if name == "keywords":
            # As stored: "a,b" typed and "a, b" saved are the same keywords.
            values[name] = ", ".join(keyword_list(data.get(name))) or None
        elif name == "provider_id":
            provider = db.session.get(Provider, data["provider_id"]) if data.get("provider_id") else None
            values["provider"] = provider.name if provider else None
        else:
            values[name] = _plain(data.get(name))
    if values.get("fee_amount") == "0.00":
        values["fee_amount"] = None
    values["areas"] = _names(Area, data.get("areas") or [])
    values["target_groups"] = _names(TargetGroup, data.get("target_groups") or [])
    ids = list(data.get("place_ids") or [])
    places = db.session.scalars(select(Place).where(Place.id.in_(ids))).all() if ids else []
    values["places"] = sorted((p.name for p in places), key=polish_sort_key)
    for key, render in ROW_TEXT.items():
        values[key] = [render(row) for row in data.get(key) or []]
    return values


def _names(model, codes):
    if not codes:
        return []
    rows = db.session.scalars(select(model).where(model.code.in_(list(codes))).order_by(model.position))
    return [row.name for row in rows]


def service_snapshot(service):
    values = describe_service_data(service_data(service))
    values["status"] = service.status
    return values


def service_conflicts(service, data):
    """[(field, theirs, yours)] for the fields where the saved service and
    the editor's input differ."""
    theirs = service_snapshot(service)
    yours = describe_service_data(data)
    rows = []
    for key, value in yours.items():
        if key == "slug" and not value:
            continue  # empty means "keep/generate", not a different address
        if theirs.get(key) != value:
            rows.append((key, theirs.get(key), value))
    return rows


# --- keywords ----------------------------------------------------------------

KEYWORDS_MAX_LENGTH = 1000
KEYWORD_MAX_LENGTH = 100
_KEYWORD_SEPARATORS = re.compile(r"[,;|\n]")


def keyword_list(text):
    """'niania; opiekunka ,babysitter' -> ['niania', 'opiekunka', 'babysitter']:
    commas, semicolons, bars or new lines part them; repeats (without case
    or Polish letters) and pieces with no letter or digit are dropped."""
    phrases, seen = [], set()
    for raw in _KEYWORD_SEPARATORS.split((text or "").replace("\x00", "")):
        phrase = " ".join(raw.split())
        key = fold(phrase)
        if key and key not in seen:
            seen.add(key)
            phrases.append(phrase)
    return phrases


def normalise_keywords(text):
    """The keywords as stored ("niania, opiekunka, babysitter"), or None;
    DataError at the field when one is too long or all are."""
    phrases = keyword_list(text)
    for phrase in phrases:
        if len(phrase) > KEYWORD_MAX_LENGTH:
            raise DataError("keywords", _l("Jedno słowo kluczowe może mieć najwyżej %(max)s znaków: „%(phrase)s…”.",
                                           max=KEYWORD_MAX_LENGTH, phrase=phrase[:30]))
    stored = ", ".join(phrases)
    if len(stored) > KEYWORDS_MAX_LENGTH:
        raise DataError("keywords", _l("Słowa kluczowe mogą mieć razem najwyżej %(max)s znaków.",
                                       max=KEYWORDS_MAX_LENGTH))
    return stored or None


def _check_service(data):
    if not (data.get("name") or "").strip():
        raise DataError("name", _l("Podaj nazwę usługi."))
    if data.get("unit") not in UNITS:
        raise DataError("unit", _l("Wybierz jednostkę z listy."))
    if not data.get("delivery_mode"):
        # An import or an older form leaves it out: the unit decides.
        data["delivery_mode"] = default_delivery_mode(data["unit"])
    if data.get("delivery_mode") not in DELIVERY_MODES:
        raise DataError("delivery_mode", _l("Wybierz pozycję z listy."))
    if data.get("origin") not in ORIGINS:
        raise DataError("origin", _l("Wybierz pozycję z listy."))
    low, high = data.get("minimum_age"), data.get("maximum_age")
    if low is not None and high is not None and high < low:
        raise DataError("maximum_age", _l("Wiek do musi być większy lub równy wiekowi od."))
    fee = data.get("fee_amount")
    if fee is not None and fee < 0:
        raise DataError("fee_amount", _l("Kwota nie może być ujemna."))


def _apply_service(service, data):
    """Resolve every lookup first, then assign without autoflush: one UPDATE
    per save, so the version moves by exactly one."""
    _check_service(data)
    provider = db.session.get(Provider, data.get("provider_id")) if data.get("provider_id") else None
    if provider is None:
        raise DataError("provider_id", _l("Wybierz realizatora z listy."))
    requested = (data.get("slug") or "").strip()
    if requested:
        slug = slugify(requested, 140)
        if not slug:
            raise DataError("slug", _l("Adres może zawierać tylko litery, cyfry i myślniki."))
        if slug != service.slug and _slug_taken(Service, slug, service.id):
            raise DataError("slug", _l("Ten adres ma już inna usługa. Wybierz inny."))
    elif service.slug:
        slug = service.slug
    else:
        slug = unique_slug(db.session, Service, data["name"], exclude_id=service.id, max_length=140,
                           fallback="usluga")
    keywords = normalise_keywords(data.get("keywords"))
    areas = _by_codes(Area, data.get("areas"))
    groups = _by_codes(TargetGroup, data.get("target_groups"))
    ids = [int(i) for i in data.get("place_ids") or []]
    places = list(db.session.scalars(select(Place).where(Place.id.in_(ids)))) if ids else []

    with db.session.no_autoflush:
        for name in SERVICE_FIELDS:
            if name in ("provider_id", "slug"):
                continue
            value = data.get(name)
            if value is None and name in _NOT_NULL_DEFAULTS:
                value = _NOT_NULL_DEFAULTS[name]
            if name == "fee_amount" and value is not None and value == 0:
                value = None  # zero and empty both mean free
            setattr(service, name, value)
        service.keywords = keywords
        service.slug = slug
        service.provider = provider
        service.areas = areas
        service.target_groups = groups
        service.places = places
        for key, model in ROW_MODELS.items():
            fields = ROW_FIELDS[key]
            # Rows are replaced as a whole: they have no identity of their own.
            setattr(service, key, [model(**{f: row.get(f) for f in fields}) for row in data.get(key) or []])


def _by_codes(model, codes):
    codes = list(codes or [])
    if not codes:
        return []
    return list(db.session.scalars(select(model).where(model.code.in_(codes)).order_by(model.position)))


def create_service(data, *, actor, bump=True, reason=None):
    service = Service(status=data.get("status") or "active")
    if service.status not in SERVICE_STATUSES:
        raise DataError("status", _l("Nieznany status usługi."))
    _apply_service(service, data)
    with db.session.no_autoflush:
        service.created_by_id = service.updated_by_id = _actor_id(actor)
        db.session.add(service)
    db.session.flush()
    snapshot = {k: v for k, v in service_snapshot(service).items() if v not in (None, [], False)}
    record("create", service, actor=actor, summary=f"service created: {service.name}",
           changes=diff({}, snapshot), reason=reason)
    if bump:
        versions.bump(db.session, versions.CATALOGUE)
    _service_changed(service, "created", actor)
    return service


def _service_changed(service, change, actor):
    signals.emit(db.session, signals.service_changed, service_id=service.id, change=change, status=service.status,
                 actor_id=_actor_id(actor))


def update_service(service, data, *, actor, expected_version):
    """Raises VersionConflict when the editor started from an older version;
    the flush raises StaleDataError when someone saved in the meantime."""
    if expected_version is None or int(expected_version) != service.version:
        raise VersionConflict(service)
    before = service_snapshot(service)
    _apply_service(service, data)
    with db.session.no_autoflush:
        # Always touch the row, so the version moves even when only rows changed.
        service.updated_by_id = _actor_id(actor)
        service.updated_at = now()
    db.session.flush()
    changes = diff(before, service_snapshot(service))
    record("update", service, actor=actor, summary=f"service updated: {service.name}", changes=changes)
    versions.bump(db.session, versions.CATALOGUE)
    _service_changed(service, "updated", actor)
    return service


def set_service_status(service, status, *, actor):
    """Suspended services stay public with a badge; archived ones leave the
    public catalogue but stay in the staff list and keep their history."""
    if status not in SERVICE_STATUSES:
        raise DataError("status", _l("Nieznany status usługi."))
    old = service.status
    if old == status:
        return False
    service.status = status
    service.updated_by_id = _actor_id(actor)
    service.updated_at = now()
    db.session.flush()
    record("status", service, actor=actor, summary=f"service {status}: {service.name}",
           changes={"status": [old, status]})
    versions.bump(db.session, versions.CATALOGUE)
    _service_changed(service, "status", actor)
    return True


def service_history(service, limit=200):
    return history("service", service.id, limit=limit)


SERVICE_SORTS = ("name", "updated")


def find_services(text="", status=None, sort="name", page=1, per_page=50):
    """Every status (staff see archived services too); the text filter is a
    diacritics-insensitive 'contains' over the name, slug and provider."""
    query = select(Service).options(selectinload(Service.provider), selectinload(Service.updated_by))
    if status:
        query = query.where(Service.status == status)
    services = db.session.scalars(query).all()
    needle = fold(text)
    if needle:
        services = [s for s in services
                    if needle in fold(" ".join((s.name, s.slug, s.provider.name if s.provider else "")))]
    if sort == "updated":
        services.sort(key=lambda s: (s.updated_at, s.id), reverse=True)
    else:
        services.sort(key=lambda s: (polish_sort_key(s.name), s.id))
    return Page.from_list(services, page, per_page)


def service_name_taken(name, exclude_id=None):
    """Whether another service has this name (compared without case and diacritics)."""
    folded = fold(name)
    query = select(Service.id, Service.name)
    if exclude_id is not None:
        query = query.where(Service.id != exclude_id)
    return any(fold(other) == folded for _id, other in db.session.execute(query))


# --- providers ---------------------------------------------------------------

PROVIDER_FIELDS = ("name", "provider_type", "description", "nip", "regon", "krs", "email", "phone",
                   "website", "address_1", "postal_code", "city")
PROVIDER_STATUSES = {"active": _l("Aktywny"), "archived": _l("Zarchiwizowany")}


def provider_data(provider):
    return {name: getattr(provider, name) for name in PROVIDER_FIELDS}


def _describe_provider_data(data):
    return {name: _plain(data.get(name)) for name in PROVIDER_FIELDS}


def provider_snapshot(provider):
    values = _describe_provider_data(provider_data(provider))
    values["status"] = provider.status
    return values


def provider_conflicts(provider, data):
    theirs = provider_snapshot(provider)
    yours = _describe_provider_data(data)
    return [(key, theirs.get(key), value) for key, value in yours.items() if theirs.get(key) != value]


def _apply_provider(provider, data):
    if not (data.get("name") or "").strip():
        raise DataError("name", _l("Podaj nazwę realizatora."))
    if data.get("provider_type") not in PROVIDER_TYPES:
        raise DataError("provider_type", _l("Wybierz rodzaj realizatora z listy."))
    for name in PROVIDER_FIELDS:
        setattr(provider, name, data.get(name))
    if not provider.slug:
        provider.slug = unique_slug(db.session, Provider, data["name"], exclude_id=provider.id,
                                    fallback="realizator")


def create_provider(data, *, actor, reason=None):
    provider = Provider(status="active")
    _apply_provider(provider, data)
    db.session.add(provider)
    db.session.flush()
    snapshot = {k: v for k, v in provider_snapshot(provider).items() if v is not None}
    record("create", provider, actor=actor, summary=f"provider created: {provider.name}",
           changes=diff({}, snapshot), reason=reason)
    versions.bump(db.session, versions.CATALOGUE)
    return provider


def update_provider(provider, data, *, actor, expected_version):
    if expected_version is None or int(expected_version) != provider.version:
        raise VersionConflict(provider)
    before = provider_snapshot(provider)
    _apply_provider(provider, data)
    provider.updated_at = now()
    db.session.flush()
    record("update", provider, actor=actor, summary=f"provider updated: {provider.name}",
           changes=diff(before, provider_snapshot(provider)))
    versions.bump(db.session, versions.CATALOGUE)
    return provider


def set_provider_status(provider, status, *, actor):
    if status not in PROVIDER_STATUSES:
        raise DataError("status", _l("Nieznany status realizatora."))
    old = provider.status
    if old == status:
        return False
    provider.status = status
    provider.updated_at = now()
    db.session.flush()
    record("status", provider, actor=actor, summary=f"provider {status}: {provider.name}",
           changes={"status": [old, status]})
    versions.bump(db.session, versions.CATALOGUE)
    return True


def provider_history(provider, limit=200):
    return history("provider", provider.id, limit=limit)


def find_providers(text="", status=None):
    providers = db.session.scalars(select(Provider).options(selectinload(Provider.services))).all()
    if status:
        providers = [p for p in providers if p.status == status]
    needle = fold(text)
    if needle:
        providers = [p for p in providers if needle in fold(" ".join(filter(None, (p.name, p.city, p.nip))))]
    providers.sort(key=lambda p: (p.status != "active", polish_sort_key(p.name), p.id))
    return providers


def provider_choices(include_id=None):
    """Active providers for a select, plus the given one even if archived."""
    rows = db.session.scalars(select(Provider)).all()
    rows = [p for p in rows if p.status == "active" or p.id == include_id]
    rows.sort(key=lambda p: polish_sort_key(p.name))
    return rows


# --- places and villages -----------------------------------------------------

PLACE_FIELDS = ("name", "address_1", "postal_code", "city", "village_id", "accessibility",
                "accessibility_description")


def place_data(place):
    data = {name: getattr(place, name) for name in PLACE_FIELDS}
    data["accessibility"] = list(place.accessibility)
    return data


def place_snapshot(place):
    values = {name: _plain(getattr(place, name)) for name in PLACE_FIELDS
              if name not in ("village_id", "accessibility")}
    values["village"] = place.village.name if place.village else None
    values["accessibility"] = list(place.accessibility)
    return values


def _apply_place(place, data):
    if not (data.get("name") or "").strip():
        raise DataError("name", _l("Podaj nazwę miejsca."))
    village = None
    if data.get("village_id"):
        village = db.session.get(Village, data["village_id"])
        if village is None:
            raise DataError("village_id", _l("Wybierz miejscowość z listy."))
    for name in ("name", "address_1", "postal_code", "city", "accessibility_description"):
        setattr(place, name, data.get(name))
    place.village = village
    place.accessibility = [c for c in data.get("accessibility") or [] if c in ACCESSIBILITY]


def create_place(data, *, actor):
    place = Place()
    _apply_place(place, data)
    db.session.add(place)
    db.session.flush()
    record("create", place, actor=actor, summary=f"place created: {place.name}",
           changes=diff({}, {k: v for k, v in place_snapshot(place).items() if v not in (None, [])}))
    versions.bump(db.session, versions.CATALOGUE)
    return place


def update_place(place, data, *, actor):
    before = place_snapshot(place)
    _apply_place(place, data)
    db.session.flush()
    changes = diff(before, place_snapshot(place))
    if changes:
        record("update", place, actor=actor, summary=f"place updated: {place.name}", changes=changes)
        versions.bump(db.session, versions.CATALOGUE)
    return place


def place_for_village(village, *, actor):
    """The place standing for a whole village (no street address), created
    when missing: used when a service is delivered 'in <village>'."""
    folded = fold(village.name)
    for place in db.session.scalars(select(Place).where(Place.village_id == village.id)):
        if not place.address_1 and fold(place.name) == folded:
            return place
    return create_place({"name": village.name, "village_id": village.id, "accessibility": []}, actor=actor)


def list_places():
    places = db.session.scalars(select(Place).options(selectinload(Place.village))).all()
    places.sort(key=lambda p: (polish_sort_key(p.name), p.id))
    return places


def list_villages():
    villages = db.session.scalars(select(Village)).all()
    villages.sort(key=lambda v: polish_sort_key(v.name))
    return villages


def _clean_name(name, max_length=120):
    name = " ".join((name or "").split())
    if not name:
        raise DataError("name", _l("Podaj nazwę miejscowości."))
    if len(name) > max_length:
        raise DataError("name", _l("Nazwa może mieć najwyżej %(max)s znaków.", max=max_length))
    return name


def _village_taken(name, exclude_id=None):
    folded = fold(name)
    return any(fold(v.name) == folded for v in db.session.scalars(select(Village)) if v.id != exclude_id)


def create_village(name, *, actor):
    name = _clean_name(name)
    if _village_taken(name):
        raise DataError("name", _l("Taka miejscowość już jest na liście."))
    village = Village(name=name, slug=unique_slug(db.session, Village, name, fallback="miejscowosc"))
    db.session.add(village)
    db.session.flush()
    record("create", village, actor=actor, summary=f"village created: {name}", changes={"name": [None, name]})
    versions.bump(db.session, versions.CATALOGUE)
    return village


def rename_village(village, name, *, actor):
    """The slug follows the name: a rename usually fixes the spelling."""
    name = _clean_name(name)
    if _village_taken(name, exclude_id=village.id):
        raise DataError("name", _l("Taka miejscowość już jest na liście."))
    old = village.name
    if old == name:
        return village
    village.name = name
    village.slug = unique_slug(db.session, Village, name, exclude_id=village.id, fallback="miejscowosc")
    db.session.flush()
    record("update", village, actor=actor, summary=f"village renamed: {name}", changes={"name": [old, name]})
    versions.bump(db.session, versions.CATALOGUE)
    return village


# --- search tuning -----------------------------------------------------------

MAX_PHRASE_LENGTH = 100
MAX_PHRASES_LENGTH = 1000


def normalise_phrases(text):
    """'wytchnienie;  opieka wytchnieniowa ;' -> ['wytchnienie', 'opieka wytchnieniowa'].

    Raises DataError when fewer than two distinct phrases remain."""
    phrases, seen = [], set()
    for raw in (text or "").replace("\x00", "").split(";"):
        phrase = " ".join(raw.split())
        if not phrase:
            continue
        if len(phrase) > MAX_PHRASE_LENGTH:
            raise DataError("phrases", _l("Jedno wyrażenie może mieć najwyżej %(max)s znaków.",
                                          max=MAX_PHRASE_LENGTH))
        key = fold(phrase)
        if not key:
            raise DataError("phrases", _l("Wyrażenie „%(phrase)s” nie zawiera liter ani cyfr.", phrase=phrase))
        if key in seen:
            continue
        seen.add(key)
        phrases.append(phrase)
    if len(phrases) < 2:
        raise DataError("phrases", _l("Podaj co najmniej dwa różne wyrażenia oddzielone średnikiem."))
    if len("; ".join(phrases)) > MAX_PHRASES_LENGTH:
        raise DataError("phrases", _l("Grupa może mieć najwyżej %(max)s znaków.", max=MAX_PHRASES_LENGTH))
    return phrases


def create_synonym_group(text, *, actor):
    group = SynonymGroup(phrases="; ".join(normalise_phrases(text)))
    db.session.add(group)
    db.session.flush()
    record("create", group, actor=actor, summary="synonym group created", changes={"phrases": [None, group.phrases]})
    versions.bump(db.session, versions.CATALOGUE)
    return group


def update_synonym_group(group, text, *, actor):
    phrases = "; ".join(normalise_phrases(text))
    old = group.phrases
    if phrases == old:
        return group
    group.phrases = phrases
    db.session.flush()
    record("update", group, actor=actor, summary="synonym group updated", changes={"phrases": [old, phrases]})
    versions.bump(db.session, versions.CATALOGUE)
    return group


def delete_synonym_group(group, *, actor):
    record("delete", group, actor=actor, summary="synonym group deleted", changes={"phrases": [group.phrases, None]})
    db.session.delete(group)
    db.session.flush()
    versions.bump(db.session, versions.CATALOGUE)


def list_synonym_groups():
    groups = db.session.scalars(select(SynonymGroup)).all()
    groups.sort(key=lambda g: polish_sort_key(g.phrases))
    return groups


def miss_to_synonym(miss, *, group_id=None, phrase=None, actor):
    """Turn a missed search into a synonym in one step: its text joins the
    group `group_id` (with `phrase` too, when given), or makes a new group
    with `phrase` (a phrase of the catalogue). The group's own operation
    audits the change and moves the catalogue version, so the search knows
    the text at once; every row of the text leaves the list of misses.
    Returns the group."""
    text = miss.query
    phrase = " ".join((phrase or "").split())
    if group_id is not None:
        group = db.session.get(SynonymGroup, group_id)
        if group is None:
            raise DataError("group_id", _l("Tej grupy już nie ma. Wybierz grupę z listy."))
        update_synonym_group(group, "; ".join([group.phrases, text] + ([phrase] if phrase else [])), actor=actor)
    else:
        if not phrase:
            raise DataError("phrase", _l("Wybierz grupę albo wpisz wyrażenie z katalogu, które znaczy to samo."))
        if fold(phrase) == fold(text):
            raise DataError("phrase", _l("Wpisz inne wyrażenie niż wyszukiwane — takie, jakiego używa katalog."))
        group = create_synonym_group(f"{text}; {phrase}", actor=actor)
    mark_handled(db.session, text)
    return group


def dismiss_search_miss(miss, *, actor):
    """Off the list of misses once dealt with (until the text misses
    again); its counts stay in the statistics."""
    record("dismiss", miss, actor=actor, summary="search miss dismissed")
    mark_handled(db.session, miss.query)
