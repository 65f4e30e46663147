"""The demo's contracts: Wojcieszków's 7 services contracted to 2 NGOs for
2 021 928,40 zł through open competitions, and a small art. 19a task ending
within 60 days of the demo's day."""
from decimal import Decimal

from sqlalchemy import select

from portal.catalogue.models import NGO_PROVIDER_TYPES
from portal.contracts.figures import contract_figures
from portal.contracts.models import Contract
from portal.extensions import db
from portal.timeutil import local_now
from tests.helpers import seed_demo


def test_demo_contracts(app):
    from portal.demo.contracts import seed_contracts

    seed_demo(through="complaints")
    assert seed_contracts(db.session) == {"contracts": 3}
    db.session.commit()
    found = db.session.scalars(select(Contract).order_by(Contract.number)).all()
    competitions = [c for c in found if c.mode == "open_competition"]
    assert [c.provider.name for c in competitions] == ["Stowarzyszenie Rozwoju Gminy Wojcieszków",
                                                       "Spółdzielnia Socjalna „Wojcieszkowianka”"]
    assert all(c.provider.provider_type in NGO_PROVIDER_TYPES for c in competitions)
    assert sum(len(c.lines) for c in competitions) == 7
    assert sum(c.current_amount for c in competitions) == Decimal("2021928.40")
    today = local_now().date()
    small = next(c for c in found if c.mode == "simplified")
    figures = contract_figures(db.session, small, today)
    assert figures.ending_soon and figures.days_left == 45
    assert seed_contracts(db.session) is None  # a second run adds nothing
