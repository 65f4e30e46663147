"""Records for the contracts' tests: two NGOs and a company with their
services (the delivery register's rows made by tests/reports/indicators_fixtures.py
`rows`), the services organiser, and a contract maker through the service."""
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from portal.auth.models import Role
from tests.reports.indicators_fixtures import NOW, TODAY, frozen, rows  # noqa: F401

__all__ = ["NOW", "TODAY", "frozen", "rows", "world"]


@pytest.fixture
def world(app, rows, auth):
    """Thursday 15 October 2026. Stowarzyszenie Rozwoju (an association) runs a
    club counted in meetings and a community centre counted in days;
    Wojcieszkowianka (a social cooperative) home care in hours; Opieka Sp. z o.o.
    (a company) transport in trips."""
    from portal.contracts import services as contracts
    from portal.extensions import db

    organiser = auth.user(Role.SERVICES_ORGANISER)
    srgw = rows.make_provider(name="Stowarzyszenie Rozwoju Gminy Wojcieszków", slug="srgw",
                              provider_type="association")
    coop = rows.make_provider(name="Spółdzielnia Socjalna „Wojcieszkowianka”", slug="wojcieszkowianka",
                              provider_type="social_economy")
    company = rows.make_provider(name="Opieka Sp. z o.o.", slug="opieka", provider_type="company")
    club = rows.make_service("Klub Seniora w Bęczkowie", unit="meeting", delivery_mode="group", provider=srgw)
    centre = rows.make_service("Świetlica socjoterapeutyczna", unit="day", delivery_mode="individual", provider=srgw)
    care = rows.make_service("Pakiet Opieka Plus", unit="hour", delivery_mode="individual", provider=coop)
    transport = rows.make_service("Transport door-to-door", unit="trip", delivery_mode="individual",
                                  provider=company)

    def contract(provider, lines, *, number="CUS.526.1.2026", mode="open_competition", starts_on=date(2026, 1, 1),
                 ends_on=date(2027, 12, 31), amount="1146520.00", **fields):
        data = {"number": number, "provider_id": provider.id, "mode": mode,
                "reference": "Otwarty konkurs ofert nr 1/2026", "reference_date": date(2025, 11, 14),
                "starts_on": starts_on, "ends_on": ends_on, "amount": Decimal(amount), "notes": "",
                "lines": [(service.id, Decimal(volume), None if not part else Decimal(part[0]))
                          for service, volume, *part in lines]}
        data.update(fields)
        made = contracts.create(db.session, data, actor=organiser)
        db.session.commit()
        return made

    return SimpleNamespace(organiser=organiser, srgw=srgw, coop=coop, company=company, club=club, centre=centre,
                           care=care, transport=transport, contract=contract, rows=rows)
