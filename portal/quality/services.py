"""The quality of the services: surveys (answers and their aggregates),
quality standards (versions, approval, providers' acceptance) and on-site
checks of providers. Plain functions of an explicit session and actor that
validate, change, audit and never commit; they raise core.errors.

Imported as `quality` (`from . import services as quality`).

Anonymity of the surveys: an answer keeps no person, user, address or link
(models.py), and what the pages show of a service in a quarter waits for
MIN_ANSWERS answers: fewer, and a club of three could tell who wrote what.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, func, select, update

from ..audit.services import diff, record
from ..catalogue.models import Provider, Service
from ..core.deadlines import state_of
from ..core.errors import DataError, TransitionError, check_version
from ..timeutil import local_now, now
from .models import (
    CHANNELS,
    ProviderCheck,
    StandardAcceptance,
    StandardVersion,
    SurveyAnswer,
    SurveyQuestion,
    SurveyScore,
    SurveyToken,
)
from .surveys import hash_token

# The default questionnaire: plain Polish, answered 1 (very bad) to 5 (very
# good). Stored and snapshotted in Polish; pages translate them for reading.
DEFAULT_QUESTIONS = (
    "Czy usługa odpowiada na Pana/Pani potrzeby?",
    "Czy usługa jest dostępna w dogodnym terminie i miejscu?",
    "Jak ocenia Pan/Pani osoby, które prowadzą usługę?",
    "Czy poleciłby Pan/Poleciłaby Pani tę usługę innym?",
)
MAX_QUESTIONS = 8
QUESTION_MAX = 200
COMMENT_MAX = 2000
SCORES = (1, 2, 3, 4, 5)
# Below this many answers in a service's quarter, no figure and no comment is shown.
MIN_ANSWERS = 3
TEXT_MAX = 20000

LINK_OK = "ok"
LINK_USED = "used"
LINK_EXPIRED = "expired"
LINK_UNKNOWN = "unknown"


class LinkUsed(Exception):
    """The one-time link was used while this answer was being sent."""


# --- quarters ---------------------------------------------------------------------------

def quarter_of(day):
    return day.year, (day.month - 1) // 3 + 1


def quarter_range(year, quarter):
    """(first day, last day) of the quarter, both inclusive."""
    first = date(year, 3 * (quarter - 1) + 1, 1)
    last = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - timedelta(days=1)
    return first, last


# --- the questionnaire ------------------------------------------------------------------

def questions_of(session, service_id):
    """The texts a service asks, in order: its own, or the default ones."""
    own = session.scalars(select(SurveyQuestion.text).where(SurveyQuestion.service_id == service_id)
                          .order_by(SurveyQuestion.position)).all()
    return list(own) if own else list(DEFAULT_QUESTIONS)


def has_own_questions(session, service_id):
    return session.scalar(select(func.count()).select_from(SurveyQuestion)
                          .where(SurveyQuestion.service_id == service_id)) > 0


def set_questions(session, service, texts, *, actor):
    """Set the service's own questions (one text each, 1..MAX_QUESTIONS);
    none, or exactly the default ones, brings back the default questionnaire."""
    texts = [" ".join(t.split()) for t in texts if t and t.strip()]
    if len(texts) > MAX_QUESTIONS:
        raise DataError("questions", _l("Ankieta może mieć najwyżej %(max)s pytań.", max=MAX_QUESTIONS))
    if any(len(t) > QUESTION_MAX for t in texts):
        raise DataError("questions", _l("Pytanie może mieć najwyżej %(max)s znaków.", max=QUESTION_MAX))
    if len(set(texts)) != len(texts):
        raise DataError("questions", _l("Każde pytanie wpisz tylko raz."))
    before = questions_of(session, service.id)
    session.execute(delete(SurveyQuestion).where(SurveyQuestion.service_id == service.id))
    if texts and tuple(texts) != DEFAULT_QUESTIONS:
        session.add_all(SurveyQuestion(service_id=service.id, position=i, text=t) for i, t in enumerate(texts, 1))
    session.flush()
    after = texts or list(DEFAULT_QUESTIONS)
    if before != after:
        record("update", service, actor=actor, summary="survey questions changed",
               changes={"survey_questions": [before, after]}, session=session)


# --- answers ----------------------------------------------------------------------------

def _clean_answer(session, service_id, data):
    questions = questions_of(session, service_id)
    scores = data.get("scores") or {}
    kept = []
    for position, question in enumerate(questions, 1):
        score = scores.get(position)
        if score in (None, ""):
            continue
        if score not in SCORES:
            raise DataError(f"q{position}", _l("Wybierz ocenę od 1 do 5."))
        kept.append((position, question, score))
    comment = (data.get("comment") or "").strip() or None
    if comment and len(comment) > COMMENT_MAX:
        raise DataError("comment", _l("Wpisz najwyżej %(max)d znaków.", max=COMMENT_MAX))
    if not kept and not comment:
        raise DataError("q1", _l("Odpowiedz przynajmniej na jedno pytanie albo wpisz uwagi."))
    return kept, comment


def record_answer(session, service, data, *, channel, day, actor=None):
    """Store one questionnaire: data = {"scores": {position: 1..5 or None},
    "comment": text}. Anonymous: no person and no user is kept with it (the
    staff member who typed a paper answer neither)."""
    if channel not in CHANNELS:
        raise ValueError(channel)
    today = local_now().date()
    if day is None or day > today:
        raise DataError("answered_on", _l("Podaj dzień wypełnienia ankiety, nie późniejszy niż dziś."))
    if day < today - timedelta(days=366):
        raise DataError("answered_on", _l("Ankieta sprzed ponad roku — sprawdź datę."))
    kept, comment = _clean_answer(session, service.id, data)
    answer = SurveyAnswer(service_id=service.id, answered_on=day, channel=channel, comment=comment,
                          scores=[SurveyScore(position=p, question=q, score=s) for p, q, s in kept])
    session.add(answer)
    session.flush()
    return answer


def find_link(session, token, *, moment=None):
    """(SurveyToken or None, state): ok, used, expired or unknown."""
    if not token or len(token) > 64:
        return None, LINK_UNKNOWN
    link = session.scalar(select(SurveyToken).where(SurveyToken.token_hash == hash_token(token)))
    if link is None:
        return None, LINK_UNKNOWN
    if link.used_on is not None:
        return link, LINK_USED
    expires = link.expires_at
    moment = moment or now()
    if expires.tzinfo is None:
        moment = moment.replace(tzinfo=None)
    if expires <= moment:
        return link, LINK_EXPIRED
    return link, LINK_OK


def answer_by_link(session, link, data):
    """Use the one-time link for one answer. The link is marked used by a
    conditional UPDATE: of two answers sent at once, one gets it and the
    other raises LinkUsed (its transaction is rolled back by the caller)."""
    today = local_now().date()
    service = session.get(Service, link.service_id)
    kept = _clean_answer(session, service.id, data)  # refuse bad input before spending the link
    del kept
    claimed = session.execute(update(SurveyToken).where(SurveyToken.id == link.id, SurveyToken.used_on.is_(None))
                              .values(used_on=today).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise LinkUsed()
    return record_answer(session, service, data, channel="link", day=today)


# --- aggregates ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Figures:
    answers: int
    average: float | None   # mean of every score given
    high_share: float | None  # share of scores 4 or 5

    @property
    def hidden(self):
        return self.answers < MIN_ANSWERS


@dataclass(frozen=True)
class ServiceFigures:
    service_id: int
    service_name: str
    figures: Figures


@dataclass(frozen=True)
class QuestionFigures:
    question: str
    answers: int
    average: float | None
    high_share: float | None


def _figures(answers, scored, total, high):
    return Figures(answers or 0, (total / scored) if scored else None, (high / scored) if scored else None)


def _answer_counts(session, start, end, service_id=None):
    query = (select(SurveyAnswer.service_id, func.count(SurveyAnswer.id))
             .where(SurveyAnswer.answered_on >= start, SurveyAnswer.answered_on <= end)
             .group_by(SurveyAnswer.service_id))
    if service_id is not None:
        query = query.where(SurveyAnswer.service_id == service_id)
    return dict(session.execute(query).all())


def _score_sums(session, start, end, service_id=None):
    high = func.sum(case((SurveyScore.score >= 4, 1), else_=0))
    query = (select(SurveyAnswer.service_id, func.count(SurveyScore.id), func.sum(SurveyScore.score), high)
             .join(SurveyScore, SurveyScore.answer_id == SurveyAnswer.id)
             .where(SurveyAnswer.answered_on >= start, SurveyAnswer.answered_on <= end)
             .group_by(SurveyAnswer.service_id))
    if service_id is not None:
        query = query.where(SurveyAnswer.service_id == service_id)
    return {row[0]: row[1:] for row in session.execute(query).all()}


def service_figures(session, start, end):
    """Per service with an answer in [start, end] (days, inclusive): the
    count of answers, the mean score and the share of 4–5, by service name."""
    from ..text import polish_sort_key

    counts = _answer_counts(session, start, end)
    sums = _score_sums(session, start, end)
    names = dict(session.execute(select(Service.id, Service.name).where(Service.id.in_(counts))).all()) \
        if counts else {}
    rows = [ServiceFigures(service_id, names.get(service_id, ""),
                           _figures(count, *(sums.get(service_id) or (0, 0, 0))))
            for service_id, count in counts.items()]
    return sorted(rows, key=lambda row: polish_sort_key(row.service_name))


def question_figures(session, service_id, start, end):
    """Per question asked in [start, end]: answers, mean, share of 4–5."""
    high = func.sum(case((SurveyScore.score >= 4, 1), else_=0))
    rows = session.execute(
        select(SurveyScore.question, func.min(SurveyScore.position), func.count(SurveyScore.id),
               func.sum(SurveyScore.score), high)
        .join(SurveyAnswer, SurveyScore.answer_id == SurveyAnswer.id)
        .where(SurveyAnswer.service_id == service_id, SurveyAnswer.answered_on >= start,
               SurveyAnswer.answered_on <= end)
        .group_by(SurveyScore.question)).all()
    rows = sorted(rows, key=lambda row: (row[1], row[0]))
    return [QuestionFigures(question, count, total / count, high_count / count)
            for question, _position, count, total, high_count in rows]


def figures_of(session, service_id, start, end):
    count = _answer_counts(session, start, end, service_id).get(service_id, 0)
    return _figures(count, *(_score_sums(session, start, end, service_id).get(service_id) or (0, 0, 0)))


def comments(session, service_id, start, end):
    """The comments written in [start, end], without dates or channels (a
    comment alone is what the person chose to say); none while the service
    has fewer than MIN_ANSWERS answers in the period."""
    if figures_of(session, service_id, start, end).hidden:
        return []
    texts = session.scalars(select(SurveyAnswer.comment).where(
        SurveyAnswer.service_id == service_id, SurveyAnswer.answered_on >= start, SurveyAnswer.answered_on <= end,
        SurveyAnswer.comment.is_not(None)).order_by(SurveyAnswer.comment)).all()
    return list(texts)


@dataclass(frozen=True)
class SurveySummary:
    service_id: int
    service_name: str
    answers: int
    average: float | None  # the mean of every score given, 1–5


def survey_summary(session, start, end):
    """For the reports: per service with answers between `start` and `end`
    (dates, both inclusive), the number of answers and the mean score, in the
    Polish order of the service names. Every service is listed whatever its
    count: a report counts, the k-anonymity of the pages is about comments
    and per-question figures."""
    return [SurveySummary(row.service_id, row.service_name, row.figures.answers, row.figures.average)
            for row in service_figures(session, start, end)]


def open_link_counts(session, service_id, moment=None):
    """(issued and still usable, used) one-time links of a service."""
    moment = moment or now()
    usable = session.scalar(select(func.count()).select_from(SurveyToken).where(
        SurveyToken.service_id == service_id, SurveyToken.used_on.is_(None), SurveyToken.expires_at > moment))
    used = session.scalar(select(func.count()).select_from(SurveyToken).where(
        SurveyToken.service_id == service_id, SurveyToken.used_on.is_not(None)))
    return usable or 0, used or 0


# --- quality standards ------------------------------------------------------------------

def standard_versions(session, service_id):
    return session.scalars(select(StandardVersion).where(StandardVersion.service_id == service_id)
                           .order_by(StandardVersion.number.desc())).all()


def approved_standard(session, service_id):
    return session.scalar(select(StandardVersion).where(StandardVersion.service_id == service_id,
                                                        StandardVersion.status == "approved"))


def draft_standard(session, service_id):
    return session.scalar(select(StandardVersion).where(StandardVersion.service_id == service_id,
                                                        StandardVersion.status == "draft"))


def save_draft(session, service, text, *, actor, expected_version=None):
    """Create the service's next version as a draft, or change the draft
    there is; an approved version never changes."""
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise DataError("text", _l("Wpisz treść standardu."))
    if len(text) > TEXT_MAX:
        raise DataError("text", _l("Wpisz najwyżej %(max)d znaków.", max=TEXT_MAX))
    draft = draft_standard(session, service.id)
    if draft is None:
        last = session.scalar(select(func.max(StandardVersion.number))
                              .where(StandardVersion.service_id == service.id)) or 0
        draft = StandardVersion(service_id=service.id, number=last + 1, text=text, status="draft",
                                created_by_id=getattr(actor, "id", None), updated_by_id=getattr(actor, "id", None))
        session.add(draft)
        session.flush()
        record("create", draft, actor=actor, summary=f"quality standard version {draft.number} drafted",
               session=session)
        return draft
    check_version(draft, expected_version)
    if draft.text != text:
        draft.text = text
        draft.updated_by_id = getattr(actor, "id", None)
        session.flush()
        record("update", draft, actor=actor, summary=f"quality standard version {draft.number} changed",
               changes={"text": ["…", "…"]}, session=session)
    return draft


def approve_standard(session, standard, data, *, actor, expected_version=None):
    """The director's approval: the order's number and date; the version is
    frozen from now on and supersedes the one in force."""
    check_version(standard, expected_version)
    if standard.status != "draft":
        raise TransitionError(_l("Ta wersja jest już zatwierdzona."), from_status=standard.status,
                              to_status="approved")
    number = " ".join((data.get("order_number") or "").split())
    if not number:
        raise DataError("order_number", _l("Wpisz numer zarządzenia, np. „Zarządzenie Nr 4/2026”."))
    if len(number) > 80:
        raise DataError("order_number", _l("Wpisz najwyżej %(max)d znaków.", max=80))
    day = data.get("order_date")
    if day is None:
        raise DataError("order_date", _l("Podaj datę zarządzenia."))
    if day > local_now().date():
        raise DataError("order_date", _l("Data zarządzenia nie może być późniejsza niż dziś."))
    previous = approved_standard(session, standard.service_id)
    if previous is not None:
        previous.status = "superseded"
        record("supersede", previous, actor=actor, summary=f"superseded by version {standard.number}",
               session=session)
    standard.status = "approved"
    standard.order_number = number
    standard.order_date = day
    standard.approved_at = now()
    standard.approved_by_id = getattr(actor, "id", None)
    session.flush()
    record("approve", standard, actor=actor, summary=f"quality standard version {standard.number} approved",
           changes={"order_number": [None, number], "order_date": [None, day.isoformat()]}, session=session)
    return standard


def record_acceptance(session, standard, provider, accepted_on, *, actor):
    """The provider accepted the approved version of the standard on `accepted_on`."""
    if standard.status != "approved":
        raise TransitionError(_l("Przyjąć można tylko wersję zatwierdzoną, obowiązującą."))
    if accepted_on is None:
        raise DataError("accepted_on", _l("Podaj dzień przyjęcia standardu."))
    if accepted_on > local_now().date():
        raise DataError("accepted_on", _l("Dzień przyjęcia nie może być późniejszy niż dziś."))
    if standard.order_date and accepted_on < standard.order_date:
        raise DataError("accepted_on", _l("Standard przyjmuje się po jego zatwierdzeniu — sprawdź datę."))
    if any(a.provider_id == provider.id for a in standard.acceptances):
        raise DataError("accepted_on", _l("Przyjęcie tego standardu przez realizatora jest już zapisane."))
    acceptance = StandardAcceptance(standard=standard, provider_id=provider.id, accepted_on=accepted_on,
                                    recorded_by_id=getattr(actor, "id", None))
    session.add(acceptance)
    session.flush()
    record("accept", standard, actor=actor, summary=f"accepted by provider {provider.id}",
           changes={"accepted_on": [None, accepted_on.isoformat()]}, session=session)
    return acceptance


@dataclass(frozen=True)
class StandardRow:
    service: Service
    approved: StandardVersion | None
    draft: StandardVersion | None
    accepted: bool  # the service's provider accepted the version in force


@dataclass(frozen=True)
class AcceptanceShare:
    providers: int  # providers running a service with a standard in force
    accepted: int   # of them, those that accepted every such standard

    @property
    def share(self):
        return self.accepted / self.providers if self.providers else None


def standards_overview(session):
    """Every service with a standard (in force or drafted), and the share of
    providers that accepted the standards in force of their services."""
    from sqlalchemy.orm import selectinload

    from ..text import polish_sort_key

    versions = session.scalars(select(StandardVersion).where(StandardVersion.status.in_(("draft", "approved")))
                               .options(selectinload(StandardVersion.acceptances),
                                        selectinload(StandardVersion.service).selectinload(Service.provider))).all()
    by_service = {}
    for version in versions:
        slot = by_service.setdefault(version.service_id, {"service": version.service})
        slot[version.status] = version
    rows = []
    providers = {}
    for slot in by_service.values():
        service, approved = slot["service"], slot.get("approved")
        accepted = approved is not None and any(a.provider_id == service.provider_id for a in approved.acceptances)
        rows.append(StandardRow(service, approved, slot.get("draft"), accepted))
        if approved is not None and service.status != "archived":
            providers[service.provider_id] = providers.get(service.provider_id, True) and accepted
    rows.sort(key=lambda row: polish_sort_key(row.service.name))
    return rows, AcceptanceShare(len(providers), sum(providers.values()))


def waiting_standards(session):
    return session.scalar(select(func.count()).select_from(StandardVersion)
                          .where(StandardVersion.status == "draft")) or 0


# --- on-site checks -----------------------------------------------------------------------

CHECK_FIELDS = ("provider_id", "service_id", "checked_on", "inspectors", "scope", "findings", "recommendations",
                "follow_up_on", "follow_up_done_on", "answer", "answered_on")


def check_data(check):
    return {name: getattr(check, name) for name in CHECK_FIELDS}


def _validate_check(session, data):
    provider = session.get(Provider, data.get("provider_id")) if data.get("provider_id") else None
    if provider is None:
        raise DataError("provider_id", _l("Wybierz realizatora."))
    if data.get("service_id"):
        service = session.get(Service, data["service_id"])
        if service is None or service.provider_id != provider.id:
            raise DataError("service_id", _l("Ta usługa nie należy do wybranego realizatora."))
    today = local_now().date()
    checked = data.get("checked_on")
    if checked is None or checked > today:
        raise DataError("checked_on", _l("Podaj dzień kontroli, nie późniejszy niż dziś."))
    for name, message in (("inspectors", _l("Wpisz, kto przeprowadził kontrolę.")),
                          ("scope", _l("Wpisz zakres kontroli."))):
        if not (data.get(name) or "").strip():
            raise DataError(name, message)
    if data.get("follow_up_on") and data["follow_up_on"] < checked:
        raise DataError("follow_up_on", _l("Termin sprawdzenia zaleceń nie może być przed dniem kontroli."))
    if data.get("follow_up_done_on") and not data.get("follow_up_on"):
        raise DataError("follow_up_on", _l("Podaj termin sprawdzenia zaleceń."))
    for name in ("follow_up_done_on", "answered_on"):
        if data.get(name) and (data[name] > today or data[name] < checked):
            raise DataError(name, _l("Podaj dzień między dniem kontroli a dzisiejszym."))
    if data.get("answered_on") and not (data.get("answer") or "").strip():
        raise DataError("answer", _l("Wpisz odpowiedź realizatora albo usuń jej datę."))
    if (data.get("answer") or "").strip() and not data.get("answered_on"):
        raise DataError("answered_on", _l("Podaj dzień odpowiedzi realizatora."))


def create_check(session, data, *, actor):
    _validate_check(session, data)
    check = ProviderCheck(**{name: data.get(name) for name in CHECK_FIELDS},
                          created_by_id=getattr(actor, "id", None), updated_by_id=getattr(actor, "id", None))
    check.findings = check.findings or ""
    session.add(check)
    session.flush()
    record("create", check, actor=actor, summary=f"on-site check of provider {check.provider_id}", session=session)
    return check


def update_check(session, check, data, *, actor, expected_version=None):
    check_version(check, expected_version)
    _validate_check(session, data)
    before = check_data(check)
    for name in CHECK_FIELDS:
        setattr(check, name, data.get(name))
    check.findings = check.findings or ""
    check.updated_by_id = getattr(actor, "id", None)
    changes = diff({k: str(v) if v is not None else None for k, v in before.items()},
                   {k: str(v) if v is not None else None for k, v in check_data(check).items()})
    if changes:
        session.flush()
        # Field names only: the texts may name the provider's staff.
        record("update", check, actor=actor, summary="on-site check changed",
               changes={name: ["…", "…"] for name in changes}, session=session)
    return check


def check_conflicts(check, data):
    """(field, saved, yours) for the fields that differ from the saved check."""
    return [(name, getattr(check, name), data.get(name)) for name in CHECK_FIELDS
            if getattr(check, name) != data.get(name) and not (name == "findings" and not data.get(name)
                                                                 and not check.findings)]


def follow_up_state(check, today):
    """on_track / due_soon / overdue while a follow-up is due and not done; else None."""
    if check.follow_up_on is None or check.follow_up_done_on is not None:
        return None
    return state_of(check.follow_up_on, today)


def list_checks(session, *, state=None, today=None):
    from sqlalchemy.orm import selectinload

    today = today or local_now().date()
    checks = session.scalars(select(ProviderCheck).options(selectinload(ProviderCheck.provider),
                                                           selectinload(ProviderCheck.service))
                             .order_by(ProviderCheck.checked_on.desc(), ProviderCheck.id.desc())).all()
    if state:
        checks = [c for c in checks if follow_up_state(c, today) == state]
    return checks


def follow_up_counts(session, today):
    """{state: number of checks whose follow-up is in that state}."""
    open_checks = session.scalars(select(ProviderCheck).where(ProviderCheck.follow_up_on.is_not(None),
                                                              ProviderCheck.follow_up_done_on.is_(None))).all()
    counts = {"overdue": 0, "due_soon": 0, "on_track": 0}
    for check in open_checks:
        counts[follow_up_state(check, today)] += 1
    return counts


def record_view(check, *, actor, session):
    record("view", check, actor=actor, summary="on-site check opened", session=session)
