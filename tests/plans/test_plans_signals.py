"""The plans' signals (portal/core/signals.py): a plan submitted, returned,
approved, signed and closed, and a single service granted — each sent after
the commit, with ids and codes only (nothing of the person)."""
from datetime import date

import pytest

from portal.casework import services as casework
from portal.extensions import db
from portal.plans import capacity, grants
from portal.plans import services as ops
from tests.casework.test_casework_services import closure_data, contact_data
from tests.plans.fixtures import TODAY


def test_a_plan_from_submission_to_signatures_sends_each_step(plans, make_case, people, received):
    case = make_case()
    plan = plans.submit(plans.draft(case))
    db.session.refresh(plan)
    ops.return_for_changes(db.session, plan, actor=people.director, expected_version=plan.version, today=TODAY,
                           comment="Dopisz oczekiwane efekty.")
    db.session.commit()
    plan = plans.sign_both(plans.approve(plans.submit(plan)))
    assert [name for name in received.names if name.startswith("plan_")] == [
        "plan_submitted", "plan_returned", "plan_submitted", "plan_approved", "plan_signed", "plan_signed"]
    # The approval hands the request on to the plan: the desk says the request left its open states.
    assert [p["status"] for p in received.of("request_closed")] == ["handed_to_plan"]
    coordinator, director = people.coordinator.id, people.director.id
    assert received.of("plan_returned") == [{"plan_id": plan.id, "version_number": 0, "actor_id": director}]
    assert received.of("plan_approved") == [{"plan_id": plan.id, "number": plan.number, "version_number": 0,
                                             "delegation_id": None, "actor_id": director}]
    first, second = received.of("plan_signed")
    assert (first["signer_role"], first["version_status"]) == ("participant", "approved")
    assert (second["signer_role"], second["version_status"]) == ("director", "signed")
    assert first["actor_id"] == second["actor_id"] == coordinator
    assert plan.resident.last_name not in repr(received)


def test_closing_a_plan_sends_closed(plans, make_case, people, received):
    plan = plans.active(make_case())
    casework.record_contact(db.session, plan, contact_data(plan), actor=people.coordinator, today=TODAY)
    db.session.commit()
    received.clear()
    casework.close_plan(db.session, plan, closure_data(plan), actor=people.coordinator,
                        expected_version=plan.version, today=TODAY)
    assert received == []  # not before the commit
    db.session.commit()
    assert received == [("plan_closed", {"plan_id": plan.id, "number": plan.number,
                                         "actor_id": people.coordinator.id})]


def test_a_grant_sends_grant_made_and_a_refused_one_nothing(make_case, make_service, people, received):
    bed = make_service("Łóżko rehabilitacyjne", unit="loan", capacity_maximum=1)
    case, other = make_case([bed]), make_case([bed])

    def grant(request, until):
        return grants.grant_service(db.session, request, dict(service_id=bed.id, quantity=1, period_from=TODAY,
                                                              period_to=until), actor=people.coordinator, today=TODAY)

    made = grant(case.request, date(2026, 11, 30))
    db.session.commit()
    assert received.of("grant_made") == [{"grant_id": made.id, "request_id": case.request.id,
                                          "service_id": bed.id, "actor_id": people.coordinator.id}]
    with pytest.raises(capacity.CapacityFull):  # the place is taken: refused
        grant(other.request, date(2026, 6, 30))
    db.session.rollback()
    assert len(received.of("grant_made")) == 1
