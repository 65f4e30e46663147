"""Assessment operations called directly: start, draft saves with nothing,
completion requires the paper form's fields, the special-category section,
the optimistic lock, and the audit trail."""
from datetime import date

import pytest

from portal.assessment import services as ops
from portal.assessment.models import Assessment, AssessmentSensitive
from portal.core.errors import VersionConflict
from portal.extensions import db
from tests.assessment.conftest import COMPLETE, FIXED, SENSITIVE, audit_actions


def test_start_makes_a_draft_and_moves_the_request_into_assessment(case, people):
    assessment, created = ops.start(db.session, actor=people.coordinator, request=case.request)
    db.session.commit()
    assert created
    assert assessment.status == "draft"
    assert assessment.resident_id == case.resident.id
    assert assessment.coordinator_id == people.coordinator.id
    assert assessment.assessed_on == FIXED.date()
    # The desk's picks and words are the first draft of what is wanted.
    assert [row.service_id for row in assessment.services_wanted] == [case.club.id]
    assert assessment.services_wanted[0].unit == "meeting"
    assert assessment.needs == "Potrzebuję pomocy w domu i towarzystwa."
    db.session.refresh(case.request)
    assert case.request.status == "in_assessment"
    assert [(c.from_status, c.to_status) for c in case.request.history][-1] == ("assigned", "in_assessment")
    assert audit_actions(assessment.id) == ["create"]


def test_starting_again_opens_the_same_draft(case, people, started):
    again, created = ops.start(db.session, actor=people.coordinator, request=case.request)
    assert not created and again.id == started.id
    assert db.session.scalar(db.select(db.func.count()).select_from(Assessment)) == 1


def test_information_requests_and_closed_requests_cannot_be_assessed(case, people):
    from portal.desk import services as desk

    info = desk.register_request(db.session, {"kind": "information", "channel": "phone", "question": "Godziny?",
                                              "resident_id": case.resident.id,
                                              "coordinator_id": people.coordinator.id}, actor=people.desk)
    with pytest.raises(ops.AssessmentError):
        ops.start(db.session, actor=people.coordinator, request=info)
    desk.change_status(db.session, case.request, "withdrawn", actor=people.desk)
    with pytest.raises(ops.AssessmentError):
        ops.start(db.session, actor=people.coordinator, request=case.request)


def test_a_draft_saves_with_nothing_filled_in(started, people):
    empty = {key: None for key in ops.FIELDS}
    ops.save(db.session, started, empty, actor=people.coordinator, expected_version=started.version, services=[])
    db.session.commit()
    db.session.refresh(started)
    assert started.status == "draft"
    assert all(getattr(started, key) is None for key in ops.FIELDS)
    assert started.services_wanted == []


def test_completion_requires_the_form_fields_and_keeps_the_draft(app, started, people):
    partial = {"problems": "Samotność", "household_size": 2}
    with pytest.raises(ops.Incomplete) as refused:
        ops.complete(db.session, started, partial, actor=people.coordinator, expected_version=started.version)
    db.session.commit()
    errors, sensitive = refused.value.errors, refused.value.sensitive_errors
    assert set(errors) == set(ops.REQUIRED) - {"problems", "household_size", "assessed_on", "needs"}
    with app.test_request_context():
        assert str(errors["conclusions"]) == "Wpisz wnioski i rekomendacje."
    assert set(sensitive) == {"minority", "disability"}
    db.session.refresh(started)
    assert started.status == "draft" and started.completed_at is None
    assert started.problems == "Samotność" and started.household_size == 2  # nothing lost


def test_completion_needs_a_degree_when_there_is_a_disability(started, people):
    ops.save_sensitive(db.session, started, {"minority": "refused", "disability": "yes"},
                       actor=people.coordinator, expected_version=1)
    with pytest.raises(ops.Incomplete) as refused:
        ops.complete(db.session, started, COMPLETE, actor=people.coordinator, expected_version=started.version)
    assert refused.value.errors == {}
    assert set(refused.value.sensitive_errors) == {"disability_degree"}


def test_complete_assessment(completed, people, case):
    db.session.refresh(completed)
    assert completed.status == "completed"
    assert completed.completed_at == FIXED
    assert completed.support("family") == ["cash", "services"]
    assert completed.support_family == "cash,services"
    rows = [(r.service_id, r.name, r.unit, r.quantity, r.frequency) for r in completed.services_wanted]
    assert rows == [(case.club.id, None, "meeting", 8, "raz w tygodniu"),
                    (None, "Pomoc sąsiedzka przy zakupach", "visit", 4, "co tydzień")]
    assert completed.services_wanted[0].service.name == "Klub Seniora w Bęczkowie"
    assert audit_actions(completed.id) == ["create", "update_sensitive", "update", "complete"]


def test_a_completed_assessment_is_frozen(completed, people):
    with pytest.raises(ops.AssessmentError) as refused:
        ops.save(db.session, completed, {"problems": "inne"}, actor=people.coordinator,
                 expected_version=completed.version)
    assert refused.value.field == "status"
    with pytest.raises(ops.AssessmentError):
        ops.save_sensitive(db.session, completed, {"health": "x"}, actor=people.coordinator,
                           expected_version=ops.sensitive_of(db.session, completed).version)


def test_the_second_of_two_concurrent_saves_is_refused(started, people):
    loaded_by_both = started.version
    ops.save(db.session, started, {"problems": "pierwsza wersja"}, actor=people.coordinator,
             expected_version=loaded_by_both)
    db.session.commit()
    with pytest.raises(VersionConflict):
        ops.save(db.session, started, {"problems": "druga wersja"}, actor=people.coordinator,
                 expected_version=loaded_by_both)
    db.session.rollback()
    db.session.refresh(started)
    assert started.problems == "pierwsza wersja"


def test_a_change_to_the_services_alone_moves_the_version(started, people, case):
    before = started.version
    ops.save(db.session, started, {}, actor=people.coordinator, expected_version=before,
             services=[{"service_id": case.rehab.id, "quantity": 10}])
    db.session.commit()
    assert started.version == before + 1
    with pytest.raises(VersionConflict):
        ops.save(db.session, started, {}, actor=people.coordinator, expected_version=before, services=[])


def test_a_stale_write_is_caught_by_the_database_lock(app, started, people):
    """Two sessions read version 1; the second UPDATE finds no row of that version."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    with Session(db.engine) as other:
        theirs = other.get(Assessment, started.id)
        ops.save(db.session, started, {"problems": "moja"}, actor=people.coordinator, expected_version=1)
        db.session.commit()
        theirs.problems = "ich"
        with pytest.raises(StaleDataError):
            other.commit()


def test_services_rows_need_a_name_and_a_sane_quantity(started, people, case):
    with pytest.raises(ops.AssessmentError) as refused:
        ops.save(db.session, started, {}, actor=people.coordinator, expected_version=started.version,
                 services=[{"quantity": 3, "frequency": "co tydzień"}])
    assert refused.value.field == "services-0-service_id"
    with pytest.raises(ops.AssessmentError) as refused:
        ops.save(db.session, started, {}, actor=people.coordinator, expected_version=started.version,
                 services=[{"service_id": case.club.id, "quantity": 0}])
    assert refused.value.field == "services-0-quantity"
    # A blank row is skipped, not refused.
    ops.save(db.session, started, {}, actor=people.coordinator, expected_version=started.version,
             services=[{"name": None, "quantity": None}])
    assert started.services_wanted == []


def test_bad_values_are_refused_at_their_field(started, people):
    for data, field in (({"education": "doctorate"}, "education"), ({"support_ngo": ["gold"]}, "support_ngo"),
                        ({"assessed_on": date(2026, 3, 11)}, "assessed_on"), ({"household_size": 0}, "household_size")):
        with pytest.raises(ops.AssessmentError) as refused:
            ops.save(db.session, started, data, actor=people.coordinator, expected_version=started.version)
        assert refused.value.field == field


def test_sensitive_section_lives_apart_and_is_audited_without_values(started, people):
    ops.save_sensitive(db.session, started, SENSITIVE, actor=people.coordinator, expected_version=1)
    db.session.commit()
    row = db.session.get(AssessmentSensitive, started.id)
    assert row.health == SENSITIVE["health"] and row.disability_degree == "moderate"
    # No path from the assessment loads it by accident.
    assert "sensitive" not in Assessment.__mapper__.relationships
    from portal.audit.models import AuditEvent

    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "update_sensitive"))
    assert "Cukrzyca" not in str(event.changes) and set(event.changes) >= {"health", "disability"}
    # A degree without a disability is dropped.
    ops.save_sensitive(db.session, started, {"disability": "no", "disability_degree": "severe"},
                       actor=people.coordinator, expected_version=row.version)
    assert row.disability == "no" and row.disability_degree is None


def test_audit_of_content_changes_names_fields_but_not_values(started, people):
    ops.save(db.session, started, {"problems": "Przemoc w rodzinie", "place": "home"}, actor=people.coordinator,
             expected_version=started.version)
    db.session.commit()
    from portal.audit.models import AuditEvent

    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "update",
                                                          AuditEvent.object_type == "assessment"))
    assert event.changes["problems"] == ["***", "***"]
    assert event.changes["place"] == [None, "home"]
    assert "Przemoc" not in str(event.changes) + event.summary


def test_reassigned_case_passes_to_the_new_coordinator(started, people, case):
    from portal.assessment import access
    from portal.desk import services as desk

    desk.assign(db.session, case.request, people.other_coordinator, actor=people.desk)
    db.session.commit()
    assert not access.can_view(people.coordinator, started)
    assert access.can_edit(people.other_coordinator, started)
    ops.save(db.session, started, {"problems": "x"}, actor=people.other_coordinator,
             expected_version=started.version)
    assert started.coordinator_id == people.other_coordinator.id


def test_listing_shows_a_coordinator_their_cases_only(started, people):
    assert [a.id for a in ops.listing(db.session, coordinator_id=people.coordinator.id)] == [started.id]
    assert ops.listing(db.session, coordinator_id=people.other_coordinator.id) == []
    assert [a.id for a in ops.listing(db.session)] == [started.id]
    assert ops.listing(db.session, status="completed") == []
