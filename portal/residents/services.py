"""Resident operations: find, register, change, merge; consents and the
information clause; the access trail.

Plain functions with an explicit `session` and `actor`: they never read the
request or current_user, and they never commit. The caller commits the unit
of work, so a change and its audit event land together or not at all.

Personal data never goes into an exception message, a log line or an audit
`changes` value that is not meant to hold it: PESEL and notes (which may
hold health information) are recorded only as "changed".
"""
import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy import update as sa_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..audit.models import AuditEvent
from ..audit.services import record, record_many
from ..core import hooks
from ..core.errors import DataError, DomainError, VersionConflict
from ..core.validators import MESSAGES as ID_MESSAGES
from ..text import fold, polish_sort_key
from ..timeutil import now
from ..validation import ValidationError, normalise_phone, parse_day, parse_pesel, validate_postal_code
from .access import visible_residents
from .models import CONSENT_CHANNELS, PREFERRED_CONTACT, REPRESENTATIVE_KINDS, Consent, Resident

OBJECT_TYPE = "resident"
ACCESS_ACTIONS = ("view", "print", "export")
# The version of the consent text shown to the person (templates/residents/_consent_text.html).
CONSENT_TEXT_VERSION = "2026-01"
MAX_QUERY_LENGTH = 100
MAX_NAME_WORDS = 4

# The fields a person's record is made of, as forms and other features pass them.
FIELDS = (
    "first_name", "last_name", "pesel", "no_pesel_reason", "birth_date", "sex",
    "address_1", "postal_code", "city", "village_id", "phone", "email", "preferred_contact",
    "representative_kind", "representative_name", "representative_phone", "representative_email",
    "representative_address", "notes",
)
# The audit trail records which of these changed, who and when, never the
# values: the log is append-only and outlives the record, so personal data in
# it could not be anonymised at the end of the archival period.
# What a merge copies from the dropped record into empty fields of the kept one.
MERGE_FILL = tuple(f for f in FIELDS if f not in ("first_name", "last_name", "pesel", "no_pesel_reason"))
MASK = "***"


class DuplicatePesel(DomainError):
    """The PESEL belongs to a person already in the register (`existing`);
    the page offers that person's card."""

    def __init__(self, existing):
        super().__init__(log="duplicate PESEL")  # never the number itself
        self.existing = existing


# Input the operation refuses: the core DataError (str() is the code or the
# field, never the input), under the name this feature's views and tests catch.
ResidentDataError = DataError


def _actor_id(actor):
    return getattr(actor, "id", None)


def _audit(session, action, resident, *, actor, summary="", changes=None, reason=None):
    return record(action, resident, actor=actor, summary=summary, changes=changes, reason=reason,
                  object_type=OBJECT_TYPE, session=session)


# --- search -------------------------------------------------------------------------

_PHONE_CHARS = re.compile(r"[0-9+\s()./\-\u2010-\u2015\u2212]+")
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _next_prefix(prefix):
    """The smallest string above every string starting with `prefix`, within
    the folded alphabet [0-9a-z] (so that linguistic collations agree with
    byte order); None when there is none ("zz")."""
    chars = list(prefix)
    while chars:
        last = chars.pop()
        position = _ALPHABET.find(last)
        if 0 <= position < len(_ALPHABET) - 1:
            return "".join(chars) + _ALPHABET[position + 1]
    return None


def _starts_with(column, prefix):
    """`column` starts with `prefix`, as a range a B-tree index can serve."""
    upper = _next_prefix(prefix)
    condition = column >= prefix
    return and_(condition, column < upper) if upper else condition


def _contains_word(column, prefix):
    """A later word of a double name ("kowalska nowak") starts with `prefix`."""
    return column.like(f"% {prefix}%")


def _not_merged():
    # Not "merged_into_id IS NULL": that matches nearly every row, yet SQLite
    # without statistics would pick its index to drive the search.
    return func.coalesce(Resident.merged_into_id, 0) == 0


def _base_query(actor):
    # Lists show the village: loaded in one query, not one per row.
    query = select(Resident).where(_not_merged()).options(selectinload(Resident.village))
    return visible_residents(query, actor)


def _in_polish_order(people):
    """The list as shown: by last name, then first name, in Polish
    alphabetical order (portal/text.py). The database picks which `limit`
    matches come back by the folded-name index (fast, and the same people
    whatever the order); the page shows them in the Polish one."""
    return sorted(people, key=lambda p: (polish_sort_key(p.last_name), polish_sort_key(p.first_name), p.id))


def search_residents(session, query, *, actor, limit=20):
    """People matching a name, a phone number, a date of birth or a PESEL,
    among those `actor` may see, ordered by last name and first name."""
    text = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not text or actor is None:
        return []
    limit = max(1, min(int(limit), 200))
    order = (Resident.search_last, Resident.search_first, Resident.id)

    compact = re.sub(r"[\s\-]", "", text)
    if re.fullmatch(r"[0-9]{11}", compact):
        found = find_by_pesel(session, compact)
        if found is None:
            return []
        return list(session.scalars(_base_query(actor).where(Resident.id == found.id)))

    born = parse_day(text)
    if born is not None:
        return _in_polish_order(session.scalars(_base_query(actor).where(Resident.birth_date == born)
                                                .order_by(*order).limit(limit)))

    if _PHONE_CHARS.fullmatch(text) and re.search(r"[0-9]", text):
        try:
            phone = normalise_phone(text)
        except ValidationError:
            return []
        return _in_polish_order(session.scalars(_base_query(actor).where(Resident.phone == phone)
                                                .order_by(*order).limit(limit)))

    words = [w for w in fold(text).split() if w][:MAX_NAME_WORDS]
    if not words or max(len(w) for w in words) < 2:
        return []  # one letter matches a third of the register: wait for the next key
    starts = [or_(_starts_with(Resident.search_last, w), _starts_with(Resident.search_first, w)) for w in words]
    # Each word starts the first or the last name, in any order. As one OR the
    # database gathers every match and sorts it ("kowal": thousands of rows);
    # split by which word starts the last name, each branch reads the
    # (search_last, search_first, id) index in display order and stops at
    # `limit`. Only the branch where every word starts the first name sorts,
    # and first names rarely start with a surname.
    branches = [[_starts_with(Resident.search_last, w), *(s for j, s in enumerate(starts) if j != i)]
                for i, w in enumerate(words)]
    branches.append([_starts_with(Resident.search_first, w) for w in words])
    found = {}
    for conditions in branches:
        for person in session.scalars(_base_query(actor).where(*conditions).order_by(*order).limit(limit)):
            found[person.id] = person
    if found or len(words) < 2:
        return _in_polish_order(sorted(found.values(), key=lambda p: (p.search_last, p.search_first, p.id))[:limit])
    # A later part of a double name ("Anna Kowalska-Nowak" by "nowak anna"):
    # some word still has to start a name, so an index drives this too.
    inner = [or_(start, _contains_word(Resident.search_last, w), _contains_word(Resident.search_first, w))
             for start, w in zip(starts, words)]
    fallback = _base_query(actor).where(or_(*starts), *inner)
    return _in_polish_order(session.scalars(fallback.order_by(*order).limit(limit)))


def _capitalised(word):
    """"kowalska-nowak" -> "Kowalska-Nowak"; a word typed in mixed case stays as typed (McKenzie)."""
    if word.islower() or word.isupper():
        return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
    return word


def split_name(session, text, *, actor):
    """(first name, last name) for the name typed into a search box, to fill
    in a new person. The register lists people by last name, then first name,
    and the desk's search box asks for them in that order ("Kowalska Janina"),
    so that is the reading unless the register says otherwise: when its first
    and last names make the reverse order likelier ("Janina Kowalska": janina
    is a first name there, kowalska a last name), that order is taken. More
    than two words: the first (or the last) is the last name, the rest the
    first names. Anything with a digit is no name: ("", "").

    The register is counted among the people `actor` may see: the order
    chosen must not tell whether someone of that name is a client."""
    words = [_capitalised(w) for w in (text or "").split()][:MAX_NAME_WORDS]
    if not words or any(ch.isdigit() for ch in "".join(words)):
        return "", ""

    def seen(column, word):
        named = visible_residents(select(Resident.id).where(column == fold(word)[:100]), actor)
        return session.scalar(select(func.count()).select_from(named.subquery())) or 0

    if len(words) == 1:
        word = words[0]
        # A first name alone ("Janina") goes to the first name; a surname is likelier.
        if seen(Resident.search_first, word) > seen(Resident.search_last, word):
            return word, ""
        return "", word
    last_first = (" ".join(words[1:]), words[0])
    first_last = (" ".join(words[:-1]), words[-1])

    def likelihood(first, last):
        return seen(Resident.search_first, first.split()[0]) + seen(Resident.search_last, last)

    return first_last if likelihood(*first_last) > likelihood(*last_first) else last_first


def find_by_pesel(session, pesel):
    """The person with this PESEL, following a merge to the surviving record."""
    pesel = re.sub(r"[\s\-]", "", pesel or "")
    if not re.fullmatch(r"[0-9]{11}", pesel):
        return None
    resident = session.scalar(select(Resident).where(Resident.pesel == pesel))
    return surviving(session, resident)


def surviving(session, resident):
    """The record that absorbed `resident` (through any chain of merges), or itself."""
    seen = set()
    while resident is not None and resident.merged_into_id is not None and resident.id not in seen:
        seen.add(resident.id)
        resident = session.get(Resident, resident.merged_into_id)
    return resident


def possible_duplicates(session, first_name, last_name, birth_date, *, exclude_id=None):
    """Records with the same name (diacritics and case ignored) and date of birth."""
    if not birth_date or not fold(first_name) or not fold(last_name):
        return []
    query = select(Resident).where(
        _not_merged(),
        Resident.search_first == fold(first_name),
        Resident.search_last == fold(last_name),
        Resident.birth_date == birth_date,
    ).order_by(Resident.id)
    if exclude_id is not None:
        query = query.where(Resident.id != exclude_id)
    return list(session.scalars(query))


def merged_records(session, resident):
    """Records merged into this one, newest first."""
    return list(session.scalars(select(Resident).where(Resident.merged_into_id == resident.id)
                                .order_by(Resident.id.desc())))


# --- cleaning input -----------------------------------------------------------------

def _text(value, limit):
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = " ".join(value.split()) if "\n" not in value else value.strip()
    return value[:limit] or None


_LIMITS = {
    "first_name": 100, "last_name": 100, "no_pesel_reason": 200, "address_1": 200, "city": 120,
    "email": 254, "representative_name": 200, "representative_email": 254, "representative_address": 300,
}


# Fields stored in a normal form: (length limit, normaliser, error code).
_NORMALISED = {
    "phone": (40, normalise_phone, "phone_format"),
    "representative_phone": (40, normalise_phone, "phone_format"),
    "postal_code": (20, validate_postal_code, "postal_code_format"),
}


def _clean(data):
    """Known fields only, normalised; raises ResidentDataError."""
    clean = {}
    for key in FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key in _LIMITS:
            value = _text(value, _LIMITS[key])
        elif key == "notes":
            value = (value or "").strip() or None
        elif key in _NORMALISED:
            limit, normalise, code = _NORMALISED[key]
            value = _text(value, limit)
            if value:
                try:
                    value = normalise(value)
                except ValidationError:
                    raise ResidentDataError(key, ID_MESSAGES[code], code) from None
        elif key == "pesel":
            value = re.sub(r"[\s\-]", "", value or "") or None
        elif key == "birth_date":
            if isinstance(value, datetime):
                value = value.date()
            elif isinstance(value, str):
                value = parse_day(value) if value.strip() else None
                if value is None and data[key].strip():
                    raise ResidentDataError(key, _l("Data w formacie dd.mm.rrrr."), "birth_date")
            if value is not None and not isinstance(value, date):
                raise ResidentDataError(key, _l("Podaj datę urodzenia."), "birth_date")
        elif key == "village_id":
            value = int(value) if value not in (None, "") else None
        elif key == "preferred_contact":
            value = value or None
            if value is not None and value not in PREFERRED_CONTACT:
                raise ResidentDataError(key, _l("Wybierz sposób kontaktu z listy."), "choice")
        elif key == "representative_kind":
            value = value or None
            if value is not None and value not in REPRESENTATIVE_KINDS:
                raise ResidentDataError(key, _l("Wybierz rodzaj przedstawiciela z listy."), "choice")
        elif key == "sex":
            value = value if value in ("F", "M") else None
        clean[key] = value
    return clean


def _apply_identity(resident, clean, *, today):
    """PESEL (with the birth date and sex it carries) or a reason and a birth date."""
    pesel = clean.get("pesel", resident.pesel)
    if pesel:
        try:
            info = parse_pesel(pesel, today=today)
        except ValidationError as error:
            raise ResidentDataError("pesel", _l("Nieprawidłowy numer PESEL."), error.code) from None
        clean["pesel"] = info.pesel
        clean["birth_date"] = info.birth_date
        clean["sex"] = info.sex
        clean["no_pesel_reason"] = None
    else:
        clean["pesel"] = None
        if not clean.get("no_pesel_reason", resident.no_pesel_reason):
            raise ResidentDataError("no_pesel_reason", _l("Podaj PESEL albo powód jego braku."), "no_pesel_reason")
        born = clean.get("birth_date", resident.birth_date)
        if not born:
            raise ResidentDataError("birth_date", _l("Bez numeru PESEL podaj datę urodzenia."), "birth_date")
        if born > today:
            raise ResidentDataError("birth_date", _l("Data urodzenia nie może być w przyszłości."), "birth_date_future")


def _check_names(resident, clean):
    for key, message in (("first_name", _l("Podaj imię.")), ("last_name", _l("Podaj nazwisko."))):
        value = clean.get(key, getattr(resident, key))
        if not value or not fold(value):
            raise ResidentDataError(key, message, key)


def _pesel_owner(session, pesel, exclude_id=None):
    if not pesel:
        return None
    query = select(Resident).where(Resident.pesel == pesel)
    if exclude_id is not None:
        query = query.where(Resident.id != exclude_id)
    return surviving(session, session.scalar(query))


def _snapshot(resident):
    return {key: getattr(resident, key) for key in FIELDS}


def _changes(before, after):
    """{field: [old, new]} for changed fields, each value only as set or empty."""
    changes = {}
    for key in FIELDS:
        old, new = before.get(key), after.get(key)
        if (old or None) != (new or None):
            changes[key] = [MASK if old else None, MASK if new else None]
    return changes


# --- create and change ---------------------------------------------------------------

def create_resident(session, data, *, actor):
    """Register a person. `data` keys are Resident field names; `informed_at`
    (any true value) records the information clause as given now by `actor`.

    Raises ResidentDataError for refused input and DuplicatePesel when the
    PESEL is already in the register (nothing is added then)."""
    clean = _clean(data)
    resident = Resident()
    _check_names(resident, clean)
    _apply_identity(resident, clean, today=now().date())
    existing = _pesel_owner(session, clean.get("pesel"))
    if existing is not None:
        raise DuplicatePesel(existing)
    for key, value in clean.items():
        setattr(resident, key, value)
    resident.search_first = fold(resident.first_name)[:100]
    resident.search_last = fold(resident.last_name)[:100]
    resident.created_by_id = resident.updated_by_id = _actor_id(actor)
    if data.get("informed_at"):
        resident.informed_at = now()
        resident.informed_by_id = _actor_id(actor)
    try:
        # A savepoint: a PESEL registered by a colleague a moment ago fails
        # here without spoiling the caller's transaction.
        with session.begin_nested():
            session.add(resident)
            session.flush()
    except IntegrityError:
        existing = _pesel_owner(session, clean.get("pesel"))
        if existing is None:
            raise
        raise DuplicatePesel(existing) from None
    # Which fields were filled, not their values: the record itself holds them,
    # and the append-only log could not be anonymised with it later.
    _audit(session, "create", resident, actor=actor, summary="person registered",
           changes={key: [None, MASK] for key in _changes({}, _snapshot(resident))})
    if resident.informed_at:
        _audit(session, "information_clause", resident, actor=actor,
               summary="informed of the processing of their data (information clause)")
    return resident


def update_resident(session, resident, data, *, actor, expected_version):
    """Change a person's record. Raises VersionConflict (with the current
    record) if someone saved it after `expected_version` was read."""
    if resident.merged_into_id is not None:
        raise ResidentDataError("first_name", _l("Ten rekord został scalony z innym; zmieniaj rekord docelowy."),
                                "merged")
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = None
    if expected is None or resident.version != expected:
        raise VersionConflict(resident)
    clean = _clean(data)
    _check_names(resident, clean)
    if "pesel" in clean or "no_pesel_reason" in clean or "birth_date" in clean:
        _apply_identity(resident, clean, today=now().date())
    if clean.get("pesel") and clean["pesel"] != resident.pesel:
        existing = _pesel_owner(session, clean["pesel"], exclude_id=resident.id)
        if existing is not None:
            raise DuplicatePesel(existing)
    before = _snapshot(resident)
    after = dict(before)
    after.update(clean)
    changes = _changes(before, after)
    if not changes:
        return resident
    try:
        with session.begin_nested():
            for key in changes:
                setattr(resident, key, after[key])
            resident.search_first = fold(resident.first_name)[:100]
            resident.search_last = fold(resident.last_name)[:100]
            resident.updated_by_id = _actor_id(actor)
            session.flush()
    except StaleDataError:
        # Saved by someone else between our read and our write.
        session.refresh(resident)
        raise VersionConflict(resident) from None
    except IntegrityError:
        existing = _pesel_owner(session, clean.get("pesel"), exclude_id=resident.id)
        if existing is None:
            raise
        raise DuplicatePesel(existing) from None
    _audit(session, "update", resident, actor=actor, summary="person's data changed", changes=changes)
    return resident


def conflicts(current, data):
    """(field, saved by the other person, yours) for the fields where the
    saved record differs from what the editor submitted."""
    rows = []
    clean = {}
    for key in FIELDS:
        if key in data:
            try:
                clean.update(_clean({key: data[key]}))
            except ResidentDataError:
                clean[key] = data[key]
    for key, yours in clean.items():
        theirs = getattr(current, key)
        if (theirs or None) != (yours or None):
            rows.append((key, theirs, yours))
    return rows


# --- merge -----------------------------------------------------------------------------

def merge_residents(session, keep, drop, *, actor, reason):
    """Merge the duplicate `drop` into `keep`: its requests and consents move,
    `keep`'s empty fields are filled from it, and it stays as a record that
    points at `keep`, with its own audit history."""
    reason = (reason or "").strip()
    if not reason:
        raise ResidentDataError("reason", _l("Podaj powód scalenia."), "reason")
    if keep.id == drop.id:
        raise ResidentDataError("drop_id", _l("Nie można scalić osoby z nią samą."), "same")
    if keep.merged_into_id is not None or drop.merged_into_id is not None:
        raise ResidentDataError("drop_id", _l("Ten rekord został już scalony."), "merged")

    before = _snapshot(keep)
    # The features that hold loaded rows of the person move them (the desk:
    # requests); {table name: rows moved}.
    moved_by_features = {}
    for moved in hooks.resident_merged.call(session, keep, drop):
        for table, rows in moved.items():
            moved_by_features[table] = moved_by_features.get(table, 0) + rows
    moved_consents = list(drop.consents)
    for consent in moved_consents:
        consent.resident = keep  # re-parented, not orphaned: the rows and their history stay
    # Whatever else belongs to the person (assessments, plans, grants, waiting
    # lists, and what later features add) follows its foreign key.
    moved_files = _move_case_files(session, drop.id, keep.id, skip=set(moved_by_features))

    for key in MERGE_FILL:
        if getattr(keep, key) in (None, "") and getattr(drop, key) not in (None, ""):
            setattr(keep, key, getattr(drop, key))
    if keep.informed_at is None and drop.informed_at is not None:
        keep.informed_at, keep.informed_by_id = drop.informed_at, drop.informed_by_id

    pesel = drop.pesel
    drop.merged_into_id = keep.id
    drop.updated_by_id = keep.updated_by_id = _actor_id(actor)
    if keep.pesel is None and pesel:
        # The number is unique: free it on the duplicate before the kept record takes it.
        drop.pesel = None
        drop.no_pesel_reason = drop.no_pesel_reason or "Scalono z innym rekordem"
        session.flush()
        info = parse_pesel(pesel)
        keep.pesel, keep.birth_date, keep.sex, keep.no_pesel_reason = pesel, info.birth_date, info.sex, None
    session.flush()

    details = {"requests": moved_by_features.get("request", 0), "consents": len(moved_consents),
               "other": sum(moved_files.values())}
    changes = _changes(before, _snapshot(keep))
    _audit(session, "merge", keep, actor=actor, reason=reason,
           summary=f"merged with record {drop.id}; moved: requests {details['requests']}, "
                   f"consents {details['consents']}, other documents {details['other']}",
           changes={**changes, "merged_from": [None, drop.id], "moved": [None, details]})
    _audit(session, "merge", drop, actor=actor, reason=reason,
           summary=f"merged into record {keep.id} (this record is the duplicate)",
           changes={"merged_into_id": [None, keep.id]})
    return keep


# Moved by the ORM above (consents), or never moved: the register's own links.
_NOT_MOVED = {"resident", "consent", "audit_event"}


def _move_case_files(session, drop_id, keep_id, *, skip=()):
    """Point every other row that refers to the dropped record at the kept
    one, but for the tables in `skip` (moved already); {table name: rows moved}."""
    moved = {}
    resident_table = Resident.__table__
    for table in resident_table.metadata.sorted_tables:
        if table.name in _NOT_MOVED or table.name in skip:
            continue
        for fk in table.foreign_keys:
            if fk.column.table is resident_table:
                result = session.execute(sa_update(table).where(fk.parent == drop_id).values({fk.parent.name: keep_id}))
                if result.rowcount:
                    moved[table.name] = moved.get(table.name, 0) + result.rowcount
    return moved


# --- information clause and consents ------------------------------------------------------

def record_information_clause(session, resident, *, actor):
    resident.informed_at = now()
    resident.informed_by_id = _actor_id(actor)
    resident.updated_by_id = _actor_id(actor)
    session.flush()
    _audit(session, "information_clause", resident, actor=actor,
           summary="informed of the processing of their data (information clause)")
    return resident


def give_consent(session, resident, channel, text_version, *, actor):
    """Open a consent row; an already active consent for the channel is kept as is."""
    if channel not in CONSENT_CHANNELS:
        raise ResidentDataError("channel", _l("Nieznany kanał zgody."), "channel")
    text_version = (text_version or "").strip()[:40]
    if not text_version:
        raise ResidentDataError("text_version", _l("Brak wersji treści zgody."), "text_version")
    active = resident.active_consent(channel)
    if active is not None:
        return active
    consent = Consent(channel=channel, text_version=text_version, given_at=now(), given_by_id=_actor_id(actor))
    resident.consents.append(consent)
    session.flush()
    _audit(session, "consent_give", resident, actor=actor,
           summary=f"consent to {channel} given (text {text_version})", changes={"consent": [channel, text_version]})
    return consent


def withdraw_consent(session, resident, channel, *, actor):
    """Close the active consent row(s) for the channel; None if there was none."""
    if channel not in CONSENT_CHANNELS:
        raise ResidentDataError("channel", _l("Nieznany kanał zgody."), "channel")
    closed = None
    for consent in resident.consents:
        if consent.channel == channel and consent.withdrawn_at is None:
            consent.withdrawn_at = now()
            consent.withdrawn_by_id = _actor_id(actor)
            closed = consent
    if closed is None:
        return None
    session.flush()
    _audit(session, "consent_withdraw", resident, actor=actor, summary=f"consent to {channel} withdrawn",
           changes={"consent": [channel, None]})
    return closed


def consent_history(resident):
    """Every consent row, newest first."""
    return sorted(resident.consents, key=lambda c: (c.given_at, c.id or 0), reverse=True)


# --- the access trail ------------------------------------------------------------------------

def record_access(session, resident, action, *, actor, reason):
    """Someone viewed, printed or exported the person's record (GDPR art. 15 trail)."""
    if action not in ACCESS_ACTIONS:
        raise ValueError("access action must be one of view, print, export")
    return _audit(session, action, resident, actor=actor, reason=(reason or "").strip() or None,
                  summary={"view": "person's card viewed", "print": "person's data printed",
                           "export": "person's data exported"}[action])


def record_listed(session, residents, *, actor, reason):
    """People shown in a list of search results (name, year of birth,
    village): each gets a line in their access trail, as a card view does.

    One multi-row INSERT for the list."""
    record_many(session, "search", OBJECT_TYPE, [resident.id for resident in residents], actor=actor,
                summary="shown in search results", reason=reason)


def record_refused_lookup(session, resident, *, actor, by):
    """Someone typed the data of a person they may not see (a PESEL, or a
    name with a birth date, at the desk or in the PESEL search). They got the
    same neutral answer as for anyone else; the person's access trail shows
    who tried. `by`: "pesel" or "name_birth_date"."""
    return _audit(session, "lookup_refused", resident, actor=actor, reason=by,
                  summary={"pesel": "PESEL of a person whose card the user may not see typed",
                           "name_birth_date": "name and birth date of a person whose card the user may not "
                                              "see typed"}[by])


def access_events(session, resident, *, include_merged=True, limit=500):
    """The audit trail of the record and of records merged into it, newest first."""
    ids = [resident.id]
    if include_merged:
        ids += [r.id for r in merged_records(session, resident)]
    return list(session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == OBJECT_TYPE, AuditEvent.object_id.in_(ids))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))

