"""Operations on a plan after its approval: monitoring contacts and the closure.

Plain functions with an explicit session, actor and day (`today`, the Warsaw
calendar date); they never read the request or current_user and never
commit. Every rule the forms check is checked here again.

- A monitoring contact is recorded on a plan in force and signed ("active"):
  one entry per service of the version in force that the contact was about.
- Closing: only an approved or active plan with no update in the works; the
  closure is written once with an outcome for every service of the version
  in force; the plan becomes "closed" (frozen: no contact, no update, no
  second closure), its services stop holding capacity after the
  conversation day, and the request is closed through the desk's status
  flow (history and audit as for any status change).
"""
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..core import errors, signals
from ..core.errors import DataError, Frozen, NotAllowed, TransitionError, check_version
from ..desk import services as desk
from ..i18n import unit_quantity
from ..plans import access, capacity
from ..timeutil import now
from .models import CONTACT_KINDS, OUTCOMES, SURVEY_QUESTIONS, ClosureItem, MonitoringEntry, PlanClosure

TEXT_LIMITS = {"scope_delivered": 2000, "remarks": 2000, "course": 10000, "reasons": 5000, "effects": 5000,
               "survey_comment": 2000, "note": 1000}
MONITORED_PLAN_STATUSES = ("active",)
CLOSABLE_PLAN_STATUSES = ("approved", "active")


FROZEN_MESSAGE = _l("Plan jest zamknięty: nie można go już zmieniać ani dopisywać kontaktów.")


VersionConflict = errors.VersionConflict
# The conflict in the plan's words (the closure page shows it).
CONFLICT_MESSAGE = _l("Ktoś inny zmienił ten plan w międzyczasie. Sprawdź aktualny stan i spróbuj ponownie.")


def _text(value, key):
    if value is None:
        return None
    value = str(value).replace("\x00", "").strip()
    return value[: TEXT_LIMITS.get(key, 2000)] or None


def _day(value, field, message):
    if not hasattr(value, "toordinal") or hasattr(value, "hour"):
        raise DataError(field, message)
    return value


def _show(day):
    return day.strftime("%d.%m.%Y")


def _scale(value, field):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise DataError(field, _l("Wybierz ocenę od 1 do 5."))
    return value


def started_on(plan):
    """The first day anything of the plan can have happened: the day the
    original version was drawn up."""
    original = plan.original
    return original.drawn_up_on if original is not None else None


# --- monitoring ---------------------------------------------------------------------------------

def monitoring_problem(plan):
    """None when contacts can be recorded now, else the Polish reason."""
    if plan.status == "closed":
        return FROZEN_MESSAGE
    if plan.status not in MONITORED_PLAN_STATUSES or plan.version_in_force is None:
        return _l("Kontakty monitorujące zapisuje się, gdy plan jest podpisany i realizowany.")
    return None


def record_contact(session, plan, data, *, actor, today):
    """A contact with the person: `data` has contact_on, contact_kind and
    items — [{plan_item_id, scope_delivered, remarks, satisfaction}], rows
    left empty are skipped. Returns the new entries."""
    if not access.can_work_on(actor, plan):
        raise NotAllowed()
    if plan.status == "closed":
        raise Frozen(FROZEN_MESSAGE)
    problem = monitoring_problem(plan)
    if problem is not None:
        raise TransitionError(problem)
    contact_on = _day(data.get("contact_on"), "contact_on", _l("Podaj datę kontaktu."))
    if contact_on > today:
        raise DataError("contact_on", _l("Data kontaktu nie może być w przyszłości."))
    first = started_on(plan)
    if first is not None and contact_on < first:
        raise DataError("contact_on", _l("Kontakt nie może być wcześniejszy niż sporządzenie planu (%(day)s).",
                                         day=_show(first)))
    kind = data.get("contact_kind")
    if kind not in CONTACT_KINDS:
        raise DataError("contact_kind", _l("Wybierz rodzaj kontaktu."))
    items = {item.id: item for item in plan.version_in_force.items}
    entries = []
    for index, row in enumerate(data.get("items") or []):
        prefix = f"items-{index}-"
        scope, remarks = _text(row.get("scope_delivered"), "scope_delivered"), _text(row.get("remarks"), "remarks")
        satisfaction = _scale(row.get("satisfaction"), prefix + "satisfaction")
        if scope is None and remarks is None and satisfaction is None:
            continue
        item = items.get(row.get("plan_item_id"))
        if item is None:
            raise DataError(prefix + "scope_delivered", _l("Tej usługi nie ma w obowiązującej wersji planu."))
        if scope is None:
            raise DataError(prefix + "scope_delivered", _l("Wpisz, co zrealizowano w ramach tej usługi."))
        entries.append(MonitoringEntry(
            plan_id=plan.id, plan_item_id=item.id, service_id=item.service_id, contact_on=contact_on,
            contact_kind=kind, scope_delivered=scope, remarks=remarks, satisfaction=satisfaction,
            recorded_by_id=getattr(actor, "id", None), recorded_at=now()))
    if not entries:
        raise DataError("items-0-scope_delivered",
                        _l("Wpisz, co zrealizowano, przy co najmniej jednej usłudze."))
    session.add_all(entries)
    session.flush()
    # The log names what happened, never the free text (it may describe the person).
    record("update", plan, actor=actor,
           summary=f"plan {plan.number}: monitoring contact of {contact_on.isoformat()} recorded "
                   f"({len(entries)} services)",
           changes={"monitoring_entries": [None, [e.id for e in entries]], "contact_kind": [None, kind]})
    return entries


def entries_of(session, plan):
    """The plan's monitoring card, oldest contact first."""
    return session.scalars(
        select(MonitoringEntry).where(MonitoringEntry.plan_id == plan.id)
        .options(selectinload(MonitoringEntry.service), selectinload(MonitoringEntry.recorded_by))
        .order_by(MonitoringEntry.contact_on, MonitoringEntry.id)).all()


# --- closure -------------------------------------------------------------------------------------

def closure_of(session, plan):
    return session.scalar(
        select(PlanClosure).where(PlanClosure.plan_id == plan.id)
        .options(selectinload(PlanClosure.items).selectinload(ClosureItem.service),
                 selectinload(PlanClosure.closed_by)))


def closure_problem(plan):
    """None when the plan can be closed now, else the Polish reason."""
    if plan.status == "closed":
        return _l("Plan jest już zamknięty.")
    if plan.status not in CLOSABLE_PLAN_STATUSES or plan.version_in_force is None:
        return _l("Zamknąć można tylko plan zatwierdzony albo w realizacji.")
    if plan.working_version is not None:
        return _l("Trwa aktualizacja planu: najpierw ją zatwierdź albo anuluj, potem zamknij plan.")
    return None


def _describe_item(item):
    amount = unit_quantity(item.quantity, item.unit)
    line = f"{item.service.name}: {_show(item.period_from)}–{_show(item.period_to)}, {amount}".strip()
    if item.scope:
        line += f" — {item.scope}"
    return line


def closure_defaults(plan, today, entries=()):
    """What the closure form starts with: the period from the plan's start
    to today, the course listed from the services and the monitoring card,
    the reasons from the assessment, every service "attained" for its
    period up to today."""
    version = plan.version_in_force
    start = plan.original.valid_from if plan.original else version.valid_from
    end = min(today, version.valid_until)
    end = max(end, start)
    # Stored text that goes into the file: written in Polish, whoever is reading.
    with force_locale("pl"):
        lines = [_describe_item(item) for item in version.items]
        if entries:
            lines.append(str(_l("Kontakty monitorujące: %(count)d, ostatni %(day)s.",
                                count=len({e.contact_on for e in entries}),
                                day=_show(max(e.contact_on for e in entries)))))
    assessment = plan.assessment
    reasons = (getattr(assessment, "problems", None) or getattr(assessment, "needs", None)
               or (plan.request.needs_description if plan.request else None) or "")
    return {
        "conversation_on": today,
        "period_from": start,
        "period_to": end,
        "course": "\n".join(lines),
        "reasons": reasons,
        "effects": "",
        "items": [{"plan_item_id": item.id, "outcome": "attained", "period_from": max(item.period_from, start),
                   "period_to": max(min(item.period_to, end), item.period_from), "note": ""}
                  for item in version.items],
        "survey_declined": False,
        **{key: None for key in SURVEY_QUESTIONS},
        "survey_comment": "",
    }


def _check_version(plan, expected_version):
    check_version(plan, expected_version, message=CONFLICT_MESSAGE, current=None)


def _clean_closure(plan, data, today):
    first = started_on(plan)
    conversation_on = _day(data.get("conversation_on"), "conversation_on", _l("Podaj datę rozmowy podsumowującej."))
    if conversation_on > today:
        raise DataError("conversation_on", _l("Data rozmowy nie może być w przyszłości."))
    if first is not None and conversation_on < first:
        raise DataError("conversation_on", _l("Rozmowa nie może być wcześniejsza niż sporządzenie planu (%(day)s).",
                                              day=_show(first)))
    period_from = _day(data.get("period_from"), "period_from", _l("Podaj początek okresu wsparcia."))
    period_to = _day(data.get("period_to"), "period_to", _l("Podaj koniec okresu wsparcia."))
    if period_to < period_from:
        raise DataError("period_to", _l("Koniec okresu nie może być wcześniejszy niż jego początek."))
    if period_to > conversation_on:
        raise DataError("period_to", _l("Okres wsparcia kończy się najpóźniej w dniu rozmowy podsumowującej."))
    values = {"conversation_on": conversation_on, "period_from": period_from, "period_to": period_to}
    for key, message in (("course", _l("Opisz przebieg realizacji planu: usługi, ich okresy i zakres.")),
                         ("reasons", _l("Wpisz przyczyny, dla których osoba była objęta wsparciem.")),
                         ("effects", _l("Opisz efekty wsparcia."))):
        values[key] = _text(data.get(key), key)
        if not values[key]:
            raise DataError(key, message)

    items = {item.id: item for item in plan.version_in_force.items}
    rows = list(data.get("items") or [])
    seen, cleaned = set(), []
    for index, row in enumerate(rows):
        prefix = f"items-{index}-"
        item = items.get(row.get("plan_item_id"))
        if item is None or item.id in seen:
            raise DataError(prefix + "outcome", _l("Tej usługi nie ma w obowiązującej wersji planu."))
        seen.add(item.id)
        if row.get("outcome") not in OUTCOMES:
            raise DataError(prefix + "outcome", _l("Wybierz rezultat usługi."))
        start = _day(row.get("period_from"), prefix + "period_from", _l("Podaj, od kiedy usługa była realizowana."))
        end = _day(row.get("period_to"), prefix + "period_to", _l("Podaj, do kiedy usługa była realizowana."))
        if end < start:
            raise DataError(prefix + "period_to",
                            _l("Data zakończenia nie może być wcześniejsza niż data rozpoczęcia."))
        if end > conversation_on:
            raise DataError(prefix + "period_to", _l("Usługa nie może kończyć się po dniu rozmowy podsumowującej."))
        cleaned.append(ClosureItem(plan_item_id=item.id, service_id=item.service_id, position=len(cleaned),
                                   period_from=start, period_to=end, outcome=row["outcome"],
                                   note=_text(row.get("note"), "note")))
    if seen != set(items):
        raise DataError("items", _l("Podaj rezultat każdej usługi planu."))
    values["items"] = cleaned

    declined = bool(data.get("survey_declined"))
    answers = {key: None if declined else _scale(data.get(key), key) for key in SURVEY_QUESTIONS}
    comment = None if declined else _text(data.get("survey_comment"), "survey_comment")
    if not declined and all(v is None for v in answers.values()) and not comment:
        raise DataError("survey_needs", _l("Wpisz odpowiedzi ankiety albo zaznacz, że osoba odmówiła jej wypełnienia."))
    values.update(answers, survey_declined=declined, survey_comment=comment)
    return values


def close_plan(session, plan, data, *, actor, expected_version, today):
    """Close the plan with its written summary, outcomes and survey."""
    if not access.can_work_on(actor, plan):
        raise NotAllowed()
    _check_version(plan, expected_version)
    if plan.status == "closed":
        raise Frozen(_l("Plan jest już zamknięty."))
    problem = closure_problem(plan)
    if problem is not None:
        raise TransitionError(problem)
    values = _clean_closure(plan, data, today)
    items = values.pop("items")
    closure = PlanClosure(plan_id=plan.id, closed_by_id=getattr(actor, "id", None), closed_at=now(), **values)
    closure.items = items
    session.add(closure)
    before = plan.status
    plan.status = "closed"
    plan.closed_on = values["conversation_on"]
    plan.closed_at = closure.closed_at
    plan.updated_at = closure.closed_at
    session.flush()
    # From the day after the conversation the services no longer hold places.
    capacity.refresh_granted(session, {item.service_id for item in plan.version_in_force.items}, today)
    _close_request(session, plan, actor)
    record("update", plan, actor=actor, summary=f"plan {plan.number} closed",
           changes={"status": [before, "closed"], "closed_on": [None, plan.closed_on.isoformat()],
                    "outcomes": [None, [[i.service_id, i.outcome] for i in items]],
                    "survey_declined": [None, values["survey_declined"]]})
    signals.emit(session, signals.plan_closed, plan_id=plan.id, number=plan.number, actor_id=getattr(actor, "id", None))
    return closure


def _close_request(session, plan, actor):
    """The request ends with the plan: through the desk's status flow, so
    its history and the desk board show it."""
    request = plan.request
    if request is None:
        return
    note = f"IPUS {plan.number}" if plan.number else None
    # A plan approved before its request reached "handed_to_plan" (a request
    # changed by hand meanwhile) is walked through the flow.
    if request.status == "assigned":
        desk.change_status(session, request, "in_assessment", actor=actor, note=note)
    if request.status == "in_assessment":
        desk.change_status(session, request, "handed_to_plan", actor=actor, note=note)
    if request.status == "handed_to_plan":
        desk.change_status(session, request, "closed_plan", actor=actor, note=note, automatic=True)
