"""What the register answers for lower layers (portal/core/hooks.py)."""
from sqlalchemy import select, union

from ..core import hooks
from .models import Resident

# Words per indexed IN: a search asks about a handful, a purge about thousands.
_IN_CHUNK = 500


@hooks.registered_names.connect
def registered_names(session, words):
    """Which of `words` are a first or last name in the register: an indexed
    IN per 500 words, answering at most the words asked about."""
    found = set()
    for start in range(0, len(words), _IN_CHUNK):
        chunk = words[start:start + _IN_CHUNK]
        found.update(session.scalars(union(
            select(Resident.search_first).where(Resident.search_first.in_(chunk)),
            select(Resident.search_last).where(Resident.search_last.in_(chunk)),
        )))
    return found
