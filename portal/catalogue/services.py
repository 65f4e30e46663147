"""Catalogue operations. Plain functions with an explicit session; no request.

Searches that found nothing (`SearchMiss`) show the services organiser what
residents look for and do not find. The searches are anonymous and people
type anything into them: a name, a PESEL, a phone number, a diagnosis. So
only words that could name a service are kept (security review, issue 9):

- a piece of the query (between spaces) holding a digit, an "@", "://" or a
  dot between letters is dropped whole: PESELs, phone numbers in any format
  ("+48 600 100 200", "600-100-200", "(22) 612 34 56"), e-mail addresses,
  URLs, house numbers;
- the rest is folded as the search folds it; a word is dropped when it is
  shorter than 3 or longer than 30 letters, a function word (the search's
  STOPWORDS), a piece of an address ("www", "com"), a common Polish first name
  or surname or one of its usual inflected forms (data/personal_names.txt),
  or equal to the first or last name of anyone in the residents register
  (one indexed query per search, the register is never loaded);
- at most 5 words stay, in the order typed; nothing is stored when nothing
  is left.

A name that is also a word ("Róża", "Sowa") is dropped like any other name,
even alone: a search of one first name that found nothing is far more
likely someone looking for a person than for a service, and such a row would
tell the organiser nothing the catalogue can act on. Health words such as
"depresja" stay: alone they name a need, not a person.

The table stays small: rows not seen for 12 months are deleted and at most
2,000 rows are kept (the least recently seen give way). Both happen with
every write, two statements over a table of at most 2,000 rows; in between,
the organiser's list hides expired rows. How fast one client address may add
(MISS_RATE) is the caller's to check, through `may_add`.

Rows stored before this rule: the organiser's list shows only rows whose
text passes the rule today (`visible_search_misses`), and
`flask catalogue purge-search-misses` (`purge_search_misses`) rewrites or
deletes the others once; run it once when deploying this change.
"""
import re
from datetime import timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..core import hooks
from ..timeutil import now
from .models import SearchMiss
from .search import STOPWORDS, clean_query, fold

MISS_MAX_WORDS = 5
MISS_MIN_WORD = 3
MISS_MAX_WORD = 30
MISS_MAX_ROWS = 2000
MISS_KEEP = timedelta(days=365)
# Rows added per client address, counted in the shared rate-limit store.
MISS_RATE = "20 per hour"

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


# --- what a search miss may keep ---------------------------------------------------

def _candidates(pieces):
    """The folded words of `pieces` that could name a service, in order and
    without repeats, before the register is asked."""
    names = personal_names()
    kept = []
    for piece in pieces:
        if any(ch.isnumeric() for ch in piece) or _ADDRESS.search(piece):
            continue
        for word in fold(piece).split():
            if (MISS_MIN_WORD <= len(word) <= MISS_MAX_WORD and word.isalpha()
                    and word not in STOPWORDS and word not in ADDRESS_WORDS
                    and word not in names and word not in kept):
                kept.append(word)
    return kept


def _finish(session, candidate_lists):
    registered = _registered_names(session, [w for words in candidate_lists for w in words])
    return [" ".join([w for w in words if w not in registered][:MISS_MAX_WORDS]) for words in candidate_lists]


def search_miss_text(session, query):
    """What may be kept of a search that found nothing ('' for nothing)."""
    return _finish(session, [_candidates(clean_query(query).split())])[0]


def _stored_texts_cleaned(session, texts):
    """Each stored (folded) text as the rule would keep it today."""
    lists = []
    for text in texts:
        words = (text or "").split()
        lists.append([] if _OLD_ADDRESS_MARKERS.intersection(words) else _candidates(words))
    return _finish(session, lists)


def visible_search_misses(session, misses):
    """The rows whose text passes the rule today: rows stored before it, or
    naming someone registered since, are not shown (the purge removes them)."""
    cleaned = _stored_texts_cleaned(session, [miss.query for miss in misses])
    return [miss for miss, text in zip(misses, cleaned) if text == miss.query]


def search_miss_cutoff(moment):
    """Rows last seen before this are expired."""
    return moment - MISS_KEEP


# --- writing ---------------------------------------------------------------------------

def _bound(session, moment):
    """Expire rows not seen for MISS_KEEP, then keep the MISS_MAX_ROWS most
    recently seen. Returns (expired, dropped over the cap)."""
    expired = session.execute(
        delete(SearchMiss).where(SearchMiss.last_at < search_miss_cutoff(moment)),
        execution_options={"synchronize_session": False},
    ).rowcount
    over = (select(SearchMiss.id).order_by(SearchMiss.last_at.desc(), SearchMiss.id.desc())
            .offset(MISS_MAX_ROWS))
    capped = session.execute(
        delete(SearchMiss).where(SearchMiss.id.in_(over)),
        execution_options={"synchronize_session": False},
    ).rowcount
    return expired, capped


def record_search_miss(session, query, *, may_add=None):
    """Count a search that found nothing, keeping only words that could name
    a service. `may_add` (the caller's per-address limit) is asked only when
    something would be stored; False stores nothing. Returns the text
    stored, or None."""
    text = search_miss_text(session, query)
    if not text or (may_add is not None and not may_add()):
        return None
    moment = now()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(SearchMiss).values(query=text, count=1, first_at=moment, last_at=moment)
    statement = statement.on_conflict_do_update(
        index_elements=[SearchMiss.query],
        set_={"count": SearchMiss.count + 1, "last_at": moment},
    )
    session.execute(statement)
    _bound(session, moment)
    return text


def purge_search_misses(session):
    """Apply today's rule to every stored row (run once after issue 9, safe
    to run again): rows left with nothing are deleted, the others rewritten,
    rows that end with the same text merged (counts added, first and last
    seen kept); then expiry and the cap. Returns the counts for the log of
    the command, never any text."""
    moment = now()
    rows = session.execute(select(SearchMiss.id, SearchMiss.query, SearchMiss.count,
                                  SearchMiss.first_at, SearchMiss.last_at).order_by(SearchMiss.id)).all()
    cleaned = _stored_texts_cleaned(session, [row.query for row in rows])
    doomed, groups = [], {}
    for row, text in zip(rows, cleaned):
        if text:
            groups.setdefault(text, []).append(row)
        else:
            doomed.append(row.id)
    emptied = len(doomed)
    changes = []
    for text, members in groups.items():
        keeper = next((row for row in members if row.query == text), members[0])
        if len(members) == 1 and keeper.query == text:
            continue
        doomed.extend(row.id for row in members if row is not keeper)
        changes.append((keeper.id, {
            "query": text,
            "count": sum(row.count or 0 for row in members),
            "first_at": min(row.first_at for row in members),
            "last_at": max(row.last_at for row in members),
        }))
    # Deleted first: a rewritten row may take the text of a row that goes.
    for start in range(0, len(doomed), _IN_CHUNK):
        session.execute(delete(SearchMiss).where(SearchMiss.id.in_(doomed[start:start + _IN_CHUNK])),
                        execution_options={"synchronize_session": False})
    for row_id, values in changes:
        session.execute(update(SearchMiss).where(SearchMiss.id == row_id).values(**values),
                        execution_options={"synchronize_session": False})
    expired, capped = _bound(session, moment)
    return {"deleted": emptied, "merged": len(doomed) - emptied, "rewritten": len(changes),
            "expired": expired, "capped": capped}


__all__ = [
    "MISS_RATE", "personal_names", "purge_search_misses", "record_search_miss",
    "search_miss_text", "visible_search_misses",
]
