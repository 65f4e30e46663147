"""The contracts list: filters (provider, mode, state) and each contract's figures."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .figures import RUNNING, contract_figures, state_of
from .models import MODES, Contract, ContractAmendment, ContractService

FILTER_STATES = ("active", "ending", "used", "ended", "upcoming")


def _query():
    return (select(Contract)
            .options(selectinload(Contract.provider),
                     selectinload(Contract.lines).selectinload(ContractService.service),
                     selectinload(Contract.amendments).selectinload(ContractAmendment.volumes))
            .order_by(Contract.starts_on.desc(), Contract.number, Contract.id))


def contracts_list(session, today, *, provider_id=None, mode=None, state=None):
    """[ContractFigures] of the contracts that pass the filters."""
    query = _query()
    if provider_id:
        query = query.where(Contract.provider_id == provider_id)
    if mode in MODES:
        query = query.where(Contract.mode == mode)
    found = []
    for contract in session.scalars(query):
        current = state_of(contract, today)
        if state == "active" and current not in RUNNING:
            continue
        if state == "ending" and current != "ending":
            continue
        if state == "ended" and current not in ("ended", "terminated"):
            continue
        if state == "upcoming" and current != "upcoming":
            continue
        if state == "used" and current not in RUNNING:
            continue
        figures = contract_figures(session, contract, today)
        if state == "used" and not figures.nearly_used:
            continue
        found.append(figures)
    return found


def running_figures(session, today):
    """The figures of the contracts running today (the start page's alerts)."""
    return contracts_list(session, today, state="active")
