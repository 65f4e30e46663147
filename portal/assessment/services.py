"""Operations on needs assessments: start, save a draft, complete, the
special-category section, and the audit trail of every reading.

Plain functions with an explicit session and actor; they never read the
request or current_user and never commit (the caller commits the whole unit
of work). Values come in as plain Python values (dates, ints, strings, lists
of kinds); the forms parse what was typed, these functions check what they
store.

A draft saves with nothing filled in. Completion checks the fields the
paper form cannot go without (REQUIRED, SENSITIVE_REQUIRED) and freezes the
assessment: it is then the application the person signs, so later changes
are a new assessment, not an edit.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from ..audit.services import record
from ..catalogue.models import UNITS, Service
from ..core import signals
from ..core.errors import DataError, DomainError, check_version
from ..desk import services as desk
from ..desk.models import Request
from ..residents import services as people
from ..timeutil import local_now, now
from .models import (
    DISABILITY,
    DISABILITY_DEGREES,
    EDUCATION,
    LABOUR_STATUSES,
    MARITAL_STATUSES,
    MINORITY,
    PLACES,
    READINESS,
    SUPPORT_KINDS,
    SUPPORT_SOURCES,
    Assessment,
    AssessmentSensitive,
    AssessmentService,
)

OBJECT_TYPE = "assessment"
MASK = "***"

CHOICES = {
    "place": PLACES,
    "education": EDUCATION,
    "labour_status": LABOUR_STATUSES,
    "marital_status": MARITAL_STATUSES,
    "readiness": READINESS,
}
SUPPORT_FIELDS = tuple(f"support_{source}" for source in SUPPORT_SOURCES)
TEXT_LIMITS = {
    "occupation": 200,
    "income_source": 2000,
    "social_assistance": 4000,
    "support_notes": 4000,
    "social_engagement": 4000,
    "services_used": 4000,
    "problems": 10000,
    "needs": 10000,
    "readiness_notes": 4000,
    "conclusions": 10000,
}
# Every field of the form, in the order of the paper form.
FIELDS = ("assessed_on", "place", "education", "labour_status", "occupation", "marital_status",
          "household_size", "income_source", "social_assistance", *SUPPORT_FIELDS, "support_notes",
          "social_engagement", "services_used", "problems", "needs", "readiness", "readiness_notes",
          "conclusions")
# Fields whose values may go into the audit log (no personal content).
PLAIN_FIELDS = ("assessed_on", "place", "status", "coordinator_id")

REQUIRED = {
    "assessed_on": _l("Podaj datę diagnozy."),
    "place": _l("Wybierz, gdzie przeprowadzono diagnozę."),
    "education": _l("Wybierz wykształcenie."),
    "labour_status": _l("Wybierz sytuację na rynku pracy."),
    "marital_status": _l("Wybierz stan cywilny."),
    "household_size": _l("Podaj liczbę osób w gospodarstwie domowym."),
    "income_source": _l("Wpisz źródło utrzymania."),
    "problems": _l("Opisz problemy, z którymi zgłasza się osoba."),
    "needs": _l("Opisz potrzeby i oczekiwania osoby."),
    "readiness": _l("Oceń gotowość osoby do zmiany."),
    "conclusions": _l("Wpisz wnioski i rekomendacje."),
}

SENSITIVE_CHOICES = {"minority": MINORITY, "disability": DISABILITY, "disability_degree": DISABILITY_DEGREES}
SENSITIVE_TEXTS = {"health": 10000, "housing": 4000, "family": 4000}
SENSITIVE_FIELDS = ("minority", "disability", "disability_degree", "health", "housing", "family")
SENSITIVE_REQUIRED = {
    "minority": _l("Zaznacz odpowiedź o przynależności do mniejszości narodowej lub etnicznej "
                   "(także „odmowa odpowiedzi”)."),
    "disability": _l("Zaznacz, czy osoba ma niepełnosprawność."),
}
DEGREE_REQUIRED = _l("Wybierz stopień niepełnosprawności.")

MAX_SERVICE_ROWS = 30
MAX_QUANTITY = 100000
MAX_HOUSEHOLD = 30


# Input or an action the operation refuses: the core DataError, under the
# name this feature's views and tests catch.
AssessmentError = DataError


class Incomplete(DomainError):
    """Completion refused: {field: message} for each missing field. The draft
    itself was saved."""

    def __init__(self, errors, sensitive_errors):
        super().__init__(log=", ".join(sorted({**errors, **sensitive_errors})))
        self.errors = errors
        self.sensitive_errors = sensitive_errors


# --- reading -----------------------------------------------------------------------------

def load(session, assessment_id):
    """The assessment with what its pages show, or None. Never the special-category row."""
    from ..residents.models import Resident

    return session.scalar(
        select(Assessment).where(Assessment.id == assessment_id).options(
            selectinload(Assessment.resident).selectinload(Resident.village),
            selectinload(Assessment.request),
            selectinload(Assessment.coordinator),
            selectinload(Assessment.services_wanted).selectinload(AssessmentService.service),
        ))


def sensitive_of(session, assessment, *, create=False):
    """The special-category section; callers record the reading (see
    record_view). An assessment without one reads as an empty section
    (not stored unless `create`: a page view writes nothing but the audit)."""
    row = session.get(AssessmentSensitive, assessment.id)
    if row is None:
        row = AssessmentSensitive(assessment_id=assessment.id, version=1)
        if create:
            session.add(row)
            session.flush()
    return row


def of_request(session, request):
    return list(session.scalars(
        select(Assessment).where(Assessment.request_id == request.id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())))


def draft_for_request(session, request):
    return session.scalar(
        select(Assessment).where(Assessment.request_id == request.id, Assessment.status == "draft")
        .order_by(Assessment.id.desc()).limit(1))


def listing(session, *, coordinator_id=None, status=None, limit=200):
    """Assessments newest first; for a coordinator, those of their cases
    (the request's coordinator, or the assessment's own when there is no request)."""
    query = select(Assessment).outerjoin(Request, Assessment.request_id == Request.id).options(
        selectinload(Assessment.resident), selectinload(Assessment.coordinator))
    if coordinator_id is not None:
        query = query.where(or_(
            Request.coordinator_id == coordinator_id,
            (Assessment.request_id.is_(None)) & (Assessment.coordinator_id == coordinator_id),
        ))
    if status:
        query = query.where(Assessment.status == status)
    query = query.order_by(Assessment.updated_at.desc(), Assessment.id.desc()).limit(limit)
    return list(session.scalars(query))


# --- the audit trail -----------------------------------------------------------------------

def _audit(action, assessment, *, actor, summary, changes=None, reason=None):
    return record(action, assessment, actor=actor, summary=summary, changes=changes,
                  reason=(reason or None) and reason[:500], object_type=OBJECT_TYPE)


def record_view(session, assessment, *, actor, reason=None, sensitive=False):
    """A page of the assessment was shown: in its own trail, and in the
    person's access trail (GDPR art. 15). The special-category section is a
    separate event ("view_sensitive")."""
    action = "view_sensitive" if sensitive else "view"
    summary = (f"assessment {assessment.number}: special-category section viewed" if sensitive
               else f"assessment {assessment.number} viewed")
    _audit(action, assessment, actor=actor, summary=summary, reason=reason)
    people.record_access(session, assessment.resident, "view", actor=actor,
                         reason=f"assessment {assessment.number}" + (" (special categories)" if sensitive else ""))


def record_print(session, assessment, *, actor, reason=None):
    """The PDF holds every section, the special categories included: both are recorded."""
    _audit("print", assessment, actor=actor, summary=f"assessment {assessment.number} printed (PDF)",
           reason=reason)
    _audit("view_sensitive", assessment, actor=actor,
           summary=f"assessment {assessment.number}: special-category section printed", reason="print")
    people.record_access(session, assessment.resident, "print", actor=actor,
                         reason=f"assessment {assessment.number}")


# --- starting ----------------------------------------------------------------------------------

def start(session, *, actor, request=None, resident=None):
    """A draft assessment for an application request (the open draft if there
    is one already), or for a person without a request. Moves an assigned
    request on to "in assessment". Returns (assessment, created)."""
    if request is not None:
        if request.kind != "application":
            raise AssessmentError("request", _l("Diagnozę przeprowadza się dla wniosku o usługi, "
                                                "nie dla zgłoszenia informacyjnego."))
        if not request.is_open:
            raise AssessmentError("request", _l("To zgłoszenie jest już zamknięte."))
        if request.resident_id is None:
            raise AssessmentError("request", _l("Zgłoszenie nie ma jeszcze osoby z rejestru. "
                                                "Poproś recepcję o jej wskazanie."))
        existing = draft_for_request(session, request)
        if existing is not None:
            return existing, False
        resident = request.resident
    if resident is None:
        raise AssessmentError("resident", _l("Wskaż osobę."))
    resident = people.surviving(session, resident)

    assessment = Assessment(
        request_id=request.id if request is not None else None,
        resident_id=resident.id,
        coordinator_id=actor.id,
        status="draft",
        assessed_on=local_now().date(),
        needs=request.needs_description if request is not None else None,
        updated_by_id=actor.id,
    )
    if request is not None:
        # The services picked at the desk are the first guess of what is wanted.
        for position, service in enumerate(request.services):
            assessment.services_wanted.append(
                AssessmentService(position=position, service_id=service.id, unit=service.unit))
    session.add(assessment)
    session.flush()
    session.add(AssessmentSensitive(assessment_id=assessment.id, updated_by_id=actor.id))
    _audit("create", assessment, actor=actor,
           summary=f"assessment {assessment.number} started"
                   + (f" for request {request.number}" if request is not None else ""),
           changes={"status": [None, "draft"], "request_id": [None, assessment.request_id]})
    if request is not None and request.status == "assigned":
        desk.change_status(session, request, "in_assessment", actor=actor,
                           note=f"Diagnoza {assessment.number}")
    return assessment, True


# --- cleaning ------------------------------------------------------------------------------------

def _text(value, limit):
    if value is None:
        return None
    value = str(value).replace("\x00", "").strip()
    return value[:limit] or None


def _choice(field, value, allowed):
    if value in (None, ""):
        return None
    if value not in allowed:
        raise AssessmentError(field, _l("Wybierz jedną z możliwości."))
    return value


def _kinds(field, value):
    if not value:
        return None
    if isinstance(value, str):
        value = value.split(",")
    kinds = set(value)
    if not kinds <= set(SUPPORT_KINDS):
        raise AssessmentError(field, _l("Wybierz jedną z możliwości."))
    return ",".join(k for k in SUPPORT_KINDS if k in kinds) or None


def _day(value, today):
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        raise AssessmentError("assessed_on", _l("Data w formacie dd.mm.rrrr, np. 13.01.2026."))
    if value > today:
        raise AssessmentError("assessed_on", _l("Data diagnozy nie może być w przyszłości."))
    if value.year < 2000:
        raise AssessmentError("assessed_on", _l("Sprawdź datę diagnozy."))
    return value


def _count(field, value, maximum, message):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise AssessmentError(field, message)
    return value


def clean(data, *, today):
    """The assessment's own fields from `data` (only the keys present)."""
    out = {}
    for key in FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key == "assessed_on":
            out[key] = _day(value, today)
        elif key in CHOICES:
            out[key] = _choice(key, value, CHOICES[key])
        elif key in SUPPORT_FIELDS:
            out[key] = _kinds(key, value)
        elif key == "household_size":
            out[key] = _count(key, value, MAX_HOUSEHOLD, _l("Podaj liczbę od 1 do %(max)s.", max=MAX_HOUSEHOLD))
        else:
            out[key] = _text(value, TEXT_LIMITS[key])
    return out


def clean_services(session, rows, existing_ids=()):
    """[(service_id, name, unit, quantity, frequency)] from row dicts. A row
    names a catalogue service or a service in free text; archived services
    already on the assessment may stay, new ones must be in the catalogue."""
    out = []
    rows = list(rows or [])
    if len(rows) > MAX_SERVICE_ROWS:
        raise AssessmentError("services", _l("Najwyżej %(max)s usług.", max=MAX_SERVICE_ROWS))
    for index, row in enumerate(rows):
        service_id = row.get("service_id") or None
        name = _text(row.get("name"), 200)
        unit = _text(row.get("unit"), 40)
        frequency = _text(row.get("frequency"), 120)
        quantity = _count(f"services-{index}-quantity", row.get("quantity"), MAX_QUANTITY,
                          _l("Podaj liczbę od 1 do %(max)s.", max=MAX_QUANTITY))
        if service_id is None and name is None:
            if unit is None and quantity is None and frequency is None:
                continue
            raise AssessmentError(f"services-{index}-service_id",
                                  _l("Wybierz usługę z katalogu albo wpisz nazwę usługi spoza katalogu."))
        if service_id is not None:
            service = session.get(Service, int(service_id))
            if service is None or (service.status == "archived" and service.id not in existing_ids):
                raise AssessmentError(f"services-{index}-service_id", _l("Tej usługi nie ma już w katalogu."))
            name = None
            unit = unit or service.unit
        if unit is not None and unit not in UNITS and len(unit) > 40:
            unit = unit[:40]
        out.append((int(service_id) if service_id else None, name, unit, quantity, frequency))
    return out


def _services_of(assessment):
    return [(r.service_id, r.name, r.unit, r.quantity, r.frequency) for r in assessment.services_wanted]


def _snapshot(assessment):
    return {key: getattr(assessment, key) for key in FIELDS}


def _changes(before, after):
    return {key: ([before[key], after[key]] if key in PLAIN_FIELDS else [MASK, MASK])
            for key in FIELDS if before[key] != after[key]}


def _jsonable(changes):
    return {k: [v.isoformat() if isinstance(v, date) else v for v in pair] for k, pair in changes.items()}


# --- saving -----------------------------------------------------------------------------------------

def _check_version(obj, expected_version):
    check_version(obj, expected_version, required=True)


def _check_draft(assessment):
    if not assessment.is_draft:
        raise AssessmentError("status", _l("Diagnoza jest zakończona i nie można jej już zmieniać. "
                                           "Jeśli sytuacja osoby się zmieniła, przeprowadź nową diagnozę."))


def save(session, assessment, data, *, actor, expected_version, services=None):
    """Save the draft: any field may be empty. `services` (row dicts) replaces
    the services wanted when given. Raises VersionConflict, AssessmentError."""
    _check_draft(assessment)
    _check_version(assessment, expected_version)
    values = clean(data, today=local_now().date())
    rows = None
    if services is not None:
        rows = clean_services(session, services, {r.service_id for r in assessment.services_wanted})

    before = _snapshot(assessment)
    after = dict(before, **values)
    changes = _changes(before, after)
    services_changed = rows is not None and rows != _services_of(assessment)
    taking_over = assessment.coordinator_id != actor.id
    if not changes and not services_changed and not taking_over:
        return assessment
    for key in changes:
        setattr(assessment, key, after[key])
    if services_changed:
        assessment.services_wanted = [
            AssessmentService(position=i, service_id=s, name=n, unit=u, quantity=q, frequency=f)
            for i, (s, n, u, q, f) in enumerate(rows)]
        changes["services_wanted"] = [MASK, MASK]
    if taking_over:
        # The coordinator of the case (after a reassignment) carries the assessment on and signs it.
        changes["coordinator_id"] = [assessment.coordinator_id, actor.id]
        assessment.coordinator_id = actor.id
    assessment.updated_by_id = actor.id
    assessment.updated_at = now()
    # Every save moves the version, also when only the services changed.
    flag_modified(assessment, "updated_at")
    session.flush()
    _audit("update", assessment, actor=actor, summary=f"assessment {assessment.number} saved (draft)",
           changes=_jsonable(changes))
    return assessment


def missing(assessment, sensitive):
    """({field: message}, {sensitive field: message}) of what completion needs."""
    errors = {key: message for key, message in REQUIRED.items() if getattr(assessment, key) in (None, "")}
    sensitive_errors = {}
    for key, message in SENSITIVE_REQUIRED.items():
        if sensitive is None or getattr(sensitive, key) in (None, ""):
            sensitive_errors[key] = message
    if sensitive is not None and sensitive.disability == "yes" and not sensitive.disability_degree:
        sensitive_errors["disability_degree"] = DEGREE_REQUIRED
    return errors, sensitive_errors


def complete(session, assessment, data, *, actor, expected_version, services=None):
    """Save, then complete when nothing required is missing. When something
    is, the draft stays saved and Incomplete names the missing fields."""
    save(session, assessment, data, actor=actor, expected_version=expected_version, services=services)
    errors, sensitive_errors = missing(assessment, sensitive_of(session, assessment))
    if errors or sensitive_errors:
        raise Incomplete(errors, sensitive_errors)
    assessment.status = "completed"
    assessment.completed_at = now()
    assessment.coordinator_id = actor.id
    assessment.updated_by_id = actor.id
    assessment.updated_at = now()
    session.flush()
    _audit("complete", assessment, actor=actor, summary=f"assessment {assessment.number} completed",
           changes={"status": ["draft", "completed"]})
    signals.emit(session, signals.assessment_completed, assessment_id=assessment.id, number=assessment.number,
                 request_id=assessment.request_id, coordinator_id=assessment.coordinator_id, actor_id=actor.id)
    return assessment


def conflicts(current, data):
    """(field, saved, yours) where the saved assessment differs from the
    submitted form (values as stored, for the conflict screen)."""
    rows = []
    for key in FIELDS:
        if key not in data:
            continue
        try:
            yours = clean({key: data[key]}, today=date.max)[key]
        except AssessmentError:
            yours = data[key]
        theirs = getattr(current, key)
        if (theirs or None) != (yours or None):
            rows.append((key, theirs, yours))
    return rows


def services_conflict(session, current, rows):
    """True when the services wanted differ from the submitted rows."""
    try:
        return clean_services(session, rows, {r.service_id for r in current.services_wanted}) != _services_of(current)
    except AssessmentError:
        return True


# --- the special-category section -------------------------------------------------------------------

def clean_sensitive(data):
    out = {}
    for key in SENSITIVE_FIELDS:
        if key not in data:
            continue
        if key in SENSITIVE_CHOICES:
            out[key] = _choice(key, data[key], SENSITIVE_CHOICES[key])
        else:
            out[key] = _text(data[key], SENSITIVE_TEXTS[key])
    if out.get("disability") == "no" or ("disability" in out and out["disability"] is None):
        out["disability_degree"] = None  # a degree without a disability would be contradictory
    return out


def save_sensitive(session, assessment, data, *, actor, expected_version):
    """Save the special-category section of a draft. The audit log names the
    fields changed, never their values."""
    _check_draft(assessment)
    row = sensitive_of(session, assessment, create=True)
    _check_version(row, expected_version)
    values = clean_sensitive(data)
    changed = [key for key, value in values.items() if getattr(row, key) != value]
    if not changed:
        return row
    for key in changed:
        setattr(row, key, values[key])
    row.updated_by_id = actor.id
    row.updated_at = now()
    flag_modified(row, "updated_at")
    session.flush()
    _audit("update_sensitive", assessment, actor=actor,
           summary=f"assessment {assessment.number}: special-category section saved",
           changes={key: [MASK, MASK] for key in changed})
    return row


def sensitive_conflicts(current, data):
    rows = []
    try:
        yours_all = clean_sensitive(data)
    except AssessmentError:
        yours_all = {k: data.get(k) for k in SENSITIVE_FIELDS if k in data}
    for key, yours in yours_all.items():
        theirs = getattr(current, key)
        if (theirs or None) != (yours or None):
            rows.append((key, theirs, yours))
    return rows
