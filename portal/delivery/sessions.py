"""Group sessions (issue 13 §1): the meetings of a club, a class, a workshop
or a support group, planned ahead from the service's weekly schedule or
entered by hand, then held (with who came) or cancelled; and the head counts
of events.

The operations take an explicit `session` and `actor`, validate, change,
write the audit trail and never commit (CONTRIBUTING.md). Who is expected at
a session is read through `commitments.expected_people()` only.

A session keeps local wall-clock times: a rule "Sundays 17:00–19:00" is
planned at 17:00 on either side of a summer-time change, and the hours that
really passed are computed through Europe/Warsaw where they are counted.
"""
from dataclasses import dataclass
from datetime import time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..audit.services import record, record_many
from ..catalogue import schedule as sched
from ..catalogue.models import Provider, Service
from ..core import versions
from ..core.errors import DataError, TransitionError, check_version
from ..events import recurrence
from ..plans.scans import store_checked
from ..text import polish_order, polish_sort_key
from ..timeutil import month_bounds, now
from .commitments import expected_people
from .models import Attendance, EventHeadCount, GroupSession

# Bounds of what the forms accept.
MAX_OTHER_PARTICIPANTS = 10000
MAX_HEAD_COUNT = 1_000_000
# A month's page of past occurrences of an event.
HEAD_COUNT_OCCURRENCES = 60

FIELDS = ("held_on", "starts", "ends", "place", "provider_id", "leader", "topic")
TEXT_LIMITS = {"place": 300, "leader": 200, "topic": 300}


# --- reading ----------------------------------------------------------------------

def group_services(session):
    """The services delivered as group sessions, active or suspended (not
    archived), in Polish order."""
    return session.scalars(
        select(Service).where(Service.delivery_mode == "group", Service.status != "archived")
        .order_by(polish_order(Service.name))).all()


def sessions_in_month(session, service, year, month):
    first, last = month_bounds(year, month)
    return session.scalars(
        select(GroupSession).where(GroupSession.service_id == service.id, GroupSession.held_on >= first,
                                   GroupSession.held_on <= last)
        .order_by(GroupSession.held_on, GroupSession.starts, GroupSession.id)).all()


@dataclass(frozen=True)
class Person:
    """Who the attendance screen and list show: a name, nothing more."""

    id: int
    first_name: str
    last_name: str
    present: bool
    expected: bool

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


def attendance_list(session, group_session):
    """The people of a session's attendance list, in Polish order: those
    expected on its day (a plan item or a grant covering it) and those
    already recorded as present (a commitment changed after the session
    keeps its record on the list)."""
    expected = {p.id: p for p in expected_people(session, group_session.service_id, group_session.held_on)}
    present = set(session.scalars(select(Attendance.resident_id)
                                  .where(Attendance.session_id == group_session.id)))
    recorded = [a.resident for a in group_session.attendances if a.resident_id not in expected]
    people = [Person(p.id, p.first_name, p.last_name, p.id in present, True) for p in expected.values()]
    people += [Person(p.id, p.first_name, p.last_name, True, False) for p in recorded]
    return sorted(people, key=lambda p: (polish_sort_key(p.last_name), polish_sort_key(p.first_name), p.id))


def note_list_shown(session, group_session, people, *, actor, action="view"):
    """The attendance screen or its printed list showed these people's names:
    a line in each person's access trail (one multi-row INSERT) and one on
    the session. `action`: "view" or "print"."""
    reason = f"attendance list of group session {group_session.id}"
    record_many(session, action, "resident", [p.id for p in people], actor=actor,
                summary={"view": "shown on an attendance screen", "print": "printed on an attendance list"}[action],
                reason=reason)
    record({"view": "attendance_viewed", "print": "attendance_printed"}[action], group_session, actor=actor,
           summary=f"attendance of the session {action}ed ({len(people)} people listed)", session=session)


# --- sessions ---------------------------------------------------------------------

def _check(session, data, *, current=None):
    for name, limit in TEXT_LIMITS.items():
        data[name] = (data.get(name) or "").strip()[:limit]
    if data.get("held_on") is None:
        raise DataError("held_on", _l("Podaj datę zajęć."))
    if data.get("starts") is None:
        raise DataError("starts", _l("Podaj godzinę rozpoczęcia."))
    if data.get("ends") is None:
        raise DataError("ends", _l("Podaj godzinę zakończenia."))
    if data["ends"] <= data["starts"]:
        raise DataError("ends", _l("Zajęcia muszą kończyć się później, niż się zaczynają."))
    if data.get("provider_id") is None or session.get(Provider, data["provider_id"]) is None:
        raise DataError("provider_id", _l("Wybierz realizatora z listy."))


def _taken(session, service_id, held_on, starts, *, other_than=None):
    query = select(GroupSession.id).where(GroupSession.service_id == service_id, GroupSession.held_on == held_on,
                                          GroupSession.starts == starts)
    if other_than is not None:
        query = query.where(GroupSession.id != other_than)
    return session.scalar(query) is not None


TAKEN = _l("Zajęcia tej usługi o tej godzinie tego dnia są już zapisane.")


def create_session(session, service, data, *, actor):
    """A session entered by hand (planned; confirmed as held with its attendance)."""
    if service.delivery_mode != "group":
        raise TransitionError(_l("Ta usługa nie jest prowadzona jako zajęcia grupowe."))
    data = dict(data)
    _check(session, data)
    if _taken(session, service.id, data["held_on"], data["starts"]):
        raise DataError("starts", TAKEN)
    group_session = GroupSession(service_id=service.id, status="planned",
                                 **{key: data[key] for key in FIELDS}, created_by_id=getattr(actor, "id", None))
    session.add(group_session)
    session.flush()
    record("session_created", group_session, actor=actor, session=session,
           summary=f"group session of service {service.id} on {group_session.held_on.isoformat()} entered")
    return group_session


def session_data(group_session):
    return {key: getattr(group_session, key) for key in FIELDS}


def update_session(session, group_session, data, *, actor, expected_version):
    check_version(group_session, expected_version)
    if group_session.status == "cancelled":
        raise TransitionError(_l("Odwołanych zajęć nie można zmieniać."))
    data = dict(data)
    _check(session, data)
    if _taken(session, group_session.service_id, data["held_on"], data["starts"], other_than=group_session.id):
        raise DataError("starts", TAKEN)
    before = session_data(group_session)
    changes = {key: [_plain(before[key]), _plain(data[key])] for key in FIELDS if before[key] != data[key]}
    for key in FIELDS:
        setattr(group_session, key, data[key])
    group_session.updated_by_id = getattr(actor, "id", None)
    versions.bump(session, versions.DELIVERY)  # the coordinators' warnings move with it
    if changes:
        record("session_updated", group_session, actor=actor, changes=changes, session=session,
               summary="group session changed")
    return group_session


def session_conflicts(group_session, data):
    """(field, saved value, the user's value) where they differ."""
    saved = session_data(group_session)
    return [(key, saved[key], data.get(key)) for key in FIELDS if saved[key] != data.get(key)]


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _expect_planned(group_session, to_status):
    if group_session.status != "planned":
        raise TransitionError(from_status=group_session.status, to_status=to_status)


def confirm_held(session, group_session, *, actor, expected_version):
    check_version(group_session, expected_version)
    if group_session.status == "held":
        return False
    _expect_planned(group_session, "held")
    group_session.status = "held"
    versions.bump(session, versions.DELIVERY)  # the coordinators' warnings move with it
    group_session.updated_by_id = getattr(actor, "id", None)
    record("session_held", group_session, actor=actor, session=session, summary="group session confirmed as held")
    return True


def cancel_session(session, group_session, reason, *, actor, expected_version):
    check_version(group_session, expected_version)
    if group_session.status == "cancelled":
        return False
    _expect_planned(group_session, "cancelled")
    reason = (reason or "").strip()
    if not reason:
        raise DataError("reason", _l("Podaj powód odwołania zajęć."))
    group_session.status = "cancelled"
    versions.bump(session, versions.DELIVERY)  # the coordinators' warnings move with it
    group_session.cancel_reason = reason[:500]
    group_session.updated_by_id = getattr(actor, "id", None)
    record("session_cancelled", group_session, actor=actor, session=session, reason=reason[:500],
           summary="group session cancelled")
    return True


# --- planning ahead ---------------------------------------------------------------

@dataclass(frozen=True)
class Planned:
    created: int
    existing: int
    overnight: int  # rules that run past midnight: entered by hand


def plan_month(session, service, year, month, *, actor):
    """Planned sessions for every occurrence of the service's weekly schedule
    in the month (closures and, when the service closes on them, public
    holidays skipped), at the rules' wall-clock times. Idempotent: an
    occurrence that already has a session (whatever its status) is left."""
    if service.delivery_mode != "group":
        raise TransitionError(_l("Ta usługa nie jest prowadzona jako zajęcia grupowe."))
    first, last = month_bounds(year, month)
    schedule = service.schedule()
    existing = set(session.execute(
        select(GroupSession.held_on, GroupSession.starts)
        .where(GroupSession.service_id == service.id, GroupSession.held_on >= first, GroupSession.held_on <= last)))
    place = service.places[0].one_line[:300] if service.places else ""
    created, skipped, overnight = [], 0, 0
    day = first
    while day <= last:
        for occurrence in sched.sessions_on(schedule, day):
            rule = occurrence.rule
            if rule.overnight:
                overnight += 1
                continue
            if (day, rule.opens) in existing:
                skipped += 1
                continue
            existing.add((day, rule.opens))
            created.append(dict(service_id=service.id, provider_id=service.provider_id, held_on=day,
                                starts=rule.opens, ends=rule.closes, place=place, leader="",
                                topic=(rule.label or "")[:300], status="planned", other_participants=0,
                                version=1, created_by_id=getattr(actor, "id", None)))
        day += timedelta(days=1)
    if created:
        session.execute(GroupSession.__table__.insert(), created)
        record("sessions_planned", service, actor=actor, session=session,
               summary=f"{len(created)} group sessions planned for {year}-{month:02d} from the schedule")
    return Planned(len(created), skipped, overnight)


# --- attendance -------------------------------------------------------------------

def save_attendance(session, group_session, present_ids, other_participants, *, actor, expected_version):
    """Who came (ids of people on the list) and how many others without a
    record; the session is held from now on."""
    check_version(group_session, expected_version)
    if group_session.status == "cancelled":
        raise TransitionError(_l("Zajęcia są odwołane: nie ma na nich obecności."))
    if other_participants is None or not 0 <= other_participants <= MAX_OTHER_PARTICIPANTS:
        raise DataError("other_participants", _l("Podaj liczbę od 0 do %(max)s.", max=MAX_OTHER_PARTICIPANTS))
    allowed = {p.id for p in attendance_list(session, group_session)}
    wanted = set(present_ids)
    if wanted - allowed:
        raise DataError("present", _l("Zaznacz osoby z listy."))
    before = set(session.scalars(select(Attendance.resident_id).where(Attendance.session_id == group_session.id)))
    removed, added = before - wanted, wanted - before
    if removed:
        session.execute(delete(Attendance).where(Attendance.session_id == group_session.id,
                                                 Attendance.resident_id.in_(removed)))
    if added:
        session.execute(Attendance.__table__.insert(), [
            {"session_id": group_session.id, "resident_id": resident_id, "recorded_by_id": getattr(actor, "id", None)}
            for resident_id in sorted(added)])
    changes = {}
    if added:
        changes["present_added"] = sorted(added)
    if removed:
        changes["present_removed"] = sorted(removed)
    if group_session.other_participants != other_participants:
        changes["other_participants"] = [group_session.other_participants, other_participants]
    if group_session.status != "held":
        changes["status"] = [group_session.status, "held"]
    group_session.other_participants = other_participants
    group_session.status = "held"
    versions.bump(session, versions.DELIVERY)  # the coordinators' warnings move with it
    group_session.updated_by_id = getattr(actor, "id", None)
    # Always an UPDATE of the session's row, so its version moves even when
    # only attendance rows changed: a page drawn before this save is stale.
    group_session.updated_at = now()
    record("attendance_saved", group_session, actor=actor, changes=changes or None, session=session,
           summary=f"attendance saved: {len(wanted)} people on record and {other_participants} others")
    return group_session


# --- the signed scan --------------------------------------------------------------

def attach_scan(session, group_session, data, *, actor, directory, expected_version):
    """Store the signed attendance list's scan (checked and written anew as
    the plans' scans are); returns (stored name, the replaced name or None).
    The caller removes the stored file if the transaction does not commit,
    and the replaced one when it does."""
    check_version(group_session, expected_version)
    if not data:
        raise DataError("scan", _l("Wybierz plik ze skanem podpisanej listy."))
    stored, content_type, digest, _size = store_checked(directory, data)
    replaced = group_session.scan_file
    group_session.scan_file, group_session.scan_type, group_session.scan_sha256 = stored, content_type, digest
    group_session.updated_by_id = getattr(actor, "id", None)
    record("attendance_scan_attached", group_session, actor=actor, session=session,
           summary=f"scan of the signed attendance list attached ({content_type}, sha256 {digest[:12]}…)")
    return stored, replaced


def note_scan_opened(session, group_session, *, actor):
    record("attendance_scan_opened", group_session, actor=actor, session=session,
           summary="scan of the signed attendance list opened")


# --- events' head counts ----------------------------------------------------------

def past_occurrences(event, until, limit=HEAD_COUNT_OCCURRENCES):
    """The local start days of the event's occurrences that were not
    cancelled, up to `until` (a moment), newest first, at most `limit`."""
    times, rule = event.times, event.rule
    start = recurrence.local_instant(times.start_date, times.start_time or time(0))
    if start > until:
        return []
    days = [o.day for o in recurrence.expand(times, rule, start - timedelta(days=1), until) if not o.cancelled
            and o.start <= until]
    return sorted(set(days), reverse=True)[:limit]


def head_counts(session, event):
    return {row.occurs_on: row for row in session.scalars(
        select(EventHeadCount).where(EventHeadCount.event_id == event.id))}


def save_head_counts(session, event, counts, *, actor, allowed_days):
    """Set the head count of each day in `counts` ({day: number or None});
    None removes a count. Only days in `allowed_days` (past occurrences)."""
    current = head_counts(session, event)
    changes = {}
    for day, count in counts.items():
        if day not in allowed_days:
            raise DataError(f"count-{day.isoformat()}", _l("To nie jest dzień tego wydarzenia."))
        if count is not None and not 0 <= count <= MAX_HEAD_COUNT:
            raise DataError(f"count-{day.isoformat()}", _l("Podaj liczbę osób: zero albo więcej, najwyżej milion."))
        row = current.get(day)
        old = row.head_count if row is not None else None
        if row is None and count is not None:
            session.add(EventHeadCount(event_id=event.id, occurs_on=day, head_count=count,
                                       created_by_id=getattr(actor, "id", None)))
        elif row is not None and count is None:
            session.delete(row)
        elif row is not None and row.head_count != count:
            row.head_count = count
            row.updated_by_id = getattr(actor, "id", None)
        else:
            continue
        changes[day.isoformat()] = [old, count]
    if changes:
        record("head_counts_saved", event, actor=actor, changes=changes, session=session,
               summary=f"head counts of {len(changes)} occurrences saved")
    return len(changes)
