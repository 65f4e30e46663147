"""The desk's signals (portal/core/signals.py): a request registered,
assigned and closed, each sent after the commit with ids and codes only."""
from portal.extensions import db
from tests.desk.test_desk_services import (  # noqa: F401  (fixtures)
    coordinator,
    make_resident,
    register,
)
from tests.desk.test_desk_views import desk, form, requests_in_db  # noqa: F401  (fixtures)


def test_registering_through_the_form_sends_registered_and_closed(client, desk, received):
    response = client.post("/desk/requests/new", data=form(desk.token, channel="in_person",
                                                            question="Godziny otwarcia?", answer="8–16"))
    assert response.status_code == 303
    [item] = requests_in_db()
    user = desk.user("front_desk")
    assert received == [
        ("request_registered", {"request_id": item.id, "number": item.number, "kind": "information",
                                "channel": "in_person", "status": "closed_information", "coordinator_id": None,
                                "actor_id": user.id}),
        ("request_closed", {"request_id": item.id, "number": item.number, "status": "closed_information",
                            "actor_id": user.id}),
    ]


def test_registering_with_a_coordinator_sends_registered_and_assigned(app, received, desk_user, coordinator,
                                                                      make_resident):
    item = register({"kind": "application", "channel": "phone", "resident_id": make_resident().id,
                     "needs_description": "Pomoc w domu.", "coordinator_id": coordinator.id}, desk_user)
    assert received.names == ["request_registered", "request_assigned"]
    assert received.of("request_registered")[0]["status"] == "assigned"
    assert received.of("request_assigned") == [{"request_id": item.id, "number": item.number,
                                                "coordinator_id": coordinator.id, "previous_coordinator_id": None,
                                                "actor_id": desk_user.id}]
    # Ids and codes only: nothing of the person.
    assert "Kowalska" not in repr(received) and "Janina" not in repr(received)


def test_assigning_and_reassigning_send_assigned(client, desk, desk_user, coordinator, make_resident, make_user,
                                                 received):
    item = register({"kind": "application", "channel": "phone", "resident_id": make_resident().id,
                     "needs_description": "x"}, desk_user)
    other = make_user("coordinator", "koord-ewa", "Ewa Druga")
    for chosen in (coordinator, other):
        [item] = requests_in_db()
        response = desk.post(f"/desk/requests/{item.id}/assign",
                             data={"assign-coordinator_id": str(chosen.id), "assign-version": item.version})
        assert response.status_code == 303
    user = desk.user("front_desk")
    assert received.of("request_assigned") == [
        {"request_id": item.id, "number": item.number, "coordinator_id": coordinator.id,
         "previous_coordinator_id": None, "actor_id": user.id},
        {"request_id": item.id, "number": item.number, "coordinator_id": other.id,
         "previous_coordinator_id": coordinator.id, "actor_id": user.id}]


def test_closing_sends_closed_once_and_a_refused_change_nothing(client, desk, desk_user, received):
    item = register({"kind": "information", "channel": "phone", "question": "Logopeda?"}, desk_user)
    url = f"/desk/requests/{item.id}/status"
    refused = desk.post(url, data={"status-to_status": "handed_to_plan", "status-version": item.version})
    assert refused.status_code == 422
    response = desk.post(url, data={"close-to_status": "closed_information", "close-version": item.version,
                                    "close-note": "Czwartki 14–16."})
    assert response.status_code == 303
    assert received.names == ["request_registered", "request_closed"]
    assert received.of("request_closed") == [{"request_id": item.id, "number": item.number,
                                              "status": "closed_information",
                                              "actor_id": desk.user("front_desk").id}]


def test_a_rolled_back_status_change_sends_nothing(app, desk_user, received):
    from portal.desk.services import change_status

    item = register({"kind": "information", "channel": "phone", "question": "Logopeda?"}, desk_user)
    change_status(db.session, item, "withdrawn", actor=desk_user)
    db.session.rollback()
    db.session.commit()
    assert received.names == ["request_registered"]
