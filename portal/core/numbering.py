"""Numbers per year from a counter table: IPUS/1/2026, SW/1/2026, ...

A counter table has one row per year (`year` primary key, `last_value`).
The number is taken in the same transaction that makes the record. The
UPDATE of that row is the serialisation point: PostgreSQL makes a second
writer wait on the row lock and then re-reads the incremented value; SQLite
lets one writer at a time in. A first number of the year inserts the row
with ON CONFLICT DO NOTHING, so two first numbers racing on New Year's Day
cannot both create it. The record's unique constraint on (year, number) is
the last line of defence.
"""
from sqlalchemy import select, update

__all__ = ["take_number"]


def _insert_ignore(session, counter, year):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the portal runs on these two
        raise RuntimeError(f"numbering does not support {dialect}")
    session.execute(insert(counter).values(year=year, last_value=0).on_conflict_do_nothing(index_elements=["year"]))


def take_number(session, counter, year):
    """The next number of `year` from the counter table `counter`, reserved
    in the caller's transaction (given back if the transaction rolls back)."""
    bump = update(counter).where(counter.c.year == year).values(last_value=counter.c.last_value + 1)
    if session.execute(bump).rowcount == 0:
        _insert_ignore(session, counter, year)
        session.execute(bump)
    return session.scalar(select(counter.c.last_value).where(counter.c.year == year))
