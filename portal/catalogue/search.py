"""Polish-aware catalogue search.

Text is folded (lower case, no diacritics, ł → l: ł has no Unicode
decomposition), split into words, and each query word matches catalogue words
exactly, as a prefix ("rehab"), by a shared stem for inflection ("seniorów" ~
"seniora"), or with one typo in a longer word ("rehabiltacja"). Every word of
the query must match somewhere; name matches rank first.

The index lives in each process's memory and is rebuilt when the catalogue's
data version moves (portal/core/versions.py), so a search costs one tiny query plus the page's rows, and
it works the same on SQLite and PostgreSQL.
"""
import gc
import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core import versions
from ..core.pagination import Page
from ..fragments import RegionCache
from ..text import fold, polish_sort_key  # noqa: F401  (re-exported: the rules live in portal/text.py)
from . import schedule as sched
from .models import Area, Place, Service, SynonymGroup, TargetGroup, Village

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8

# Polish function words that would otherwise have to match ("klub dla seniorów").
STOPWORDS = frozenset(
    "a aby albo ale bez by czy dla do i ich im jak jest lub na nad o od oraz po pod przez przy "
    "sie sa ta te to u w we z za ze".split()
)

FIELD_WEIGHTS = {
    "name": 100.0,
    # Staff wrote them for exactly the words residents type, so a keyword
    # outranks the broad fields (a target group or a village matches dozens
    # of services); below the name, so the service called so comes first.
    "keywords": 40.0,
    "target_group": 12.0,
    "provider": 10.0,
    "place": 10.0,
    "area": 8.0,
    "description": 3.0,
}
# How well a catalogue word matches a query word.
EXACT, PREFIX, STEM, TYPO, TYPO_PREFIX = 1.0, 0.85, 0.7, 0.6, 0.5


def words(text):
    return fold(text).split()


def meaningful_words(text):
    """The words a query is matched by: function words dropped unless
    nothing else is left. Synonym phrases go through the same."""
    found = words(text)[: MAX_QUERY_WORDS * 2]
    kept = [w for w in found if w not in STOPWORDS] or found
    return kept[:MAX_QUERY_WORDS]


def clean_query(raw):
    """Bound the length and drop control characters before anything else."""
    raw = (raw or "")[: MAX_QUERY_LENGTH * 2]
    raw = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


@dataclass
class Doc:
    """What the search needs to know about one service."""

    id: int
    name: str
    sort_key: str
    status: str
    free: bool
    at_home: bool
    provider_type: str
    valid_to: date | None
    areas: frozenset
    groups: frozenset
    villages: frozenset
    accessibility: frozenset
    schedule: sched.Schedule
    folded_name: str
    # What a result card shows, so a results page needs no further queries.
    slug: str = ""
    provider_name: str = ""
    place_names: tuple = ()
    fee_amount: object = None
    unit: str = ""
    group_names: tuple = ()
    schedule_description: str | None = None


@dataclass
class Index:
    version: int
    docs: dict
    postings: dict  # word -> {doc_id: best field weight}
    vocabulary: list  # sorted words
    prefixes: dict  # length -> (sorted unique prefixes, {prefix: [words]})
    synonyms: list  # [[folded phrase, ...], ...]
    lookups: dict = field(default_factory=dict)  # facet choices: areas, groups, villages
    cache: dict = field(default_factory=dict)
    # Recent results: the desk and the kiosk ask the same questions all day.
    results: dict = field(default_factory=dict)
    fragments: RegionCache = field(default_factory=RegionCache)  # rendered results regions (views.py)

    def prefix_range(self, prefix):
        start = bisect_left(self.vocabulary, prefix)
        for i in range(start, len(self.vocabulary)):
            word = self.vocabulary[i]
            if not word.startswith(prefix):
                break
            yield word

    def expand(self, token):
        """Catalogue words a query word stands for, with the match quality."""
        cached = self.cache.get(token)
        if cached is not None:
            return cached
        found = {}
        if token in self.postings:
            found[token] = EXACT
        if len(token) >= 2 or token.isdigit():
            for word in self.prefix_range(token):
                found.setdefault(word, PREFIX)
        if len(token) >= 5:
            stem = token[: max(4, len(token) - 2)]
            for word in self.prefix_range(stem):
                if abs(len(word) - len(token)) <= 4:
                    found.setdefault(word, STEM)
            for word, _dist, _i in process.extract(
                token, self.vocabulary, scorer=OSA.distance, score_cutoff=1, limit=None
            ):
                found.setdefault(word, TYPO)
            bucket = self.prefixes.get(len(token))
            if bucket:
                choices, owners = bucket
                for prefix, _dist, _i in process.extract(
                    token, choices, scorer=OSA.distance, score_cutoff=1, limit=None
                ):
                    for word in owners[prefix]:
                        found.setdefault(word, TYPO_PREFIX)
        if len(self.cache) > 5000:
            self.cache.clear()
        self.cache[token] = found
        return found

    def variants(self, query_words):
        """The query as typed plus its synonym substitutions."""
        phrase = " ".join(query_words)
        variants = [query_words]
        padded = f" {phrase} "
        for group in self.synonyms:
            for member in group:
                if f" {member} " in padded:
                    for other in group:
                        if other != member:
                            candidate = padded.replace(f" {member} ", f" {other} ", 1).split()
                            if candidate not in variants:
                                variants.append(candidate)
        return variants[:8]

    def score(self, query_words):
        """{doc_id: score} of the docs matching every word of some variant."""
        best = {}
        for variant in self.variants(query_words):
            total = None
            for token in variant:
                per_doc = {}
                for word, quality in self.expand(token).items():
                    for doc_id, weight in self.postings.get(word, {}).items():
                        value = quality * weight
                        if value > per_doc.get(doc_id, 0.0):
                            per_doc[doc_id] = value
                if total is None:
                    total = per_doc
                else:
                    total = {d: s + per_doc[d] for d, s in total.items() if d in per_doc}
                if not total:
                    break
            for doc_id, value in (total or {}).items():
                if value > best.get(doc_id, 0.0):
                    best[doc_id] = value
        phrase = " ".join(query_words)
        for doc_id in best:
            name = self.docs[doc_id].folded_name
            if name.startswith(phrase):
                best[doc_id] += 50.0
            elif phrase in name:
                best[doc_id] += 20.0
        return best


def _service_fields(service):
    yield "name", service.name
    yield "keywords", service.keywords or ""
    yield "provider", service.provider.name if service.provider else ""
    for group in service.target_groups:
        yield "target_group", group.name
    for area in service.areas:
        yield "area", area.name
    for place in service.places:
        yield "place", " ".join(filter(None, (place.name, place.city, place.village.name if place.village else "")))
    if service.at_client_home:
        yield "place", "w domu klienta dom"
    yield "description", " ".join(filter(None, (service.description, service.goal, service.delivery_description)))


def build_index(session, version):
    services = session.scalars(
        select(Service)
        .where(Service.status != "archived")
        .options(
            selectinload(Service.provider),
            selectinload(Service.areas),
            selectinload(Service.target_groups),
            selectinload(Service.places).selectinload(Place.village),
            selectinload(Service.schedule_rules),
            selectinload(Service.closures),
        )
    ).all()
    docs, postings = {}, {}
    for service in services:
        for field_name, text in _service_fields(service):
            weight = FIELD_WEIGHTS[field_name]
            for word in words(text):
                bucket = postings.setdefault(word, {})
                if weight > bucket.get(service.id, 0.0):
                    bucket[service.id] = weight
        accessibility = set()
        for place in service.places:
            accessibility.update(place.accessibility)
        docs[service.id] = Doc(
            id=service.id,
            name=service.name,
            sort_key=polish_sort_key(service.name),
            status=service.status,
            free=service.is_free,
            at_home=service.at_client_home,
            provider_type=service.provider.provider_type if service.provider else "",
            valid_to=service.valid_to,
            areas=frozenset(a.code for a in service.areas),
            groups=frozenset(g.code for g in service.target_groups),
            villages=frozenset(p.village.slug for p in service.places if p.village),
            accessibility=frozenset(accessibility),
            schedule=service.schedule(),
            folded_name=fold(service.name),
            slug=service.slug,
            provider_name=service.provider.name if service.provider else "",
            place_names=tuple(p.name for p in service.places),
            fee_amount=service.fee_amount,
            unit=service.unit,
            group_names=tuple(g.name for g in service.target_groups),
            schedule_description=service.schedule_description,
        )
    vocabulary = sorted(postings)
    prefixes = {}
    for word in vocabulary:
        for length in range(5, min(len(word), 16)):
            owners = prefixes.setdefault(length, {})
            owners.setdefault(word[:length], []).append(word)
    prefix_buckets = {length: (sorted(owners), owners) for length, owners in prefixes.items()}
    synonyms = []
    for group in session.scalars(select(SynonymGroup)):
        folded = [" ".join(meaningful_words(p)) for p in group.phrase_list]
        folded = [p for p in folded if p]
        if len(folded) > 1:
            synonyms.append(folded)
    lookups = {
        "areas": {a.code: a.name for a in session.scalars(select(Area).order_by(Area.position))},
        "groups": {g.code: g.name for g in session.scalars(select(TargetGroup).order_by(TargetGroup.position))},
        "villages": {v.slug: v.name for v in sorted(session.scalars(select(Village)),
                                                    key=lambda v: polish_sort_key(v.name))},
    }
    return Index(version, docs, postings, vocabulary, prefix_buckets, synonyms, lookups)


_lock = threading.Lock()
_indexes = {}


def get_index(session):
    """This process's index for the session's database, rebuilt when the
    catalogue's data version moves (services bump it with every change a
    search could see)."""
    key = str(session.get_bind().url)
    version = versions.current(session, versions.CATALOGUE)
    index = _indexes.get(key)
    if index is not None and index.version == version:
        return index
    with _lock:
        index = _indexes.get(key)
        if index is None or index.version != version:
            index = build_index(session, version)
            _indexes[key] = index
            # The index is long-lived: keep the collector from walking it.
            gc.collect()
            gc.freeze()
    return index


@dataclass
class Filters:
    area: str | None = None
    group: str | None = None
    village: str | None = None
    provider_type: str | None = None
    accessibility: tuple = ()
    free: bool = False
    open_now: bool = False

    def active(self):
        return any((self.area, self.group, self.village, self.provider_type, self.accessibility,
                    self.free, self.open_now))


@dataclass
class Result:
    total: int
    docs: list  # the requested page's Docs, in rank order
    page: int
    pages: int
    facet_counts: dict  # facet -> {value: count}
    text_matched: bool  # False when the words matched nothing at all
    lookups: dict = field(default_factory=dict)

    @property
    def ids(self):
        return [doc.id for doc in self.docs]

    @property
    def is_miss(self):
        """The organiser's statistics count this search as one that did not
        find what was asked."""
        return not self.text_matched


FACETS = ("area", "group", "village", "provider_type")


def _passes_common(doc, filters, moment, today):
    """The filters that have no counted options."""
    if doc.valid_to is not None and doc.valid_to < today:
        return False
    if filters.free and not doc.free:
        return False
    if filters.accessibility and not set(filters.accessibility) <= doc.accessibility:
        return False
    if filters.open_now and (doc.status != "active" or not sched.is_open_at(doc.schedule, moment)):
        return False
    return True


def _facet_passes(doc, filters, facet):
    if facet == "area":
        return not filters.area or filters.area in doc.areas
    if facet == "group":
        return not filters.group or filters.group in doc.groups
    if facet == "village":
        # Services delivered at home reach every village.
        return not filters.village or doc.at_home or filters.village in doc.villages
    return not filters.provider_type or doc.provider_type == filters.provider_type


def _facet_values(doc, facet):
    if facet == "area":
        return doc.areas
    if facet == "group":
        return doc.groups
    if facet == "village":
        return doc.villages
    return (doc.provider_type,)


RESULT_CACHE_SIZE = 512


def search(session, query, filters, *, moment, page=1, per_page=20):
    index = get_index(session)
    local = moment.astimezone(sched.WARSAW)
    meaningful = meaningful_words(clean_query(query))
    # "Open now" changes by the minute, everything else by the day.
    key = (tuple(meaningful), filters.area, filters.group, filters.village, filters.provider_type,
           tuple(sorted(filters.accessibility)), filters.free, filters.open_now, page, per_page,
           local.replace(second=0, microsecond=0) if filters.open_now else local.date())
    cached = index.results.get(key)
    if cached is not None:
        return cached
    result = _search(index, meaningful, filters, moment=moment, page=page, per_page=per_page)
    if len(index.results) >= RESULT_CACHE_SIZE:
        index.results.clear()
    index.results[key] = result
    return result


def _search(index, meaningful, filters, *, moment, page, per_page):
    today = moment.astimezone(sched.WARSAW).date()

    if meaningful:
        scores = index.score(meaningful)
        candidates = list(scores)
    else:
        scores = {}
        candidates = list(index.docs)
    text_matched = bool(candidates) or not meaningful

    docs = index.docs
    matched = []
    counts = {facet: {} for facet in FACETS}
    for doc_id in candidates:
        doc = docs[doc_id]
        if not _passes_common(doc, filters, moment, today):
            continue
        failed = [facet for facet in FACETS if not _facet_passes(doc, filters, facet)]
        if not failed:
            matched.append(doc)
        # Disjunctive counts: a facet's options count the docs that pass every
        # other filter, so the person sees what choosing another option gives.
        if len(failed) <= 1:
            for facet in (failed or FACETS):
                tally = counts[facet]
                for value in _facet_values(doc, facet):
                    tally[value] = tally.get(value, 0) + 1
    matched.sort(key=lambda d: (d.status != "active", -scores.get(d.id, 0.0), d.sort_key))

    shown = Page.from_list(matched, page, per_page)
    return Result(shown.total, shown.items, shown.page, shown.pages, counts, text_matched, index.lookups)
