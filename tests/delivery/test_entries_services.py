"""Individual deliveries, the monthly grid and consultations: every rule and
refusal of portal/delivery/entries.py, on the data stored."""
from datetime import date
from decimal import Decimal

import pytest

from portal.core.errors import DataError, NotAllowed, VersionConflict
from portal.delivery import entries as deliveries
from portal.delivery.models import Consultation, DeliveryEntry
from tests.delivery.entries_fixtures import delivery  # noqa: F401
from tests.plans.fixtures import frozen, make_case, people, plans  # noqa: F401

TODAY = date(2026, 5, 12)


def add(d, who, actor=None, **data):
    from portal.extensions import db

    values = {"resident_id": who.id, "delivered_on": date(2026, 4, 7), "quantity": Decimal("2"),
              "delivered_by": "Ewa Opiekunka", "provider_id": None, "note": None}
    values.update(data)
    service = values.pop("service", d.care)
    entry = deliveries.add_entry(db.session, service, values, actor=actor or d.people.organiser, today=TODAY)
    db.session.commit()
    return entry


def stored():
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalars(db.select(DeliveryEntry).order_by(DeliveryEntry.delivered_on,
                                                                DeliveryEntry.resident_id)).all()


def test_an_entry_in_decimal_hours_with_the_services_provider(delivery):
    entry = add(delivery, delivery.anna, quantity=Decimal("1.5"))
    [row] = stored()
    assert (row.quantity, row.unit, row.delivered_by) == (Decimal("1.50"), "hour", "Ewa Opiekunka")
    assert row.provider_id == delivery.care.provider_id
    assert row.id == entry.id


@pytest.mark.parametrize("quantity,message", [
    (Decimal("0"), "większa od zera"), (Decimal("-1"), "większa od zera"), (Decimal("24.5"), "24 godziny"),
    (Decimal("1.255"), "dwoma miejscami"), (None, "Podaj ilość")])
def test_hours_out_of_bounds_are_refused_at_the_quantity(app, delivery, quantity, message):
    with pytest.raises(DataError) as refused:
        add(delivery, delivery.anna, quantity=quantity)
    assert refused.value.field == "quantity"
    with app.test_request_context():
        assert message in str(refused.value.message)
    assert stored() == []


def test_rides_are_counted_whole(delivery):
    with pytest.raises(DataError, match="quantity"):
        add(delivery, delivery.anna, service=delivery.transport, quantity=Decimal("1.5"))
    add(delivery, delivery.anna, service=delivery.transport, quantity=Decimal("2"))
    assert [(r.unit, r.quantity) for r in stored()] == [("trip", Decimal("2"))]


def test_a_person_without_a_commitment_on_the_day_is_refused(delivery):
    with pytest.raises(DataError) as refused:
        add(delivery, delivery.bogdan, delivered_on=date(2026, 4, 9))  # granted from 10 April
    assert refused.value.field == "resident_id"
    with pytest.raises(DataError):
        add(delivery, delivery.bogdan, service=delivery.transport)  # never granted transport
    add(delivery, delivery.bogdan, delivered_on=date(2026, 4, 10))
    assert len(stored()) == 1


def test_a_day_in_the_future_is_refused(delivery):
    with pytest.raises(DataError) as refused:
        add(delivery, delivery.anna, delivered_on=date(2026, 5, 13))
    assert refused.value.field == "delivered_on"


def test_a_coordinator_enters_only_for_their_own_cases(delivery):
    coordinator, other = delivery.people.coordinator, delivery.people.other_coordinator
    add(delivery, delivery.anna, actor=coordinator)
    with pytest.raises(DataError) as refused:
        add(delivery, delivery.celina, actor=coordinator)
    assert refused.value.field == "resident_id"
    from portal.extensions import db

    assert deliveries.may_see_person(db.session, coordinator, delivery.anna.id)
    assert not deliveries.may_see_person(db.session, coordinator, delivery.celina.id)
    assert not deliveries.may_see_person(db.session, other, delivery.anna.id)
    people, _ = deliveries.people_of(db.session, coordinator, delivery.care.id, date(2026, 4, 1), date(2026, 4, 30))
    assert [p.last_name for p in people] == ["Wójcik", "Zielińska"]
    people, _ = deliveries.people_of(db.session, other, delivery.care.id, date(2026, 4, 1), date(2026, 4, 30))
    assert [p.last_name for p in people] == ["Mazur"]
    assert not deliveries.may_change_entry(db.session, other, stored()[0])


def test_the_director_reads_but_does_not_enter(delivery):
    with pytest.raises(NotAllowed):
        add(delivery, delivery.anna, actor=delivery.people.director)


def test_a_coordinator_follows_the_plan_of_their_case(delivery, make_case, plans):
    from portal.extensions import db

    case = make_case()
    plan = plans.active(case)
    care = case.services[1]
    item = next(i for i in plan.version_in_force.items if i.service_id == care.id)
    entry = deliveries.add_entry(db.session, care, {"resident_id": case.resident.id, "delivered_on": TODAY,
                                                    "quantity": Decimal("3")}, actor=case.coordinator, today=TODAY)
    assert entry.provider_id == item.provider_id
    with pytest.raises(DataError):
        deliveries.add_entry(db.session, care, {"resident_id": case.resident.id, "delivered_on": TODAY,
                                                "quantity": Decimal("3")}, actor=delivery.people.other_coordinator,
                             today=TODAY)


def test_deleting_an_entry_is_audited(delivery):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    entry = add(delivery, delivery.anna)
    deliveries.delete_entry(db.session, entry, actor=delivery.people.organiser)
    db.session.commit()
    assert stored() == []
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="delete", object_type="delivery_entry"))
    assert event.changes["quantity"] == ["2.00", None]
    with pytest.raises(NotAllowed):
        deliveries.delete_entry(db.session, add(delivery, delivery.celina), actor=delivery.people.coordinator)


def sheet(d, actor, year=2026, month=4):
    from portal.extensions import db

    return deliveries.grid(db.session, d.care, year, month, user=actor, today=TODAY)


def test_the_grid_replaces_the_month_writing_only_changed_cells(delivery):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    organiser = delivery.people.organiser
    kept = add(delivery, delivery.anna, delivered_on=date(2026, 4, 1), quantity=Decimal("2"))
    add(delivery, delivery.anna, delivered_on=date(2026, 4, 2), quantity=Decimal("1"))
    add(delivery, delivery.anna, delivered_on=date(2026, 4, 2), quantity=Decimal("1"))  # two entries on one day
    add(delivery, delivery.anna, delivered_on=date(2026, 3, 31), quantity=Decimal("4"))  # another month: untouched
    grid = sheet(delivery, organiser)
    assert [p.last_name for p in grid.people] == ["Mazur", "Wójcik", "Zielińska"]
    assert grid.saved[(delivery.anna.id, date(2026, 4, 2))] == Decimal("2")
    assert date(2026, 4, 9) not in grid.open[delivery.bogdan.id] and date(2026, 4, 10) in grid.open[delivery.bogdan.id]
    typed = {(delivery.anna.id, date(2026, 4, 1)): Decimal("2"),  # unchanged
             (delivery.anna.id, date(2026, 4, 2)): Decimal("2.5"),  # changed
             (delivery.bogdan.id, date(2026, 4, 10)): Decimal("0.75"),  # new
             (delivery.celina.id, date(2026, 4, 30)): Decimal("8")}  # new
    count = deliveries.save_grid(db.session, grid, typed, actor=organiser, expected_state=grid.state)
    db.session.commit()
    assert count == 3
    rows = [(r.resident_id, r.delivered_on, r.quantity) for r in stored()]
    assert rows == [(delivery.anna.id, date(2026, 3, 31), Decimal("4.00")),
                    (delivery.anna.id, date(2026, 4, 1), Decimal("2.00")),
                    (delivery.anna.id, date(2026, 4, 2), Decimal("2.50")),
                    (delivery.bogdan.id, date(2026, 4, 10), Decimal("0.75")),
                    (delivery.celina.id, date(2026, 4, 30), Decimal("8.00"))]
    assert db.session.get(DeliveryEntry, kept.id) is not None  # the unchanged cell was not rewritten
    event = db.session.scalar(db.select(AuditEvent).filter_by(object_type="service", action="update"))
    assert "3 cells changed for 3 people" in event.summary and "2.5" not in event.summary
    # Emptying a cell removes the day's entries.
    grid = sheet(delivery, organiser)
    typed = {key: value for key, value in grid.saved.items() if key != (delivery.anna.id, date(2026, 4, 2))}
    assert deliveries.save_grid(db.session, grid, typed, actor=organiser, expected_state=grid.state) == 1
    db.session.commit()
    assert (delivery.anna.id, date(2026, 4, 2)) not in {(r.resident_id, r.delivered_on) for r in stored()}


def test_the_grid_refuses_a_closed_day_a_bad_cell_and_a_stale_page(delivery):
    from portal.extensions import db

    organiser = delivery.people.organiser
    grid = sheet(delivery, organiser)
    with pytest.raises(DataError) as refused:
        deliveries.save_grid(db.session, grid, {(delivery.bogdan.id, date(2026, 4, 9)): Decimal(1)},
                             actor=organiser, expected_state=grid.state)
    assert refused.value.field == f"h-{delivery.bogdan.id}-9"
    with pytest.raises(DataError) as refused:
        deliveries.save_grid(db.session, grid, {(delivery.anna.id, date(2026, 4, 3)): Decimal(25)},
                             actor=organiser, expected_state=grid.state)
    assert refused.value.field == f"h-{delivery.anna.id}-3"
    db.session.rollback()
    add(delivery, delivery.anna, delivered_on=date(2026, 4, 3))  # someone saved meanwhile
    with pytest.raises(VersionConflict):  # the page was drawn before that save
        deliveries.save_grid(db.session, sheet(delivery, organiser), {(delivery.anna.id, date(2026, 4, 4)): Decimal(1)},
                             actor=organiser, expected_state=grid.state)
    may = sheet(delivery, organiser, month=5)
    assert max(may.open[delivery.anna.id]) == TODAY  # no hours ahead of today


def test_a_coordinators_grid_holds_only_their_people(delivery):
    from portal.extensions import db

    coordinator = delivery.people.coordinator
    add(delivery, delivery.celina, delivered_on=date(2026, 4, 3))
    grid = sheet(delivery, coordinator)
    assert [p.last_name for p in grid.people] == ["Wójcik", "Zielińska"]
    assert deliveries.save_grid(db.session, grid, {(delivery.anna.id, date(2026, 4, 3)): Decimal(1)},
                                actor=coordinator, expected_state=grid.state) == 1
    db.session.commit()
    assert {r.resident_id for r in stored()} == {delivery.anna.id, delivery.celina.id}  # Celina's entry stays


def consult(d, **data):
    from portal.extensions import db

    values = {"given_on": date(2026, 4, 20), "minutes": 45, "kind": "psychological", "resident_id": None,
              "given_by": "Ola Psycholog", "provider_id": None, "note": None}
    values.update(data)
    row = deliveries.add_consultation(db.session, d.counselling, values, actor=d.people.organiser, today=TODAY)
    db.session.commit()
    return row


def test_consultations_anonymous_or_for_a_person_with_the_service(delivery):
    from portal.extensions import db

    consult(delivery)
    consult(delivery, resident_id=delivery.anna.id, minutes=90, kind="family")
    rows = db.session.scalars(db.select(Consultation).order_by(Consultation.id)).all()
    assert [(r.resident_id, r.minutes, r.kind) for r in rows] == [(None, 45, "psychological"),
                                                                  (delivery.anna.id, 90, "family")]
    with pytest.raises(DataError, match="resident_id"):
        consult(delivery, resident_id=delivery.celina.id)  # no counselling granted
    for minutes in (0, 481, None):
        with pytest.raises(DataError, match="minutes"):
            consult(delivery, minutes=minutes)
    with pytest.raises(DataError, match="kind"):
        consult(delivery, kind="astrology")
    with pytest.raises(NotAllowed):
        deliveries.add_consultation(db.session, delivery.counselling, {}, actor=delivery.people.coordinator,
                                    today=TODAY)
    with pytest.raises(DataError, match="service_id"):
        deliveries.add_consultation(db.session, delivery.care, {}, actor=delivery.people.organiser, today=TODAY)
