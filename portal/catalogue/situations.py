"""Life situations as residents see them: the published ones, each with the
services a resident can use (never an archived one, nor one whose period of
operation has ended, as in the search), and the signposts of the catalogue's
start page and of a search that found nothing.

A situation shows in public when it is published and holds at least one
such service: a link that leads to an empty page would be a dead end.
The pages that show situations follow the catalogue's data version, which
the organiser's changes move (portal/manage/situations.py).
"""
import weakref
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..text import fold, polish_sort_key
from . import closest
from .models import LifeSituation, Place, Service, life_situation_service
from .search import meaningful_words


def _visible(today):
    """The services a resident sees in the catalogue's lists."""
    return (Service.status != "archived", or_(Service.valid_to.is_(None), Service.valid_to >= today))


@dataclass(frozen=True)
class SituationLink:
    name: str
    slug: str
    description: str
    services: int  # how many services a resident sees there
    service_ids: tuple = ()


@dataclass
class Signposts:
    """Where the start page and an empty result send a person on."""

    situations: list = field(default_factory=list)  # SituationLink, nearest first on an empty result
    areas: list = field(default_factory=list)  # (code, name, services)
    areas_matched: bool = False  # the areas come near the query (else: the most-served ones)


def situation_links(session, today):
    """The published situations holding a visible service, in the organiser's order."""
    rows = session.execute(
        select(LifeSituation.id, LifeSituation.name, LifeSituation.slug, LifeSituation.description, Service.id)
        .join(life_situation_service, life_situation_service.c.life_situation_id == LifeSituation.id)
        .join(Service, Service.id == life_situation_service.c.service_id)
        .where(LifeSituation.published.is_(True), *_visible(today))
        .order_by(LifeSituation.position, LifeSituation.id)
    ).all()
    found = {}
    for situation_id, name, slug, description, service_id in rows:
        found.setdefault(situation_id, (name, slug, description, []))[3].append(service_id)
    return [SituationLink(name, slug, description or "", len(ids), tuple(ids))
            for name, slug, description, ids in found.values()]


def published_situation(session, slug):
    """The published situation at this address, or None."""
    return session.scalar(select(LifeSituation).where(LifeSituation.slug == (slug or "")[:140],
                                                      LifeSituation.published.is_(True)))


def situation_services(session, situation, today):
    """The situation's visible services, loaded for cards: active first, then
    in Polish alphabetical order (as the search lists equal matches)."""
    services = session.scalars(
        select(Service)
        .join(life_situation_service, life_situation_service.c.service_id == Service.id)
        .where(life_situation_service.c.life_situation_id == situation.id, *_visible(today))
        .options(selectinload(Service.provider), selectinload(Service.target_groups),
                 selectinload(Service.places).selectinload(Place.village),
                 selectinload(Service.schedule_rules), selectinload(Service.closures))
    ).all()
    return sorted(services, key=lambda s: (s.status != "active", polish_sort_key(s.name), s.id))


def start_signposts(session, today):
    return Signposts(situations=situation_links(session, today))


# The areas of the services a resident sees, for one search index and day,
# rebuilt when either changes (a few ms at 5,000 services). The index is held
# weakly: an index replaced after a catalogue change is not kept alive here.
_area_data = (None, None, None)


def _areas_of(index, today):
    """({service id: area codes}, {area code: services}) of the visible services."""
    global _area_data
    held, day, found = _area_data
    if held is None or held() is not index or day != today:
        doc_areas = {doc_id: doc.areas for doc_id, doc in index.docs.items()
                     if doc.valid_to is None or doc.valid_to >= today}
        counts = {}
        for areas in doc_areas.values():
            for code in areas:
                counts[code] = counts.get(code, 0) + 1
        found = (doc_areas, counts)
        _area_data = (weakref.ref(index), today, found)  # one assignment: threads see old or new
    return found


def no_result_signposts(session, index, query, today):
    """The closest areas and the situations (nearest first) for a search
    that found nothing, from this process's search index."""
    words = meaningful_words(query)
    doc_areas, area_counts = _areas_of(index, today)
    scores = closest.doc_scores(words, index.vocabulary, index.postings) if words else {}
    scores = {doc_id: score for doc_id, score in scores.items() if doc_id in doc_areas}
    names = index.lookups.get("areas", {})
    nearest = closest.closest_areas(scores, doc_areas, area_counts, order=tuple(names))
    links = situation_links(session, today)
    by_id = dict(enumerate(links))
    ranked = closest.rank_situations(
        [(i, link.service_ids) for i, link in by_id.items()], scores, words,
        {i: fold(f"{link.name} {link.description}") for i, link in by_id.items()})
    return Signposts(
        situations=[by_id[i] for i in ranked],
        areas=[(code, names.get(code, code), area_counts.get(code, 0)) for code in nearest.codes],
        areas_matched=nearest.matched,
    )
