"""The contracts' rules (portal/contracts/services.py): what a contract must
hold, the modes' limits, amendments and the current terms, termination."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.contracts import services as contracts
from portal.core.errors import DataError, TransitionError, VersionConflict
from portal.extensions import db


def _data(world, **fields):
    data = {"number": "CUS.526.1.2026", "provider_id": world.srgw.id, "mode": "open_competition",
            "reference": "Otwarty konkurs ofert nr 1/2026", "reference_date": date(2025, 11, 14),
            "starts_on": date(2026, 1, 1), "ends_on": date(2027, 12, 31), "amount": Decimal("1146520.00"),
            "notes": "", "lines": [(world.club.id, Decimal(208)), (world.centre.id, Decimal(480))]}
    data.update(fields)
    return data


def _refused(call, field):
    with pytest.raises(DataError) as error:
        call()
    db.session.rollback()
    assert error.value.field == field
    from flask import current_app

    with current_app.test_request_context():
        return str(error.value.message).replace("\xa0", " ")


def test_a_contract_is_stored_with_its_services_and_audited(app, world):
    made = contracts.create(db.session, _data(world), actor=world.organiser)
    db.session.commit()
    assert (made.number, made.mode, made.amount, made.status) == ("CUS.526.1.2026", "open_competition",
                                                                 Decimal("1146520.00"), "active")
    assert [(line.service.name, line.volume) for line in made.lines] == [
        ("Klub Seniora w Bęczkowie", Decimal(208)), ("Świetlica socjoterapeutyczna", Decimal(480))]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contract_created"))
    assert event.object_id == made.id and event.actor_id == world.organiser.id


def test_what_a_contract_must_hold(app, world):
    def create(**fields):
        return lambda: contracts.create(db.session, _data(world, **fields), actor=world.organiser)

    assert _refused(create(number=" "), "number") == "Podaj numer umowy."
    assert _refused(create(mode="gift"), "mode") == "Wybierz tryb zlecenia."
    assert _refused(create(ends_on=date(2025, 12, 31)), "ends_on") == (
        "Umowa nie może kończyć się przed swoim początkiem.")
    assert _refused(create(amount=Decimal("-1")), "amount") == "Kwota umowy nie może być ujemna."
    assert _refused(create(lines=[]), "lines") == "Wybierz co najmniej jedną usługę umowy i podaj jej wolumen."
    assert _refused(create(lines=[(world.care.id, Decimal(10))]), "lines") == (
        "Usługa „Pakiet Opieka Plus” nie jest usługą tego realizatora.")
    assert _refused(create(lines=[(world.club.id, Decimal(1)), (world.club.id, Decimal(2))]), "lines") == (
        "Usługa „Klub Seniora w Bęczkowie” jest na liście dwa razy.")
    assert _refused(create(lines=[(world.club.id, Decimal(0))]), "lines") == (
        "Podaj wolumen usługi „Klub Seniora w Bęczkowie” większy od zera.")


def test_the_modes_limits(app, world):
    small = dict(mode="simplified", starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 29), amount=Decimal("10000"))
    # 90 days and 10 000,00 zł: allowed.
    assert contracts.create(db.session, _data(world, **small), actor=world.organiser).id
    db.session.rollback()
    assert "najwyżej 10 000,00 zł" in _refused(
        lambda: contracts.create(db.session, _data(world, **{**small, "amount": Decimal("10000.01")}),
                                 actor=world.organiser), "amount")
    assert "najwyżej 90 dni" in _refused(
        lambda: contracts.create(db.session, _data(world, **{**small, "ends_on": date(2026, 11, 30)}),
                                 actor=world.organiser), "ends_on")
    # A direct award to a social cooperative: for a social-economy provider only.
    assert "tylko spółdzielni socjalnej" in _refused(
        lambda: contracts.create(db.session, _data(world, mode="social_cooperative"), actor=world.organiser),
        "provider_id")
    assert contracts.create(db.session, _data(world, mode="social_cooperative", provider_id=world.coop.id,
                                              lines=[(world.care.id, Decimal(100))]), actor=world.organiser).id


def test_an_update_is_versioned_and_audited_with_its_changes(app, world):
    made = world.contract(world.srgw, [(world.club, 208)])
    contracts.update(db.session, made, _data(world, amount=Decimal("1200000"), lines=[(world.club.id, Decimal(200)),
                                                                                     (world.centre.id, Decimal(40))]),
                     actor=world.organiser, expected_version=1)
    db.session.commit()
    assert made.version == 2 and made.amount == Decimal("1200000")
    assert made.current_volumes() == {world.club.id: Decimal(200), world.centre.id: Decimal(40)}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contract_updated"))
    assert event.changes["amount"] == ["1146520.00", "1200000"]
    assert "lines" in event.changes
    with pytest.raises(VersionConflict):
        contracts.update(db.session, made, _data(world), actor=world.organiser, expected_version=1)


def test_amendments_set_the_current_terms_the_latest_first(app, world):
    made = world.contract(world.srgw, [(world.club, 208), (world.centre, 480)])
    contracts.add_amendment(db.session, made, {"signed_on": date(2026, 6, 30), "ends_on": date(2028, 6, 30),
                                               "amount": Decimal("1300000"), "volumes": {world.club.id: Decimal(260)},
                                               "note": "Przedłużenie o pół roku"},
                            actor=world.organiser, expected_version=1)
    db.session.commit()
    contracts.add_amendment(db.session, made, {"signed_on": date(2026, 9, 1), "amount": Decimal("1350000.50"),
                                               "volumes": {world.club.id: None, world.centre.id: Decimal(500)}},
                            actor=world.organiser, expected_version=2)
    db.session.commit()
    assert made.version == 3 and len(made.amendments) == 2
    # Own terms stay; the current ones come from the amendments.
    assert (made.ends_on, made.amount) == (date(2027, 12, 31), Decimal("1146520.00"))
    assert made.current_end == date(2028, 6, 30)
    assert made.current_amount == Decimal("1350000.50")
    assert made.current_volumes() == {world.club.id: Decimal(260), world.centre.id: Decimal(500)}
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contract_amended")).all()
    assert len(events) == 2 and events[0].changes["ends_on"] == ["2027-12-31", "2028-06-30"]


def test_what_an_amendment_may_not_do(app, world):
    made = world.contract(world.srgw, [(world.club, 208)])

    def amend(**data):
        return lambda: contracts.add_amendment(db.session, made, {"signed_on": date(2026, 6, 30), **data},
                                               actor=world.organiser, expected_version=None)

    assert _refused(amend(), "ends_on") == ("Aneks musi zmieniać koniec umowy, kwotę albo wolumen co najmniej "
                                            "jednej usługi.")
    assert _refused(amend(signed_on=None, ends_on=date(2028, 1, 1)), "signed_on") == "Podaj dzień podpisania aneksu."
    assert _refused(amend(signed_on=date(2028, 1, 1), ends_on=date(2028, 6, 1)), "signed_on") == (
        "Aneks podpisuje się przed końcem umowy.")
    assert _refused(amend(volumes={world.care.id: Decimal(5)}), f"volume_{world.care.id}") == (
        "Ta usługa nie jest objęta umową.")
    with pytest.raises(VersionConflict):
        contracts.add_amendment(db.session, made, {"signed_on": date(2026, 6, 30), "amount": Decimal(1)},
                                actor=world.organiser, expected_version=7)
    db.session.rollback()
    # The simplified mode's limits hold for the amended terms.
    small = world.contract(world.srgw, [(world.club, 10)], number="CUS.526.7.2026", mode="simplified",
                           starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 30), amount="9600")
    assert "najwyżej 90 dni" in _refused(lambda: contracts.add_amendment(
        db.session, small, {"signed_on": date(2026, 10, 1), "ends_on": date(2026, 12, 31)}, actor=world.organiser,
        expected_version=None), "ends_on")


def test_terminating_is_final(app, world):
    made = world.contract(world.srgw, [(world.club, 208)])
    assert _refused(lambda: contracts.terminate(db.session, made, {"terminated_on": date(2025, 6, 1), "reason": "x"},
                                                actor=world.organiser, expected_version=1), "terminated_on") == (
        "Dzień rozwiązania musi przypadać w okresie umowy.")
    assert _refused(lambda: contracts.terminate(db.session, made, {"terminated_on": date(2026, 6, 1), "reason": " "},
                                                actor=world.organiser, expected_version=1), "reason") == (
        "Podaj powód rozwiązania umowy.")
    assert contracts.terminate(db.session, made, {"terminated_on": date(2026, 10, 31),
                                                  "reason": "Realizator zakończył działalność"},
                               actor=world.organiser, expected_version=1)
    db.session.commit()
    assert (made.status, made.effective_end) == ("terminated", date(2026, 10, 31))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contract_terminated"))
    assert event.reason == "Realizator zakończył działalność"
    assert contracts.terminate(db.session, made, {"terminated_on": date(2026, 11, 1), "reason": "x"},
                               actor=world.organiser, expected_version=None) is False
    with pytest.raises(TransitionError):
        contracts.add_amendment(db.session, made, {"signed_on": date(2026, 10, 1), "amount": Decimal(1)},
                                actor=world.organiser, expected_version=None)
    with pytest.raises(TransitionError):
        contracts.update(db.session, made, _data(world), actor=world.organiser, expected_version=None)


def test_the_services_amounts_add_up_to_no_more_than_the_contracts(app, world):
    lines = [(world.club.id, Decimal(208), Decimal("786240.00")), (world.centre.id, Decimal(480), Decimal("360280.00"))]
    made = contracts.create(db.session, _data(world, lines=lines), actor=world.organiser)
    db.session.commit()
    assert [line.amount for line in made.lines] == [Decimal("786240.00"), Decimal("360280.00")]
    too_much = [(world.club.id, Decimal(208), Decimal("786240.00")),
                (world.centre.id, Decimal(480), Decimal("360280.01"))]
    assert _refused(lambda: contracts.create(db.session, _data(world, lines=too_much), actor=world.organiser),
                    "lines") == "Kwoty usług (razem 1 146 520,01 zł) przekraczają kwotę umowy (1 146 520,00 zł)."
    made = db.session.merge(made)
    assert _refused(lambda: contracts.add_amendment(db.session, made, {"signed_on": date(2026, 6, 1),
                                                                       "amount": Decimal("1000000")},
                                                    actor=world.organiser, expected_version=None), "amount") == (
        "Kwoty usług (razem 1 146 520,00 zł) przekraczają kwotę umowy (1 000 000,00 zł).")
