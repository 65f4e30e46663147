"""Catalogue use (issue 14 §1, the community part): the most searched words,
searches that found nothing, and what shows which services people want.
No personal data: the search statistics keep counts per folded text and
day only (catalogue/statistics.py), and the register's names never show
(catalogue/services.py `visible_texts`).

Counting rules (tests/reports/test_catalogue_use.py holds each):

- A text's searches are the sum of its daily counts on the period's days;
  its misses those of them that found nothing. The most searched come
  first (then the text, in Polish alphabetical order); a text the rule
  refuses today is left out.
- Searches with no result: the texts with at least one miss in the period,
  the most missed first — handled or not (the organiser's list of misses to
  deal with is the catalogue's statistics page; this is the period's record).
- The portal does not count views of a service's page. What it knows of
  the services people want is the services named in requests at the desk:
  each request received in the period counts once for each service it
  names (`requested_services`).
- The search statistics are kept twelve months: an earlier period shows
  nothing of searches.
"""
from dataclasses import dataclass

from sqlalchemy import func, select

from ..catalogue.models import SearchCount, Service
from ..catalogue.services import visible_texts
from ..desk.models import Request, request_service
from ..text import polish_sort_key
from .indicators import instants

LIMIT = 20


@dataclass
class TextCount:
    text: str
    searches: int
    misses: int


@dataclass
class ServiceCount:
    service_id: int
    name: str
    requests: int


@dataclass
class CatalogueUse:
    start: object
    end: object
    searches: int
    misses: int
    texts: int
    most_searched: list  # [TextCount]
    no_result: list  # [TextCount]
    requested: list  # [ServiceCount]


def _texts(session, start, end, *, missed):
    searches, misses = func.sum(SearchCount.searches), func.sum(SearchCount.misses)
    query = (select(SearchCount.query, searches, misses).where(SearchCount.day.between(start, end))
             .group_by(SearchCount.query))
    if missed:
        query = query.where(SearchCount.misses > 0).order_by(misses.desc(), searches.desc())
    else:
        query = query.order_by(searches.desc(), misses.desc())
    rows = session.execute(query.limit(LIMIT * 3)).all()
    shown = visible_texts(session, [row[0] for row in rows])
    found = [TextCount(text, int(s), int(m)) for text, s, m in rows if text in shown]
    key = (lambda t: (-t.misses, -t.searches, polish_sort_key(t.text))) if missed else (
        lambda t: (-t.searches, -t.misses, polish_sort_key(t.text)))
    return sorted(found, key=key)[:LIMIT]


def requested_services(session, start, end, limit=LIMIT):
    """The services most often named in requests received in [start, end]."""
    begin, finish = instants(start, end)
    count = func.count()
    rows = session.execute(
        select(Service.id, Service.name, count)
        .select_from(request_service)
        .join(Request, Request.id == request_service.c.request_id)
        .join(Service, Service.id == request_service.c.service_id)
        .where(Request.received_at >= begin, Request.received_at < finish)
        .group_by(Service.id, Service.name).order_by(count.desc()).limit(limit * 3)).all()
    found = [ServiceCount(service_id, name, int(n)) for service_id, name, n in rows]
    return sorted(found, key=lambda s: (-s.requests, polish_sort_key(s.name), s.service_id))[:limit]


def catalogue_use(session, start, end):
    searches, misses, texts = session.execute(
        select(func.coalesce(func.sum(SearchCount.searches), 0), func.coalesce(func.sum(SearchCount.misses), 0),
               func.count(func.distinct(SearchCount.query)))
        .where(SearchCount.day.between(start, end))).one()
    return CatalogueUse(start, end, int(searches), int(misses), int(texts),
                        most_searched=_texts(session, start, end, missed=False),
                        no_result=_texts(session, start, end, missed=True),
                        requested=requested_services(session, start, end))
