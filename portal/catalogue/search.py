"""Polish-aware catalogue search.

Text is folded (lower case, no diacritics, ł → l: ł has no Unicode
decomposition), split into words, and each query word matches catalogue words
exactly, as a prefix ("rehab"), by a shared Snowball stem for inflection
("seniorów" ~ "seniora", "starszego" ~ "starszych"), or with typos: one edit in
a word of five letters or more, two from eight, also against a prefix one
letter shorter or longer ("opieknka" ~ "opiekunka"). Typos are tried only for
a word the catalogue does not know, so a real word never reaches an unrelated
service name through one edit. Synonym groups (the organiser's, in the
catalogue) put everyday and English words next to the catalogue's formal ones;
a query word reaches a group also through its stem or a typo.

Services matching every word of the query (or of a synonym variant) are the
result, name matches first. When none does, the services matching most of
the words are shown, ranked by how many words they match and then by score,
and the result is marked partial with the words that matched nothing. A word
the catalogue does not know but is close to (its words and the synonyms')
gives a corrected query to suggest.

Stems: the catalogue's words are stemmed as written (with their diacritics)
and the stem is folded. A query word arrives folded; the stemmer needs the
diacritics of its ending ("seniorow" is no inflection, "seniorów" is), so the
query word is also stemmed with each Polish ending restored ("-ow" → "-ów",
"-a" → "-ą", …) and keeps the stems the catalogue has. Text typed with or
without diacritics thus meets the same stems.

The index lives in each process's memory and is rebuilt when the catalogue's
data version moves (portal/core/versions.py), so a search costs one tiny query plus the page's rows, and
it works the same on SQLite and PostgreSQL.
"""
import gc
import logging
import re
import threading
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

import Stemmer
from flask import current_app, has_app_context
from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import selectinload

from ..core import versions
from ..core.pagination import Page
from ..extensions import db
from ..fragments import RegionCache
from ..text import fold, polish_sort_key  # noqa: F401  (re-exported: the rules live in portal/text.py)
from . import schedule as sched
from .models import Area, Place, Service, SynonymGroup, TargetGroup, Village

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
MAX_VARIANTS = 16

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
EXACT, PREFIX, STEM, STEM_PREFIX, TYPO, TYPO_PREFIX = 1.0, 0.85, 0.7, 0.6, 0.6, 0.5
# A stem this long is also matched as the beginning of a word.
STEM_PREFIX_MIN = 5
# A second edit costs this much more.
SECOND_EDIT = 0.15
# Prefixes kept for typo matching: from this length, up to PREFIX_MAX letters.
PREFIX_MIN, PREFIX_MAX = 4, 16

# The Polish Snowball stemmer's endings that carry a diacritic, each restored
# on a folded query word ending in its folded spelling before stemming.
_ACCENTED_ENDINGS = tuple(sorted({
    ending for ending in (
        "byście byśmy byś ąc ając sząc ąca ająca sząca ała iała iła ące ające szące liście aliście "
        "ieliście iliście łyście ałyście iałyście iłyście ało iało iło ów liśmy aliśmy ieliśmy iliśmy "
        "łyśmy ałyśmy iałyśmy iłyśmy ały iały iły ą ącą ającą szącą ią ają szą iejszą ać ieć ić ąć "
        "aść eść ę szę ał iał ił łaś ałaś iałaś iłaś łeś ałeś iałeś iłeś ałam iałam iłam ałem iałem "
        "iłem ć ń ś ź ość ości ością"
    ).split()
}, key=len, reverse=True))
_ENDINGS_BY_FOLDED = tuple((fold(ending), ending) for ending in _ACCENTED_ENDINGS)

_WORD = re.compile(r"\w+")
_PLAIN = re.compile(r"[0-9a-ząćęłńóśźż\W]*")
_local = threading.local()


def _stem(word):
    """Snowball's Polish stem; one stemmer per thread (they are not thread-safe)."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("polish")
    return stemmer.stemWord(word)


def stem_key(word):
    """The folded stem of a lower-case word as written, diacritics and all:
    'starszego', 'starszych' -> 'star'; 'seniorów', 'seniora' -> 'senior'."""
    return fold(_stem(word)) if len(word) >= 4 and not word.isdigit() else word


def query_stem_keys(token):
    """The stems a folded query word may have: its own and, for each Polish
    ending with a diacritic it may have lost, the stem with the ending
    restored ('seniorow' -> 'seniorów' -> 'senior')."""
    if len(token) < 4 or not token.isalpha():
        return frozenset((token,))
    keys = {stem_key(token)}
    for folded, accented in _ENDINGS_BY_FOLDED:
        if token.endswith(folded) and len(token) - len(folded) >= 2:
            keys.add(stem_key(token[: len(token) - len(folded)] + accented))
    return frozenset(keys)


def edits_allowed(token):
    """Typos tolerated in a query word: none under five letters (too many
    words are one edit apart), one up to seven, two from eight."""
    if len(token) < 5 or not token.isalpha():
        return 0
    return 2 if len(token) >= 8 else 1


def words(text):
    return fold(text).split()


def word_pairs(text):
    """(the word as written, in lower case; its folded form) for each word of
    a text, in order; the folded forms are exactly `words(text)`."""
    lowered = (text or "").lower()
    chunks = _WORD.findall(lowered)
    if _PLAIN.fullmatch(lowered):
        # The usual case, Polish letters and digits: each chunk folds to one
        # word, and folding the whole text once is cheaper.
        yield from zip(chunks, fold(lowered).split())
        return
    for chunk in chunks:
        folded = fold(chunk).split()
        if len(folded) == 1:
            yield chunk, folded[0]
        else:
            for part in folded:
                yield part, part


def meaningful_words(text):
    """The words a query is matched by: function words dropped unless
    nothing else is left. Synonym phrases go through the same."""
    return [folded for _typed, folded in meaningful_pairs(text)]


def meaningful_pairs(text):
    """meaningful_words with each word as typed: [(typed, folded), ...]."""
    found = list(word_pairs(text))[: MAX_QUERY_WORDS * 2]
    kept = [pair for pair in found if pair[1] not in STOPWORDS] or found
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


class Nearby:
    """Words grouped by first letter and length, for typo look-ups that read
    only the words a typo could reach (a typo in the first letter is not
    corrected: people rarely get the first letter wrong, and it keeps each
    look-up to a small slice of the vocabulary)."""

    def __init__(self, words):
        self.buckets = {}
        for word in words:
            if word and word.isalpha():
                self.buckets.setdefault((word[0], len(word)), []).append(word)

    def close(self, token, edits, lengths=None):
        """{word: edits} of the words within `edits` of `token`."""
        found = {}
        if edits <= 0 or not token:
            return found
        size = len(token)
        for length in lengths or range(size - edits, size + edits + 1):
            choices = self.buckets.get((token[0], length))
            if choices:
                for word, distance, _i in process.extract(token, choices, scorer=OSA.distance,
                                                          score_cutoff=edits, limit=None):
                    found[word] = distance
        return found


@dataclass
class Index:
    version: int
    docs: dict
    postings: dict  # word -> {doc_id: best field weight}
    vocabulary: list  # sorted words
    prefixes: dict  # prefix -> [words] (prefixes of PREFIX_MIN.. letters, shorter than the word)
    synonyms: list  # [[(folded word, ...) per phrase, ...] per group]
    lookups: dict = field(default_factory=dict)  # facet choices: areas, groups, villages
    stems: dict = field(default_factory=dict)  # stem key -> (folded words, ...)
    written: dict = field(default_factory=dict)  # folded word -> the form to show (diacritics)
    cache: dict = field(default_factory=dict)
    # Recent results: the desk and the kiosk ask the same questions all day.
    results: dict = field(default_factory=dict)
    fragments: RegionCache = field(default_factory=RegionCache)  # rendered results regions (views.py)

    def __post_init__(self):
        self.nearby_words = Nearby(self.vocabulary)
        self.nearby_prefixes = Nearby(self.prefixes)
        self.synonym_words = frozenset(word for group in self.synonyms for phrase in group for word in phrase)
        self.synonym_stems = {}
        for word in self.synonym_words:
            for key in {stem_key(self.written.get(word, word)), stem_key(word)}:
                self.synonym_stems.setdefault(key, set()).add(word)
        self.nearby_synonyms = Nearby(self.synonym_words)
        self.nearby_all = Nearby(set(self.vocabulary) | self.synonym_words)

    def prefix_range(self, prefix):
        start = bisect_left(self.vocabulary, prefix)
        for i in range(start, len(self.vocabulary)):
            word = self.vocabulary[i]
            if not word.startswith(prefix):
                break
            yield word

    def _cached(self, kind, token, make):
        key = (kind, token)
        found = self.cache.get(key)
        if found is None:
            if len(self.cache) > 5000:
                self.cache.clear()
            found = self.cache[key] = make()
        return found

    def known(self, token):
        """The catalogue has the word, a word it begins, or one of its stems."""
        return self._cached("known", token, lambda: self._known(token))

    def _known(self, token):
        if token in self.postings or next(self.prefix_range(token), None) is not None:
            return True
        return any(key in self.stems for key in query_stem_keys(token))

    def recognised(self, token):
        """Known to the catalogue, or a synonym's word or one of its forms."""
        return self.known(token) or token in self.synonym_words or any(
            key in self.synonym_stems for key in query_stem_keys(token))

    def expand(self, token):
        """Catalogue words a query word stands for, with the match quality."""
        return self._cached("expand", token, lambda: self._expand(token))

    def _expand(self, token):
        found = {}
        if token in self.postings:
            found[token] = EXACT
        if len(token) >= 2 or token.isdigit():
            for word in self.prefix_range(token):
                found.setdefault(word, PREFIX)
        for key in query_stem_keys(token):
            for word in self.stems.get(key, ()):
                found.setdefault(word, STEM)
            # The stem begins longer forms the stemmer cuts elsewhere
            # ("niepełnosprawn-ego" ~ "niepełnosprawn-ościami", "dziec-i" ~ "dziec-ko"),
            # and a noun in -cja its adjective in -cyjny ("rehabilitac-ja" ~ "rehabilitac-yjne").
            if len(key) >= STEM_PREFIX_MIN:
                begins = key[:-1] if key.endswith("cj") else key
                for word in self.prefix_range(begins):
                    if len(word) <= len(token) + 4:
                        found.setdefault(word, STEM_PREFIX)
        if found:
            return found
        # An unknown word: typos, against whole words and against prefixes one
        # letter shorter, as long or one longer (a dropped or doubled letter);
        # only the closest: a second edit only when one finds nothing.
        edits = edits_allowed(token)
        if not edits:
            return found
        size = len(token)
        whole = self.nearby_words.close(token, edits)
        prefixes = self.nearby_prefixes.close(token, 1, range(size - 1, size + 2))
        closest = min(list(whole.values()) + list(prefixes.values()), default=None)
        for word, distance in whole.items():
            if distance == closest:
                found[word] = TYPO - SECOND_EDIT * (distance - 1)
        for prefix, distance in prefixes.items():
            if distance == closest:
                for word in self.prefixes[prefix]:
                    found.setdefault(word, TYPO_PREFIX)
        return found

    def synonym_matches(self, token):
        """The synonym phrases' words a query word stands for: itself, a word
        with one of its stems, or (for a word the catalogue does not know) a
        typo of one."""
        return self._cached("synonym", token, lambda: self._synonym_matches(token))

    def _synonym_matches(self, token):
        found = set()
        if token in self.synonym_words:
            found.add(token)
        for key in query_stem_keys(token):
            found.update(self.synonym_stems.get(key, ()))
        if not found and not self.known(token):
            found.update(self.nearby_synonyms.close(token, edits_allowed(token)))
        return frozenset(found)

    def variants(self, query_words):
        """The query as typed plus its synonym substitutions, each a list of
        units (the query positions it stands for, the words to match)."""
        base = [((i,), (word,)) for i, word in enumerate(query_words)]
        variants = [base]
        seen = {tuple(unit[1] for unit in base)}
        matches = [self.synonym_matches(word) for word in query_words]
        for group in self.synonyms:
            for member in group:
                size = len(member)
                for start in range(len(query_words) - size + 1):
                    if not all(member[j] in matches[start + j] for j in range(size)):
                        continue
                    span = tuple(range(start, start + size))
                    for other in group:
                        if other == member:
                            continue
                        variant = base[:start] + [(span, other)] + base[start + size:]
                        key = tuple(unit[1] for unit in variant)
                        if key not in seen:
                            seen.add(key)
                            variants.append(variant)
                            if len(variants) >= MAX_VARIANTS:
                                return variants
        return variants

    def _word_scores(self, word):
        per_doc = {}
        for match, quality in self.expand(word).items():
            for doc_id, weight in self.postings.get(match, {}).items():
                value = quality * weight
                if value > per_doc.get(doc_id, 0.0):
                    per_doc[doc_id] = value
        return per_doc

    def score(self, query_words):
        """{doc_id: score} of the docs matching every word of some variant."""
        return self.match(query_words).scores

    def match(self, query_words):
        """The docs matching every word of some variant, or when there are
        none, the docs matching part of the query (Match.partial)."""
        word_scores = {}

        def scores_of(word):
            if word not in word_scores:
                word_scores[word] = self._word_scores(word)
            return word_scores[word]

        evaluated = []  # per variant: [(positions, {doc_id: score}), ...]
        best = {}
        for variant in self.variants(query_words):
            units = []
            for positions, unit_words in variant:
                unit = None
                for word in unit_words:
                    per_doc = scores_of(word)  # shared between variants: never changed
                    unit = per_doc if unit is None else _both(unit, per_doc)
                    if not unit:
                        break
                units.append((positions, unit or {}))
            evaluated.append(units)
            total = None
            for _positions, unit in units:
                total = unit if total is None else _both(total, unit)
                if not total:
                    break
            for doc_id, value in (total or {}).items():
                if value > best.get(doc_id, 0.0):
                    best[doc_id] = value
        matched_positions = {p for units in evaluated for positions, unit in units if unit for p in positions}
        unmatched = tuple(i for i in range(len(query_words)) if i not in matched_positions)
        counts = {}
        partial = False
        if not best and matched_positions:
            partial = True
            for units in evaluated:
                count, score = {}, {}
                for positions, unit in units:
                    for doc_id, value in unit.items():
                        count[doc_id] = count.get(doc_id, 0) + len(positions)
                        score[doc_id] = score.get(doc_id, 0.0) + value
                for doc_id, n in count.items():
                    if (n, score[doc_id]) > (counts.get(doc_id, 0), best.get(doc_id, 0.0)):
                        counts[doc_id] = n
                        best[doc_id] = score[doc_id]
        phrase = " ".join(query_words)
        for doc_id in best:
            name = self.docs[doc_id].folded_name
            if name.startswith(phrase):
                best[doc_id] += 50.0
            elif phrase in name:
                best[doc_id] += 20.0
        return Match(best, counts, partial, unmatched)

    def suggest(self, pairs):
        """The query with each word the catalogue does not know replaced by the
        closest word of the catalogue or the synonyms, or None when there is
        nothing to correct. `pairs` are every word as typed, with its folded
        form; words with digits are never corrected."""
        corrected, changed = [], False
        for typed, folded in pairs:
            better = None
            if folded not in STOPWORDS and folded.isalpha() and not self.recognised(folded):
                better = self._cached("suggest", folded, lambda: self._closest(folded))
            if better:
                corrected.append(better)
                changed = True
            else:
                corrected.append(typed)
        return " ".join(corrected) if changed else None

    def _closest(self, token):
        edits = edits_allowed(token) or (1 if len(token) == 4 else 0)
        close = self.nearby_all.close(token, edits)
        if not close:
            return ""
        word = min(close, key=lambda w: (close[w], -len(self.postings.get(w, ())), w))
        return self.written.get(word, word)


def _both(first, second):
    """The docs in both {doc_id: score}, their scores added (read through the smaller)."""
    if len(first) > len(second):
        first, second = second, first
    return {doc_id: value + second[doc_id] for doc_id, value in first.items() if doc_id in second}


@dataclass
class Match:
    scores: dict  # doc_id -> score
    counts: dict  # doc_id -> query words matched (partial matches only)
    partial: bool
    unmatched: tuple  # positions of the query words that matched nothing


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
    written = {}  # folded word -> {form as written: count}
    for service in services:
        for field_name, text in _service_fields(service):
            weight = FIELD_WEIGHTS[field_name]
            for form, word in word_pairs(text):
                bucket = postings.setdefault(word, {})
                if weight > bucket.get(service.id, 0.0):
                    bucket[service.id] = weight
                forms = written.setdefault(word, {})
                forms[form] = forms.get(form, 0) + 1
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
        if word.isalpha():
            for length in range(PREFIX_MIN, min(len(word), PREFIX_MAX)):
                prefixes.setdefault(word[:length], []).append(word)
    stems = {}
    for word, forms in written.items():
        for form in forms:
            stems.setdefault(stem_key(form), set()).add(word)
    synonyms = []
    for group in session.scalars(select(SynonymGroup)):
        phrases = []
        for phrase in group.phrase_list:
            pairs = meaningful_pairs(phrase)
            member = tuple(folded for _form, folded in pairs)
            if member and member not in phrases:
                phrases.append(member)
                for form, folded in pairs:
                    written.setdefault(folded, {}).setdefault(form, 0)
        if len(phrases) > 1:
            synonyms.append(phrases)
    shown = {word: max(forms, key=lambda form: (forms[form], form)) for word, forms in written.items()}
    lookups = {
        "areas": {a.code: a.name for a in session.scalars(select(Area).order_by(Area.position))},
        "groups": {g.code: g.name for g in session.scalars(select(TargetGroup).order_by(TargetGroup.position))},
        "villages": {v.slug: v.name for v in sorted(session.scalars(select(Village)),
                                                    key=lambda v: polish_sort_key(v.name))},
    }
    return Index(version, docs, postings, vocabulary, prefixes, synonyms, lookups,
                 stems={key: tuple(sorted(found)) for key, found in stems.items()}, written=shown)


# --- each database's index in this process, rebuilt in the background ----------------------
#
# A catalogue edit moves the data version; the next search finds its index
# out of date. The first index of a process is built there and then (there is
# nothing to answer from); after that the new index is built in a thread of
# its own (its own app context and session) while every search goes on
# answering from the old one, swapped in when ready. One rebuild at a time per
# database; a version that moves during a rebuild is picked up by the next
# search after it; a rebuild that fails is logged, the old index stays, and
# the next search after REBUILD_RETRY_SECONDS tries again. Tests (the
# TestConfig) rebuild inline, so an edit shows in the very next search; an
# in-memory SQLite database always does (another connection is another,
# empty, database). gunicorn's sync and gthread workers run such threads.

REBUILD_RETRY_SECONDS = 30.0
logger = logging.getLogger(__name__)

_lock = threading.Lock()
_indexes = {}  # database URL -> Index
_rebuilds = {}  # database URL -> _Rebuild
# Tests only: called in the rebuild thread with "start" (before the build)
# and "built" (before the swap); what it raises fails the rebuild.
rebuild_hook = None


@dataclass
class _Rebuild:
    thread: threading.Thread | None = None
    failed_at: float | None = None  # time.monotonic() of the last failure


def new_index(session, version):
    """An index as get_index builds it (inline or in the rebuild thread)."""
    if session.get_bind().dialect.name == "postgresql":
        # A build reads in one transaction with long stretches of Python
        # between its statements (about a minute at 50,000 services): the
        # server's idle-in-transaction limit (DB_IDLE_IN_TRANSACTION_TIMEOUT_MS)
        # would end the connection midway, and every retry the same way.
        session.execute(sql_text("SET LOCAL idle_in_transaction_session_timeout = '15min'"))
    index = build_index(session, version)
    # The index is long-lived: keep the collector from walking it.
    gc.collect()
    gc.freeze()
    return index


def get_index(session):
    """This process's index for the session's database, rebuilt when the
    catalogue's data version moves (services bump it with every change a
    search could see); while a rebuild runs in the background, the index
    it replaces."""
    key = str(session.get_bind().url)
    version = versions.current(session, versions.CATALOGUE)
    index = _indexes.get(key)
    if index is not None and index.version == version:
        return index
    if index is not None and _in_background(session):
        _start_rebuild(key)
        return index
    with _lock:
        index = _indexes.get(key)
        if index is None or index.version != version:
            index = new_index(session, version)
            _indexes[key] = index
    return index


def _in_background(session):
    if not has_app_context() or not current_app.config.get("SEARCH_INDEX_IN_BACKGROUND", True):
        return False
    url = session.get_bind().url
    in_memory = url.get_backend_name() == "sqlite" and (
        url.database in (None, "", ":memory:") or url.query.get("mode") == "memory")
    return not in_memory


def _start_rebuild(key):
    app = current_app._get_current_object()
    retry = current_app.config.get("SEARCH_INDEX_RETRY_SECONDS", REBUILD_RETRY_SECONDS)
    with _lock:
        state = _rebuilds.setdefault(key, _Rebuild())
        if state.thread is not None and state.thread.is_alive():
            return
        if state.failed_at is not None and time.monotonic() - state.failed_at < retry:
            return
        state.thread = threading.Thread(target=_rebuild, args=(app, key, state), name="search-index-rebuild",
                                        daemon=True)
        state.thread.start()


def _rebuild(app, key, state):
    started = time.monotonic()
    try:
        with app.app_context():
            try:
                version = versions.current(db.session, versions.CATALOGUE)
                if rebuild_hook is not None:
                    rebuild_hook("start")
                index = new_index(db.session, version)
                if rebuild_hook is not None:
                    rebuild_hook("built")
            finally:
                db.session.remove()
    except Exception:  # the old index keeps answering; the next search retries later
        state.failed_at = time.monotonic()
        logger.exception("search index rebuild failed; the previous index keeps answering")
        return
    _indexes[key] = index
    state.failed_at = None
    logger.info("search index rebuilt for catalogue version %s in %.1f s", version, time.monotonic() - started)


def rebuild_running(session):
    """The thread rebuilding the index of the session's database, or None."""
    state = _rebuilds.get(str(session.get_bind().url))
    thread = state.thread if state is not None else None
    return thread if thread is not None and thread.is_alive() else None


def wait_for_rebuild(session, timeout=None):
    """Wait for the latest rebuild of the session's database to end (tests,
    the benchmark); True when none is running any more."""
    state = _rebuilds.get(str(session.get_bind().url))
    if state is not None and state.thread is not None:
        state.thread.join(timeout)
    return rebuild_running(session) is None


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
    # No service matched every word: these match part of the query.
    partial: bool = False
    unmatched: tuple = ()  # the query's words, as typed, that matched nothing
    suggestion: str | None = None  # the query with unknown words corrected

    @property
    def ids(self):
        return [doc.id for doc in self.docs]

    @property
    def is_miss(self):
        """The organiser's statistics count this search as one that did not
        find what was asked: nothing matched, or only part of the query."""
        return not self.text_matched or self.partial


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
    cleaned = clean_query(query)
    pairs = meaningful_pairs(cleaned)
    # "Open now" changes by the minute, everything else by the day. The words
    # as typed are part of the key: the result names the unmatched ones.
    key = (tuple(pairs), filters.area, filters.group, filters.village, filters.provider_type,
           tuple(sorted(filters.accessibility)), filters.free, filters.open_now, page, per_page,
           local.replace(second=0, microsecond=0) if filters.open_now else local.date())
    cached = index.results.get(key)
    if cached is not None:
        return cached
    result = _search(index, [folded for _typed, folded in pairs], filters, moment=moment, page=page,
                     per_page=per_page, typed=[typed for typed, _folded in pairs])
    if pairs:
        result.suggestion = index.suggest(list(word_pairs(cleaned))[: MAX_QUERY_WORDS * 2])
    if len(index.results) >= RESULT_CACHE_SIZE:
        index.results.clear()
    index.results[key] = result
    return result


def _search(index, meaningful, filters, *, moment, page, per_page, typed=None):
    """`typed`: the meaningful words as the person typed them, for naming
    the unmatched ones (the folded words when not given)."""
    today = moment.astimezone(sched.WARSAW).date()

    if meaningful:
        found = index.match(meaningful)
        scores, counts = found.scores, found.counts
        candidates = list(scores)
    else:
        found, scores, counts = None, {}, {}
        candidates = list(index.docs)
    text_matched = bool(candidates) or not meaningful

    docs = index.docs
    matched = []
    facet_counts = {facet: {} for facet in FACETS}
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
                tally = facet_counts[facet]
                for value in _facet_values(doc, facet):
                    tally[value] = tally.get(value, 0) + 1
    # Partial matches rank first by the number of query words they match.
    matched.sort(key=lambda d: (-counts.get(d.id, 0), d.status != "active", -scores.get(d.id, 0.0), d.sort_key))

    shown = Page.from_list(matched, page, per_page)
    partial = bool(found and found.partial)
    unmatched = tuple((typed or meaningful)[i] for i in found.unmatched) if partial else ()
    return Result(shown.total, shown.items, shown.page, shown.pages, facet_counts, text_matched, index.lookups,
                  partial=partial, unmatched=unmatched)
