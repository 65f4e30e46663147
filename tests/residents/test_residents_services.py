"""Resident operations called directly: search, register, change, merge,
consents, the information clause and the access trail; and who may see what."""
from datetime import date, datetime, timedelta

import pytest

from portal.validation import make_pesel

VALID = "44051401359"           # man born 14.05.1944
BAD_CHECKSUM = "44051401358"
IMPOSSIBLE_DATE = "02381307589"
WOMAN_2002 = "02211307589"      # woman born 13.01.2002


# --- fixtures (imported by the other residents test modules) ---------------------------

@pytest.fixture
def director(make_user):
    return make_user("director", "r-director", "Dorota Dyrektor")


@pytest.fixture
def make_person(app, desk_user):
    """A person registered through the service (so search columns are right)."""
    from portal.extensions import db
    from portal.residents import services as ops

    def make(first_name="Jan", last_name="Kowalski", *, pesel=None, birth_date=None, **fields):
        data = {"first_name": first_name, "last_name": last_name, "pesel": pesel, **fields}
        if not pesel:
            data["no_pesel_reason"] = data.get("no_pesel_reason") or "Cudzoziemiec"
            data["birth_date"] = birth_date or date(1950, 3, 7)
        resident = ops.create_resident(db.session, data, actor=desk_user)
        db.session.commit()
        return resident

    return make


@pytest.fixture
def assign(app, desk_user):
    """Give a person to a coordinator: a request with them as its coordinator."""
    from portal.desk.models import Request
    from portal.extensions import db

    def make(resident, coordinator, **fields):
        item = Request(channel="phone", kind="application", status="assigned", resident_id=resident.id,
                       coordinator_id=coordinator.id, needs_description="Pomoc w domu.",
                       created_by_id=desk_user.id, **fields)
        db.session.add(item)
        db.session.commit()
        return item

    return make


def events_of(resident, action=None):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    query = db.select(AuditEvent).where(AuditEvent.object_type == "resident", AuditEvent.object_id == resident.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return db.session.scalars(query.order_by(AuditEvent.id)).all()


def search(query, actor, **kwargs):
    from portal.extensions import db
    from portal.residents.services import search_residents

    return search_residents(db.session, query, actor=actor, **kwargs)


# --- register ----------------------------------------------------------------------------

def test_create_derives_birth_date_and_sex_from_pesel(app, desk_user):
    from portal.extensions import db
    from portal.residents import services as ops

    resident = ops.create_resident(db.session, {"first_name": " Żaneta ", "last_name": "Łukasik",
                                                "pesel": WOMAN_2002, "phone": "601 234 567",
                                                "postal_code": "21 407"}, actor=desk_user)
    db.session.commit()
    assert (resident.birth_date, resident.sex) == (date(2002, 1, 13), "F")
    assert (resident.search_first, resident.search_last) == ("zaneta", "lukasik")
    assert resident.first_name == "Żaneta"
    assert resident.phone == "+48601234567" and resident.postal_code == "21-407"
    assert resident.created_by_id == desk_user.id
    [created] = events_of(resident, "create")
    assert created.actor_id == desk_user.id
    assert created.changes["pesel"] == [None, "***"]
    assert WOMAN_2002 not in str(created.changes) and WOMAN_2002 not in created.summary


@pytest.mark.parametrize("pesel, code", [(BAD_CHECKSUM, "pesel_checksum"), (IMPOSSIBLE_DATE, "pesel_date"),
                                         ("4405140135", "pesel_format")])
def test_create_refuses_a_bad_pesel(app, desk_user, pesel, code):
    from portal.extensions import db
    from portal.residents import services as ops

    with pytest.raises(ops.ResidentDataError) as error:
        ops.create_resident(db.session, {"first_name": "Jan", "last_name": "Nowak", "pesel": pesel}, actor=desk_user)
    assert error.value.field == "pesel" and error.value.code == code
    assert pesel not in str(error.value)


@pytest.mark.parametrize("century, year", [(80, 1890), (0, 1990), (20, 2020)])
def test_create_accepts_every_past_century(app, desk_user, century, year):
    from portal.extensions import db
    from portal.residents import services as ops

    pesel = make_pesel(date(year, 7, 31), 123, "M")
    assert int(pesel[2:4]) == 7 + century
    resident = ops.create_resident(db.session, {"first_name": "Jan", "last_name": "Nowak", "pesel": pesel},
                                   actor=desk_user)
    assert resident.birth_date == date(year, 7, 31) and resident.sex == "M"


@pytest.mark.parametrize("century_year", [2100, 2200])
def test_future_centuries_are_refused(app, desk_user, century_year):
    from portal.extensions import db
    from portal.residents import services as ops

    pesel = make_pesel(date(century_year, 1, 1), 1, "F")
    with pytest.raises(ops.ResidentDataError) as error:
        ops.create_resident(db.session, {"first_name": "Ala", "last_name": "Nowak", "pesel": pesel}, actor=desk_user)
    assert error.value.code == "pesel_future"


def test_without_pesel_a_reason_and_a_birth_date_are_required(app, desk_user):
    from portal.extensions import db
    from portal.residents import services as ops

    base = {"first_name": "Olena", "last_name": "Kovalenko"}
    with pytest.raises(ops.ResidentDataError) as error:
        ops.create_resident(db.session, {**base, "birth_date": date(1980, 1, 1)}, actor=desk_user)
    assert error.value.field == "no_pesel_reason"
    with pytest.raises(ops.ResidentDataError) as error:
        ops.create_resident(db.session, {**base, "no_pesel_reason": "Cudzoziemka"}, actor=desk_user)
    assert error.value.field == "birth_date"
    resident = ops.create_resident(db.session, {**base, "no_pesel_reason": "Cudzoziemka",
                                                "birth_date": date(1980, 1, 1)}, actor=desk_user)
    assert resident.pesel is None and resident.sex is None


def test_duplicate_pesel_raises_with_the_existing_person(app, desk_user, make_person):
    from portal.extensions import db
    from portal.residents import services as ops

    existing = make_person("Jan", "Kowalski", pesel=VALID)
    with pytest.raises(ops.DuplicatePesel) as error:
        ops.create_resident(db.session, {"first_name": "Janek", "last_name": "Kowalsky", "pesel": VALID},
                            actor=desk_user)
    assert error.value.existing.id == existing.id
    assert VALID not in str(error.value)
    db.session.rollback()
    assert ops.find_by_pesel(db.session, VALID).id == existing.id


def test_a_pesel_registered_by_a_colleague_a_moment_ago(app, desk_user, make_person, monkeypatch):
    """The check passes, then the unique index refuses: still DuplicatePesel,
    and the caller's transaction is still usable (a savepoint took the hit)."""
    from portal.extensions import db
    from portal.residents import services as ops

    existing = make_person("Jan", "Kowalski", pesel=VALID)
    real = ops._pesel_owner
    calls = []

    def racing(session, pesel, exclude_id=None):
        calls.append(pesel)
        return None if len(calls) == 1 else real(session, pesel, exclude_id)

    monkeypatch.setattr(ops, "_pesel_owner", racing)
    with pytest.raises(ops.DuplicatePesel) as error:
        ops.create_resident(db.session, {"first_name": "Jan", "last_name": "Kowalski", "pesel": VALID},
                            actor=desk_user)
    assert error.value.existing.id == existing.id and len(calls) == 2
    other = ops.create_resident(db.session, {"first_name": "Ala", "last_name": "Nowak", "pesel": WOMAN_2002},
                                actor=desk_user)
    db.session.commit()
    assert other.id is not None


def test_information_clause_at_registration(app, desk_user):
    from portal.extensions import db
    from portal.residents import services as ops

    resident = ops.create_resident(db.session, {"first_name": "Jan", "last_name": "Nowak", "pesel": VALID,
                                                "informed_at": True}, actor=desk_user)
    db.session.commit()
    assert resident.informed_at is not None and resident.informed_by_id == desk_user.id
    assert [e.action for e in events_of(resident)] == ["create", "information_clause"]


# --- search --------------------------------------------------------------------------------

@pytest.fixture
def people(make_person, make_village):
    village = make_village("Bęczków")
    return {
        "jan": make_person("Jan", "Kowalski", pesel=VALID, phone="601 234 567", village_id=village.id),
        "zaneta": make_person("Żaneta", "Łukasik", pesel=WOMAN_2002, phone="25 753 10 01"),
        "jozef": make_person("Józef", "Kowalczyk", birth_date=date(1950, 3, 7)),
        "anna": make_person("Anna", "Kowalska-Nowak", pesel=make_pesel(date(1960, 2, 1), 5, "F")),
    }


@pytest.mark.parametrize("query", ["kowal jan", "jan kowal", "Jan Kowalski", "KOWALSKI", "kowalski j",
                                   "  jan   kowals "])
def test_search_by_name_prefixes_in_any_order(people, desk_user, query):
    assert people["jan"] in search(query, desk_user)


@pytest.mark.parametrize("query", ["łukasik żaneta", "lukasik zaneta", "ŁUKASIK", "Zaneta Łuka", "żan"])
def test_search_by_name_ignores_diacritics_both_ways(people, desk_user, query):
    assert search(query, desk_user) == [people["zaneta"]]


def test_search_orders_by_last_then_first_name(people, desk_user):
    names = [r.last_name for r in search("kowal", desk_user)]
    assert names == ["Kowalczyk", "Kowalska-Nowak", "Kowalski"]


def test_search_finds_the_second_part_of_a_double_name(people, desk_user):
    assert search("nowak anna", desk_user) == [people["anna"]]


def test_search_with_a_limit_returns_the_first_matches_in_order(make_person, desk_user):
    """Each word may start the first or the last name: the first `limit` of
    every match, in display order, whichever name each word started."""
    from portal.extensions import db
    from portal.residents import services as ops

    names = [("Marek", "Adamski"), ("Adam", "Marecki"), ("Adam", "Zieliński"), ("Ada", "Adamowicz"),
             ("Marta", "Adamczyk"), ("Adela", "Nowak"), ("Zenon", "Ada"), ("Adam", "Adamski"), ("Jan", "Kos")]
    for first, last in names:
        make_person(first, last)
    for query, limit in (("ada", 3), ("ada", 20), ("adam mar", 2), ("mar adam", 20), ("ad ad", 2)):
        words = ops.fold(query).split()
        expected = sorted(
            ((ops.fold(last), ops.fold(first)) for first, last in names
             if all(ops.fold(last).startswith(w) or ops.fold(first).startswith(w) for w in words)))[:limit]
        found = ops.search_residents(db.session, query, actor=desk_user, limit=limit)
        assert [(p.search_last, p.search_first) for p in found] == expected, query


def test_search_prefix_ending_in_z_is_not_lost(make_person, desk_user):
    kaz = make_person("Kaz", "Ryz")
    assert search("ryz", desk_user) == [kaz]
    assert search("ry", desk_user) == [kaz]


@pytest.mark.parametrize("query", ["601234567", "601 234 567", "601-234-567", "+48 601 234 567", "0048601234567",
                                   "+48601234567", "(601) 234 567"])
def test_search_by_mobile_in_any_format(people, desk_user, query):
    assert search(query, desk_user) == [people["jan"]]


@pytest.mark.parametrize("query", ["25 753 10 01", "257531001", "+48 25 753 10 01", "25-753-10-01"])
def test_search_by_landline(people, desk_user, query):
    assert search(query, desk_user) == [people["zaneta"]]


@pytest.mark.parametrize("query", ["07.03.1950", "7.3.1950", "1950-03-07", "07-03-1950"])
def test_search_by_birth_date(people, desk_user, query):
    assert search(query, desk_user) == [people["jozef"]]


def test_search_by_pesel_is_exact(people, desk_user):
    assert search(VALID, desk_user) == [people["jan"]]
    assert search("4405140135", desk_user) == []
    assert search(BAD_CHECKSUM, desk_user) == []


def test_search_nothing_for_junk(people, desk_user):
    for query in ["", "   ", "%", "_", "'; drop table resident; --", "31.02.1950", "12345", "x" * 500]:
        assert search(query, desk_user) == []


def test_search_waits_for_a_second_letter(people, desk_user):
    assert search("k", desk_user) == [] and search("k j", desk_user) == []
    assert people["jan"] in search("ko j", desk_user)


def test_search_respects_the_limit(make_person, desk_user):
    for i in range(5):
        make_person("Jan", f"Nowak{chr(97 + i)}")
    assert len(search("nowak", desk_user, limit=3)) == 3


def test_search_excludes_merged_records(people, desk_user, director):
    from portal.extensions import db
    from portal.residents import services as ops

    ops.merge_residents(db.session, people["jan"], people["jozef"], actor=director, reason="duplikat")
    db.session.commit()
    assert people["jozef"] not in search("kowal", desk_user)
    assert search("07.03.1950", desk_user) == []


def test_coordinator_finds_only_assigned_people(people, make_user, assign, desk_user, director):
    coordinator = make_user("coordinator", "k1")
    other = make_user("coordinator", "k2")
    assign(people["jan"], coordinator)
    assert search("kowal", coordinator) == [people["jan"]]
    assert search(VALID, coordinator) == [people["jan"]]
    assert search(WOMAN_2002, coordinator) == []
    assert search("kowal", other) == []
    assert len(search("kowal", director)) == 3
    assert len(search("kowal", desk_user)) == 3


@pytest.mark.parametrize("role", ["services_organiser", "community_organiser", "admin"])
def test_no_personal_data_roles_find_nobody(people, make_user, role):
    assert search("kowal", make_user(role)) == []
    assert search(VALID, make_user(role)) == []


def test_possible_duplicates_by_folded_name_and_birth_date(people):
    from portal.extensions import db
    from portal.residents.services import possible_duplicates

    found = possible_duplicates(db.session, "JÓZEF", "kowalczyk", date(1950, 3, 7))
    assert found == [people["jozef"]]
    assert possible_duplicates(db.session, "Jozef", "Kowalczyk", date(1950, 3, 8)) == []
    assert possible_duplicates(db.session, "Józef", "Kowalczyk", date(1950, 3, 7),
                               exclude_id=people["jozef"].id) == []


# --- update and version conflicts ---------------------------------------------------------

def test_update_records_what_changed_never_the_values(people, desk_user):
    from portal.extensions import db
    from portal.residents import services as ops

    jan = people["jan"]
    version = jan.version
    new_pesel = make_pesel(date(2002, 1, 13), 7, "F")
    ops.update_resident(db.session, jan, {"phone": "602 000 111", "pesel": new_pesel, "notes": "cukrzyca"},
                        actor=desk_user, expected_version=version)
    db.session.commit()
    assert jan.version == version + 1
    assert jan.phone == "+48602000111" and jan.birth_date == date(2002, 1, 13) and jan.sex == "F"
    event = events_of(jan, "update")[-1]
    assert event.changes == {"phone": ["***", "***"], "pesel": ["***", "***"], "notes": [None, "***"],
                             "birth_date": ["***", "***"], "sex": ["***", "***"]}
    assert "602" not in repr(event.changes) and "cukrzyca" not in repr(event.changes)
    text = str(event.changes) + event.summary
    assert new_pesel not in text and VALID not in text and "cukrzyca" not in text


def test_update_with_a_stale_version_saves_nothing(people, desk_user):
    from portal.extensions import db
    from portal.residents import services as ops

    jan = people["jan"]
    stale = jan.version
    ops.update_resident(db.session, jan, {"phone": "602 000 111"}, actor=desk_user, expected_version=stale)
    db.session.commit()
    with pytest.raises(ops.VersionConflict) as error:
        ops.update_resident(db.session, jan, {"phone": "603 000 222"}, actor=desk_user, expected_version=stale)
    assert error.value.current is jan
    db.session.commit()
    db.session.expire_all()
    assert jan.phone == "+48602000111"
    assert len(events_of(jan, "update")) == 1


def test_update_detects_a_save_between_read_and_write(people, desk_user, app):
    """Another connection saves after our version check: the database refuses."""
    from sqlalchemy.orm import Session

    from portal.extensions import db
    from portal.residents import services as ops
    from portal.residents.models import Resident

    jan = people["jan"]
    version = jan.version
    with Session(db.engine) as other:
        theirs = other.get(Resident, jan.id)
        theirs.phone = "+48605000000"
        other.commit()
    with pytest.raises(ops.VersionConflict):
        ops.update_resident(db.session, jan, {"phone": "606 000 000"}, actor=desk_user, expected_version=version)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Resident, jan.id).phone == "+48605000000"


def test_update_to_someone_elses_pesel(people, desk_user):
    from portal.extensions import db
    from portal.residents import services as ops

    with pytest.raises(ops.DuplicatePesel) as error:
        ops.update_resident(db.session, people["jozef"], {"pesel": VALID}, actor=desk_user,
                            expected_version=people["jozef"].version)
    assert error.value.existing.id == people["jan"].id


def test_update_without_changes_keeps_the_version(people, desk_user):
    from portal.extensions import db
    from portal.residents import services as ops

    jan = people["jan"]
    version = jan.version
    ops.update_resident(db.session, jan, {"phone": "+48 601 234 567", "first_name": "Jan"}, actor=desk_user,
                        expected_version=version)
    db.session.commit()
    assert jan.version == version and events_of(jan, "update") == []


# --- merge ------------------------------------------------------------------------------

def test_merge_moves_requests_and_consents_and_keeps_both_histories(people, desk_user, director, assign,
                                                                     make_user):
    from portal.extensions import db
    from portal.residents import services as ops

    keep, drop = people["jozef"], people["jan"]  # keep has no PESEL, drop has one
    coordinator = make_user("coordinator", "k1")
    moved = assign(drop, coordinator)
    ops.give_consent(db.session, drop, "sms", "2026-01", actor=desk_user)
    db.session.commit()
    drop_events_before = len(events_of(drop))

    ops.merge_residents(db.session, keep, drop, actor=director, reason="Ta sama osoba, literówka")
    db.session.commit()
    db.session.expire_all()

    assert moved.resident_id == keep.id
    assert keep.active_consent("sms") is not None and drop.consents == []
    assert drop.merged_into_id == keep.id and drop.pesel is None
    assert keep.pesel == VALID and keep.no_pesel_reason is None
    assert keep.birth_date == date(1944, 5, 14) and keep.sex == "M"
    assert keep.phone == "+48601234567" and keep.village_id == drop.village_id
    assert ops.find_by_pesel(db.session, VALID).id == keep.id
    [merge_keep] = events_of(keep, "merge")
    [merge_drop] = events_of(drop, "merge")
    assert merge_keep.reason == merge_drop.reason == "Ta sama osoba, literówka"
    assert merge_keep.actor_id == director.id
    assert len(events_of(drop)) == drop_events_before + 1  # its history stays, plus the merge
    trail = ops.access_events(db.session, keep)
    assert {e.object_id for e in trail} == {keep.id, drop.id}
    assert ops.merged_records(db.session, keep) == [drop]
    assert VALID not in str(merge_keep.changes)
    # The coordinator of the moved request now has the kept person.
    from portal.residents.access import can_view_full
    assert can_view_full(coordinator, keep) and can_view_full(coordinator, drop)


def test_merge_moves_the_case_files_too(people, director, assign, make_user):
    from portal.assessment import services as assessments
    from portal.assessment.models import Assessment
    from portal.extensions import db
    from portal.residents import services as ops

    keep, drop = people["jozef"], people["jan"]
    coordinator = make_user("coordinator", "k1")
    assign(drop, coordinator)
    file, _created = assessments.start(db.session, actor=coordinator, resident=drop)
    db.session.commit()
    ops.merge_residents(db.session, keep, drop, actor=director, reason="Ta sama osoba")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Assessment, file.id).resident_id == keep.id
    [merge_keep] = events_of(keep, "merge")
    assert "other documents 1" in merge_keep.summary
    assert merge_keep.changes["moved"][1] == {"requests": 1, "consents": 0, "other": 1}


def test_merge_when_both_have_a_pesel_follows_to_the_survivor(people, director):
    from portal.extensions import db
    from portal.residents import services as ops

    ops.merge_residents(db.session, people["jan"], people["zaneta"], actor=director, reason="x")
    db.session.commit()
    assert people["zaneta"].pesel == WOMAN_2002  # kept on the duplicate, unique, points at the survivor
    assert ops.find_by_pesel(db.session, WOMAN_2002).id == people["jan"].id
    assert people["jan"].pesel == VALID


def test_merge_refuses_itself_no_reason_and_merged_records(people, director):
    from portal.extensions import db
    from portal.residents import services as ops

    jan, jozef = people["jan"], people["jozef"]
    with pytest.raises(ops.ResidentDataError):
        ops.merge_residents(db.session, jan, jan, actor=director, reason="x")
    with pytest.raises(ops.ResidentDataError):
        ops.merge_residents(db.session, jan, jozef, actor=director, reason="  ")
    ops.merge_residents(db.session, jan, jozef, actor=director, reason="x")
    db.session.commit()
    with pytest.raises(ops.ResidentDataError):
        ops.merge_residents(db.session, people["anna"], jozef, actor=director, reason="x")


# --- consents, information clause, access trail --------------------------------------------

def test_consent_give_withdraw_give_keeps_history(people, desk_user, app):
    from portal.extensions import db
    from portal.residents import services as ops
    from portal.timeutil import now

    jan = people["jan"]
    start = now()
    app.config["FIXED_NOW"] = start
    first = ops.give_consent(db.session, jan, "email", "2026-01", actor=desk_user)
    assert ops.give_consent(db.session, jan, "email", "2026-01", actor=desk_user) is first  # no double row
    app.config["FIXED_NOW"] = start + timedelta(days=1)
    assert ops.withdraw_consent(db.session, jan, "email", actor=desk_user) is first
    assert ops.withdraw_consent(db.session, jan, "email", actor=desk_user) is None
    app.config["FIXED_NOW"] = start + timedelta(days=2)
    second = ops.give_consent(db.session, jan, "email", "2026-02", actor=desk_user)
    db.session.commit()

    history = ops.consent_history(jan)
    assert history == [second, first]
    assert first.withdrawn_at is not None and first.withdrawn_by_id == desk_user.id
    assert second.withdrawn_at is None and jan.active_consent("email") is second
    assert jan.active_consent("sms") is None
    assert [e.action for e in events_of(jan) if e.action.startswith("consent")] == [
        "consent_give", "consent_withdraw", "consent_give"]


def test_consent_channel_must_be_known(people, desk_user):
    from portal.extensions import db
    from portal.residents import services as ops

    with pytest.raises(ops.ResidentDataError):
        ops.give_consent(db.session, people["jan"], "fax", "2026-01", actor=desk_user)
    with pytest.raises(ops.ResidentDataError):
        ops.withdraw_consent(db.session, people["jan"], "pigeon", actor=desk_user)


def test_information_clause_and_access_events(people, desk_user, director):
    from portal.extensions import db
    from portal.residents import services as ops

    jan = people["jan"]
    ops.record_information_clause(db.session, jan, actor=desk_user)
    for action in ("view", "print", "export"):
        ops.record_access(db.session, jan, action, actor=director, reason="gdpr")
    db.session.commit()
    assert jan.informed_by_id == desk_user.id
    events = events_of(jan)
    assert [e.action for e in events][-4:] == ["information_clause", "view", "print", "export"]
    assert all(e.actor_id == director.id and e.reason == "gdpr" for e in events[-3:])
    with pytest.raises(ValueError):
        ops.record_access(db.session, jan, "delete", actor=director, reason="x")


def test_audit_events_cannot_be_changed(people, desk_user):
    from sqlalchemy.exc import DBAPIError

    from portal.extensions import db

    event = events_of(people["jan"])[0]
    event.summary = "podmiana"
    with pytest.raises(DBAPIError):
        db.session.commit()
    db.session.rollback()


# --- access rules ---------------------------------------------------------------------------

def test_access_rules(people, make_user, assign, desk_user, director):
    from portal.residents import access

    jan = people["jan"]
    coordinator, other = make_user("coordinator", "k1"), make_user("coordinator", "k2")
    assign(jan, coordinator)
    users = {"desk": desk_user, "director": director, "coordinator": coordinator, "other": other}
    for role in ("services_organiser", "community_organiser", "admin"):
        users[role] = make_user(role)
    expected = {  # contact, full, edit, pesel
        "desk": (True, False, True, True),
        "director": (True, True, True, True),
        "coordinator": (True, True, True, True),
        "other": (False, False, False, False),
        "services_organiser": (False, False, False, False),
        "community_organiser": (False, False, False, False),
        "admin": (False, False, False, False),
    }
    for name, user in users.items():
        got = (access.can_view_contact(user, jan), access.can_view_full(user, jan), access.can_edit(user, jan),
               access.can_view_pesel(user, jan))
        assert got == expected[name], name
    assert access.can_view_contact(None, jan) is False


def test_dates_are_stored_as_dates(people):
    assert isinstance(people["jan"].birth_date, date) and not isinstance(people["jan"].birth_date, datetime)
