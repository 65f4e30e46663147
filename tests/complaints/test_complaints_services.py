"""The register's operations: every rule and refusal, the staff-member hiding, the counts for reports."""
from datetime import date

import pytest

from portal.auth.models import Role
from portal.complaints import access
from portal.complaints import services as complaints
from portal.core.errors import DataError, Frozen, NotAllowed, VersionConflict
from portal.extensions import db


@pytest.fixture
def people(make_user):
    return {
        "director": make_user(Role.DIRECTOR, "dyrektor", "Dorota Dyrektorska"),
        "desk": make_user(Role.FRONT_DESK, "recepcja", "Anna Recepcyjna"),
        "desk2": make_user(Role.FRONT_DESK, "recepcja2", "Beata Okienkowa"),
        "coordinator": make_user(Role.COORDINATOR, "koordynator", "Kamil Koordynator"),
        "organiser": make_user(Role.SERVICES_ORGANISER, "organizator", "Olga Organizator"),
        "animator": make_user(Role.COMMUNITY_ORGANISER, "animator", "Adam Animator"),
        "admin": make_user(Role.ADMIN, "admin", "Adam Admin"),
    }


def test_numbers_per_year_and_the_due_day(people, make_complaint):
    first = make_complaint(people["desk"])
    second = make_complaint(people["desk"], received_on=date(2026, 1, 31))
    old = make_complaint(people["desk"], received_on=date(2025, 12, 30))
    assert (first.number, second.number, old.number) == ("SW/1/2026", "SW/2/2026", "SW/1/2025")
    assert first.due_on == date(2026, 5, 4) and second.due_on == date(2026, 3, 2)
    assert first.status == "new" and first.handler_id is None and first.created_by_id == people["desk"].id


@pytest.mark.parametrize("change, field", [
    ({"kind": "praise"}, "kind"),
    ({"channel": "pigeon"}, "channel"),
    ({"received_on": date(2026, 4, 15)}, "received_on"),  # tomorrow
    ({"received_on": None}, "received_on"),
    ({"complainant_name": "  "}, "complainant_name"),
    ({"subject": "service", "service_id": 999999}, "service_id"),
    ({"subject": "provider"}, "provider_id"),
    ({"subject": "staff"}, "staff_member_id"),
    ({"description": ""}, "description"),
    ({"description": "x" * 10001}, "description"),
])
def test_registration_refusals_name_the_field(people, make_complaint, change, field):
    with pytest.raises(DataError) as refused:
        make_complaint(people["desk"], **change)
    assert refused.value.field == field


def test_an_anonymous_complaint_keeps_no_name(people, make_complaint):
    complaint = make_complaint(people["desk"], anonymous=True, complainant_name="Ktoś", subject="other")
    assert complaint.anonymous and complaint.complainant_name is None and complaint.complainant_contact is None


def test_the_handler_works_the_complaint_through(app, people, make_complaint, frozen):
    director, coordinator = people["director"], people["coordinator"]
    complaint = make_complaint(people["desk"])
    with pytest.raises(NotAllowed):
        complaints.assign(db.session, complaint, coordinator.id, actor=coordinator)
    with pytest.raises(VersionConflict):
        complaints.assign(db.session, complaint, coordinator.id, actor=director, expected_version=99)
    complaints.assign(db.session, complaint, coordinator.id, actor=director, expected_version=complaint.version)
    db.session.commit()
    assert complaint.status == "assigned" and complaint.handler_id == coordinator.id

    with pytest.raises(NotAllowed):  # only the handler and the director work on it
        complaints.extend(db.session, complaint, {}, actor=people["organiser"])
    with pytest.raises(DataError) as refused:
        complaints.extend(db.session, complaint, {"extended_until": date(2026, 5, 4), "extension_reason": "x",
                                                  "extension_notice_on": frozen}, actor=coordinator)
    assert refused.value.field == "extended_until"  # not later than the due day
    with pytest.raises(DataError) as refused:
        complaints.extend(db.session, complaint, {"extended_until": date(2026, 6, 1), "extension_reason": "opinia"},
                          actor=coordinator)
    assert refused.value.field == "extension_notice_on"  # the person must be told
    complaints.extend(db.session, complaint, {"extended_until": date(2026, 6, 1), "extension_reason": "opinia",
                                              "extension_notice_on": frozen}, actor=coordinator)
    assert complaint.due == date(2026, 6, 1) and complaint.due_on == date(2026, 5, 4)

    with pytest.raises(DataError) as refused:  # no closing before the answer
        complaints.close(db.session, complaint, actor=coordinator)
    assert refused.value.field == "outcome"
    with pytest.raises(DataError) as refused:
        complaints.answer(db.session, complaint, {"outcome": "rejected", "answered_on": frozen}, actor=coordinator)
    assert refused.value.field == "answer_text"
    complaints.answer(db.session, complaint, {"outcome": "rejected", "answered_on": frozen,
                                              "answer_text": "Opiekunka była na zwolnieniu."}, actor=coordinator)
    action = complaints.add_action(db.session, complaint, {"text": "Zastępstwa opiekunek", "responsible_id":
                                                           people["organiser"].id}, actor=coordinator)
    complaints.close(db.session, complaint, actor=coordinator)
    db.session.commit()
    with app.test_request_context():
        assert (complaint.status, str(complaint.outcome_label)) == ("closed", "niezasadna")
    with pytest.raises(Frozen):
        complaints.answer(db.session, complaint, {"outcome": "upheld", "answered_on": frozen, "answer_text": "x"},
                          actor=coordinator)
    complaints.action_done(db.session, action, frozen, actor=coordinator)  # follow-up goes on after closing
    db.session.commit()
    assert action.done_on == frozen

    from portal.audit.models import AuditEvent

    trail = db.session.scalars(db.select(AuditEvent).where(AuditEvent.object_type == "complaint",
                                                           AuditEvent.object_id == complaint.id)
                               .order_by(AuditEvent.id)).all()
    assert [e.action for e in trail] == ["create", "assign", "extend", "answer", "action_add", "close",
                                         "action_done"]
    assert not any("Wiśniewska" in str(e.changes) + e.summary for e in trail)


def test_a_request_names_its_outcome_in_its_own_words(app, people, make_complaint, frozen):
    request = make_complaint(people["director"], kind="request", subject="other",
                             description="Proszę o zajęcia dla seniorów w soboty.")
    complaints.assign(db.session, request, people["director"].id, actor=people["director"])
    complaints.answer(db.session, request, {"outcome": "upheld", "answered_on": frozen, "answer_text": "Tak."},
                      actor=people["director"])
    with app.test_request_context():
        assert str(request.outcome_label) == "uwzględniony"


def test_a_complaint_about_a_staff_member_is_hidden_from_them(people, make_complaint):
    coordinator, director = people["coordinator"], people["director"]
    about = make_complaint(people["desk"], subject="staff", staff_member_id=coordinator.id)
    other = make_complaint(people["desk"])
    with pytest.raises(DataError) as refused:  # nor may they handle it
        complaints.assign(db.session, about, coordinator.id, actor=director)
    assert refused.value.field == "handler_id"
    assert coordinator.id not in [u.id for u in complaints.handlers(db.session, about)]
    complaints.assign(db.session, other, coordinator.id, actor=director)
    db.session.commit()

    assert not access.can_see(coordinator, about) and access.can_see(director, about)
    assert [c.id for c in complaints.listing(db.session, coordinator, state="all")] == [other.id]
    assert complaints.urgent(db.session, coordinator).open == 1
    assert complaints.counts(db.session, date(2026, 1, 1), date(2026, 12, 31), viewer=coordinator).received == 1
    assert complaints.counts(db.session, date(2026, 1, 1), date(2026, 12, 31)).received == 2

    # Even the director does not see one about the director.
    about_director = make_complaint(people["desk"], subject="staff", staff_member_id=director.id)
    assert not access.can_see(director, about_director)
    assert about_director.id not in [c.id for c in complaints.listing(db.session, director, state="all")]


def test_who_sees_what(people, make_complaint, make_provider):
    desk, desk2, organiser = people["desk"], people["desk2"], people["organiser"]
    service = make_complaint(desk)
    provider = make_complaint(desk, subject="provider", provider_id=make_provider().id)
    other = make_complaint(desk, subject="other")
    staff = make_complaint(desk, subject="staff", staff_member_id=people["animator"].id)

    def seen(user):
        return {c.id for c in complaints.listing(db.session, user, state="all")}

    everything = {service.id, provider.id, other.id, staff.id}
    assert seen(people["director"]) == everything
    assert seen(desk) == everything and seen(desk2) == set()  # what they registered, until assigned
    assert seen(organiser) == {service.id, provider.id}       # the catalogue's, read only
    assert not access.sees_complainant(organiser, service) and not access.can_work(organiser, service)
    assert seen(people["animator"]) == set() and seen(people["admin"]) == set()
    assert seen(people["coordinator"]) == set()

    complaints.assign(db.session, other, people["coordinator"].id, actor=people["director"])
    db.session.commit()
    assert other.id not in seen(desk) and seen(people["coordinator"]) == {other.id}
    assert access.can_work(people["coordinator"], other)
    for user in people.values():  # the SQL rule and the Python rule agree
        assert seen(user) == {c.id for c in (service, provider, other, staff) if access.can_see(user, c)}


def test_counts_for_the_reports(people, make_complaint, frozen):
    director = people["director"]
    on_time = make_complaint(director, received_on=date(2026, 3, 2))           # due 2 April
    late = make_complaint(director, received_on=date(2026, 3, 3))              # due 3 April
    overdue = make_complaint(director, received_on=date(2026, 3, 4), kind="request", subject="other")  # due 7 April
    extended = make_complaint(director, received_on=date(2026, 3, 5))          # due 7 April, extended
    open_ = make_complaint(director, received_on=date(2026, 4, 10))
    make_complaint(director, received_on=date(2025, 12, 1))                    # outside the period
    for complaint, outcome, day in ((on_time, "upheld", date(2026, 4, 1)), (late, "rejected", date(2026, 4, 8))):
        complaints.answer(db.session, complaint, {"outcome": outcome, "answered_on": day, "answer_text": "Odp."},
                          actor=director)
    complaints.extend(db.session, extended, {"extended_until": date(2026, 5, 5), "extension_reason": "opinia",
                                             "extension_notice_on": date(2026, 4, 1)}, actor=director)
    db.session.commit()

    result = complaints.counts(db.session, date(2026, 1, 1), date(2026, 12, 31), today=frozen)
    assert result.received == 5
    assert result.by_kind == {"complaint": 4, "request": 1}
    assert result.by_outcome == {"upheld": 1, "rejected": 1, "withdrawn": 0, None: 3}
    assert (result.answered_on_time, result.answered_late) == (1, 1)
    assert result.extended == 1
    assert result.overdue == 1 and result.open == 3
    assert overdue.id and open_.id
    # Counts only: nothing in the result names a person.
    assert "Wiśniewska" not in repr(result)
