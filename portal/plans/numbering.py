"""Plan numbers per year: IPUS/1/2026, IPUS/2/2026, ... IPUS/1/2027.

The number is taken from a per-year counter row in the same transaction
that approves the plan (core/numbering.py: the row lock serialises
concurrent approvals). The unique constraint on (number_year, number_seq)
is the last line of defence.
"""
from ..core import numbering
from .models import PlanNumberCounter


def take_number(session, year):
    """The next number of `year`, reserved in the caller's transaction (it is
    given back if the transaction rolls back)."""
    return numbering.take_number(session, PlanNumberCounter.__table__, year)


def format_number(seq, year):
    return f"IPUS/{seq}/{year}"
