"""The reports per service: a year's (or any period's) figures per service,
and the monthly matrix of which service ran when.

Per service, in the period:
- people granted: distinct people with the service introduced by a signed
  plan version or granted alone (counting.py), plus the distinct case
  references of the imported history;
- people who used it, units delivered, sessions held and hours: the
  delivery register's rules (delivery/figures.py, `usage`), computed here for
  every service at once — grouped statements, never one service after
  another; tests/reports/test_reports_services.py holds them equal to
  `usage` service by service;
- people reporting an improvement: distinct people whose plan was closed
  (the summary conversation in the period) with the service's outcome
  "attained" or "partly attained", or who answered the closure survey's
  question on change ("did your situation improve?") with 4 or 5 for a
  plan that had the service (not cancelled);
- survey answers and the average satisfaction (1–5): the anonymous
  satisfaction surveys (quality.services.survey_summary).

What the delivery register gives (`delivered`, `ran_by_month`: a year's
hundreds of thousands of entries) is kept per process for the period and
the delivery data version (core/versions.py, DELIVERY: every change of the
register moves it in its own transaction), so a report read again while
nothing was delivered costs one primary-key read; the setting REPORTS_CACHE
(default: on, off under TESTING) turns it off or on.

Services are listed in Polish alphabetical order, each with what it is
counted in; a historical service name not in the catalogue is listed with
its people granted only. Counts only: no person, no case reference.
"""
import copy
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..casework.models import ClosureItem, PlanClosure
from ..catalogue.models import UNITS, Service
from ..core import versions
from ..delivery.figures import session_hours
from ..delivery.models import Attendance, Consultation, DeliveryEntry, GroupSession
from ..i18n import month_names
from ..plans.models import Plan
from ..quality.services import survey_summary
from ..text import polish_sort_key
from . import counting
from .tables import Column, Row, Table, rounded

CACHE_SIZE = 32  # periods kept per process, the least recently read dropped first
_cache = OrderedDict()
_cache_lock = threading.Lock()

IMPROVED_OUTCOMES = ("attained", "partly")
IMPROVED_SCORE = 4  # "raczej tak" or better on the closure survey's question on change


@dataclass
class ServiceYear:
    name: str
    unit: str | None = None
    granted: int = 0
    people: int = 0  # distinct people on record who received it
    units: Decimal = Decimal(0)
    sessions: int = 0
    hours: Decimal = Decimal(0)
    improved: int = 0
    answers: int = 0
    satisfaction: float | None = None
    months: dict = field(default_factory=dict)


def kept(name, session, key, compute):
    """compute(), or what it gave for the same key while the delivery data
    version has not moved (a copy: callers change what they get)."""
    app = current_app
    if not app.config.get("REPORTS_CACHE", not app.testing):
        return compute()
    version = versions.current(session, versions.DELIVERY)
    full = (name, app.config["SQLALCHEMY_DATABASE_URI"], version, key)
    with _cache_lock:
        found = _cache.get(full)
        if found is not None:
            _cache.move_to_end(full)
            return copy.deepcopy(found)
    result = compute()
    with _cache_lock:
        _cache[full] = copy.deepcopy(result)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def delivered(session, start, end):
    """The figures of the delivery register per service (`_delivered`),
    kept while the register does not change."""
    return kept("delivered", session, (start, end), lambda: _delivered(session, start, end))


def _delivered(session, start, end):
    """{service_id: ServiceYear} of what the delivery register holds in
    [start, end]: sessions held and their hours, units in the service's
    unit, distinct people on record. The rules of delivery.figures.usage,
    each source read in one pass grouped by service and person (a year's
    hundreds of thousands of entries come back as one row per person and
    service), the distinct people then joined across the sources here."""
    figures = defaultdict(lambda: ServiceYear(""))
    people = defaultdict(set)
    lengths = {}
    # Every service named: the entries' and consultations' (service, day)
    # indexes then serve the period service by service, from the index alone.
    units = dict(session.execute(select(Service.id, Service.unit)).all())
    held = (GroupSession.status == "held", GroupSession.held_on.between(start, end))
    for service_id, day, starts, ends, count in session.execute(
            select(GroupSession.service_id, GroupSession.held_on, GroupSession.starts, GroupSession.ends,
                   func.count())
            .where(*held)
            .group_by(GroupSession.service_id, GroupSession.held_on, GroupSession.starts, GroupSession.ends)):
        figures[service_id].sessions += count
        if (day, starts, ends) not in lengths:  # the same few times of day recur all year
            lengths[(day, starts, ends)] = session_hours(day, starts, ends)
        figures[service_id].hours += lengths[(day, starts, ends)] * count
    for service_id, resident_id, count in session.execute(
            select(GroupSession.service_id, Attendance.resident_id, func.count())
            .join(Attendance, Attendance.session_id == GroupSession.id)
            .where(*held).group_by(GroupSession.service_id, Attendance.resident_id)):
        figures[service_id].units += count
        people[service_id].add(resident_id)
    for service_id, resident_id, quantity in session.execute(
            select(DeliveryEntry.service_id, DeliveryEntry.resident_id, func.sum(DeliveryEntry.quantity))
            .where(DeliveryEntry.service_id.in_(list(units)), DeliveryEntry.delivered_on.between(start, end))
            .group_by(DeliveryEntry.service_id, DeliveryEntry.resident_id)):
        quantity = Decimal(quantity)
        figures[service_id].units += quantity
        if units.get(service_id) == "hour":
            figures[service_id].hours += quantity
        people[service_id].add(resident_id)
    for service_id, resident_id, count, minutes in session.execute(
            select(Consultation.service_id, Consultation.resident_id, func.count(), func.sum(Consultation.minutes))
            .where(Consultation.service_id.in_(list(units)), Consultation.given_on.between(start, end))
            .group_by(Consultation.service_id, Consultation.resident_id)):
        hours = Decimal(minutes) / 60
        figures[service_id].units += hours if units.get(service_id) == "hour" else Decimal(count)
        figures[service_id].hours += hours
        if resident_id is not None:
            people[service_id].add(resident_id)
    for service_id, who in people.items():
        figures[service_id].people = len(who)
    return figures


def improved(session, start, end):
    """{service_id: distinct people reporting an improvement} (see the module's docstring)."""
    closed = (PlanClosure.conversation_on.between(start, end),)
    reported = (select(ClosureItem.service_id, Plan.resident_id)
                .join(PlanClosure, PlanClosure.id == ClosureItem.closure_id)
                .join(Plan, Plan.id == PlanClosure.plan_id)
                .where(*closed, or_(ClosureItem.outcome.in_(IMPROVED_OUTCOMES),
                                    (PlanClosure.survey_change >= IMPROVED_SCORE)
                                    & (ClosureItem.outcome != "cancelled")))
                .distinct().subquery())
    return dict(session.execute(
        select(reported.c.service_id, func.count()).group_by(reported.c.service_id)).all())


def per_service(session, period):
    """[ServiceYear] in Polish order of the names, for every service with a figure in `period`."""
    start, end = period.start, period.end
    rows = delivered(session, start, end)
    granted, historical = counting.granted_by_service(session, period)
    for service_id, (_services, people) in granted.items():
        rows[service_id].granted = people
    for service_id, count in improved(session, start, end).items():
        rows[service_id].improved = count
    for summary in survey_summary(session, start, end):
        rows[summary.service_id].answers = summary.answers
        rows[summary.service_id].satisfaction = summary.average
    names = dict((service_id, (name, unit)) for service_id, name, unit in session.execute(
        select(Service.id, Service.name, Service.unit).where(Service.id.in_(list(rows)))))
    for service_id, row in rows.items():
        row.name, row.unit = names.get(service_id, ("", None))
    result = [row for row in rows.values() if row.name]
    for name, (_services, people) in historical.items():
        result.append(ServiceYear(name, granted=people))
    return sorted(result, key=lambda row: polish_sort_key(row.name))


def _labeller():
    """A row's label, "name (unit)": the pattern and the units' names translated once for the table."""
    pattern = _("%(service)s (%(unit)s)")
    units = {code: str(names[0]) for code, names in UNITS.items()}

    def label(row):
        return pattern % {"service": row.name, "unit": units[row.unit]} if row.unit in units else row.name

    return label


def services_table(session, period):
    rows = per_service(session, period)
    _label = _labeller()
    columns = [Column(_("Osoby, którym przyznano usługę")), Column(_("Osoby korzystające")),
               Column(_("Zrealizowane jednostki"), places=2, chart=False), Column(_("Zajęcia grupowe"), chart=False),
               Column(_("Godziny"), places=1, chart=False), Column(_("Osoby, które zgłosiły poprawę"), chart=False),
               Column(_("Odpowiedzi w ankietach"), chart=False),
               Column(_("Średnia ocena (1–5)"), places=2, chart=False)]
    return Table(
        key="uslugi", title=_("Usługi w okresie"), label_header=_("usługa (jednostka)"), columns=columns,
        rows=[Row(_label(row), [row.granted, row.people, rounded(row.units, 2), row.sessions, rounded(row.hours, 1),
                                row.improved, row.answers,
                                None if row.satisfaction is None else rounded(Decimal(str(row.satisfaction)), 2)])
              for row in rows],
        chart_title=_("Osoby, którym przyznano usługę, i osoby korzystające"),
        empty=_("W tym okresie żadna usługa nie była przyznana ani realizowana."),
        notes=[_("Osoby korzystające to różne osoby z rejestru obecne na zajęciach, z wpisem realizacji lub "
                 "konsultacją; uczestników bez danych (np. liczonych na wydarzeniu) się nie dolicza. "
                 "Zrealizowane jednostki liczone są w jednostce usługi podanej w nawiasie."),
               _("Poprawę zgłosiły osoby, których plan zamknięto w okresie z celem usługi osiągniętym lub "
                 "osiągniętym częściowo albo które w ankiecie przy zamknięciu odpowiedziały, że ich sytuacja się "
                 "poprawiła (ocena 4 lub 5). Średnia ocena pochodzi z anonimowych ankiet satysfakcji."),
               _("Przyznane usługi obejmują dane historyczne zaimportowane do portalu (różne sygnatury spraw to "
                 "różne osoby).")])


# --- the monthly matrix ---------------------------------------------------------------------------


def ran_by_month(session, period):
    """`_ran_by_month`, kept while the register does not change."""
    return kept("ran_by_month", session, (period.start, period.end), lambda: _ran_by_month(session, period))


def _ran_by_month(session, period):
    """{service_id: [count per month of the period]}: sessions held,
    delivery entries and consultations (each one delivery), per month.
    Counted per service and day in the database (at most one row per
    service and day, whatever the entries), put in months here."""
    months = period.months()
    counts = defaultdict(lambda: [0] * len(months))
    services = list(session.scalars(select(Service.id)))
    index_of = {}
    for index, month in enumerate(months):
        day = month.start
        while day <= month.end:
            index_of[day] = index
            day += timedelta(days=1)
    sources = (
        (GroupSession.service_id, GroupSession.held_on,
         (GroupSession.status == "held", GroupSession.held_on.between(period.start, period.end))),
        (DeliveryEntry.service_id, DeliveryEntry.delivered_on,
         (DeliveryEntry.service_id.in_(services), DeliveryEntry.delivered_on.between(period.start, period.end))),
        (Consultation.service_id, Consultation.given_on,
         (Consultation.service_id.in_(services), Consultation.given_on.between(period.start, period.end))),
    )
    for service, day, where in sources:
        for service_id, on, count in session.execute(
                select(service, day, func.count()).where(*where).group_by(service, day)):
            index = index_of.get(on)
            if index is not None:
                counts[service_id][index] += count
    return counts, months


def matrix_table(session, period):
    counts, months = ran_by_month(session, period)
    names = dict(session.execute(select(Service.id, Service.name).where(Service.id.in_(list(counts)))).all()) \
        if counts else {}
    ordered = sorted(counts, key=lambda service_id: polish_sort_key(names.get(service_id, "")))
    all_names = month_names()
    columns = [Column(all_names[month.start.month] if month.start.year == period.year
                      else f"{all_names[month.start.month]} {month.start.year}", chart=False) for month in months]
    columns.append(Column(_("razem")))
    rows = [Row(names.get(service_id, ""), [*counts[service_id], sum(counts[service_id])]) for service_id in ordered]
    totals = [sum(row.values[index] for row in rows) for index in range(len(columns))]
    return Table(
        key="miesiace", title=_("Usługi w miesiącach"), label_header=_("usługa"), columns=columns, rows=rows,
        totals=Row(_("razem"), totals) if rows else None,
        chart_title=_("Zajęcia i realizacje usług w okresie"),
        empty=_("W tym okresie nie odbyły się żadne zajęcia ani realizacje."),
        notes=[_("Liczba w komórce to zajęcia grupowe, które się odbyły, oraz wpisy realizacji i konsultacje "
                 "usługi w danym miesiącu; puste miesiące mają zero. Dane historyczne obejmują przyznane usługi, "
                 "nie realizacje, więc ta tabela ich nie zawiera.")])

