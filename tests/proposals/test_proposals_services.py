"""The proposals' operations: every rule and refusal, the JSON form of the
data, and what a change is (the fields that differ from the base)."""
from datetime import date, time
from decimal import Decimal

import pytest

from portal.auth.models import Role
from portal.core.errors import DataError, NotAllowed, TransitionError, VersionConflict


@pytest.fixture
def ops(app):
    from portal.proposals import services

    return services


@pytest.fixture
def db(app):
    from portal.extensions import db

    return db


def data_of(service, **changes):
    from portal.manage import services as catalogue

    data = catalogue.service_data(service)
    data.update(changes)
    return data


def test_the_data_goes_to_json_and_back_unchanged(ops):
    data = {"name": "Klub", "valid_from": date(2026, 3, 1), "fee_amount": Decimal("12.50"), "areas": ["culture"],
            "place_ids": [3], "schedule_rules": [{"weekday": 1, "opens": time(10), "closes": time(12, 30),
                                                  "valid_from": None, "valid_to": date(2026, 6, 30), "label": None}],
            "closures": [{"starts_on": date(2026, 8, 1), "ends_on": date(2026, 8, 14), "reason": "Urlop"}],
            "discounts": [{"entitled": "Seniorzy", "amount": Decimal("5.00")}]}
    stored = ops.to_json(data)
    assert stored["valid_from"] == "2026-03-01" and stored["fee_amount"] == "12.50"
    assert stored["schedule_rules"][0]["opens"] == "10:00"
    assert "provider_id" not in stored and "slug" not in stored and "indicators" not in stored
    back = ops.from_json(stored)
    for key in data:
        assert back[key] == data[key], key


def test_a_change_is_what_differs_from_the_base_in_the_trails_words(ops, db, auth, own_service):
    provider = auth.user(Role.PROVIDER)
    proposal = ops.propose_change(db.session, own_service,
                                  data_of(own_service, goal="", fee_amount=Decimal("0"), name="Klub „Jesień”"),
                                  actor=provider, base_version=own_service.version)
    # "" and None, an empty fee and zero: the same; only the name changes.
    assert ops.changes_of(proposal) == {"name": "Klub „Jesień”"}


def test_an_organisers_edit_of_another_field_stays_on_acceptance(ops, db, auth, own_service):
    from portal.manage import services as catalogue

    provider, organiser = auth.user(Role.PROVIDER), auth.user(Role.SERVICES_ORGANISER)
    proposal = ops.propose_change(db.session, own_service, data_of(own_service, name="Klub „Jesień”"),
                                  actor=provider, base_version=own_service.version)
    catalogue.update_service(own_service, data_of(own_service, contact_name="Anna Nowak"), actor=organiser,
                             expected_version=own_service.version)
    with pytest.raises(VersionConflict):
        ops.accept(db.session, proposal, actor=organiser, expected_version=proposal.version,
                   service_version=proposal.base_version)
    ops.accept(db.session, proposal, actor=organiser, expected_version=proposal.version,
               service_version=own_service.version)
    assert (own_service.name, own_service.contact_name) == ("Klub „Jesień”", "Anna Nowak")


def test_a_provider_proposes_only_for_its_own_live_services_one_at_a_time(ops, db, auth, own_service,
                                                                          other_service):
    provider = auth.user(Role.PROVIDER)
    with pytest.raises(NotAllowed):
        ops.propose_change(db.session, other_service, data_of(other_service), actor=provider,
                           base_version=other_service.version)
    with pytest.raises(VersionConflict):
        ops.propose_change(db.session, own_service, data_of(own_service), actor=provider,
                           base_version=own_service.version - 1)
    with pytest.raises(DataError) as refused:
        ops.propose_change(db.session, own_service, data_of(own_service, name=" "), actor=provider,
                           base_version=own_service.version)
    assert refused.value.field == "name"
    ops.propose_change(db.session, own_service, data_of(own_service), actor=provider,
                       base_version=own_service.version)
    with pytest.raises(TransitionError):
        ops.propose_change(db.session, own_service, data_of(own_service), actor=provider,
                           base_version=own_service.version)
    own_service.status = "archived"
    with pytest.raises(TransitionError):
        ops.propose_change(db.session, own_service, data_of(own_service), actor=provider,
                           base_version=own_service.version)


def test_only_a_provider_account_proposes_a_new_service(ops, db, auth):
    from portal.manage import services as catalogue

    with pytest.raises(NotAllowed):
        ops.propose_new(db.session, {**catalogue.service_defaults(), "name": "Warsztaty"},
                        actor=auth.user(Role.SERVICES_ORGANISER))


def test_the_flow_refuses_steps_out_of_turn(ops, db, auth, own_service):
    provider, organiser = auth.user(Role.PROVIDER), auth.user(Role.SERVICES_ORGANISER)
    proposal = ops.propose_change(db.session, own_service, data_of(own_service, goal="Integracja."),
                                  actor=provider, base_version=own_service.version)
    with pytest.raises(DataError) as refused:
        ops.send_back(db.session, proposal, "   ", actor=organiser, expected_version=proposal.version)
    assert refused.value.field == "message"
    with pytest.raises(DataError):
        ops.send_back(db.session, proposal, "x" * (ops.MESSAGE_MAX + 1), actor=organiser,
                      expected_version=proposal.version)
    with pytest.raises(VersionConflict):
        ops.send_back(db.session, proposal, "Popraw.", actor=organiser, expected_version=proposal.version + 1)
    ops.send_back(db.session, proposal, "Popraw.", actor=organiser, expected_version=proposal.version)
    db.session.flush()
    with pytest.raises(TransitionError):
        ops.accept(db.session, proposal, actor=organiser, expected_version=proposal.version,
                   service_version=proposal.base_version)
    with pytest.raises(TransitionError):
        ops.send_back(db.session, proposal, "Jeszcze raz.", actor=organiser, expected_version=proposal.version)
    ops.withdraw(db.session, proposal, actor=provider, expected_version=proposal.version)
    db.session.flush()
    with pytest.raises(TransitionError):
        ops.withdraw(db.session, proposal, actor=provider, expected_version=proposal.version)
    with pytest.raises(TransitionError):
        ops.revise(db.session, proposal, data_of(own_service), actor=provider, expected_version=proposal.version,
                   base_version=own_service.version)


def test_another_provider_may_not_withdraw_or_revise(ops, db, auth, own_service, make_user):
    from portal.auth.services import create_user
    from portal.catalogue.models import Provider

    provider = auth.user(Role.PROVIDER)
    proposal = ops.propose_change(db.session, own_service, data_of(own_service, goal="Integracja."),
                                  actor=provider, base_version=own_service.version)
    elsewhere = Provider(name="Fundacja Inna", slug="fundacja-inna-2", provider_type="foundation")
    db.session.add(elsewhere)
    db.session.flush()
    stranger = create_user("obcy", "Obcy Realizator", Role.PROVIDER, None, provider_id=elsewhere.id)
    with pytest.raises(NotAllowed):
        ops.withdraw(db.session, proposal, actor=stranger, expected_version=proposal.version)
    with pytest.raises(NotAllowed):
        ops.revise(db.session, proposal, data_of(own_service), actor=stranger, expected_version=proposal.version,
                   base_version=own_service.version)
    assert proposal.state == "submitted"
