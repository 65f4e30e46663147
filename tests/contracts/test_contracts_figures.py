"""What a contract gives (portal/contracts/figures.py): delivered against
contracted from real rows of the delivery register, the states on a day,
the alerts, and the contract value in the providers report."""
from datetime import date
from decimal import Decimal

from portal.contracts import services as contracts
from portal.contracts.figures import alerts, contract_figures, contract_values, state_of
from portal.extensions import db
from portal.reports.providers_report import providers_report
from tests.contracts.contracts_fixtures import TODAY


def _by_name(figures):
    return {line.service.name: line for line in figures.lines}


def test_delivered_counts_each_unit_by_the_contracts_provider_in_its_period(app, world):
    rows = world.rows
    contract = world.contract(world.srgw, [(world.club, 10), (world.centre, 480)], starts_on=date(2026, 1, 1),
                              ends_on=date(2026, 12, 31))
    care = world.contract(world.coop, [(world.care, "10", "5000.00")], number="CUS.526.2.2026", amount="5000.00")
    zofia, marek = rows.person(), rows.person("Marek", "Kowalczyk")
    # The club (group, in meetings): the held sessions in the period, by the contract's provider.
    rows.session(world.club, date(2026, 3, 3), attendees=[zofia, marek])
    rows.session(world.club, date(2026, 3, 10), attendees=[zofia])
    rows.session(world.club, date(2026, 3, 17))  # held with nobody on record: still a meeting held
    rows.session(world.club, date(2026, 3, 24), status="cancelled")
    rows.session(world.club, date(2025, 12, 30))  # before the contract
    rows.session(world.club, date(2026, 3, 31), provider=world.company)  # by another provider
    # The community centre (individual, in days): the entries' quantities.
    rows.entry(world.centre, zofia, date(2026, 4, 1), "1")
    rows.entry(world.centre, marek, date(2026, 4, 2), "2")
    # Home care (individual, in hours): 2,5 + 4 + 1,5 hours of a consultation's 90 minutes.
    rows.entry(world.care, zofia, date(2026, 5, 4), "2.5")
    rows.entry(world.care, marek, date(2026, 5, 5), "4")
    rows.consultation(world.care, date(2026, 5, 6), minutes=90, resident=zofia)
    figures = _by_name(contract_figures(db.session, contract, TODAY))
    assert (figures["Klub Seniora w Bęczkowie"].delivered, figures["Klub Seniora w Bęczkowie"].volume) == (3, 10)
    assert figures["Klub Seniora w Bęczkowie"].percent == Decimal("30.0")
    assert figures["Świetlica socjoterapeutyczna"].delivered == 3
    assert figures["Świetlica socjoterapeutyczna"].percent == Decimal("0.6")
    home = _by_name(contract_figures(db.session, care, TODAY))["Pakiet Opieka Plus"]
    assert (home.delivered, home.remaining, home.percent) == (Decimal(8), Decimal(2), Decimal("80.0"))
    assert not home.nearly_used
    # The value delivered: the service's amount pro rata to the volume delivered.
    assert home.value_delivered == Decimal("4000.00")
    assert contract_figures(db.session, care, TODAY).value_percent == Decimal("80.0")
    # Without an amount for each service, no value is computed.
    assert contract_figures(db.session, contract, TODAY).value_delivered is None


def test_people_and_hours_of_group_services(app, world, make_service):
    rows = world.rows
    members = make_service("Klub Samopomocy", unit="person", delivery_mode="group", provider=world.srgw)
    gym = make_service("Gimnastyka", unit="hour", delivery_mode="group", provider=world.srgw)
    contract = world.contract(world.srgw, [(members, 4), (gym, 10)])
    zofia, marek = rows.person(), rows.person("Marek", "Kowalczyk")
    rows.session(members, date(2026, 3, 3), attendees=[zofia, marek])
    rows.session(members, date(2026, 3, 10), attendees=[zofia])
    rows.session(gym, date(2026, 3, 3), starts="10:00", ends="11:30", attendees=[zofia, marek])
    rows.session(gym, date(2026, 3, 10), starts="10:00", ends="12:00")
    figures = _by_name(contract_figures(db.session, contract, TODAY))
    assert figures["Klub Samopomocy"].delivered == 2  # distinct people
    assert figures["Gimnastyka"].delivered == Decimal("3.5")  # the sessions' hours


def test_states_on_a_day(app, world):
    contract = world.contract(world.srgw, [(world.club, 10)], starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 14))
    assert state_of(contract, date(2025, 12, 31)) == "upcoming"
    assert state_of(contract, date(2026, 10, 15)) == "ending"  # 60 days before 14 December
    assert state_of(contract, date(2026, 10, 14)) == "active"  # 61 days
    assert state_of(contract, date(2026, 12, 15)) == "ended"
    contracts.add_amendment(db.session, contract, {"signed_on": date(2026, 10, 1), "ends_on": date(2027, 6, 30)},
                            actor=world.organiser, expected_version=None)
    db.session.commit()
    assert state_of(contract, date(2026, 12, 15)) == "active"
    contracts.terminate(db.session, contract, {"terminated_on": date(2026, 11, 30), "reason": "Porozumienie stron"},
                        actor=world.organiser, expected_version=None)
    db.session.commit()
    assert state_of(contract, date(2026, 10, 15)) == "terminated"


def test_alerts_ending_within_60_days_and_volume_nearly_used(app, world):
    rows = world.rows
    contract = world.contract(world.srgw, [(world.club, 10), (world.centre, 100)], starts_on=date(2026, 1, 1),
                              ends_on=date(2026, 11, 3))
    for day in range(1, 10):  # 9 of 10 meetings held: 90%
        rows.session(world.club, date(2026, 2, day))
    figures = contract_figures(db.session, contract, TODAY)
    assert figures.ending_soon and figures.days_left == 19
    assert [line.service.name for line in figures.nearly_used] == ["Klub Seniora w Bęczkowie"]
    with app.test_request_context():
        assert alerts(figures) == ["Umowa kończy się za 19 dni (03.11.2026).",
                                   "Wolumen usługi „Klub Seniora w Bęczkowie” wykorzystany w 90%."]
    # An ended contract alerts nothing.
    assert not contract_figures(db.session, contract, date(2026, 11, 4)).alerted


def test_contract_value_share_in_the_providers_report(app, world):
    # Wojcieszków's two open competitions with NGOs (2 021 928,40 zł) and a company's contract.
    world.contract(world.srgw, [(world.club, 208)], amount="1146520.00")
    world.contract(world.coop, [(world.care, 6000)], number="CUS.526.2.2026", amount="875408.40")
    company = world.contract(world.company, [(world.transport, 500)], number="ZP.1.2026", mode="procurement",
                             amount="400000.00", starts_on=date(2026, 3, 1), ends_on=date(2026, 12, 31))
    # Not in the first half of 2026: one that ended before it, one that starts after it, one terminated before it.
    world.contract(world.srgw, [(world.centre, 10)], number="OLD", amount="99999", starts_on=date(2025, 1, 1),
                   ends_on=date(2025, 12, 31))
    world.contract(world.srgw, [(world.centre, 10)], number="NEXT", amount="88888", starts_on=date(2026, 7, 1),
                   ends_on=date(2026, 12, 31))
    gone = world.contract(world.company, [(world.transport, 5)], number="GONE", mode="procurement", amount="77777",
                          starts_on=date(2025, 6, 1), ends_on=date(2026, 12, 31))
    contracts.terminate(db.session, gone, {"terminated_on": date(2025, 12, 31), "reason": "Wypowiedzenie"},
                        actor=world.organiser, expected_version=None)
    # The company's contract amended to 478 071,60 zł: the latest amount counts.
    contracts.add_amendment(db.session, company, {"signed_on": date(2026, 4, 1), "amount": Decimal("478071.60")},
                            actor=world.organiser, expected_version=None)
    db.session.commit()
    first_half = (date(2026, 1, 1), date(2026, 6, 30))
    assert contract_values(db.session, *first_half) == {"association": Decimal("1146520.00"),
                                                        "social_economy": Decimal("875408.40"),
                                                        "company": Decimal("478071.60")}
    value = {row.code: row for row in providers_report(db.session, *first_half).shares}["value"]
    assert (value.ngo, value.others, value.total) == (Decimal("2021928.40"), Decimal("478071.60"),
                                                      Decimal("2500000.00"))
    assert value.percent == Decimal("80.9") and value.met  # 2 021 928,40 / 2 500 000,00 = 80,88%
    app.config["REPORTS_MIN_NGO_SHARE"] = 85
    assert not {row.code: row for row in providers_report(db.session, *first_half).shares}["value"].met
