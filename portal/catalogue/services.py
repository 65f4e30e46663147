"""Catalogue operations. Plain functions with an explicit session; no request.

Every public search is counted per folded text and day (`SearchCount`,
see statistics.py for how the counts travel): the services organiser sees
what residents look for, how often, and what found nothing. The searches are
anonymous and people type anything into them: a name, a PESEL, a phone
number, a diagnosis. So only words that could name a service are kept
(security review, issue 9):

- a piece of the query (between spaces) holding a digit, an "@", "://" or a
  dot between letters is dropped whole: PESELs, phone numbers in any format
  ("+48 600 100 200", "600-100-200", "(22) 612 34 56"), e-mail addresses,
  URLs, house numbers;
- the rest is folded as the search folds it; a word is dropped when it is
  shorter than 3 or longer than 30 letters, a function word (the search's
  STOPWORDS), a piece of an address ("www", "com"), a common Polish first name
  or surname or one of its usual inflected forms (data/personal_names.txt),
  or equal to the first or last name of anyone in the residents register
  (one indexed query per batch of searches, the register is never loaded);
- at most 5 words stay, in the order typed; nothing is stored when nothing
  is left.

The rule runs in two halves: `candidate_words` (no database) when a search
is counted, `finish_texts` (the register) when a batch is written, so the
query as typed is never kept, not even in memory.

A name that is also a word ("Róża", "Sowa") is dropped like any other name,
even alone: a search of one first name is far more likely someone looking
for a person than for a service, and such a row would tell the organiser
nothing the catalogue can act on. Health words such as "depresja" stay:
alone they name a need, not a person.

The table stays small: rows of days more than 12 months back are deleted and
at most COUNT_MAX_ROWS rows are kept (the least recently seen give way);
both happen with a process's first batch and then every ten minutes of
batches (statistics.BOUND_SECONDS). In between, the organiser's lists read
only the period asked for. How fast one client address may add texts the
table does not hold yet (TEXT_RATE) is checked by statistics.py.

Rows stored before this rule: the organiser's lists show only texts that
pass the rule today (`visible_texts`), and `flask catalogue
purge-search-misses` (`purge_search_counts`) rewrites or deletes the others
once; run it once when deploying issue 9.
"""
import re
from datetime import timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..core import hooks
from ..timeutil import WARSAW, now
from .models import SearchCount
from .search import STOPWORDS, clean_query, fold

TEXT_MAX_WORDS = 5
TEXT_MIN_WORD = 3
TEXT_MAX_WORD = 30
# Per (text, day): a few hundred texts a day for a year stay well within it.
COUNT_MAX_ROWS = 50_000
COUNT_KEEP_DAYS = 365
# Texts one client address may add to the table (texts it holds already are
# counted whoever asks), in the shared rate-limit store.
TEXT_RATE = "20 per hour"

NAMES_FILE = Path(__file__).with_name("data") / "personal_names.txt"
# An e-mail address, a URL or a domain name ("jan@x.pl", "https://…", "wp.pl").
_ADDRESS = re.compile(r"@|://|[^\W\d_]\.[^\W\d_]")
# What is left of an address once folded: never a service.
ADDRESS_WORDS = frozenset("www http https mailto com net org info biz".split())
# A row stored before issue 9 holding any of these held an address (folded,
# "jan kowalski gmail com"): the whole row goes, as where it ended is unknown.
_OLD_ADDRESS_MARKERS = ADDRESS_WORDS | frozenset("pl eu fm io de uk".split())
_IN_CHUNK = 500


# --- personal names ------------------------------------------------------------

def _inflected(name):
    """A folded name with the forms a search is likely to use: both genders
    and the cases of Kowalski, the genitive of Anna, Jan's genitive, dative
    and instrumental. A wrong guess only adds a word no one types."""
    forms = {name}
    for ending in ("dzki", "dzka", "ski", "ska", "cki", "cka"):
        if name.endswith(ending):
            stem = name[:-1]
            forms.update(stem + suffix for suffix in ("i", "a", "iego", "iej", "iemu", "im", "ich"))
            return forms
    if name.endswith(("ka", "ga", "ia")):  # Agnieszki, Jadwigi, Marii
        forms.add(name[:-1] + "i")
    elif name.endswith("ja"):  # Mai
        forms.add(name[:-2] + "i")
    elif name.endswith("a"):  # Anny
        forms.add(name[:-1] + "y")
    else:
        stems = {name}
        if len(name) >= 5 and name[-2] == "e" and name[-1] in "klc":  # Marek -> Marka, Paweł -> Pawła
            stems.add(name[:-2] + name[-1])
        for stem in stems:
            forms.update({stem + "a", stem + "owi", stem + ("iem" if stem[-1] in "kg" else "em")})
    return forms


@cache
def personal_names():
    """The shipped list of common Polish first names and surnames, folded,
    with their usual inflected forms (read once per process)."""
    names = set()
    with NAMES_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            word = line.strip()
            if word and not word.startswith("#"):
                names.update(_inflected(word))
    return frozenset(names)


def _registered_names(session, words):
    """Which of `words` are a first or last name in the residents register
    (the register answers through hooks.registered_names: the catalogue sits
    below it)."""
    words = sorted(set(words))
    found = set()
    if words:
        for names in hooks.registered_names.call(session, words):
            found.update(names)
    return found


# --- what a counted search may keep ------------------------------------------------

def _candidates(pieces):
    """The folded words of `pieces` that could name a service, in order and
    without repeats, before the register is asked."""
    names = personal_names()
    kept = []
    for piece in pieces:
        if any(ch.isnumeric() for ch in piece) or _ADDRESS.search(piece):
            continue
        for word in fold(piece).split():
            if (TEXT_MIN_WORD <= len(word) <= TEXT_MAX_WORD and word.isalpha()
                    and word not in STOPWORDS and word not in ADDRESS_WORDS
                    and word not in names and word not in kept):
                kept.append(word)
    return kept


def candidate_words(query):
    """The first half of the rule, without the database: the words of a
    query that may be kept unless the register knows them as a name."""
    return tuple(_candidates(clean_query(query).split()))


def finish_texts(session, candidate_lists):
    """The second half: each list of candidate words as the text kept
    ('' for nothing), the register asked once for all of them."""
    registered = _registered_names(session, [w for words in candidate_lists for w in words])
    return [" ".join([w for w in words if w not in registered][:TEXT_MAX_WORDS]) for words in candidate_lists]


def search_text(session, query):
    """What may be kept of a search ('' for nothing)."""
    return finish_texts(session, [candidate_words(query)])[0]


def _stored_texts_cleaned(session, texts):
    """Each stored (folded) text as the rule would keep it today."""
    lists = []
    for text in texts:
        words = (text or "").split()
        lists.append([] if _OLD_ADDRESS_MARKERS.intersection(words) else _candidates(words))
    return finish_texts(session, lists)


def visible_texts(session, texts):
    """The texts that pass the rule today: those stored before it, or
    naming someone registered since, are not shown (the purge removes them)."""
    cleaned = _stored_texts_cleaned(session, texts)
    return {text for text, kept in zip(texts, cleaned) if text == kept}


def local_day(moment):
    return moment.astimezone(WARSAW).date()


def count_cutoff(moment):
    """Rows of days before this one are expired."""
    return local_day(moment) - timedelta(days=COUNT_KEEP_DAYS)


# --- writing ---------------------------------------------------------------------------

def _bound(session, moment, max_rows=None):
    """Delete the rows of days more than COUNT_KEEP_DAYS back, then keep the
    `max_rows` (COUNT_MAX_ROWS) most recently seen. Returns (expired,
    dropped over the cap)."""
    max_rows = COUNT_MAX_ROWS if max_rows is None else max_rows
    expired = session.execute(
        delete(SearchCount).where(SearchCount.day < count_cutoff(moment)),
        execution_options={"synchronize_session": False},
    ).rowcount
    capped = 0
    if session.scalar(select(func.count()).select_from(SearchCount)) > max_rows:
        over = (select(SearchCount.id)
                .order_by(SearchCount.day.desc(), SearchCount.last_at.desc(), SearchCount.id.desc())
                .offset(max_rows))
        capped = session.execute(
            delete(SearchCount).where(SearchCount.id.in_(over)),
            execution_options={"synchronize_session": False},
        ).rowcount
    return expired, capped


def write_search_counts(session, tallies, *, moment, bound=True, max_rows=None):
    """Add a batch of counts: `tallies` maps (day, text) to (searches,
    misses, results of the latest, when the latest was). One upsert, its
    rows in (day, text) order so that two processes writing at once lock
    them in the same order; then, when `bound`, expiry and the cap. A miss
    puts a handled text back on the organiser's list. The caller commits."""
    rows = [{"day": day, "query": text, "searches": searches, "misses": misses, "results": results,
             "last_at": last_at, "handled": False}
            for (day, text), (searches, misses, results, last_at) in sorted(tallies.items())
            if text and searches > 0]
    if rows:
        # One statement for any batch, its rows as parameters: compiled once
        # per process (a VALUES list of 50 rows would be compiled anew each
        # time); on the table, not the class: the ORM's bulk path costs more.
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        table = SearchCount.__table__
        statement = insert(table)
        new = statement.excluded
        later = new.last_at >= table.c.last_at
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.day, table.c.query],
            set_={
                "searches": table.c.searches + new.searches,
                "misses": table.c.misses + new.misses,
                "results": case((later, new.results), else_=table.c.results),
                "last_at": case((later, new.last_at), else_=table.c.last_at),
                "handled": case((new.misses > 0, False), else_=table.c.handled),
            },
        )
        session.execute(statement, rows)
    if bound:
        _bound(session, moment, max_rows)
    return len(rows)


def mark_handled(session, text):
    """The organiser dealt with a missed text (a synonym, or off the list):
    every row of it leaves the list of misses until it misses again."""
    return session.execute(
        update(SearchCount).where(SearchCount.query == text, SearchCount.handled.is_(False)).values(handled=True),
        execution_options={"synchronize_session": False},
    ).rowcount


def purge_search_counts(session):
    """Apply today's rule to every stored row (run once after issue 9, safe
    to run again): rows left with nothing are deleted, the others rewritten,
    rows of one day that end with the same text merged (counts added, the
    latest's results kept); then expiry and the cap. Returns the counts for
    the log of the command, never any text."""
    moment = now()
    rows = session.execute(select(SearchCount.id, SearchCount.day, SearchCount.query, SearchCount.searches,
                                  SearchCount.misses, SearchCount.results, SearchCount.last_at,
                                  SearchCount.handled).order_by(SearchCount.id)).all()
    cleaned = _stored_texts_cleaned(session, [row.query for row in rows])
    doomed, groups = [], {}
    for row, text in zip(rows, cleaned):
        if text:
            groups.setdefault((row.day, text), []).append(row)
        else:
            doomed.append(row.id)
    emptied = len(doomed)
    changes = []
    for (_day, text), members in groups.items():
        keeper = next((row for row in members if row.query == text), members[0])
        if len(members) == 1 and keeper.query == text:
            continue
        doomed.extend(row.id for row in members if row is not keeper)
        latest = max(members, key=lambda row: row.last_at)
        changes.append((keeper.id, {
            "query": text,
            "searches": sum(row.searches or 0 for row in members),
            "misses": sum(row.misses or 0 for row in members),
            "results": latest.results,
            "last_at": latest.last_at,
            "handled": all(row.handled for row in members),
        }))
    # Deleted first: a rewritten row may take the text of a row that goes.
    for start in range(0, len(doomed), _IN_CHUNK):
        session.execute(delete(SearchCount).where(SearchCount.id.in_(doomed[start:start + _IN_CHUNK])),
                        execution_options={"synchronize_session": False})
    for row_id, values in changes:
        session.execute(update(SearchCount).where(SearchCount.id == row_id).values(**values),
                        execution_options={"synchronize_session": False})
    expired, capped = _bound(session, moment)
    return {"deleted": emptied, "merged": len(doomed) - emptied, "rewritten": len(changes),
            "expired": expired, "capped": capped}


__all__ = [
    "TEXT_RATE", "candidate_words", "finish_texts", "mark_handled", "personal_names", "purge_search_counts",
    "search_text", "visible_texts", "write_search_counts",
]
