"""The plan's operations, called directly: drafting from the assessment,
the rules of validity and frequency, the 30-day reason, approval by the
right people only, numbering, freezing, versions, signatures, capacity,
grants and waiting lists."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.core.errors import VersionConflict
from portal.extensions import db
from portal.plans import capacity, delegations, grants, waiting
from portal.plans import services as ops
from portal.plans.models import ApprovalStep, Plan, PlanItem, PlanVersion
from tests.plans.fixtures import TODAY, fake_pdf


def reload(plan):
    db.session.expire_all()
    return db.session.get(Plan, plan.id)


# --- drafting -------------------------------------------------------------------------------------

def test_draft_is_prefilled_from_the_assessment_and_the_catalogue(plans, make_case):
    case = make_case()
    club, care = case.services
    values = plans.data(case)
    assert [i["service_id"] for i in values["items"]] == [club.id, care.id]  # the free-text wish is left out
    first, second = values["items"]
    assert first["provider_id"] == club.provider_id
    assert first["place"] == "Świetlica"
    assert first["schedule"] == "wtorki i czwartki 10:00–13:00"
    assert (first["quantity"], second["quantity"]) == (1, 2)
    assert first["scope"] == "raz w tygodniu"
    assert second["place"] == "w miejscu zamieszkania uczestnika"
    assert (values["valid_from"], values["valid_until"]) == (TODAY, date(2027, 5, 11))
    assert values["check_frequency"] == "quarterly"

    plan = plans.draft(case)
    plan = reload(plan)
    assert plan.status == "draft" and plan.number is None
    assert plan.resident_id == case.resident.id and plan.request_id == case.request.id
    version = plan.versions[0]
    assert (version.number, version.status) == (0, "draft")
    assert [i.service_id for i in version.items] == [club.id, care.id]
    assert version.items[1].unit == "hour"


def test_only_a_completed_assessment_and_only_once(plans, make_case):
    case = make_case()
    case.assessment.status = "draft"
    db.session.commit()
    with pytest.raises(ops.DataError) as error:
        plans.draft(case)
    assert error.value.field == "assessment"
    case.assessment.status = "completed"
    db.session.commit()
    plans.draft(case)
    with pytest.raises(ops.DataError):
        plans.draft(case)


def test_another_coordinator_cannot_draft(plans, make_case, people):
    case = make_case()
    with pytest.raises(ops.NotAllowed):
        ops.create_plan(db.session, case.assessment, plans.data(case), actor=people.other_coordinator)


@pytest.mark.parametrize("overrides, field", [
    ({"valid_until": date(2027, 5, 12)}, "valid_until"),      # a year and a day
    ({"valid_until": date(2026, 5, 11)}, "valid_until"),      # before it starts
    ({"check_frequency": "yearly"}, "check_frequency"),      # rarer than quarterly
    ({"check_frequency": "half_yearly"}, "check_frequency"),
    ({"drawn_up_on": None}, "drawn_up_on"),
])
def test_the_service_layer_refuses_what_the_form_refuses(plans, make_case, overrides, field):
    case = make_case()
    data = plans.data(case)
    data.update(overrides)
    for item in data["items"]:
        item["period_to"] = min(item["period_to"], data["valid_until"] or item["period_to"])
    with pytest.raises(ops.DataError) as error:
        ops.create_plan(db.session, case.assessment, data, actor=case.coordinator)
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(Plan.id)) is None


def test_items_stay_within_the_plan(plans, make_case):
    case = make_case()
    data = plans.data(case)
    data["items"][1]["period_to"] = data["valid_until"] + timedelta(days=1)
    with pytest.raises(ops.DataError) as error:
        ops.create_plan(db.session, case.assessment, data, actor=case.coordinator)
    assert error.value.field == "items-1-period_to"
    data = plans.data(case)
    data["items"][0]["quantity"] = 0
    with pytest.raises(ops.DataError) as error:
        ops.create_plan(db.session, case.assessment, data, actor=case.coordinator)
    assert error.value.field == "items-0-quantity"


def test_a_year_from_29_february(plans, make_case):
    case = make_case()
    data = plans.data(case, today=date(2028, 2, 29))
    assert data["valid_until"] == date(2029, 2, 28)
    plan = ops.create_plan(db.session, case.assessment, data, actor=case.coordinator)
    db.session.commit()
    assert reload(plan).versions[0].valid_until == date(2029, 2, 28)


# --- submission and the 30-day deadline -----------------------------------------------------------------

def test_submission_needs_items(plans, make_case):
    case = make_case()
    plan = plans.draft(case, items=[])
    with pytest.raises(ops.DataError) as error:
        plans.submit(plan)
    assert error.value.field == "items"


def test_late_submission_needs_a_reason(plans, make_case):
    # Received 1 April 2026 at 00:30 Warsaw (31 March in UTC): due 1 May.
    from datetime import datetime

    from portal.timeutil import WARSAW
    case = make_case(received=datetime(2026, 4, 1, 0, 30, tzinfo=WARSAW))
    plan = plans.draft(case)
    with pytest.raises(ops.DataError) as error:
        plans.submit(plan, today=date(2026, 5, 2))
    assert error.value.field == "overdue_reason"
    db.session.rollback()
    plan = reload(plan)
    plans.submit(plan, today=date(2026, 5, 2), reason="Osoba była w szpitalu.")
    plan = reload(plan)
    assert (plan.status, plan.first_submitted_on, plan.overdue_reason) == (
        "submitted", date(2026, 5, 2), "Osoba była w szpitalu.")
    deadline = ops.deadline_of(plan, date(2026, 8, 1))
    assert (deadline.state, deadline.days_left) == ("late", -1)


def test_on_time_submission_needs_no_reason(plans, make_case):
    case = make_case()  # received 4 May, due 3 June
    plan = plans.submit(plans.draft(case), today=date(2026, 6, 3))
    plan = reload(plan)
    assert plan.overdue_reason is None
    assert ops.deadline_of(plan, date(2026, 12, 1)).state == "met"


# --- approval ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["coordinator", "desk", "organiser", "community", "admin", "other_coordinator"])
def test_approval_by_a_wrong_role_is_refused(plans, make_case, people, who):
    plan = plans.submit(plans.draft(make_case()))
    with pytest.raises(ops.NotAllowed):
        plans.approve(plan, actor=getattr(people, who))
    db.session.rollback()
    with pytest.raises(ops.NotAllowed):
        ops.return_for_changes(db.session, reload(plan), actor=getattr(people, who), expected_version=None,
                               today=TODAY, comment="Popraw")
    db.session.rollback()
    plan = reload(plan)
    assert plan.status == "submitted" and plan.number is None


def test_an_authorised_organiser_approves_until_revoked(plans, make_case, people):
    delegation = delegations.grant_delegation(db.session, people.organiser.id, actor=people.director, today=TODAY,
                                              note="Zarządzenie nr 5/2026")
    db.session.commit()
    plan = plans.approve(plans.submit(plans.draft(make_case())), actor=people.organiser)
    plan = reload(plan)
    version = plan.versions[0]
    assert version.approved_by_id == people.organiser.id and version.delegation_id == delegation.id
    assert version.snapshot["approved_under_delegation_of"] == people.director.full_name
    step = db.session.scalar(select(ApprovalStep).where(ApprovalStep.action == "approved"))
    assert step.delegation_id == delegation.id

    delegations.revoke_delegation(db.session, delegation, actor=people.director)
    db.session.commit()
    second = plans.submit(plans.draft(make_case()))
    with pytest.raises(ops.NotAllowed):
        plans.approve(second, actor=people.organiser)


def test_delegations_only_by_the_director_and_only_to_organisers(people):
    with pytest.raises(ops.NotAllowed):
        delegations.grant_delegation(db.session, people.organiser.id, actor=people.organiser, today=TODAY)
    with pytest.raises(ops.DataError):
        delegations.grant_delegation(db.session, people.coordinator.id, actor=people.director, today=TODAY)
    with pytest.raises(ops.DataError):
        delegations.grant_delegation(db.session, people.organiser.id, actor=people.director, today=TODAY,
                                     valid_until=TODAY - timedelta(days=1))
    expiring = delegations.grant_delegation(db.session, people.organiser.id, actor=people.director, today=TODAY,
                                            valid_until=TODAY)
    db.session.commit()
    from portal.plans.access import can_approve
    assert can_approve(people.organiser, TODAY)
    assert not can_approve(people.organiser, TODAY + timedelta(days=1))
    assert expiring.is_active(TODAY)


def test_return_needs_comments_and_is_recorded(plans, make_case, people):
    case = make_case()
    plan = plans.submit(plans.draft(case))
    with pytest.raises(ops.DataError) as error:
        ops.return_for_changes(db.session, plan, actor=people.director, expected_version=plan.version,
                               today=TODAY, comment="  ")
    assert error.value.field == "comment"
    db.session.rollback()
    plan = reload(plan)
    ops.return_for_changes(db.session, plan, actor=people.director, expected_version=plan.version, today=TODAY,
                           comment="Dopisz oczekiwane efekty opieki.")
    db.session.commit()
    plan = reload(plan)
    assert plan.status == "returned"
    steps = [(s.action, s.actor_id, s.comment) for s in plan.versions[0].steps]
    assert steps == [("submitted", people.coordinator.id, None),
                     ("returned", people.director.id, "Dopisz oczekiwane efekty opieki.")]
    # Returned: editable again, then submitted again; the first submission day stays.
    ops.save_version(db.session, plan, plans.data(case, expected_effects="Wychodzi z domu."),
                     actor=plan.coordinator, expected_version=plan.version)
    db.session.commit()
    plans.submit(reload(plan), today=TODAY + timedelta(days=40))
    plan = reload(plan)
    assert plan.status == "submitted" and plan.first_submitted_on == TODAY


def test_approval_numbers_freezes_and_hands_the_request_on(plans, make_case, people):
    case = make_case(representative="Maria Nowak")
    plan = plans.approve(plans.submit(plans.draft(case)))
    plan = reload(plan)
    assert plan.number == "IPUS/1/2026" and plan.status == "approved"
    version = plan.versions[0]
    assert version.status == "approved" and version.approved_by_id == people.director.id
    assert (version.guardian_kind, version.guardian_name) == ("legal", "Maria Nowak")
    assert version.snapshot["number"] == "IPUS/1/2026"
    assert version.snapshot["participant"]["name"] == case.resident.full_name
    assert [i["service"] for i in version.snapshot["items"]] == [s.name for s in case.services]
    assert version.content_hash and len(version.content_hash) == 64
    assert version.pdf == fake_pdf(None, draft=False, content_hash=version.content_hash)
    import hashlib
    assert version.pdf_sha256 == hashlib.sha256(version.pdf).hexdigest()
    assert plan.request.status == "handed_to_plan"

    # Frozen: no edit, no second approval, no cancellation.
    with pytest.raises(ops.Frozen):
        ops.save_version(db.session, plan, plans.data(case), actor=case.coordinator, expected_version=plan.version)
    with pytest.raises(ops.TransitionError):
        plans.approve(plan)
    with pytest.raises(ops.TransitionError):
        ops.cancel(db.session, plan, actor=case.coordinator, expected_version=plan.version, reason="x")
    db.session.rollback()
    assert [i.quantity for i in reload(plan).versions[0].items] == [1, 2]


def test_numbers_per_year(plans, make_case, people):
    first = plans.approve(plans.submit(plans.draft(make_case())))
    second = plans.approve(plans.submit(plans.draft(make_case())))
    third = plans.submit(plans.draft(make_case()))
    plans.approve(third, today=date(2027, 1, 2))
    assert [reload(p).number for p in (first, second, third)] == ["IPUS/1/2026", "IPUS/2/2026", "IPUS/1/2027"]


def test_a_cancelled_draft_takes_no_number(plans, make_case):
    draft = plans.draft(make_case())
    ops.cancel(db.session, draft, actor=draft.coordinator, expected_version=draft.version, reason="Rezygnacja")
    db.session.commit()
    assert reload(draft).status == "cancelled" and reload(draft).number is None
    approved = plans.approve(plans.submit(plans.draft(make_case())))
    assert reload(approved).number == "IPUS/1/2026"


def test_a_stale_save_is_refused(plans, make_case):
    case = make_case()
    plan = plans.draft(case)
    seen = plan.version
    ops.save_version(db.session, plan, plans.data(case, expected_effects="Pierwsza"), actor=case.coordinator,
                     expected_version=seen)
    db.session.commit()
    with pytest.raises(VersionConflict):
        ops.save_version(db.session, reload(plan), plans.data(case, expected_effects="Druga"),
                         actor=case.coordinator, expected_version=seen)
    db.session.rollback()
    assert reload(plan).versions[0].expected_effects == "Pierwsza"


# --- signatures ---------------------------------------------------------------------------------------------

def test_signatures_make_the_plan_active(plans, make_case, people):
    plan = plans.approve(plans.submit(plans.draft(make_case())))
    version = reload(plan).versions[0]
    with pytest.raises(ops.DataError) as error:
        ops.record_signature(db.session, reload(plan), version, {"signer_role": "participant", "signer_name": "Jan",
                                                                 "signed_on": TODAY + timedelta(days=1)},
                             actor=people.coordinator, expected_version=None, today=TODAY)
    assert error.value.field == "signed_on"
    db.session.rollback()
    plan = reload(plan)
    ops.record_signature(db.session, plan, plan.versions[0], {"signer_role": "participant", "signer_name": "Jan",
                                                              "signed_on": TODAY},
                         actor=people.coordinator, expected_version=plan.version, today=TODAY)
    db.session.commit()
    plan = reload(plan)
    assert plan.status == "approved" and plan.versions[0].status == "approved"
    with pytest.raises(ops.DataError):  # the same signature twice
        ops.record_signature(db.session, plan, plan.versions[0], {"signer_role": "participant",
                                                                  "signer_name": "Jan", "signed_on": TODAY},
                             actor=people.coordinator, expected_version=plan.version, today=TODAY)
    db.session.rollback()
    plan = reload(plan)
    ops.record_signature(db.session, plan, plan.versions[0], {"signer_role": "director",
                                                              "signer_name": "Celina Dyrektor", "signed_on": TODAY},
                         actor=people.director, expected_version=plan.version, today=TODAY)
    db.session.commit()
    plan = reload(plan)
    assert plan.status == "active" and plan.versions[0].status == "signed"
    assert plan.versions[0].signed_at is not None


def test_signing_a_draft_is_refused(plans, make_case, people):
    plan = plans.draft(make_case())
    with pytest.raises(ops.TransitionError):
        ops.record_signature(db.session, plan, plan.versions[0], {"signer_role": "participant", "signer_name": "Jan",
                                                                  "signed_on": TODAY},
                             actor=people.coordinator, expected_version=plan.version, today=TODAY)


# --- updates -------------------------------------------------------------------------------------------------

def test_an_update_is_a_new_version_and_the_old_one_stays_readable(plans, make_case, people):
    case = make_case()
    plan = plans.active(case)
    original = reload(plan).versions[0]
    original_pdf, original_hash = original.pdf, original.content_hash

    plan = reload(plan)
    update = ops.start_update(db.session, plan, actor=case.coordinator, expected_version=plan.version,
                              today=TODAY + timedelta(days=30))
    db.session.commit()
    assert update.number == 1 and update.status == "draft"
    with pytest.raises(ops.TransitionError):  # one update at a time
        ops.start_update(db.session, reload(plan), actor=case.coordinator, expected_version=None, today=TODAY)
    db.session.rollback()

    plan = reload(plan)
    data = ops.draft_defaults(db.session, case.assessment, TODAY)
    data.update(expected_effects="Więcej godzin opieki.", drawn_up_on=TODAY + timedelta(days=30))
    data["items"][1]["quantity"] = 6
    with pytest.raises(ops.DataError) as error:  # an update says why
        ops.save_version(db.session, plan, data, actor=case.coordinator, expected_version=plan.version)
    assert error.value.field == "update_reason"
    db.session.rollback()
    plan = reload(plan)
    data["update_reason"] = "Pogorszenie stanu zdrowia."
    ops.save_version(db.session, plan, data, actor=case.coordinator, expected_version=plan.version)
    db.session.commit()
    plans.submit(reload(plan))
    plans.approve(reload(plan))
    plan = reload(plan)

    assert [(v.number, v.status) for v in plan.versions] == [(0, "superseded"), (1, "approved")]
    assert plan.number == "IPUS/1/2026" and plan.status == "active"
    assert plan.version_in_force.number == 1
    assert plan.versions[1].snapshot["version"] == 1
    assert plan.versions[1].snapshot["update_reason"] == "Pogorszenie stanu zdrowia."
    assert [i.quantity for i in plan.versions[1].items] == [1, 6]
    # The original is untouched: its items, its snapshot, its PDF bytes.
    old = plan.versions[0]
    assert [i.quantity for i in old.items] == [1, 2]
    assert old.pdf == original_pdf and old.content_hash == original_hash
    assert old.snapshot["version"] == 0
    # The update needs its own signatures.
    assert not plan.versions[1].signatures
    plans.sign_both(plan, number=1)
    assert reload(plan).versions[1].status == "signed"


def test_no_update_before_signatures(plans, make_case):
    plan = plans.approve(plans.submit(plans.draft(make_case())))
    with pytest.raises(ops.TransitionError):
        ops.start_update(db.session, reload(plan), actor=plan.coordinator, expected_version=None, today=TODAY)


def test_cancelling_an_update_keeps_the_plan_in_force(plans, make_case):
    case = make_case()
    plan = plans.active(case)
    plan = reload(plan)
    ops.start_update(db.session, plan, actor=case.coordinator, expected_version=plan.version, today=TODAY)
    db.session.commit()
    plan = reload(plan)
    ops.cancel(db.session, plan, actor=case.coordinator, expected_version=plan.version, reason="Bez zmian")
    db.session.commit()
    plan = reload(plan)
    assert plan.status == "active"
    assert [(v.number, v.status) for v in plan.versions] == [(0, "signed"), (1, "cancelled")]
    assert plan.version_in_force.number == 0


# --- capacity, grants, waiting lists -------------------------------------------------------------------------

def test_approval_refuses_a_full_service(plans, make_case, make_service, people):
    club = make_service("Klub Seniora w Bęczkowie", unit="person", capacity_maximum=2)
    first = plans.approve(plans.submit(plans.draft(make_case([club]))))
    case = make_case([club])
    plan = plans.draft(case, first_item={"quantity": 2})  # 1 of 2 places held: 2 more do not fit
    plans.submit(plan)
    checks = ops.capacity_checks(db.session, plan, plan.working_version)
    assert checks[club.id].full and checks[club.id].available == 1
    with pytest.raises(capacity.CapacityFull) as error:
        plans.approve(reload(plan))
    assert [c.service.id for c in error.value.checks] == [club.id]
    db.session.rollback()
    plan = reload(plan)
    assert plan.status == "submitted" and plan.number is None
    assert reload(first).number == "IPUS/1/2026"
    db.session.refresh(club)
    assert club.capacity_granted == 1 and club.capacity_available == 1


def test_a_place_freed_before_the_period_can_be_given_again(plans, make_case, make_service):
    club = make_service("Klub Seniora w Burzcu", unit="person", capacity_maximum=1)
    case = make_case([club])
    plans.approve(plans.submit(plans.draft(case, first_item={"period_to": date(2026, 8, 31)})))
    later = make_case([club])
    second = plans.approve(plans.submit(plans.draft(later, first_item={"period_from": date(2026, 9, 1)})))
    assert reload(second).number == "IPUS/2/2026"
    overlapping = make_case([club])
    third = plans.submit(plans.draft(overlapping))
    with pytest.raises(capacity.CapacityFull):
        plans.approve(third)


def test_a_grant_uses_capacity_and_its_cancellation_frees_it(plans, make_case, make_service, people):
    bed = make_service("Łóżko rehabilitacyjne", unit="loan", capacity_maximum=1)
    case = make_case([bed])
    grant = grants.grant_service(db.session, case.request, {"service_id": bed.id, "quantity": 1,
                                                            "period_from": TODAY, "period_to": date(2026, 11, 30)},
                                 actor=people.coordinator, today=TODAY)
    db.session.commit()
    db.session.refresh(bed)
    assert bed.capacity_granted == 1 and bed.capacity_available == 0
    other = make_case([bed])
    with pytest.raises(capacity.CapacityFull):
        grants.grant_service(db.session, other.request, {"service_id": bed.id, "quantity": 1, "period_from": TODAY,
                                                         "period_to": date(2026, 6, 30)},
                             actor=people.coordinator, today=TODAY)
    db.session.rollback()
    plan = plans.submit(plans.draft(other))
    with pytest.raises(capacity.CapacityFull):
        plans.approve(plan)
    db.session.rollback()
    grants.cancel_grant(db.session, grant, actor=people.coordinator, today=TODAY)
    db.session.commit()
    db.session.refresh(bed)
    assert bed.capacity_granted == 0
    plans.approve(reload(plan))
    db.session.refresh(bed)
    assert bed.capacity_granted == 1


def test_a_grant_closes_the_request_and_its_cancellation_reopens_it(make_case, make_service, people):
    care = make_service("Usługi opiekuńcze", unit="hour")
    case = make_case([care])
    grant = grants.grant_service(db.session, case.request, {"service_id": care.id, "quantity": 40, "period_from": TODAY,
                                                            "period_to": date(2026, 11, 30)},
                                 actor=people.coordinator, today=TODAY)
    db.session.commit()
    assert case.request.status == "service_granted" and not case.request.is_open
    assert case.request.history[-1].to_status == "service_granted"
    grants.cancel_grant(db.session, grant, actor=people.coordinator, today=TODAY)
    db.session.commit()
    assert case.request.status == "in_assessment" and case.request.is_open


def test_a_place_counted_service_takes_one_place_per_person(make_case, make_service, people):
    club = make_service("Klub Seniora", unit="meeting", capacity_maximum=2, capacity_basis="places")
    for _n in range(2):
        grants.grant_service(db.session, make_case([club]).request,
                             {"service_id": club.id, "quantity": 8, "period_from": TODAY,
                              "period_to": date(2026, 11, 30)}, actor=people.coordinator, today=TODAY)
        db.session.commit()
    db.session.refresh(club)
    assert club.capacity_granted == 2 and club.capacity_available == 0  # two people, not sixteen meetings
    with pytest.raises(capacity.CapacityFull):
        grants.grant_service(db.session, make_case([club]).request,
                             {"service_id": club.id, "quantity": 1, "period_from": TODAY,
                              "period_to": date(2026, 11, 30)}, actor=people.coordinator, today=TODAY)
    db.session.rollback()


def test_grants_are_refused_to_others_and_kept_within_a_year(make_case, people, make_service, frozen):
    case = make_case()
    service = case.services[1]
    with pytest.raises(ops.NotAllowed):
        grants.grant_service(db.session, case.request, {"service_id": service.id, "quantity": 1,
                                                        "period_from": TODAY, "period_to": TODAY},
                             actor=people.other_coordinator, today=TODAY)
    with pytest.raises(ops.DataError) as error:
        grants.grant_service(db.session, case.request, {"service_id": service.id, "quantity": 1,
                                                        "period_from": TODAY, "period_to": date(2027, 5, 12)},
                             actor=people.coordinator, today=TODAY)
    assert error.value.field == "period_to"


def test_waiting_list(make_case, people, frozen):
    case = make_case()
    club = case.services[0]
    entry = waiting.add_to_waiting_list(db.session, {"service_id": club.id, "resident_id": case.resident.id,
                                                     "quantity": 1}, actor=people.coordinator)
    db.session.commit()
    with pytest.raises(ops.DataError):
        waiting.add_to_waiting_list(db.session, {"service_id": club.id, "resident_id": case.resident.id},
                                    actor=people.coordinator)
    db.session.rollback()
    with pytest.raises(ops.DataError):  # not their person
        waiting.add_to_waiting_list(db.session, {"service_id": club.id, "resident_id": case.resident.id},
                                    actor=people.other_coordinator)
    db.session.rollback()
    assert [(s.id, n) for s, n in waiting.waiting_counts(db.session)] == [(club.id, 1)]
    with pytest.raises(ops.NotAllowed):
        waiting.resolve_waiting(db.session, entry, "placed", actor=people.other_coordinator)
    waiting.resolve_waiting(db.session, entry, "placed", actor=people.coordinator)
    db.session.commit()
    assert waiting.waiting_counts(db.session) == []
    assert waiting.waiting_lists(db.session, service_id=club.id) == []


def test_audit_records_each_step(plans, make_case):
    from portal.audit.models import AuditEvent

    plan = plans.active(make_case())
    summaries = db.session.scalars(select(AuditEvent.summary).where(
        AuditEvent.object_type == "plan", AuditEvent.object_id == plan.id).order_by(AuditEvent.id)).all()
    assert summaries[0].startswith(f"plan {plan.id} drafted")
    assert any("submitted" in s for s in summaries)
    assert any("approved" in s for s in summaries)
    assert sum("signature" in s for s in summaries) == 2
    # No free text of the plan in the log.
    changes = db.session.scalars(select(AuditEvent.changes).where(AuditEvent.object_type == "plan")).all()
    assert "Osoba wychodzi" not in repr(changes)


def test_items_are_rows_of_their_version(plans, make_case):
    plan = plans.active(make_case())
    rows = db.session.execute(select(PlanItem.plan_version_id, PlanVersion.number)
                              .join(PlanVersion, PlanVersion.id == PlanItem.plan_version_id)).all()
    assert {number for _id, number in rows} == {0}
    assert reload(plan).versions[0].items[0].position == 0


def test_the_daily_recount_follows_the_calendar(app, runner, plans, make_case, make_service):
    from datetime import datetime

    from portal.timeutil import WARSAW
    club = make_service("Klub Seniora w Jadwisinie", unit="person", capacity_maximum=5, capacity_granted=4)
    untouched = make_service("Siłownia plenerowa", unit="person", capacity_maximum=30, capacity_granted=12)
    case = make_case([club])
    plans.approve(plans.submit(plans.draft(case, first_item={"period_to": date(2026, 6, 30)})))
    db.session.refresh(club)
    assert club.capacity_granted == 1  # the portal's count replaces the figure typed in the catalogue

    app.config["FIXED_NOW"] = datetime(2026, 7, 1, 0, 5, tzinfo=WARSAW)
    result = runner.invoke(args=["plans", "refresh-capacity"])
    assert result.exit_code == 0 and "1 services" in result.output
    db.session.expire_all()
    assert db.session.get(type(club), club.id).capacity_granted == 0
    assert db.session.get(type(untouched), untouched.id).capacity_granted == 12  # never used by plans


def test_waiting_list_service_refuses_what_its_page_never_offers(make_case, make_service, people, frozen, plans):
    """The page offers active services and the coordinator's own people; the
    service checks the same, and that a linked plan and request are that
    person's own (a script or a stale page posting other ids)."""
    case = make_case()
    club = case.services[0]
    other = make_case()
    suspended = make_service("Klub Seniora w Zofiborze", status="suspended")
    base = {"service_id": club.id, "resident_id": case.resident.id, "quantity": 1}
    refused = {
        "service_id": dict(base, service_id=suspended.id),
        "plan_id": dict(base, plan_id=plans.active(other).id),
        "request_id": dict(base, request_id=other.request.id),
    }
    for field_name, data in refused.items():
        with pytest.raises(ops.DataError) as error:
            waiting.add_to_waiting_list(db.session, data, actor=people.director)
        assert error.value.field == field_name
        db.session.rollback()
    other.resident.merged_into_id = case.resident.id  # a duplicate record, merged away
    db.session.commit()
    with pytest.raises(ops.DataError) as error:
        waiting.add_to_waiting_list(db.session, dict(base, resident_id=other.resident.id), actor=people.director)
    assert error.value.field == "resident_id"
    db.session.rollback()
    entry = waiting.add_to_waiting_list(db.session, dict(base, request_id=case.request.id), actor=people.coordinator)
    db.session.commit()
    assert (entry.service_id, entry.resident_id, entry.request_id) == (club.id, case.resident.id, case.request.id)
