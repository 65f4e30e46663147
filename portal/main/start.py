"""Each role's start page: the counts of its own work, each with the link
that lists what it counts. A role sees no figure from another role's area
(the organisers no request or person counts, the front desk no plans).

Plain functions of an explicit session, user and moment, so tests call them
without a request."""
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..auth.models import Role, User
from ..timeutil import now, to_local


@dataclass
class Figure:
    label: str
    count: int
    endpoint: str | None = None
    args: dict = field(default_factory=dict)
    alert: bool = False  # something to act on: shown highlighted while above zero


@dataclass
class Section:
    key: str
    title: str
    figures: list


def _desk_section(session):
    from ..desk.stats import desk_counts

    counts = desk_counts(session)
    figures = [Figure(label, count, "desk.board", {"status": code}) for code, label, count in counts["by_status"]]
    figures += [Figure(_l("Otwarte wnioski o usługi"), counts["open_applications"]),
                Figure(_l("Otwarte pytania o informację"), counts["open_information"]),
                Figure(_l("Osoby w rejestrze"), counts["residents"], "residents.index")]
    return Section("requests", _l("Zgłoszenia w liczbach"), figures)


def _cases_section(session, today, *, coordinator_id=None):
    from ..casework.desk import DeskFilters, desk

    own = coordinator_id is not None
    result = desk(session, filters=DeskFilters(coordinator_id=coordinator_id, own=own), today=today)
    endpoint = "casework.mine" if own else "casework.overview"
    counts = result.counts
    return Section("cases", _l("Moje sprawy") if own else _l("Terminy w sprawach"), [
        Figure(_l("Po terminie"), counts.overdue, endpoint, {"state": "overdue"}, alert=True),
        Figure(_l("Termin w ciągu 7 dni"), counts.due_soon, endpoint, {"state": "due_soon"}),
        Figure(_l("W terminie"), counts.on_track, endpoint, {"state": "on_track"}),
        Figure(_l("Otwarte sprawy razem"), counts.total, endpoint),
    ])


def _approvals_section(session):
    from ..plans.models import PlanVersion

    waiting = session.scalar(select(func.count()).select_from(PlanVersion).where(PlanVersion.status == "submitted"))
    return Section("approvals", _l("Plany do zatwierdzenia"), [
        Figure(_l("Czekają na zatwierdzenie"), waiting or 0, "plans.approvals", alert=True)])


def _catalogue_section(session, today):
    from ..catalogue import statistics
    from ..catalogue.models import Provider, Service
    from ..plans.models import WaitingListEntry
    from ..proposals import services as proposals

    by_status = dict(session.execute(select(Service.status, func.count()).group_by(Service.status)).all())
    full = session.scalar(select(func.count()).select_from(Service).where(
        Service.status == "active", Service.capacity_maximum.is_not(None),
        Service.capacity_granted >= Service.capacity_maximum))
    providers = session.scalar(select(func.count()).select_from(Provider).where(Provider.status == "active"))
    waiting = session.scalar(select(func.count()).select_from(WaitingListEntry)
                             .where(WaitingListEntry.status == "waiting"))
    # Texts that found nothing in the last 30 days and wait for a synonym.
    misses = statistics.open_misses(session, statistics.since_day(now(), "30d"))
    return Section("catalogue", _l("Stan katalogu"), [
        Figure(_l("Usługi działające"), by_status.get("active", 0), "manage.services", {"status": "active"}),
        Figure(_l("Usługi zawieszone"), by_status.get("suspended", 0), "manage.services", {"status": "suspended"}),
        Figure(_l("Usługi zarchiwizowane"), by_status.get("archived", 0), "manage.services", {"status": "archived"}),
        Figure(_l("Usługi bez wolnych miejsc"), full or 0, "manage.services", alert=True),
        Figure(_l("Realizatorzy aktywni"), providers or 0, "manage.providers", {"status": "active"}),
        Figure(_l("Propozycje realizatorów do decyzji"), proposals.waiting_count(session) or 0, "proposals.queue",
               alert=True),
        Figure(_l("Osoby na listach oczekujących"), waiting or 0, "plans.waiting"),
        Figure(_l("Wyszukiwania nietrafione (30 dni)"), misses or 0, "manage.search_statistics"),
    ])


def _events_section(session, moment):
    from ..events import services as events
    from ..events.models import Event

    start = to_local(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    coming = [o for o in events.occurrences(session, start, start + timedelta(days=14)) if not o.cancelled]
    today = [o for o in coming if o.start < start + timedelta(days=1)]
    drafts = session.scalar(select(func.count()).select_from(Event).where(Event.status == "draft"))
    notices = events.active_notices(session, moment)
    return Section("events", _l("Wydarzenia i komunikaty"), [
        Figure(_l("Wydarzenia dziś"), len(today), "events.manage"),
        Figure(_l("Wydarzenia w najbliższych 14 dniach"), len(coming), "events.manage"),
        Figure(_l("Szkice do opublikowania"), drafts or 0, "events.manage"),
        Figure(_l("Komunikaty pilne teraz"), len(notices), "events.notices"),
    ])


def _screens_section(session, moment):
    from sqlalchemy.orm import selectinload

    from kiosk.models import Screen
    from kiosk.services import status_of

    screens = session.scalars(select(Screen).options(selectinload(Screen.heartbeat))).all()
    states = [status_of(s, s.heartbeat, moment) for s in screens]
    return Section("screens", _l("Ekrany informacyjne"), [
        Figure(_l("Działają"), states.count("online"), "kiosk.health"),
        Figure(_l("Bez połączenia lub spóźnione"), states.count("offline") + states.count("stale"), "kiosk.health",
               alert=True),
        Figure(_l("Śpią (poza godzinami)"), states.count("sleeping"), "kiosk.health"),
    ])


def _quality_section(session, today):
    from ..quality import services as quality

    follow_ups = quality.follow_up_counts(session, today)
    return Section("quality", _l("Jakość usług"), [
        Figure(_l("Zalecenia kontroli do sprawdzenia po terminie"), follow_ups["overdue"], "quality.checks",
               {"state": "overdue"}, alert=True),
        Figure(_l("Zalecenia kontroli do sprawdzenia w ciągu 7 dni"), follow_ups["due_soon"], "quality.checks",
               {"state": "due_soon"}),
        Figure(_l("Projekty standardów do zatwierdzenia"), quality.waiting_standards(session), "quality.standards"),
    ])


def _applications_section(session):
    """Organisations' applications to become providers (issue 15 §1) that wait for the organiser."""
    from ..applications import services as applications

    counts = applications.counts(session)
    return Section("applications", _l("Zgłoszenia realizatorów"), [
        Figure(_l("Czekają na rozpatrzenie"), counts["waiting"], "applications.index", {"state": "waiting"},
               alert=True),
        Figure(_l("Czekają na uzupełnienie przez organizację"), counts["more_info"], "applications.index",
               {"state": "more_info"}),
    ])


def _accounts_section(session):
    by_state = dict(session.execute(select(User.active, func.count()).group_by(User.active)).all())
    return Section("accounts", _l("Konta pracowników"), [
        Figure(_l("Konta aktywne"), by_state.get(True, 0), "accounts.index"),
        Figure(_l("Konta wyłączone"), by_state.get(False, 0), "accounts.index"),
    ])


def _complaints_section(session, user, today, *, always):
    """The complaints and requests `user` sees that wait for an answer: the
    director's all (but any about them), a handler's own; shown to a handler
    only while they have one."""
    from ..complaints import services as complaints

    urgent = complaints.urgent(session, user, today, mine=not always)
    if not always and not urgent.open:
        return None
    return Section("complaints", _l("Skargi i wnioski") if always else _l("Moje skargi i wnioski"), [
        Figure(_l("Po terminie"), urgent.overdue, "complaints.index", {"state": "overdue"}, alert=True),
        Figure(_l("Termin w ciągu 7 dni"), urgent.due_soon, "complaints.index", {"state": "due_soon"}, alert=True),
        Figure(_l("Czekają na odpowiedź"), urgent.open, "complaints.index", {"state": "open"}),
    ])


def _provider_section(session, user, today):
    """A provider account's own organisation only (portal/providers/start.py)."""
    from ..providers import start as provider_start

    return Section("provider", _l("Moja organizacja"), [
        Figure(label, count, endpoint, alert=alert)
        for label, count, endpoint, alert in provider_start.figures(session, user, today)])


def start_notices(session, user, moment=None):
    """The reminders at the top of `user`'s start page: every answer of the
    core hook `start_notices` (the reports answer it; main never imports
    them), each {"text", "endpoint", "args"}."""
    from ..core import hooks

    today = to_local(moment or now()).date()
    return [notice for answer in hooks.start_notices.call(session, user, today) for notice in (answer or [])]


def start_sections(session, user, moment=None):
    """The sections of `user`'s start page, in the order shown."""
    sections = _role_sections(session, user, moment or now())
    complaints = _complaints_section(session, user, to_local(moment or now()).date(),
                                     always=user.role == Role.DIRECTOR)
    return sections + ([complaints] if complaints is not None else [])


def _role_sections(session, user, moment):
    from ..plans import access as plan_access

    today = to_local(moment).date()
    role = user.role
    if role == Role.FRONT_DESK:
        return [_desk_section(session)]
    if role == Role.COORDINATOR:
        return [_cases_section(session, today, coordinator_id=user.id)]
    if role == Role.DIRECTOR:
        return [_approvals_section(session), _cases_section(session, today), _quality_section(session, today)]
    if role == Role.SERVICES_ORGANISER:
        sections = [_catalogue_section(session, today), _applications_section(session),
                    _quality_section(session, today)]
        if plan_access.active_delegation(user, today, session) is not None:
            sections.insert(0, _approvals_section(session))
        return sections
    if role == Role.COMMUNITY_ORGANISER:
        return [_events_section(session, moment), _screens_section(session, moment)]
    if role == Role.ADMIN:
        return [_accounts_section(session)]
    if role == Role.PROVIDER:
        return [_provider_section(session, user, today)]
    return []
