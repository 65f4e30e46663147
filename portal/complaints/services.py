"""The operations on the register of complaints and requests.

Each takes an explicit session and actor, validates, changes, records the
audit trail (`audit.record`, object type "complaint": what was done and the
codes that changed, never a name, a contact or a text) and never commits.
Refusals are core.errors: DataError at the form field to blame,
VersionConflict when the page was stale, NotAllowed, Frozen once closed.

Imported as `complaints` (`from ..complaints import services as complaints`).
"""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from ..audit.services import record
from ..auth.models import Role, User
from ..catalogue.models import Provider, Service
from ..core import deadlines, numbering
from ..core.errors import DataError, Frozen, NotAllowed, check_version
from ..timeutil import local_now, now
from . import access
from .models import CHANNELS, KINDS, OUTCOMES, SUBJECTS, Complaint, ComplaintNumberCounter, FollowUpAction

OBJECT = "complaint"
TEXT_MAX = 10000
# What the audit trail may show of a change: codes and days, never names or texts.
PLAIN_FIELDS = ("kind", "channel", "received_on", "anonymous", "subject", "service_id", "provider_id",
                "staff_member_id")
PERSONAL_FIELDS = ("complainant_name", "complainant_contact", "description")


def _today():
    return local_now().date()


def _text(data, key, limit=None):
    value = data.get(key)
    value = value.strip() if isinstance(value, str) else value
    value = value or None
    if value is not None and limit is not None and len(value) > limit:
        raise DataError(key, _l("Wpisz najwyżej %(max)d znaków.", max=limit))
    return value


def _choice(data, key, allowed, message=None):
    value = data.get(key)
    if value not in allowed:
        raise DataError(key, message if message is not None else _l("Wybierz jedną z możliwości."))
    return value


def _audit(session, action, complaint, actor, summary, changes=None, reason=None):
    record(action, complaint, actor=actor, summary=summary, changes=changes, reason=reason,
           object_type=OBJECT, session=session)


def _editable(complaint):
    if complaint.status == "closed":
        raise Frozen(_l("Sprawa jest zamknięta: nie można jej już zmieniać."))


# --- registration -------------------------------------------------------------------------

def _registration(session, data, today):
    """The registration fields of `data`, checked, as column values."""
    kind = _choice(data, "kind", KINDS, _l("Wybierz: skarga czy wniosek."))
    channel = _choice(data, "channel", CHANNELS, _l("Wybierz, jak wpłynęła sprawa."))
    received_on = data.get("received_on")
    if not isinstance(received_on, date):
        raise DataError("received_on", _l("Podaj datę wpływu."))
    if received_on > today:
        raise DataError("received_on", _l("Data wpływu nie może być późniejsza niż dziś."))
    if received_on.year < 2000:
        raise DataError("received_on", _l("Sprawdź datę wpływu."))
    anonymous = bool(data.get("anonymous"))
    name = _text(data, "complainant_name", 200)
    contact = _text(data, "complainant_contact", 300)
    if anonymous:
        name = contact = None
    elif name is None:
        raise DataError("complainant_name", _l("Podaj, od kogo jest sprawa, albo zaznacz, że jest anonimowa."))
    subject = _choice(data, "subject", SUBJECTS, _l("Wybierz, czego dotyczy sprawa."))
    values = dict(kind=kind, channel=channel, received_on=received_on, anonymous=anonymous,
                  complainant_name=name, complainant_contact=contact, subject=subject,
                  service_id=None, provider_id=None, staff_member_id=None)
    if subject == "service":
        service = session.get(Service, data.get("service_id") or 0)
        if service is None:
            raise DataError("service_id", _l("Wybierz usługę, której dotyczy sprawa."))
        values["service_id"] = service.id
    elif subject == "provider":
        provider = session.get(Provider, data.get("provider_id") or 0)
        if provider is None:
            raise DataError("provider_id", _l("Wybierz realizatora, którego dotyczy sprawa."))
        values["provider_id"] = provider.id
    elif subject == "staff":
        member = session.get(User, data.get("staff_member_id") or 0)
        if member is None or member.role not in Role.STAFF:
            raise DataError("staff_member_id", _l("Wybierz pracownika, którego dotyczy sprawa."))
        values["staff_member_id"] = member.id
    description = _text(data, "description", TEXT_MAX)
    if description is None:
        raise DataError("description", _l("Opisz, czego dotyczy sprawa."))
    values["description"] = description
    return values


def register(session, data, *, actor, today=None):
    """A new complaint or request from plain values (kind, channel,
    received_on, anonymous, complainant_name, complainant_contact, subject,
    service_id / provider_id / staff_member_id, description). Numbered in the
    year it was received; due one month later (core/deadlines.py)."""
    today = today or _today()
    values = _registration(session, data, today)
    year = values["received_on"].year
    seq = numbering.take_number(session, ComplaintNumberCounter.__table__, year)
    complaint = Complaint(number_year=year, number_seq=seq, status="new",
                          due_on=deadlines.complaint_due(values["received_on"]),
                          created_by_id=getattr(actor, "id", None), updated_by_id=getattr(actor, "id", None),
                          **values)
    session.add(complaint)
    session.flush()
    _audit(session, "create", complaint, actor, f"complaint {complaint.number} registered",
           changes={key: [None, _plain(values[key])] for key in PLAIN_FIELDS})
    return complaint


def register_from_contact_form(session, data, *, today=None):
    """A complaint or a request sent through the public contact form ("Skarga
    lub wniosek"): channel "formularz na stronie", received today, unassigned
    (the director assigns it), about the service chosen on the form or else
    "other". Registered as a complaint: the director corrects the kind if the
    message turns out to be a request. `data`: name, phone, email, message,
    service_id."""
    contact = ", ".join(part for part in (data.get("phone"), data.get("email")) if part) or None
    return register(session, {
        "kind": "complaint", "channel": "web_form", "received_on": today or _today(), "anonymous": False,
        "complainant_name": data.get("name"), "complainant_contact": contact,
        "subject": "service" if data.get("service_id") else "other", "service_id": data.get("service_id"),
        "description": data.get("message"),
    }, actor=None, today=today)


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def update(session, complaint, data, *, actor, expected_version=None, today=None):
    """Correct what was registered; the due day follows a changed receipt day
    (an extension stays as it was granted)."""
    _editable(complaint)
    check_version(complaint, expected_version)
    values = _registration(session, data, today or _today())
    if (values["subject"] == "staff" and complaint.handler_id is not None
            and values["staff_member_id"] == complaint.handler_id):
        raise DataError("staff_member_id", _l("Sprawa nie może dotyczyć osoby, która ją prowadzi. "
                                              "Najpierw przydziel sprawę komuś innemu."))
    changes = {}
    for key, value in values.items():
        old = getattr(complaint, key)
        if old != value:
            changes[key] = [_plain(old), _plain(value)] if key in PLAIN_FIELDS else ["…", "…"]
            setattr(complaint, key, value)
    if "received_on" in changes:
        if complaint.received_on.year != complaint.number_year:
            raise DataError("received_on", _l("Data wpływu musi być w roku %(year)d, jak numer sprawy.",
                                              year=complaint.number_year))
        complaint.due_on = deadlines.complaint_due(complaint.received_on)
    complaint.updated_by_id = getattr(actor, "id", None)
    if changes:
        _audit(session, "update", complaint, actor, f"complaint {complaint.number} corrected", changes=changes)
    return complaint


# --- handling -------------------------------------------------------------------------------

def handlers(session, complaint=None):
    """Who a complaint may be assigned to: active staff of the register's
    roles, but never the person it is about. Polish order of names."""
    from ..text import polish_sort_key

    users = session.scalars(select(User).where(User.active.is_(True), User.role.in_(access.HANDLER_ROLES))).all()
    if complaint is not None and complaint.staff_member_id is not None:
        users = [u for u in users if u.id != complaint.staff_member_id]
    return sorted(users, key=lambda u: polish_sort_key(u.full_name))


def assign(session, complaint, handler_id, *, actor, expected_version=None):
    """The director gives the complaint to a handler (again: to another one)."""
    if getattr(actor, "role", None) != Role.DIRECTOR:
        raise NotAllowed()
    _editable(complaint)
    check_version(complaint, expected_version)
    handler = session.get(User, handler_id or 0)
    if handler is None or not handler.active or handler.role not in access.HANDLER_ROLES:
        raise DataError("handler_id", _l("Wybierz osobę z listy."))
    if complaint.staff_member_id == handler.id:
        raise DataError("handler_id", _l("Sprawy nie może prowadzić osoba, której dotyczy."))
    previous = complaint.handler_id
    complaint.handler_id = handler.id
    complaint.assigned_at = now()
    if complaint.status == "new":
        complaint.status = "assigned"
    complaint.updated_by_id = actor.id
    _audit(session, "assign", complaint, actor, f"complaint {complaint.number} assigned",
           changes={"handler_id": [previous, handler.id]})
    return complaint


def _worker(actor, complaint):
    if not access.can_work(actor, complaint):
        raise NotAllowed()


def extend(session, complaint, data, *, actor, expected_version=None):
    """A new due day, its reason and the day the person was told of it (KPA
    art. 36: an anonymous complaint has nobody to tell)."""
    _worker(actor, complaint)
    _editable(complaint)
    check_version(complaint, expected_version)
    if complaint.answered_on is not None:
        raise DataError("extended_until", _l("Odpowiedź jest już udzielona: termin nie wymaga przedłużenia."))
    until = data.get("extended_until")
    if not isinstance(until, date):
        raise DataError("extended_until", _l("Podaj nowy termin."))
    if until <= complaint.due:
        raise DataError("extended_until", _l("Nowy termin musi być późniejszy niż obecny (%(due)s).",
                                             due=complaint.due.strftime("%d.%m.%Y")))
    reason = _text(data, "extension_reason", 1000)
    if reason is None:
        raise DataError("extension_reason", _l("Podaj przyczynę przedłużenia."))
    notice_on = data.get("extension_notice_on")
    if not complaint.anonymous:
        if not isinstance(notice_on, date):
            raise DataError("extension_notice_on", _l("Podaj, kiedy zawiadomiono osobę o nowym terminie."))
        if notice_on < complaint.received_on or notice_on > _today():
            raise DataError("extension_notice_on", _l("Zawiadomienie musi być wysłane po wpływie sprawy "
                                                      "i nie później niż dziś."))
    else:
        notice_on = None
    previous = complaint.due
    complaint.extended_until = until
    complaint.extension_reason = reason
    complaint.extension_notice_on = notice_on
    complaint.updated_by_id = actor.id
    _audit(session, "extend", complaint, actor, f"complaint {complaint.number} deadline extended",
           changes={"due": [previous.isoformat(), until.isoformat()],
                    "extension_notice_on": [None, _plain(notice_on)]})
    return complaint


def answer(session, complaint, data, *, actor, expected_version=None, today=None):
    """The answer's text, its date and the outcome (zasadna / niezasadna /
    wycofana; for a request: uwzględniony / nieuwzględniony / wycofany).
    It can be corrected until the complaint is closed."""
    _worker(actor, complaint)
    _editable(complaint)
    check_version(complaint, expected_version)
    today = today or _today()
    outcome = _choice(data, "outcome", OUTCOMES, _l("Wybierz wynik sprawy."))
    text = _text(data, "answer_text", TEXT_MAX)
    if text is None and outcome != "withdrawn":
        raise DataError("answer_text", _l("Wpisz treść odpowiedzi."))
    answered_on = data.get("answered_on")
    if not isinstance(answered_on, date):
        raise DataError("answered_on", _l("Podaj datę odpowiedzi."))
    if answered_on < complaint.received_on or answered_on > today:
        raise DataError("answered_on", _l("Data odpowiedzi musi być między datą wpływu a dniem dzisiejszym."))
    before = {"outcome": complaint.outcome, "answered_on": _plain(complaint.answered_on)}
    complaint.answer_text = text
    complaint.answered_on = answered_on
    complaint.outcome = outcome
    complaint.status = "answered"
    complaint.updated_by_id = actor.id
    after = {"outcome": outcome, "answered_on": answered_on.isoformat()}
    _audit(session, "answer", complaint, actor, f"complaint {complaint.number} answered",
           changes={key: [before[key], after[key]] for key in after if before[key] != after[key]} or None)
    return complaint


def close(session, complaint, *, actor, expected_version=None):
    """The last step: nothing changes after it."""
    _worker(actor, complaint)
    _editable(complaint)
    check_version(complaint, expected_version)
    if complaint.outcome is None or complaint.answered_on is None:
        raise DataError("outcome", _l("Najpierw zapisz odpowiedź i wynik sprawy."))
    complaint.status = "closed"
    complaint.closed_at = now()
    complaint.closed_by_id = actor.id
    complaint.updated_by_id = actor.id
    _audit(session, "close", complaint, actor, f"complaint {complaint.number} closed",
           changes={"status": ["answered", "closed"]})
    return complaint


def add_action(session, complaint, data, *, actor):
    """A follow-up action: what is to be done and who is responsible."""
    _worker(actor, complaint)
    text = _text(data, "text", 1000)
    if text is None:
        raise DataError("text", _l("Opisz działanie."))
    responsible = session.get(User, data.get("responsible_id") or 0) if data.get("responsible_id") else None
    if data.get("responsible_id") and (responsible is None or not responsible.active):
        raise DataError("responsible_id", _l("Wybierz osobę z listy."))
    action = FollowUpAction(complaint=complaint, text=text, responsible_id=responsible.id if responsible else None,
                            created_by_id=actor.id)
    session.add(action)
    session.flush()
    _audit(session, "action_add", complaint, actor, f"complaint {complaint.number} follow-up action added",
           changes={"action_id": [None, action.id]})
    return action


def action_done(session, action, done_on, *, actor, today=None):
    complaint = action.complaint
    _worker(actor, complaint)
    if not isinstance(done_on, date) or done_on > (today or _today()) or done_on < complaint.received_on:
        raise DataError("done_on", _l("Podaj datę wykonania: nie wcześniejszą niż wpływ sprawy i nie późniejszą "
                                      "niż dziś."))
    previous = action.done_on
    action.done_on = done_on
    _audit(session, "action_done", complaint, actor, f"complaint {complaint.number} follow-up action done",
           changes={"action_id": [action.id, action.id], "done_on": [_plain(previous), done_on.isoformat()]})
    return action


def viewed(session, complaint, *, actor, action="view"):
    """A look at the complaint (its page, its letter): recorded like a change."""
    _audit(session, action, complaint, actor, f"complaint {complaint.number} {action}")


# --- lists and counts ---------------------------------------------------------------------------

STATES = ("open", "overdue", "due_soon", "answered", "closed", "all")
STATE_LABELS = {
    "open": _l("otwarte"),
    "overdue": _l("po terminie"),
    "due_soon": _l("termin w ciągu 7 dni"),
    "answered": _l("z odpowiedzią, do zamknięcia"),
    "closed": _l("zamknięte"),
    "all": _l("wszystkie"),
}


def _due():
    return func.coalesce(Complaint.extended_until, Complaint.due_on)


def _open():
    return Complaint.answered_on.is_(None) & (Complaint.status != "closed")


def listing(session, user, *, state="open", kind=None, today=None):
    """The complaints `user` may see, in one of STATES, most urgent first."""
    from sqlalchemy.orm import selectinload

    today = today or _today()
    query = select(Complaint).where(access.visible(user)).options(
        selectinload(Complaint.service), selectinload(Complaint.provider), selectinload(Complaint.handler))
    if kind in KINDS:
        query = query.where(Complaint.kind == kind)
    if state == "open":
        query = query.where(_open())
    elif state == "overdue":
        query = query.where(_open(), _due() < today)
    elif state == "due_soon":
        query = query.where(_open(), _due() >= today, _due() <= today + _days(deadlines.DUE_SOON_DAYS))
    elif state == "answered":
        query = query.where(Complaint.status == "answered")
    elif state == "closed":
        query = query.where(Complaint.status == "closed")
    query = query.order_by(case((_open(), 0), else_=1), _due(), Complaint.id)
    return session.scalars(query).all()


def _days(number):
    from datetime import timedelta

    return timedelta(days=number)


@dataclass
class Urgent:
    overdue: int = 0
    due_soon: int = 0
    open: int = 0


def urgent(session, user, today=None, *, mine=False):
    """How many open complaints `user` sees (`mine`: handles) are overdue,
    due within 7 days, open at all."""
    today = today or _today()
    due = _due()
    scope = access.visible(user) & (Complaint.handler_id == user.id) if mine else access.visible(user)
    row = session.execute(select(
        func.count(),
        func.count(case((due < today, 1))),
        func.count(case(((due >= today) & (due <= today + _days(deadlines.DUE_SOON_DAYS)), 1))),
    ).select_from(Complaint).where(scope, _open())).one()
    open_, overdue, due_soon = row
    return Urgent(overdue=overdue, due_soon=due_soon, open=open_)


@dataclass
class Counts:
    """The register's figures for a period (by the day received): numbers only, never a person."""

    received: int = 0
    by_kind: dict = field(default_factory=dict)
    by_outcome: dict = field(default_factory=dict)
    answered_on_time: int = 0
    answered_late: int = 0
    extended: int = 0
    overdue: int = 0  # still unanswered after the due day (as of `today`)
    open: int = 0


def counts(session, start, end, *, today=None, viewer=None):
    """The figures of the complaints and requests received from `start` to
    `end` (inclusive): how many, per kind, per outcome (None: not yet
    decided), answered on time or late (against the due day as extended),
    extended, overdue and open as of `today`. With `viewer`, only what that
    person may count (a complaint about them never is)."""
    today = today or _today()
    due = _due()
    query = select(Complaint.kind, Complaint.outcome,
                   func.count(),
                   func.count(case((Complaint.answered_on <= due, 1))),
                   func.count(case((Complaint.answered_on > due, 1))),
                   func.count(case((Complaint.extended_until.is_not(None), 1))),
                   func.count(case((_open() & (due < today), 1))),
                   func.count(case((_open(), 1)))) \
        .where(Complaint.received_on >= start, Complaint.received_on <= end) \
        .group_by(Complaint.kind, Complaint.outcome)
    if viewer is not None:
        query = query.where(access.visible(viewer))
    result = Counts(by_kind={kind: 0 for kind in KINDS}, by_outcome={outcome: 0 for outcome in (*OUTCOMES, None)})
    for kind, outcome, number, on_time, late, extended, overdue, still_open in session.execute(query):
        result.received += number
        result.by_kind[kind] = result.by_kind.get(kind, 0) + number
        result.by_outcome[outcome] = result.by_outcome.get(outcome, 0) + number
        result.answered_on_time += on_time
        result.answered_late += late
        result.extended += extended
        result.overdue += overdue
        result.open += still_open
    return result


def staff_choices(session):
    """Active staff, for "about a staff member" and "responsible": Polish order."""
    from ..text import polish_sort_key

    users = session.scalars(select(User).where(User.active.is_(True), User.role != Role.ADMIN)).all()
    return sorted(users, key=lambda u: polish_sort_key(u.full_name))


def catalogue_choices(session):
    """(services, providers) a complaint may name, in Polish order (archived ones too)."""
    from ..text import polish_order

    services = session.scalars(select(Service).order_by(polish_order(Service.name))).all()
    providers = session.scalars(select(Provider).order_by(polish_order(Provider.name))).all()
    return services, providers


__all__ = ["register", "register_from_contact_form", "update", "assign", "extend", "answer", "close", "add_action",
           "action_done", "viewed", "listing", "urgent", "counts", "Counts", "handlers", "staff_choices",
           "catalogue_choices"]
