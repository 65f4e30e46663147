"""Search statistics without personal data: every public search counted per
folded text and Warsaw day (how many searches, how many of them misses, how
many services the latest found), for the services organiser.

What is kept of a query is the rule of services.py (no digits, addresses,
names; at most five words), in its two halves: the words when a search is
counted, the register's names when a batch is written.

**No write per search.** The public search is the portal's hottest path
(p95 within 3 × /healthz), so each process keeps its counts in memory, one
`SearchCounter` per database, and writes them in one batch (one upsert of
the batch's rows; expiry and the cap at most every BOUND_SECONDS) when
FLUSH_EVERY searches are waiting or FLUSH_SECONDS have passed since its last
write (checked at the next search), and whenever the organiser opens the
statistics page. One search in fifty pays for a write of a few
milliseconds; the others pay for a dictionary update. A worker that stops loses what it had not written yet —
fewer than FLUSH_EVERY searches or a minute's worth: statistics, not records.
Redis (the rate limits' shared store) would need a network round trip per
search, keeps nothing on disk and is optional (`memory://`), so it would be
a second copy on the way to the database, not the record.

**One search, not every keystroke.** The search box answers as one types,
so a resident typing "rehabilitacja" sends "reha", "rehabil",
"rehabilitacja", then perhaps the same text again with a filter or the next
page. The counter keeps each client address's latest search open: the next
search from that address that extends it, shortens it or repeats it within
SETTLE_SECONDS replaces it; anything else settles it into the counts, as
does SETTLE_SECONDS without a next search (seen at anyone's next search,
or at the organiser's page). The address stays in this process's memory
only, for seconds, and is never written (the rate limit's own counter
aside, as before).

**No flooding.** A text the table does not hold yet is added only while its
client address is within TEXT_RATE (services.py), counted in the shared
rate-limit store; a text already counted counts whoever asks, so the desk's
repeated questions all count and a bot cannot fill the table with new texts
(the row cap and the 12 months' expiry bound it anyway).
"""
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from .. import ratelimit
from ..core.pagination import Page
from .models import SearchCount
from .services import (
    TEXT_RATE,
    candidate_words,
    count_cutoff,
    finish_texts,
    local_day,
    visible_texts,
    write_search_counts,
)

FLUSH_EVERY = 50
FLUSH_SECONDS = 60
# Expiry and the row cap: two statements over the whole table, so with the
# first batch and then at most every ten minutes rather than every batch.
BOUND_SECONDS = 600
SETTLE_SECONDS = 20
# Open searches kept at most (client addresses typing at once); beyond, the
# oldest settle early.
MAX_OPEN = 5000
# The texts the table holds, as this process knows them; reloaded when
# larger than this (texts expire from the table, not from the set).
MAX_KNOWN = 100_000


@dataclass
class _Search:
    words: tuple  # the candidate words (services.candidate_words)
    text: str  # the same, joined
    day: object
    miss: bool
    results: int
    at: datetime
    client: str


@dataclass
class SearchCounter:
    """One process's counts for one database, waiting to be written."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    open: dict = field(default_factory=dict)  # client -> _Search still being typed
    # (day, words) -> [searches, misses, results of the latest, when the latest was]
    settled: dict = field(default_factory=dict)
    waiting: int = 0  # searches settled since the last write
    known: set | None = None  # texts the table holds (None: not read yet)
    last_write: datetime | None = None
    last_bound: datetime | None = None

    # --- counting (in memory) ------------------------------------------------------

    def count(self, query, *, miss, results, client, moment, may_add):
        """Count one search; True when a write is due (the caller then calls
        `flush`). Nothing is counted when no word of it may be kept."""
        words = candidate_words(query)
        if not words:
            return False
        search = _Search(words, " ".join(words), local_day(moment), bool(miss), int(results or 0), moment,
                         client or "")
        with self.lock:
            if self.last_write is None:
                self.last_write = moment
            earlier = self.open.get(search.client)
            if earlier is not None and not self._same_search(earlier, search):
                self._settle(earlier, may_add)
            self.open.pop(search.client, None)
            self.open[search.client] = search  # the newest last: the dict is in age order
            # Searches nobody typed on for SETTLE_SECONDS (or too many open) are done.
            while self.open:
                client, oldest = next(iter(self.open.items()))
                if len(self.open) <= MAX_OPEN and moment - oldest.at <= timedelta(seconds=SETTLE_SECONDS):
                    break
                del self.open[client]
                self._settle(oldest, may_add)
            return self._due(moment)

    @staticmethod
    def _same_search(earlier, later):
        """Typing on, deleting, or the same words again (a filter, a page)."""
        if later.at - earlier.at > timedelta(seconds=SETTLE_SECONDS) or later.day != earlier.day:
            return False
        return later.text.startswith(earlier.text) or earlier.text.startswith(later.text)

    def _settle(self, search, may_add):
        key = (search.day, search.words)
        tally = self.settled.get(key)
        if tally is None:
            if search.text not in (self.known or ()) and not may_add(search.client):
                return
            tally = self.settled[key] = [0, 0, 0, search.at]
        tally[0] += 1
        tally[1] += int(search.miss)
        if search.at >= tally[3]:
            tally[2], tally[3] = search.results, search.at
        self.waiting += 1

    def _due(self, moment):
        if self.waiting >= FLUSH_EVERY:
            return True
        return bool(self.waiting) and moment - self.last_write >= timedelta(seconds=FLUSH_SECONDS)

    def _take(self, moment, everything, may_add):
        """Settle what is no longer being typed (all of it when `everything`)
        and hand over the counts, leaving the counter empty of them."""
        with self.lock:
            for client, search in list(self.open.items()):
                if everything or moment - search.at > timedelta(seconds=SETTLE_SECONDS):
                    del self.open[client]
                    self._settle(search, may_add)
            settled, self.settled, self.waiting = self.settled, {}, 0
            self.last_write = moment
            return settled, self.known is None or len(self.known) > MAX_KNOWN

    # --- writing (the database) ----------------------------------------------------

    def flush(self, session, *, moment, everything=False, may_add=None):
        """Write the settled counts in one batch; the caller commits. Returns
        the number of rows written (new or added to)."""
        may_add = may_add or may_add_text
        settled, reload = self._take(moment, everything, may_add)
        written = 0
        if settled:
            keys = list(settled)
            texts = finish_texts(session, [words for _day, words in keys])
            tallies = {}
            for (day, _words), text in zip(keys, texts):
                if not text:
                    continue
                searches, misses, results, at = settled[(day, _words)]
                tally = tallies.get((day, text))
                if tally is None:
                    tallies[(day, text)] = (searches, misses, results, at)
                else:
                    later = at >= tally[3]
                    tallies[(day, text)] = (tally[0] + searches, tally[1] + misses,
                                            results if later else tally[2], at if later else tally[3])
            with self.lock:
                bound = self.last_bound is None or moment - self.last_bound >= timedelta(seconds=BOUND_SECONDS)
                if bound:
                    self.last_bound = moment
            written = write_search_counts(session, tallies, moment=moment, bound=bound)
            written_texts = {text for _day, text in tallies}
        else:
            written_texts = set()
        if reload:
            known = set(session.scalars(select(SearchCount.query).distinct()))
        else:
            known = None
        with self.lock:
            if known is not None:
                self.known = known
            self.known.update(written_texts)
        return written


def may_add_text(client):
    """One client address adds at most TEXT_RATE new texts (the shared
    store, so across workers); over it the search still answers."""
    return ratelimit.hit(TEXT_RATE, "search-text", client)


_lock = threading.Lock()
_counters = {}


def counter(session):
    """This process's counter for the session's database."""
    key = str(session.get_bind().url)
    found = _counters.get(key)
    if found is None:
        with _lock:
            found = _counters.setdefault(key, SearchCounter())
    return found


def forget_counts():
    """Drop every process's pending counts (the tests' clean slate)."""
    with _lock:
        _counters.clear()


def count_search(session, query, *, miss, results, client, moment, may_add=None):
    """Count a public search in memory; True when the caller should write
    the batch (`flush`) and commit."""
    return counter(session).count(query, miss=miss, results=results, client=client, moment=moment,
                                  may_add=may_add or may_add_text)


def flush(session, *, moment, everything=False, may_add=None):
    """Write this process's waiting counts (all of them, searches still
    being typed too, when `everything`); the caller commits."""
    return counter(session).flush(session, moment=moment, everything=everything, may_add=may_add)


# --- reading (the organiser's page) ----------------------------------------------------

# The organiser's periods, in days ending today.
PERIODS = {"30d": 30, "12m": 365}


@dataclass
class TextFigures:
    """One text over a period: the row id given is its latest row's."""

    id: int
    text: str
    searches: int
    misses: int
    results: int
    last_at: datetime


def since_day(moment, period):
    """The first day of a period ending today ("30d": today and 29 days before)."""
    days = PERIODS.get(period, PERIODS["30d"])
    return max(local_day(moment) - timedelta(days=days - 1), count_cutoff(moment))


def totals(session, since):
    """(searches, misses, texts) since a day."""
    searches, misses, texts = session.execute(
        select(func.coalesce(func.sum(SearchCount.searches), 0), func.coalesce(func.sum(SearchCount.misses), 0),
               func.count(func.distinct(SearchCount.query)))
        .where(SearchCount.day >= since)).one()
    return int(searches), int(misses), int(texts)


def _figures(session, grouped, since):
    """TextFigures of grouped rows (text, searches, misses), in their
    order, with the latest row's id and results; texts the rule refuses
    today are left out."""
    grouped = list(grouped)
    if not grouped:
        return []
    shown = visible_texts(session, [row[0] for row in grouped])
    latest = {}
    texts = [row[0] for row in grouped if row[0] in shown]
    for start in range(0, len(texts), 500):
        for row in session.execute(
                select(SearchCount.id, SearchCount.query, SearchCount.results, SearchCount.last_at)
                .where(SearchCount.query.in_(texts[start:start + 500]), SearchCount.day >= since)):
            if row.query not in latest or (row.last_at, row.id) > (latest[row.query].last_at, latest[row.query].id):
                latest[row.query] = row
    return [TextFigures(latest[text].id, text, int(searches), int(misses), latest[text].results,
                        latest[text].last_at)
            for text, searches, misses in grouped if text in latest]


def most_searched(session, since, limit=50):
    """The texts searched most often since a day, the most first."""
    searches = func.sum(SearchCount.searches)
    grouped = session.execute(
        select(SearchCount.query, searches, func.sum(SearchCount.misses))
        .where(SearchCount.day >= since).group_by(SearchCount.query)
        .order_by(searches.desc(), func.max(SearchCount.last_at).desc(), SearchCount.query)
        .limit(limit * 2)).all()
    return _figures(session, grouped, since)[:limit]


def search_misses(session, since, page=1, per_page=25):
    """The texts that found nothing since a day and that the organiser has
    not dealt with yet, the most often missed first: a Page."""
    misses = func.sum(SearchCount.misses)
    grouped = session.execute(
        select(SearchCount.query, func.sum(SearchCount.searches), misses)
        .where(SearchCount.day >= since, SearchCount.misses > 0, SearchCount.handled.is_(False))
        .group_by(SearchCount.query)
        .order_by(misses.desc(), func.max(SearchCount.last_at).desc(), SearchCount.query)).all()
    shown = visible_texts(session, [row[0] for row in grouped])
    grouped = [row for row in grouped if row[0] in shown]
    listed = Page.from_list(grouped, page, per_page)
    listed.items = _figures(session, listed.items, since)
    return listed


def open_misses(session, since):
    """How many texts found nothing since a day and wait for the organiser."""
    return session.scalar(
        select(func.count(func.distinct(SearchCount.query)))
        .where(SearchCount.day >= since, SearchCount.misses > 0, SearchCount.handled.is_(False))) or 0
