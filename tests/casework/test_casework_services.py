"""Monitoring contacts and the closure through the service layer: what is
stored, what is refused and why, the request closed with the plan, the plan
frozen afterwards, capacity freed, the audit log without free text."""
from datetime import date, datetime

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.casework import services as ops
from portal.casework.models import MonitoringEntry, PlanClosure
from portal.catalogue.models import Service
from portal.core.errors import DomainError
from portal.desk.models import RequestStatusChange
from portal.extensions import db
from portal.plans import services as plan_ops
from portal.timeutil import WARSAW
from tests.plans.fixtures import TODAY


def contact_data(plan, day=TODAY, **row):
    items = plan.version_in_force.items
    rows = [{"plan_item_id": item.id, "scope_delivered": "", "remarks": "", "satisfaction": None} for item in items]
    rows[0].update({"scope_delivered": "Dwa spotkania w klubie", "satisfaction": 5, **row})
    return {"contact_on": day, "contact_kind": "phone", "items": rows}


def closure_data(plan, day=TODAY, **overrides):
    data = ops.closure_defaults(plan, day, ops.entries_of(db.session, plan))
    data.update(effects="Pan Jan wychodzi z domu dwa razy w tygodniu.", survey_needs=5, survey_quality=4,
                survey_comment="Dziękuję za pomoc.")
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def polish(app):
    """Messages are lazy Polish strings: read them as a request would."""
    with app.test_request_context():
        yield


@pytest.fixture
def active(make_case, plans):
    return plans.active(make_case())


# --- monitoring ------------------------------------------------------------------------------------

def test_a_contact_is_one_entry_per_service_talked_about(active, people):
    entries = ops.record_contact(db.session, active, contact_data(active), actor=people.coordinator, today=TODAY)
    db.session.commit()
    [entry] = db.session.scalars(select(MonitoringEntry)).all()
    assert entry is entries[0]
    first = active.version_in_force.items[0]
    assert (entry.plan_item_id, entry.service_id, entry.contact_on, entry.contact_kind) == (
        first.id, first.service_id, TODAY, "phone")
    assert (entry.scope_delivered, entry.satisfaction, entry.recorded_by_id) == (
        "Dwa spotkania w klubie", 5, people.coordinator.id)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "plan")
                               .order_by(AuditEvent.id.desc())).first()
    assert "monitoring contact" in event.summary and "klubie" not in str(event.changes)


@pytest.mark.parametrize("change, field, message", [
    ({"contact_on": date(2026, 5, 13)}, "contact_on", "nie może być w przyszłości"),
    ({"contact_on": date(2026, 5, 11)}, "contact_on", "wcześniejszy niż sporządzenie planu"),
    ({"contact_on": None}, "contact_on", "Podaj datę kontaktu"),
    ({"contact_kind": "pigeon"}, "contact_kind", "Wybierz rodzaj kontaktu"),
])
def test_the_contact_itself_is_checked(active, people, change, field, message):
    data = contact_data(active)
    if change.get("contact_on") == date(2026, 5, 11):
        active.original.drawn_up_on = TODAY  # drawn up on the 12th: the 11th is before it
    data.update(change)
    with pytest.raises(ops.DataError) as error:
        ops.record_contact(db.session, active, data, actor=people.coordinator, today=TODAY)
    assert error.value.field == field and message in str(error.value.message)


def test_each_service_row_is_checked(active, people):
    with pytest.raises(ops.DataError) as error:
        ops.record_contact(db.session, active, contact_data(active, satisfaction=6), actor=people.coordinator,
                           today=TODAY)
    assert error.value.field == "items-0-satisfaction"
    with pytest.raises(ops.DataError) as error:
        ops.record_contact(db.session, active, contact_data(active, scope_delivered="", remarks="Bez zmian"),
                           actor=people.coordinator, today=TODAY)
    assert error.value.field == "items-0-scope_delivered"
    with pytest.raises(ops.DataError) as error:
        ops.record_contact(db.session, active, contact_data(active, plan_item_id=999999), actor=people.coordinator,
                           today=TODAY)
    assert "obowiązującej wersji" in str(error.value.message)
    with pytest.raises(ops.DataError) as error:
        ops.record_contact(db.session, active, contact_data(active, scope_delivered="", satisfaction=None),
                           actor=people.coordinator, today=TODAY)
    assert "co najmniej jednej usłudze" in str(error.value.message)
    assert db.session.scalar(select(MonitoringEntry.id)) is None


def test_contacts_only_on_a_signed_plan_and_only_by_the_case(make_case, plans, people):
    case = make_case()
    plan = plans.draft(case)
    with pytest.raises(ops.TransitionError):
        ops.record_contact(db.session, plan, {"contact_on": TODAY, "contact_kind": "phone", "items": []},
                           actor=people.coordinator, today=TODAY)
    plans.submit(plan)
    plans.approve(plan)
    assert ops.monitoring_problem(plan) is not None  # approved, not yet signed
    plans.sign_both(plan)
    for stranger in (people.other_coordinator, people.desk, people.organiser, people.admin, people.community):
        with pytest.raises(ops.NotAllowed):
            ops.record_contact(db.session, plan, contact_data(plan), actor=stranger, today=TODAY)
    ops.record_contact(db.session, plan, contact_data(plan), actor=people.director, today=TODAY)  # the director may


# --- closure --------------------------------------------------------------------------------------------

def test_closing_the_plan_closes_the_request_and_freezes_the_plan(active, people, contact):
    contact(active, TODAY)
    request = active.request
    assert request.status == "handed_to_plan"
    closure = ops.close_plan(db.session, active, closure_data(active), actor=people.coordinator,
                             expected_version=active.version, today=TODAY)
    db.session.commit()
    db.session.expire_all()
    assert active.status == "closed" and active.closed_on == TODAY and active.closed_at is not None
    assert request.status == "closed_plan" and request.closed_at is not None
    last = db.session.scalars(select(RequestStatusChange).where(RequestStatusChange.request_id == request.id)
                              .order_by(RequestStatusChange.id.desc())).first()
    assert (last.from_status, last.to_status, last.actor_id) == ("handed_to_plan", "closed_plan", people.coordinator.id)
    assert last.note == f"IPUS {active.number}"
    stored = db.session.scalar(select(PlanClosure))
    assert stored.id == closure.id and stored.conversation_on == TODAY
    assert [(i.outcome, i.service_id) for i in stored.items] == [
        ("attained", item.service_id) for item in active.version_in_force.items]
    assert (stored.survey_needs, stored.survey_quality, stored.survey_access) == (5, 4, None)
    assert "Klub Seniora" in stored.course and "Kontakty monitorujące: 1" in stored.course

    # Frozen: no second closure, no contact, no update.
    with pytest.raises(ops.Frozen):
        ops.close_plan(db.session, active, closure_data(active), actor=people.coordinator, expected_version=None,
                       today=TODAY)
    with pytest.raises(ops.Frozen):
        ops.record_contact(db.session, active, contact_data(active), actor=people.coordinator, today=TODAY)
    with pytest.raises(DomainError):
        plan_ops.start_update(db.session, active, actor=people.coordinator, expected_version=None, today=TODAY)
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "plan",
                                                        AuditEvent.summary.like("%closed"))).all()
    assert len(audit) == 1 and "Dziękuję" not in str(audit[0].changes)


def test_only_an_approved_or_active_plan_without_an_update_in_the_works_closes(make_case, plans, people):
    plan = plans.draft(make_case())
    with pytest.raises(ops.TransitionError):
        ops.close_plan(db.session, plan, {}, actor=people.coordinator, expected_version=None, today=TODAY)
    plans.submit(plan)
    with pytest.raises(ops.TransitionError):
        ops.close_plan(db.session, plan, {}, actor=people.coordinator, expected_version=None, today=TODAY)
    plans.approve(plan)  # approved, awaiting signatures: may be closed (the person withdrew)
    assert ops.closure_problem(plan) is None
    plans.sign_both(plan)
    plan_ops.start_update(db.session, plan, actor=people.coordinator, expected_version=plan.version, today=TODAY)
    db.session.commit()
    with pytest.raises(ops.TransitionError) as error:
        ops.close_plan(db.session, plan, {}, actor=people.coordinator, expected_version=None, today=TODAY)
    assert "aktualizacja" in str(error.value.message)


def test_an_approved_unsigned_plan_can_be_closed(make_case, plans, people):
    plan = plans.approve(plans.submit(plans.draft(make_case())))
    ops.close_plan(db.session, plan, closure_data(plan, survey_declined=True), actor=people.director,
                   expected_version=plan.version, today=TODAY)
    db.session.commit()
    closure = db.session.scalar(select(PlanClosure))
    assert closure.survey_declined and closure.survey_needs is None and closure.survey_comment is None
    assert plan.request.status == "closed_plan"
    # Closed unsigned: no signature is recorded on it afterwards.
    with pytest.raises(plan_ops.TransitionError):
        plan_ops.record_signature(db.session, plan, plan.version_in_force,
                                  {"signer_role": "participant", "signer_name": "Jan Nowak", "signed_on": TODAY},
                                  actor=people.coordinator, expected_version=plan.version, today=TODAY)
    db.session.rollback()


@pytest.mark.parametrize("overrides, field", [
    ({"conversation_on": date(2026, 5, 13)}, "conversation_on"),
    ({"conversation_on": None}, "conversation_on"),
    ({"period_from": date(2026, 5, 12), "period_to": date(2026, 5, 11)}, "period_to"),
    ({"effects": "  "}, "effects"),
    ({"course": ""}, "course"),
    ({"reasons": None}, "reasons"),
    ({"survey_needs": None, "survey_quality": None, "survey_comment": ""}, "survey_needs"),
    ({"survey_quality": 0}, "survey_quality"),
])
def test_the_closure_is_checked(active, people, overrides, field):
    with pytest.raises(ops.DataError) as error:
        ops.close_plan(db.session, active, closure_data(active, **overrides), actor=people.coordinator,
                       expected_version=None, today=TODAY)
    assert error.value.field == field
    assert active.status == "active"


def test_every_service_needs_an_outcome(active, people):
    data = closure_data(active)
    data["items"][1]["outcome"] = "maybe"
    with pytest.raises(ops.DataError) as error:
        ops.close_plan(db.session, active, data, actor=people.coordinator, expected_version=None, today=TODAY)
    assert error.value.field == "items-1-outcome"
    data = closure_data(active)
    data["items"] = data["items"][:1]
    with pytest.raises(ops.DataError) as error:
        ops.close_plan(db.session, active, data, actor=people.coordinator, expected_version=None, today=TODAY)
    assert error.value.field == "items"
    data = closure_data(active)
    data["items"][0]["period_to"] = date(2026, 5, 13)
    with pytest.raises(ops.DataError) as error:
        ops.close_plan(db.session, active, data, actor=people.coordinator, expected_version=None, today=TODAY)
    assert error.value.field == "items-0-period_to"


def test_a_stale_form_and_a_stranger_are_refused(active, people):
    with pytest.raises(ops.VersionConflict):
        ops.close_plan(db.session, active, closure_data(active), actor=people.coordinator,
                       expected_version=active.version - 1, today=TODAY)
    for stranger in (people.other_coordinator, people.desk, people.organiser, people.community, people.admin):
        with pytest.raises(ops.NotAllowed):
            ops.close_plan(db.session, active, closure_data(active), actor=stranger, expected_version=None,
                           today=TODAY)


def test_closing_frees_the_places_after_the_conversation(app, make_case, make_service, plans, people):
    club = make_service("Klub Seniora w Bęczkowie", unit="person", capacity_maximum=1)
    care = make_service("Opieka w domu", unit="hour", at_client_home=True)
    plan = plans.active(make_case([club, care]))
    assert db.session.get(Service, club.id).capacity_granted == 1
    ops.close_plan(db.session, plan, closure_data(plan), actor=people.coordinator, expected_version=plan.version,
                   today=TODAY)
    db.session.commit()
    # Held until the end of the conversation day, free from the next day.
    assert db.session.get(Service, club.id).capacity_granted == 1
    from portal.plans import capacity

    capacity.refresh_all(db.session, date(2026, 5, 13))
    db.session.commit()
    assert db.session.get(Service, club.id).capacity_granted == 0


def test_closure_defaults_come_from_the_plan(active, people, contact):
    contact(active, TODAY)
    data = ops.closure_defaults(active, TODAY, ops.entries_of(db.session, active))
    assert data["period_from"] == active.original.valid_from and data["period_to"] == TODAY
    assert data["reasons"] == "Pomoc w domu"  # the request's needs (the fixture's assessment has no text)
    assert [i["outcome"] for i in data["items"]] == ["attained", "attained"]
    assert all(i["period_to"] <= TODAY for i in data["items"])


def test_closure_course_says_quantities_in_polish_plural_forms(app, make_case, make_service, plans):
    case = make_case([make_service("Klub", unit="meeting"), make_service("Wypożyczalnia", unit="loan")])
    values = plans.data(case)
    values["items"][0]["quantity"], values["items"][1]["quantity"] = 12, 22
    plan = plans.active(case, items=values["items"])
    with app.test_request_context():
        course = ops.closure_defaults(plan, TODAY, [])["course"]
    assert "12 spotkań" in course and "22 wypożyczenia" in course


def test_frozen_time_on_the_night_the_clocks_go_back(app, make_case, plans, people):
    """The closing day is the Warsaw day: 00:30 CET on 26 October is the 26th."""
    plan = plans.active(make_case())
    app.config["FIXED_NOW"] = datetime(2026, 10, 26, 0, 30, tzinfo=WARSAW)
    today = datetime(2026, 10, 26, 0, 30, tzinfo=WARSAW).date()
    ops.close_plan(db.session, plan, closure_data(plan, day=today), actor=people.coordinator,
                   expected_version=plan.version, today=today)
    db.session.commit()
    assert plan.closed_on == date(2026, 10, 26)
