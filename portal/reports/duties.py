"""The services organiser's duties (art. 46): the half-yearly summary of the
plans and the meetings with the coordinators. Operations take an explicit
session and actor, raise core.errors and never commit (CONTRIBUTING.md); the
services noun is `duties`.

The summary's figures, for a half-year [start, end] (Warsaw days) — counts
and plan numbers only, never a person:

- new plans: the original version (number 0) first signed by both sides in
  the half-year (PlanVersion.signed_at, as a Warsaw day); updates never count;
- plans in realisation: the original signed by the half-year's end and the
  plan not closed before its start (new and closed ones included); at the end:
  signed by the end and not closed by then;
- closed: Plan.closed_on in the half-year; their outcomes: the closure's
  outcome per service (casework ClosureItem), counted per outcome;
- satisfaction: the mean rating of the monitoring contacts of the half-year
  (1–5), of the closure surveys of the plans closed in it (every answer), and
  of the services' quality surveys answered in it (quality.survey_summary,
  weighted by the number of questionnaires);
- past the 30-day deadline: plans first submitted in the half-year after
  their request's deadline (core.deadlines.submitted_late), with the reason
  the coordinator recorded (Plan.overdue_reason), and the plans still in
  preparation at the end whose deadline had passed;
- overdue monitoring contacts: plans in realisation at the end whose next
  contact (core.deadlines.contact_due from the last contact up to the end and
  the version in force then) was due before the end;
- waiting lists: entries waiting at the end, per service, and entries added,
  placed and withdrawn in the half-year.

"The end" is the half-year's last day, or today while it runs. Sending the
summary freezes these figures (HalfYearSummary.snapshot).

Reminders: a half-year ended and no summary of it was sent (the last ended
half-year only); three months (core.deadlines.add_months) passed since the
last meeting, or no meeting was ever recorded; a meeting's task due within
a week, to its owner (a coordinator's way to the meetings they read); a sent
summary not yet confirmed, to its recipient. They show on the start page
(the core hook `start_notices`, answered in duties_hooks) and on the
reports' index.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..auth.models import Role, User
from ..casework.models import OUTCOMES, SURVEY_QUESTIONS, ClosureItem, MonitoringEntry, PlanClosure
from ..core import deadlines
from ..core.errors import DataError, NotAllowed, TransitionError, VersionConflict, check_version, version_given
from ..desk.models import Request
from ..plans.models import Plan, PlanVersion, WaitingListEntry
from ..quality import services as quality
from ..text import polish_sort_key
from ..timeutil import WARSAW, now
from .duties_models import DRAFT, SENT, CoordinatorMeeting, HalfYearSummary, MeetingTask, SummaryReader

TEXT_MAX = 20000
PROVIDERS_MAX = 2000
TASK_MAX = 1000
MEETING_MONTHS = 3
# A task of a meeting is shown on its owner's start page this many days ahead.
TASK_SOON_DAYS = 7
FIRST_YEAR = 2019  # the act on social services centres
# Who a summary is sent to (art. 46 ust. 1).
RECIPIENT_ROLES = (Role.DIRECTOR, Role.COMMUNITY_ORGANISER)
# Who may attend a meeting or own its task: the staff of the plans.
MEETING_ROLES = (Role.COORDINATOR, Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COMMUNITY_ORGANISER)

HALVES = {1: _l("I półrocze"), 2: _l("II półrocze")}
SUMMARY_STATUSES = {DRAFT: _l("projekt"), SENT: _l("wysłane")}


# --- half-years ------------------------------------------------------------------------------

def half_of(day):
    return day.year, 1 if day.month <= 6 else 2


def half_range(year, half):
    """The first and the last day of a half-year."""
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def previous_half(year, half):
    return (year, 1) if half == 2 else (year - 1, 2)


def last_ended_half(today):
    """The half-year that ended most recently before `today`."""
    return previous_half(*half_of(today))


def valid_half(year, half, today):
    """Whether (year, half) is a half-year the portal shows: from FIRST_YEAR
    to the one running today."""
    return half in (1, 2) and FIRST_YEAR <= year and (year, half) <= half_of(today)


def has_ended(year, half, today):
    return today > half_range(year, half)[1]


def _instant(day):
    """The UTC instant a Warsaw day starts."""
    return datetime.combine(day, time(0), tzinfo=WARSAW).astimezone(timezone.utc)


# --- the figures --------------------------------------------------------------------------------

def figures_data(session, year, half, today):
    """The summary's figures as plain JSON data (dates as ISO text): what a
    page shows live and what sending freezes."""
    start, end = half_range(year, half)
    as_of = min(end, today)
    begin, stop, cut = _instant(start), _instant(end + timedelta(days=1)), _instant(as_of + timedelta(days=1))
    return {
        "year": year, "half": half, "start": start.isoformat(), "end": end.isoformat(), "as_of": as_of.isoformat(),
        "plans": _plan_counts(session, start, begin, stop, as_of, cut),
        "outcomes": _outcomes(session, start, end),
        "satisfaction": _satisfaction(session, start, end),
        "late": _late(session, start, end),
        "late_open": _late_open(session, as_of),
        "contacts": _overdue_contacts(session, as_of, cut),
        "waiting": _waiting(session, begin, stop, cut),
    }


def _signed_original():
    return (select(PlanVersion.plan_id, PlanVersion.signed_at)
            .where(PlanVersion.number == 0, PlanVersion.signed_at.is_not(None)).subquery())


def _plan_counts(session, start, begin, stop, as_of, cut):
    original = _signed_original()
    base = select(func.count()).select_from(Plan).join(original, original.c.plan_id == Plan.id)
    new = session.scalar(base.where(original.c.signed_at >= begin, original.c.signed_at < stop))
    running = session.scalar(base.where(original.c.signed_at < stop,
                                        or_(Plan.closed_on.is_(None), Plan.closed_on >= start)))
    at_end = session.scalar(base.where(original.c.signed_at < cut,
                                       or_(Plan.closed_on.is_(None), Plan.closed_on > as_of)))
    closed = session.scalar(select(func.count()).select_from(Plan).where(
        Plan.closed_on >= start, Plan.closed_on <= as_of))
    return {"new": new or 0, "running": running or 0, "at_end": at_end or 0, "closed": closed or 0}


def _closed_plans(start, end):
    return select(Plan.id).where(Plan.closed_on >= start, Plan.closed_on <= end)


def _outcomes(session, start, end):
    rows = dict(session.execute(
        select(ClosureItem.outcome, func.count()).join(PlanClosure, ClosureItem.closure_id == PlanClosure.id)
        .where(PlanClosure.plan_id.in_(_closed_plans(start, end))).group_by(ClosureItem.outcome)).all())
    return [{"code": code, "count": rows.get(code, 0)} for code in OUTCOMES]


def _mean(count, total):
    return {"count": count or 0, "average": round(total / count, 2) if count else None}


def _satisfaction(session, start, end):
    count, total = session.execute(
        select(func.count(MonitoringEntry.satisfaction), func.sum(MonitoringEntry.satisfaction))
        .where(MonitoringEntry.contact_on >= start, MonitoringEntry.contact_on <= end)).one()
    closures = session.scalars(select(PlanClosure).where(PlanClosure.plan_id.in_(_closed_plans(start, end)))).all()
    answers = [value for closure in closures for value in (getattr(closure, key) for key in SURVEY_QUESTIONS)
               if value is not None]
    surveys = quality.survey_summary(session, start, end)
    scored = [row for row in surveys if row.average is not None]
    survey_count = sum(row.answers for row in scored)
    survey_total = sum(row.average * row.answers for row in scored)
    return {"contacts": _mean(count, total or 0), "closures": _mean(len(answers), sum(answers)),
            "surveys": _mean(survey_count, survey_total)}


def _late(session, start, end):
    """Plans first submitted in [start, end] after the 30-day deadline, by
    the day they were submitted."""
    plans = session.scalars(select(Plan).options(selectinload(Plan.request)).where(
        Plan.first_submitted_on >= start, Plan.first_submitted_on <= end, Plan.request_id.is_not(None))).all()
    rows = []
    for plan in plans:
        if not deadlines.submitted_late(plan.request, plan.first_submitted_on):
            continue
        due = deadlines.plan_deadline(plan.request, plan.first_submitted_on,
                                      submitted_on=plan.first_submitted_on)
        rows.append({"number": plan.number, "due": due.due.isoformat(),
                     "submitted": plan.first_submitted_on.isoformat(), "days_late": -due.days_left,
                     "reason": (plan.overdue_reason or "").strip() or None})
    rows.sort(key=lambda row: (row["submitted"], row["number"] or ""))
    return rows


def _late_open(session, as_of):
    """Plans not submitted by `as_of` (drafted then or since) whose 30-day
    deadline had already passed then; requests with no plan drafted at all
    are the desk's and the casework desk's to show."""
    # Overdue at `as_of` means received before as_of - 30 days (Warsaw): only
    # those requests' plans are read, then judged by the clock itself.
    received_by = _instant(as_of - timedelta(days=deadlines.PLAN_DEADLINE_DAYS))
    plans = session.scalars(
        select(Plan).join(Request, Request.id == Plan.request_id).options(selectinload(Plan.request))
        .where(Request.received_at < received_by, Plan.status != "cancelled",
               or_(Plan.first_submitted_on.is_(None), Plan.first_submitted_on > as_of))).all()
    late = 0
    for plan in plans:
        deadline = deadlines.request_deadline(plan.request, as_of)
        if deadline is not None and deadline.state == "overdue":
            late += 1
    return late


def _overdue_contacts(session, as_of, cut):
    """Plans in realisation at `as_of` whose monitoring contact was overdue then."""
    original = _signed_original()
    plans = session.scalars(
        select(Plan).join(original, original.c.plan_id == Plan.id).options(selectinload(Plan.versions))
        .where(original.c.signed_at < cut, or_(Plan.closed_on.is_(None), Plan.closed_on > as_of))).all()
    last = dict(session.execute(
        select(MonitoringEntry.plan_id, func.max(MonitoringEntry.contact_on))
        .where(MonitoringEntry.plan_id.in_([p.id for p in plans] or [0]), MonitoringEntry.contact_on <= as_of)
        .group_by(MonitoringEntry.plan_id)).all())
    numbers = []
    for plan in plans:
        in_force = [v for v in plan.versions if v.signed_at is not None and v.signed_at < cut]
        if not in_force:
            continue
        version = max(in_force, key=lambda v: v.number)
        due = deadlines.contact_due(last.get(plan.id), version.valid_from, version.check_frequency)
        if due < as_of:
            numbers.append((plan.number_year or 0, plan.number_seq or 0, plan.number))
    numbers.sort()
    return {"count": len(numbers), "numbers": [number for _y, _s, number in numbers if number]}


def _waiting(session, begin, stop, cut):
    waiting_then = (WaitingListEntry.added_at < cut) & or_(WaitingListEntry.resolved_at.is_(None),
                                                            WaitingListEntry.resolved_at >= cut)
    per_service = session.execute(
        select(WaitingListEntry.service_id, func.count()).where(waiting_then)
        .group_by(WaitingListEntry.service_id)).all()
    from ..catalogue.models import Service

    names = dict(session.execute(select(Service.id, Service.name)
                                 .where(Service.id.in_([sid for sid, _n in per_service] or [0]))).all())
    services = sorted(({"name": names.get(sid, ""), "count": count} for sid, count in per_service),
                      key=lambda row: polish_sort_key(row["name"]))

    def resolved(status):
        return session.scalar(select(func.count()).select_from(WaitingListEntry).where(
            WaitingListEntry.status == status, WaitingListEntry.resolved_at >= begin,
            WaitingListEntry.resolved_at < stop)) or 0

    added = session.scalar(select(func.count()).select_from(WaitingListEntry).where(
        WaitingListEntry.added_at >= begin, WaitingListEntry.added_at < stop)) or 0
    return {"at_end": sum(row["count"] for row in services), "services": services, "added": added,
            "placed": resolved("placed"), "withdrawn": resolved("withdrawn")}


# --- the summary document -----------------------------------------------------------------------

def summary_of(session, year, half):
    return session.scalar(select(HalfYearSummary).where(HalfYearSummary.year == year, HalfYearSummary.half == half))


def _conclusions(text):
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise DataError("conclusions", _l("Wpisz wnioski z podsumowania."))
    if len(text) > TEXT_MAX:
        raise DataError("conclusions", _l("Wpisz najwyżej %(max)d znaków.", max=TEXT_MAX))
    return text


def _organiser(actor):
    if getattr(actor, "role", None) != Role.SERVICES_ORGANISER:
        raise NotAllowed()


def save_conclusions(session, year, half, text, *, actor, expected_version, today):
    """Write the conclusions of the half-year's summary (made on the first
    save). `expected_version` is the version the page showed (None or empty
    when it showed no summary yet: someone who made it meanwhile is a
    conflict)."""
    _organiser(actor)
    if not valid_half(year, half, today):
        raise DataError("conclusions", _l("Wybierz półrocze, które już się rozpoczęło."))
    text = _conclusions(text)
    summary = summary_of(session, year, half)
    if summary is None:
        if version_given(expected_version):
            raise VersionConflict(None)
        summary = HalfYearSummary(year=year, half=half, conclusions=text, status=DRAFT, created_by_id=actor.id,
                                  updated_by_id=actor.id)
        session.add(summary)
        session.flush()
        record("create", summary, actor=actor, summary=f"half-year summary {half}/{year} drafted", session=session)
        return summary
    check_version(summary, expected_version, required=True)
    if summary.is_sent:
        raise TransitionError(_l("To podsumowanie zostało już wysłane; nie można go zmieniać."))
    if summary.conclusions != text:
        summary.conclusions = text
        summary.updated_by_id = actor.id
        session.flush()
        record("update", summary, actor=actor, summary=f"half-year summary {half}/{year} conclusions changed",
               changes={"conclusions": ["…", "…"]}, session=session)
    return summary


def recipients(session):
    """The active accounts a summary goes to, in Polish order of their names."""
    users = session.scalars(select(User).where(User.role.in_(RECIPIENT_ROLES), User.active.is_(True))).all()
    return sorted(users, key=lambda user: polish_sort_key(user.full_name))


def send_summary(session, summary, *, actor, expected_version, today):
    """Send the summary to the director and the community organiser: the
    figures are frozen as they are now; nothing of it changes again."""
    _organiser(actor)
    check_version(summary, expected_version, required=True)
    if summary.is_sent:
        raise TransitionError(_l("To podsumowanie zostało już wysłane."))
    if not has_ended(summary.year, summary.half, today):
        raise DataError("conclusions", _l("Podsumowanie półrocza można wysłać po jego zakończeniu."))
    _conclusions(summary.conclusions)
    people = recipients(session)
    if not people:
        raise DataError("conclusions", _l("Nie ma aktywnego konta dyrektora ani organizatora społeczności "
                                          "lokalnej, do którego można wysłać podsumowanie."))
    summary.snapshot = figures_data(session, summary.year, summary.half, today)
    summary.status = SENT
    summary.sent_at = now()
    summary.sent_by_id = actor.id
    summary.updated_by_id = actor.id
    summary.readers = [SummaryReader(user_id=user.id, role=user.role) for user in people]
    session.flush()
    record("update", summary, actor=actor, summary=f"half-year summary {summary.half}/{summary.year} sent",
           changes={"status": [DRAFT, SENT]}, session=session)
    return summary


def reader_of(summary, user):
    return next((reader for reader in summary.readers if reader.user_id == getattr(user, "id", None)), None)


def confirm_reading(session, summary, *, actor):
    """The recipient `actor` confirms having read the sent summary (once)."""
    reader = reader_of(summary, actor) if summary.is_sent else None
    if reader is None:
        raise NotAllowed()
    if reader.read_at is not None:
        raise TransitionError(_l("Zapoznanie się z tym podsumowaniem jest już potwierdzone."))
    reader.read_at = now()
    session.flush()
    record("update", summary, actor=actor,
           summary=f"half-year summary {summary.half}/{summary.year} read by user {actor.id}", session=session)
    return reader


def summaries(session):
    """{(year, half): summary} of every summary there is."""
    rows = session.scalars(select(HalfYearSummary).options(selectinload(HalfYearSummary.readers))).all()
    return {(row.year, row.half): row for row in rows}


def halves_to_list(session, today, count=6):
    """The half-years the list shows, newest first: the running one and the
    `count` - 1 before it, and any other that has a summary."""
    shown = {half_of(today)}
    current = half_of(today)
    for _ in range(count - 1):
        current = previous_half(*current)
        if current[0] >= FIRST_YEAR:
            shown.add(current)
    shown |= set(summaries(session))
    return sorted(shown, reverse=True)


# --- meetings --------------------------------------------------------------------------------------

PLAN_NUMBER = re.compile(r"^IPUS/(\d{1,6})/(\d{4})$", re.IGNORECASE)


def staff_for_meetings(session):
    users = session.scalars(select(User).where(User.role.in_(MEETING_ROLES), User.active.is_(True))).all()
    return sorted(users, key=lambda user: polish_sort_key(user.full_name))


def plans_by_number(session, text):
    """The plans named in `text` (numbers separated by commas, semicolons,
    spaces or lines); a number no plan has is refused at the field."""
    found, unknown = [], []
    for word in re.split(r"[\s,;]+", (text or "").strip()):
        if not word:
            continue
        match = PLAN_NUMBER.match(word)
        plan = None
        if match:
            plan = session.scalar(select(Plan).where(Plan.number_seq == int(match.group(1)),
                                                     Plan.number_year == int(match.group(2))))
        if plan is None:
            unknown.append(word)
        elif plan not in found:
            found.append(plan)
    if unknown:
        raise DataError("plans", _l("Nie ma planu o numerze: %(numbers)s. Wpisz numery w postaci IPUS/12/2026.",
                                    numbers=", ".join(unknown[:5])))
    return found


@dataclass
class TaskData:
    description: str
    owner_id: int | None
    due_on: date | None


def _meeting_values(session, data, today):
    held_on = data.get("held_on")
    if not isinstance(held_on, date):
        raise DataError("held_on", _l("Podaj dzień spotkania."))
    if held_on > today:
        raise DataError("held_on", _l("Spotkanie zapisuje się po jego odbyciu: dzień nie może być w przyszłości."))
    staff = {user.id: user for user in staff_for_meetings(session)}
    attendee_ids = data.get("attendee_ids") or []
    if not attendee_ids:
        raise DataError("attendee_ids", _l("Zaznacz, kto był na spotkaniu."))
    if any(user_id not in staff for user_id in attendee_ids):
        raise DataError("attendee_ids", _l("Zaznacz pozycje z listy."))
    providers = (data.get("invited_providers") or "").replace("\x00", "").strip() or None
    if providers and len(providers) > PROVIDERS_MAX:
        raise DataError("invited_providers", _l("Wpisz najwyżej %(max)d znaków.", max=PROVIDERS_MAX))
    conclusions = (data.get("conclusions") or "").replace("\x00", "").strip()
    if not conclusions:
        raise DataError("conclusions", _l("Wpisz wnioski ze spotkania."))
    if len(conclusions) > TEXT_MAX:
        raise DataError("conclusions", _l("Wpisz najwyżej %(max)d znaków.", max=TEXT_MAX))
    plans = plans_by_number(session, data.get("plans"))
    tasks = []
    for index, task in enumerate(data.get("tasks") or []):
        text = (task.description or "").replace("\x00", "").strip()
        if not text and task.owner_id is None and task.due_on is None:
            continue
        prefix = f"tasks-{index}-"
        if not text:
            raise DataError(prefix + "description", _l("Wpisz, co jest do zrobienia."))
        if len(text) > TASK_MAX:
            raise DataError(prefix + "description", _l("Wpisz najwyżej %(max)d znaków.", max=TASK_MAX))
        if task.owner_id not in staff:
            raise DataError(prefix + "owner_id", _l("Wybierz osobę odpowiedzialną."))
        if task.due_on is None:
            raise DataError(prefix + "due_on", _l("Podaj termin zadania."))
        if task.due_on < held_on:
            raise DataError(prefix + "due_on", _l("Termin zadania nie może być wcześniejszy niż dzień spotkania."))
        tasks.append(MeetingTask(position=len(tasks), description=text, owner_id=task.owner_id,
                                 due_on=task.due_on))
    return {"held_on": held_on, "attendees": [staff[user_id] for user_id in attendee_ids],
            "invited_providers": providers, "conclusions": conclusions, "plans": plans, "tasks": tasks}


def create_meeting(session, data, *, actor, today):
    _organiser(actor)
    values = _meeting_values(session, data, today)
    meeting = CoordinatorMeeting(created_by_id=actor.id, updated_by_id=actor.id, **values)
    session.add(meeting)
    session.flush()
    record("create", meeting, actor=actor, summary=f"coordinator meeting of {meeting.held_on} recorded",
           session=session)
    return meeting


def update_meeting(session, meeting, data, *, actor, expected_version, today):
    _organiser(actor)
    check_version(meeting, expected_version, required=True)
    values = _meeting_values(session, data, today)
    meeting.held_on = values["held_on"]
    meeting.attendees = values["attendees"]
    meeting.invited_providers = values["invited_providers"]
    meeting.conclusions = values["conclusions"]
    meeting.plans = values["plans"]
    meeting.tasks = values["tasks"]
    meeting.updated_by_id = actor.id
    meeting.updated_at = now()  # moves the version even when only the links changed
    session.flush()
    record("update", meeting, actor=actor, summary=f"coordinator meeting {meeting.id} changed", session=session)
    return meeting


def may_read_meeting(user, meeting):
    """The organiser and the director read every meeting; a coordinator the
    ones they attended or own a task of."""
    role = getattr(user, "role", None)
    if role in (Role.SERVICES_ORGANISER, Role.DIRECTOR):
        return True
    return role == Role.COORDINATOR and (any(a.id == user.id for a in meeting.attendees)
                                         or any(t.owner_id == user.id for t in meeting.tasks))


def meetings_for(session, user):
    query = (select(CoordinatorMeeting).options(selectinload(CoordinatorMeeting.attendees),
                                                selectinload(CoordinatorMeeting.plans),
                                                selectinload(CoordinatorMeeting.tasks))
             .order_by(CoordinatorMeeting.held_on.desc(), CoordinatorMeeting.id.desc()))
    rows = session.scalars(query).all()
    return [meeting for meeting in rows if may_read_meeting(user, meeting)]


def last_meeting_day(session):
    return session.scalar(select(func.max(CoordinatorMeeting.held_on)))


# --- reminders ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reminder:
    text: str
    endpoint: str
    args: dict


def reminders_for(session, user, today):
    """What `user` is reminded of: the organiser, a half-year ended without a
    sent summary and a meeting due; anyone, their meeting tasks due within
    TASK_SOON_DAYS; a recipient, summaries not yet read."""
    from ..i18n import format_date_long

    role = getattr(user, "role", None)
    found = []
    if role == Role.SERVICES_ORGANISER:
        year, half = last_ended_half(today)
        summary = summary_of(session, year, half)
        if year >= FIRST_YEAR and (summary is None or not summary.is_sent):
            found.append(Reminder(
                _l("%(half)s %(year)s minęło, a jego podsumowanie planów nie zostało wysłane dyrektorowi "
                   "i organizatorowi społeczności lokalnej.", half=HALVES[half], year=year),
                "reports.duty_summary", {"year": year, "half": half}))
        last = last_meeting_day(session)
        if last is None:
            found.append(Reminder(_l("Nie zapisano jeszcze żadnego spotkania z koordynatorami (co najmniej raz "
                                     "na trzy miesiące)."), "reports.duty_meetings", {}))
        elif deadlines.add_months(last, MEETING_MONTHS) <= today:
            found.append(Reminder(
                _l("Od ostatniego spotkania z koordynatorami (%(day)s) minęły trzy miesiące: czas na następne.",
                   day=format_date_long(last)), "reports.duty_meetings", {}))
    if role is not None:
        soon = session.scalars(
            select(MeetingTask).where(MeetingTask.owner_id == user.id, MeetingTask.due_on >= today,
                                      MeetingTask.due_on <= today + timedelta(days=TASK_SOON_DAYS))
            .order_by(MeetingTask.due_on, MeetingTask.id)).all()
        for task in soon:
            found.append(Reminder(
                _l("Zadanie ze spotkania z koordynatorami, termin %(day)s: %(task)s",
                   day=format_date_long(task.due_on), task=task.description),
                "reports.duty_meeting", {"meeting_id": task.meeting_id}))
    if role in RECIPIENT_ROLES:
        unread = session.scalars(
            select(HalfYearSummary).join(SummaryReader, SummaryReader.summary_id == HalfYearSummary.id)
            .where(SummaryReader.user_id == user.id, SummaryReader.read_at.is_(None))
            .order_by(HalfYearSummary.year, HalfYearSummary.half)).all()
        for summary in unread:
            found.append(Reminder(
                _l("Podsumowanie planów za %(half)s %(year)s czeka na potwierdzenie zapoznania się.",
                   half=HALVES[summary.half], year=summary.year),
                "reports.duty_summary", {"year": summary.year, "half": summary.half}))
    return found
