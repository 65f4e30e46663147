"""Catalogue operations. Plain functions with an explicit actor; no request."""
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..timeutil import now
from .models import SearchMiss
from .search import fold


def record_search_miss(session, query):
    """Count a search that found nothing. Only the folded text is kept."""
    text = fold(query)[:200]
    if len(text) < 3:
        return
    moment = now()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(SearchMiss).values(query=text, count=1, first_at=moment, last_at=moment)
    statement = statement.on_conflict_do_update(
        index_elements=[SearchMiss.query],
        set_={"count": SearchMiss.count + 1, "last_at": moment},
    )
    session.execute(statement)


__all__ = ["record_search_miss", "func"]
