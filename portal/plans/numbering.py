"""Plan numbers per year: IPUS/1/2026, IPUS/2/2026, ... IPUS/1/2027.

The number is taken from a per-year counter row in the same transaction
that approves the plan. The UPDATE of that row is the serialisation point:
PostgreSQL makes a second approver wait on the row lock and then re-reads
the incremented value; SQLite lets one writer at a time in. A first number
of the year inserts the row with ON CONFLICT DO NOTHING, so two first
approvals racing on New Year's Day cannot both create it. The unique
constraint on (number_year, number_seq) is the last line of defence.
"""
from sqlalchemy import select, update

from .models import PlanNumberCounter

_counter = PlanNumberCounter.__table__


def _insert_ignore(session, year):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the portal runs on these two
        raise RuntimeError(f"plan numbering does not support {dialect}")
    session.execute(insert(_counter).values(year=year, last_value=0).on_conflict_do_nothing(index_elements=["year"]))


def take_number(session, year):
    """The next number of `year`, reserved in the caller's transaction (it is
    given back if the transaction rolls back)."""
    bump = update(_counter).where(_counter.c.year == year).values(last_value=_counter.c.last_value + 1)
    if session.execute(bump).rowcount == 0:
        _insert_ignore(session, year)
        session.execute(bump)
    return session.scalar(select(_counter.c.last_value).where(_counter.c.year == year))


def format_number(seq, year):
    return f"IPUS/{seq}/{year}"
