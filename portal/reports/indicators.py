"""Indicators: each service's indicators with an actual value for a period,
against the target, and the centre-wide indicators (issue 14 §1).

Counting rules (tests/reports/test_indicators_figures.py holds each):

- A service's indicator is shown for a period when it has no year or its
  year is one of the period's years.
- Its actual value is computed from the delivery register when it is a
  count the portal knows — participants (distinct people on record who
  attended, received an entry or a consultation), hours, held sessions,
  units delivered in the service's unit — exactly as the service's use page
  counts them (portal/delivery/figures.py `usage`; read for every service at
  once by services_report.delivered, held equal to it by the tests); otherwise
  it is the value the services organiser entered for that very period with
  its evidence document (`IndicatorValue`), or none yet.
- How an indicator is measured is the organiser's choice
  (`IndicatorMeasure`); until chosen, `guess_measure` reads the indicator's
  name: people taking part ("liczba uczestników", "osób korzystających",
  "dzieci objętych") → participants, "godzin" → hours, "spotkań/zajęć/
  sesji" → held sessions, the service's own unit ("przejazdów") → units
  delivered; anything else (people reporting an improvement, who finished,
  who found a job) is entered.
- New users: people with their first service in the period — a resident
  whose earliest signed plan (version 0's signing, Warsaw day) or granted
  single service (its grant day, Warsaw) falls in the period; a case of the
  imported history whose earliest row falls in it. A cancelled grant does
  not count.
- New services: services added to the catalogue in the period (their
  creation, Warsaw day).
- Average satisfaction: the mean of every score (1–5) of the anonymous
  satisfaction surveys (portal/quality) answered in the period, with the
  number of answers.
- Each centre-wide indicator has a yearly target the services organiser
  sets (`CentreTarget`), shown for a period within that year.
"""
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, union_all

from ..audit.services import record
from ..catalogue.models import Indicator, Service
from ..core.errors import DataError
from ..plans.models import Plan, PlanVersion, ServiceGrant
from ..plans.scans import store_checked
from ..quality.models import SurveyAnswer, SurveyScore
from ..text import fold, polish_sort_key
from ..timeutil import WARSAW
from .history import HistoryRow
from .indicators_models import CentreTarget, IndicatorMeasure, IndicatorValue
from .services_report import delivered
from .tables import share

MEASURES = {
    "entered": _l("wpisywana z dokumentem potwierdzającym"),
    "participants": _l("uczestnicy — liczy portal"),
    "hours": _l("godziny — liczy portal"),
    "sessions": _l("odbyte zajęcia — liczy portal"),
    "units": _l("jednostki usługi — liczy portal"),
}
COMPUTED = ("participants", "hours", "sessions", "units")
# The most a value entered by hand may be (the column holds 12 digits, 2 after the point).
MAX_VALUE = Decimal("9999999999.99")


def instants(start, end):
    """The UTC instants of [start, end] in Warsaw days: from the first day's
    midnight to the midnight after the last day (exclusive)."""
    def midnight(day):
        return datetime.combine(day, time(0), tzinfo=WARSAW).astimezone(UTC)
    return midnight(start), midnight(end + timedelta(days=1))


# The catalogue's units (catalogue.models.UNITS) as the stems of their Polish
# words, folded: an indicator in the service's own unit counts its units. Not "osoba":
# people are participants only when the name says so.
UNIT_STEMS = {"hour": ("godz",), "meeting": ("spotka",), "month": ("mies",),
              "day": ("dni", "dzie"), "visit": ("wizyt",), "trip": ("przejazd",), "loan": ("wypozycz",),
              "package": ("pakiet",)}


# Folded stems of the words that say what an indicator counts.
PEOPLE = ("osob", "dzieci", "rodzic", "senior", "mieszkan", "uczestnik", "kobiet", "mezczyzn", "mlodziez")
TAKING_PART = ("uczestnik", "uczestnicz", "korzystaj", "objet")
OUTCOMES = ("deklar", "popraw", "ukoncz", "podjel", "zatrudn", "ankiet", "wolontariusz")
SESSIONS = ("spotkan", "zajec", "sesj", "warsztat")


def guess_measure(name, unit, service_unit=None):
    """How an indicator is measured when the organiser has not said: by what
    its name counts ("liczba <what> ..."). People taking part (participants,
    users, those covered) are participants, unless the name asks for an
    outcome (reporting an improvement, finishing, finding a job); hours are
    hours; meetings, classes, sessions are held sessions; the service's own
    unit (rides, loans) is its units; anything else is entered."""
    words = fold(name).replace(",", " ").split()
    counted = words[1] if len(words) > 1 and words[0] == "liczba" else (words[0] if words else "")
    if any(word.startswith(OUTCOMES) for word in words):
        return "entered"
    if counted.startswith(PEOPLE):
        return "participants" if any(word.startswith(TAKING_PART) for word in words) else "entered"
    if counted.startswith("godzin") or fold(unit).startswith("godz"):
        return "hours"
    if counted.startswith(SESSIONS):
        return "sessions"
    stems = UNIT_STEMS.get(service_unit, ())
    if stems and (counted.startswith(stems) or fold(unit).startswith(stems)):
        return "units"
    return "entered"


@dataclass
class IndicatorFigure:
    """One indicator of a service over a period."""

    indicator_id: int
    service_id: int
    service_name: str
    name: str
    unit: str
    target: int
    evidence: str | None  # the catalogue's evidence document
    year: int | None
    measure: str
    chosen: bool  # the organiser chose the measure (else guessed)
    actual: Decimal | None = None
    entered: IndicatorValue | None = None

    @property
    def computed(self):
        return self.measure in COMPUTED

    @property
    def measure_label(self):
        return MEASURES[self.measure]

    @property
    def percent(self):
        """The actual value as a whole percentage of the target (None without either)."""
        return None if self.actual is None else share(self.actual, self.target, 0)

    @property
    def attained(self):
        return self.actual is not None and self.actual >= self.target


def _value(use, measure):
    """A computed indicator's value from a service's ServiceYear (services_report.delivered)."""
    if use is None:
        return Decimal(0)
    return {"participants": Decimal(use.people), "hours": use.hours, "sessions": Decimal(use.sessions),
            "units": use.units}[measure]


def service_indicators(session, start, end):
    """Every service indicator for [start, end], in the services' Polish
    alphabetical order: [IndicatorFigure]."""
    years = range(start.year, end.year + 1)
    rows = session.execute(
        select(Indicator, Service.name, Service.unit, IndicatorMeasure.measure)
        .join(Service, Service.id == Indicator.service_id)
        .outerjoin(IndicatorMeasure, IndicatorMeasure.indicator_id == Indicator.id)
        .where(or_(Indicator.year.is_(None), Indicator.year.in_(list(years))))).all()
    entered = {value.indicator_id: value for value in session.scalars(
        select(IndicatorValue).where(IndicatorValue.period_start == start, IndicatorValue.period_end == end))}
    found = []
    for indicator, service_name, service_unit, measure in rows:
        chosen = measure is not None
        found.append(IndicatorFigure(
            indicator.id, indicator.service_id, service_name, indicator.name, indicator.unit,
            indicator.target_value, indicator.evidence, indicator.year,
            measure if chosen else guess_measure(indicator.name, indicator.unit, service_unit), chosen))
    # The delivery register is read once, grouped for every service (the report per service's reading).
    usages = delivered(session, start, end) if any(f.computed for f in found) else {}
    for figure in found:
        if figure.computed:
            figure.actual = _value(usages.get(figure.service_id), figure.measure)
        else:
            figure.entered = entered.get(figure.indicator_id)
            figure.actual = figure.entered.value if figure.entered else None
    found.sort(key=lambda f: (polish_sort_key(f.service_name), f.service_id, polish_sort_key(f.name),
                              f.indicator_id))
    return found


# --- centre-wide ----------------------------------------------------------------------------------

def new_users(session, start, end):
    """(residents, history cases) whose first service falls in [start, end]."""
    first_plan = (select(Plan.resident_id.label("who"), PlanVersion.signed_at.label("at"))
                  .join(PlanVersion, PlanVersion.plan_id == Plan.id)
                  .where(PlanVersion.number == 0, PlanVersion.signed_at.is_not(None)))
    first_grant = (select(ServiceGrant.resident_id, ServiceGrant.granted_at)
                   .where(ServiceGrant.status == "granted"))
    starts = union_all(first_plan, first_grant).subquery()
    firsts = select(starts.c.who, func.min(starts.c.at).label("first")).group_by(starts.c.who).subquery()
    begin, finish = instants(start, end)
    residents = session.scalar(select(func.count()).select_from(firsts)
                               .where(firsts.c.first >= begin, firsts.c.first < finish)) or 0
    cases = select(HistoryRow.case_ref, func.min(HistoryRow.day).label("first")).group_by(
        HistoryRow.case_ref).subquery()
    history = session.scalar(select(func.count()).select_from(cases)
                             .where(cases.c.first >= start, cases.c.first <= end)) or 0
    return residents, history


def new_services(session, start, end):
    """Services added to the catalogue in [start, end]."""
    begin, finish = instants(start, end)
    return session.scalar(select(func.count()).select_from(Service)
                          .where(Service.created_at >= begin, Service.created_at < finish)) or 0


def satisfaction(session, start, end):
    """(average score rounded to 0.01 or None, answers) of the surveys answered in [start, end]."""
    average, answers = session.execute(
        select(func.avg(SurveyScore.score), func.count(func.distinct(SurveyAnswer.id)))
        .join(SurveyAnswer, SurveyAnswer.id == SurveyScore.answer_id)
        .where(SurveyAnswer.answered_on.between(start, end))).one()
    if average is None:
        return None, 0
    return Decimal(str(average)).quantize(Decimal("0.01"), ROUND_HALF_UP), int(answers)


CENTRE = {
    "new_users": _l("Nowi użytkownicy usług"),
    "new_services": _l("Nowe usługi w katalogu"),
    "satisfaction": _l("Średnia ocena zadowolenia (1–5)"),
}


# The most a centre-wide target may be: a satisfaction target is a rating (1–5).
CENTRE_LIMITS = {"new_users": 1_000_000, "new_services": 10_000, "satisfaction": 5}


@dataclass
class CentreFigure:
    code: str
    value: Decimal | int | None
    detail: dict
    target: int | None = None  # the year's, when the period lies within one year

    @property
    def label(self):
        return CENTRE[self.code]

    @property
    def percent(self):
        return None if self.value is None else share(self.value, self.target, 0)


def centre_targets(session, year):
    """{code: target} of a year's centre-wide indicators."""
    return {code: int(target) for code, target in session.execute(
        select(CentreTarget.code, CentreTarget.target).where(CentreTarget.year == year))}


def centre_indicators(session, start, end):
    """The centre-wide indicators over [start, end], with the year's targets
    when the period lies within one year."""
    residents, history = new_users(session, start, end)
    average, answers = satisfaction(session, start, end)
    targets = centre_targets(session, start.year) if start.year == end.year else {}
    return [
        CentreFigure("new_users", residents + history, {"residents": residents, "history": history},
                     targets.get("new_users")),
        CentreFigure("new_services", new_services(session, start, end), {}, targets.get("new_services")),
        CentreFigure("satisfaction", average, {"answers": answers}, targets.get("satisfaction")),
    ]


def save_centre_target(session, code, year, target, *, actor):
    """Set (or with None, clear) a centre-wide indicator's target for a year.
    Raises DataError at "target"; never commits."""
    if code not in CENTRE:
        raise DataError("code", _l("Nie ma takiego wskaźnika centrum."))
    stored = session.get(CentreTarget, (code, year))
    if target is None:
        if stored is not None:
            session.delete(stored)
        return None
    if not 0 <= target <= CENTRE_LIMITS[code]:
        raise DataError("target", _l("Podaj wartość docelową od 0 do %(high)s.", high=CENTRE_LIMITS[code]))
    actor_id = actor.id
    if stored is None:
        stored = CentreTarget(code=code, year=year, target=Decimal(target), updated_by_id=actor_id)
        session.add(stored)
    stored.target, stored.updated_by_id = Decimal(target), actor_id
    session.flush()
    record("update", stored, actor=actor, summary="centre indicator target set", object_type="centre_indicator_target",
           changes={"code": code, "year": year, "target": target}, session=session)
    return stored


# --- what the organiser enters ------------------------------------------------------------------------

def attach_evidence(session, value, data, *, actor, directory):
    """Store the scan of an entered value's evidence document, checked and
    written anew (plans/scans.py); returns (stored name, replaced name or
    None). The caller removes the stored file if the transaction does not
    commit, and the replaced one when it does. DataError at "evidence_scan"."""
    stored, content_type, digest, _size = store_checked(directory, data, "evidence_scan")
    replaced = value.evidence_file
    value.evidence_file, value.evidence_type, value.evidence_sha256 = stored, content_type, digest
    record("indicator_evidence_attached", value, actor=actor, session=session,
           summary=f"scan of an indicator's evidence attached ({content_type}, sha256 {digest[:12]}…)")
    return stored, replaced


def save_value(session, indicator, start, end, data, *, actor):
    """Set how `indicator` is measured and, when entered, its value for
    [start, end] with the evidence. `data`: measure, value (Decimal or
    None), evidence, note. Raises DataError at the field; never commits."""
    measure = data.get("measure")
    if measure not in MEASURES:
        raise DataError("measure", _l("Wybierz, jak ustalana jest wartość wskaźnika."))
    value = data.get("value")
    evidence = (data.get("evidence") or "").strip()
    if measure == "entered":
        if value is None:
            raise DataError("value", _l("Podaj wartość wskaźnika za ten okres."))
        if value < 0 or value > MAX_VALUE:
            raise DataError("value", _l("Podaj wartość od 0 do 9 999 999 999,99."))
        if not evidence:
            raise DataError("evidence", _l("Podaj dokument potwierdzający wartość."))
    actor_id = actor.id
    current = session.get(IndicatorMeasure, indicator.id)
    if current is None:
        current = IndicatorMeasure(indicator_id=indicator.id, measure=measure, updated_by_id=actor_id)
        session.add(current)
    else:
        current.measure, current.updated_by_id = measure, actor_id
    if measure != "entered":
        session.flush()
        record("update", indicator, actor=actor, summary="indicator measure set",
                     changes={"measure": measure}, session=session)
        return current
    stored = session.scalar(select(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator.id, IndicatorValue.period_start == start,
        IndicatorValue.period_end == end))
    if stored is None:
        stored = IndicatorValue(indicator_id=indicator.id, period_start=start, period_end=end,
                                created_by_id=actor_id)
        session.add(stored)
    stored.value = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    stored.evidence = evidence[:300]
    stored.note = (data.get("note") or "").strip() or None
    stored.updated_by_id = actor_id
    session.flush()
    record("update", stored, actor=actor, summary="indicator value entered",
                 changes={"measure": measure, "period": f"{start.isoformat()}..{end.isoformat()}"}, session=session)
    return stored

