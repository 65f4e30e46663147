"""A provider's account in the delivery register (issue 15 §1): the sessions,
attendance and entries of its own services only; another provider's
service, session, entry or person is a 404, asked by either provider; it
sees its participants' names and nothing else of them; every view is in the
people's access trail."""
from datetime import date, time
from decimal import Decimal

import pytest

from portal.auth.models import Role
from tests.conftest import Auth, csrf_from
from tests.helpers import stored
from tests.helpers import visible_text as text_of
from tests.providers.conftest import audit


def _login_other(client, world):
    """Log in as the second provider's account (Fundacja Inna)."""
    page = client.get("/login")
    response = client.post("/login", data={"username": "fundacja-inna", "password": Auth.PASSWORD,
                                           "csrf_token": csrf_from(page.text)})
    assert response.status_code == 303
    return csrf_from(client.get("/staff").text)


# --- the scoping, in one place --------------------------------------------------------

def test_the_access_module_scopes_a_provider_to_its_own_services(app, world, make_user):
    from portal.delivery import access
    from portal.delivery.commitments import commitments
    from portal.extensions import db

    ours = make_user(Role.PROVIDER)
    organiser = make_user(Role.SERVICES_ORGANISER)
    assert access.provider_of(ours) == world.ours.id and access.provider_of(organiser) is None
    assert access.owns_service(ours, world.club) and not access.owns_service(ours, world.other_club)
    assert access.owns_service(organiser, world.other_club)
    assert access.own_service_ids(db.session, ours) == {world.club.id, world.care.id}
    assert access.own_service_ids(db.session, organiser) is None
    found = commitments(db.session)
    assert {c.resident_id for c in access.of_own_services(db.session, ours, found)} == {world.zajac.id,
                                                                                         world.nowak.id}
    assert {c.resident_id for c in access.of_own_services(db.session, world.other_account, found)} == {
        world.obcy.id}
    assert [p.name for p in access.provider_choices(ours, [world.ours, world.theirs])] == [world.ours.name]


def test_the_entries_rules_see_only_the_providers_own_people(app, world, make_user):
    from portal.delivery import entries
    from portal.extensions import db

    ours = make_user(Role.PROVIDER)
    assert entries.may_see_person(db.session, ours, world.zajac.id)
    assert not entries.may_see_person(db.session, ours, world.obcy.id)
    assert entries.visible_services_of(db.session, ours, world.zajac.id) == {world.club.id, world.care.id}
    assert [s.name for s in entries.services_for(db.session, ours, "individual")] == ["Opieka w domu"]
    assert entries.services_for(db.session, ours, "consultation") == []


# --- group sessions and attendance ---------------------------------------------------------

def test_the_sessions_list_holds_only_its_own_clubs(client, provider, world):
    text = text_of(client.get("/delivery/sessions").text)
    assert "Klub Seniora w Burzcu" in text
    assert "Klub Fundacji Innej" not in text


def test_the_attendance_screen_shows_names_only_and_is_audited(client, provider, world):
    response = client.get(f"/delivery/sessions/{world.session.id}")
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Zając Żaneta" in text and "Nowak Adam" in text
    assert "Obca" not in text
    assert "44051401359" not in response.text and "Tajna" not in response.text
    views = [e for e in audit("view", "resident") if e.actor_id == provider.id]
    assert {e.object_id for e in views} == {world.zajac.id, world.nowak.id}
    assert [e.object_id for e in audit("attendance_viewed")] == [world.session.id]


def test_the_provider_ticks_attendance_of_its_session(client, auth, provider, world):
    from portal.delivery.models import Attendance, GroupSession
    from portal.extensions import db

    response = auth.post(f"/delivery/sessions/{world.session.id}/attendance", {
        "present": [str(world.zajac.id)], "other_participants": "2", "version": str(world.session.version)})
    assert response.status_code == 303
    assert "Zapisano obecność: 1 osoba z listy." in text_of(client.get(response.headers["Location"]).text)
    rows = db.session.scalars(db.select(Attendance).where(Attendance.session_id == world.session.id)).all()
    assert [(r.resident_id, r.recorded_by_id) for r in rows] == [(world.zajac.id, provider.id)]
    saved = stored(GroupSession, world.session.id)
    assert (saved.status, saved.other_participants, saved.provider_id) == ("held", 2, world.ours.id)
    assert [e.actor_id for e in audit("attendance_saved", "group_session")] == [provider.id]


def test_the_provider_plans_and_adds_a_session_naming_its_own_organisation(client, auth, provider, world):
    from portal.delivery.models import GroupSession
    from portal.extensions import db

    planned = auth.post(f"/delivery/sessions/services/{world.club.id}/plan", {"month": "2026-06"})
    assert planned.status_code == 303
    june = db.session.scalars(db.select(GroupSession).where(GroupSession.service_id == world.club.id,
                                                            GroupSession.held_on >= date(2026, 6, 1))).all()
    assert len(june) == 5 and {s.provider_id for s in june} == {world.ours.id}  # the Tuesdays of June 2026
    form = client.get(f"/delivery/sessions/services/{world.club.id}/new")
    assert "Fundacja Inna" not in form.text  # the only provider it may name is its own
    refused = auth.post(f"/delivery/sessions/services/{world.club.id}/new", {
        "held_on": "2026-05-21", "starts": "10:00", "ends": "12:00", "provider_id": str(world.theirs.id)})
    assert refused.status_code == 422
    made = auth.post(f"/delivery/sessions/services/{world.club.id}/new", {
        "held_on": "2026-05-21", "starts": "10:00", "ends": "12:00", "provider_id": str(world.ours.id),
        "place": "Świetlica"})
    assert made.status_code == 303
    row = db.session.scalar(db.select(GroupSession).where(GroupSession.held_on == date(2026, 5, 21)))
    assert row.provider_id == world.ours.id


@pytest.mark.parametrize("path", [
    "/delivery/sessions/services/{other_club}", "/delivery/sessions/services/{other_club}/new",
    "/delivery/sessions/{their_session}", "/delivery/sessions/{their_session}/edit",
    "/delivery/sessions/{their_session}/attendance-list.pdf", "/delivery/sessions/{their_session}/scan",
    "/delivery/people/{obcy}"])
def test_another_providers_pages_are_not_found(client, provider, world, path):
    url = path.format(other_club=world.other_club.id, their_session=world.their_session.id, obcy=world.obcy.id)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("path", [
    "/delivery/sessions/{their_session}/attendance", "/delivery/sessions/{their_session}/held",
    "/delivery/sessions/{their_session}/cancel", "/delivery/sessions/services/{other_club}/plan",
    "/provider/services/{other_club}/assure"])
def test_another_providers_actions_are_not_found_and_change_nothing(client, auth, provider, world, path):
    from portal.delivery.models import GroupSession

    url = path.format(other_club=world.other_club.id, their_session=world.their_session.id)
    response = auth.post(url, {"present": [str(world.obcy.id)], "version": str(world.their_session.version),
                               "confirmed": "yes", "reason": "x", "month": "2026-06"})
    assert response.status_code == 404
    assert stored(GroupSession, world.their_session.id).status == "planned"
    assert not [e for e in audit() if e.actor_id == provider.id and e.object_type in ("group_session", "service")]


def test_the_second_provider_cannot_reach_ours_either(client, world):
    token = _login_other(client, world)
    assert client.get(f"/delivery/sessions/{world.session.id}").status_code == 404
    assert client.get(f"/delivery/sessions/services/{world.club.id}").status_code == 404
    assert client.post(f"/provider/services/{world.club.id}/assure",
                       data={"csrf_token": token, "version": str(world.club.version)}).status_code == 404
    assert client.get(f"/delivery/people/{world.zajac.id}").status_code == 404
    # Its own session and person it does reach.
    text = text_of(client.get(f"/delivery/sessions/{world.their_session.id}").text)
    assert "Obca Olga" in text and "Zając" not in text
    assert "Klub Fundacji Innej" in text_of(client.get("/provider/services").text)


# --- individual entries -------------------------------------------------------------------------

def test_the_provider_enters_a_delivery_of_its_own_service(client, auth, provider, world):
    from portal.delivery.models import DeliveryEntry
    from portal.extensions import db

    page = client.get(f"/delivery/individual/new?service={world.care.id}&month=2026-05")
    assert page.status_code == 200
    assert "Zając Żaneta" in page.text and "Nowak" not in page.text  # only those granted the care
    response = auth.post(f"/delivery/individual/new?service={world.care.id}&month=2026-05", {
        "submission": _submission(page.text), "resident_id": str(world.zajac.id),
        "delivered_on": "2026-05-11", "quantity": "2", "delivered_by": "Maria Opiekunka",
        "provider_id": str(world.ours.id)})
    assert response.status_code == 303
    entry = db.session.scalar(db.select(DeliveryEntry))
    assert (entry.resident_id, entry.quantity, entry.provider_id, entry.created_by_id) == (
        world.zajac.id, Decimal(2), world.ours.id, provider.id)
    [event] = audit("create", "delivery_entry")
    assert event.actor_id == provider.id
    listing = client.get(f"/delivery/individual?service={world.care.id}&month=2026-05")
    assert "Zając Żaneta" in text_of(listing.text) and "2 godziny" in text_of(listing.text)
    assert "44051401359" not in listing.text
    assert any(e.object_id == world.zajac.id and e.actor_id == provider.id for e in audit("view", "resident"))


def _submission(html):
    import re

    return re.search(r'name="submission"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="submission"', html).group(1)


def test_another_providers_entry_cannot_be_deleted(client, auth, app, world, make_user):
    from portal.delivery import entries
    from portal.delivery.models import DeliveryEntry
    from portal.extensions import db

    other_club_care = world.other_club  # a group service: give the other provider an individual one
    other_club_care.delivery_mode = "individual"
    db.session.commit()
    entry = entries.add_entry(db.session, other_club_care, {
        "resident_id": world.obcy.id, "delivered_on": date(2026, 5, 11), "quantity": Decimal(1)},
        actor=world.other_account, today=date(2026, 5, 12))
    db.session.commit()
    assert entry.provider_id == world.theirs.id
    auth.login(Role.PROVIDER)
    response = auth.post(f"/delivery/individual/{entry.id}/delete", {"confirmed": "yes"})
    assert response.status_code == 404
    assert stored(DeliveryEntry, entry.id) is not None
    assert client.get(f"/delivery/individual?service={other_club_care.id}").status_code == 404


def test_the_provider_sees_no_consultations_and_no_centre_pages(client, provider, world):
    assert client.get("/delivery/consultations").status_code == 403
    assert client.get("/residents/").status_code == 403
    assert client.get("/manage/services").status_code == 403
    assert client.get("/delivery/usage").status_code == 403


def test_a_session_time_is_kept_as_the_provider_entered_it(client, auth, provider, world):
    from portal.delivery.models import GroupSession

    response = auth.post(f"/delivery/sessions/{world.session.id}/edit", {
        "held_on": "2026-05-12", "starts": "11:00", "ends": "13:00", "provider_id": str(world.ours.id),
        "place": "Świetlica w Burzcu", "leader": "Maria Wiśniewska", "version": str(world.session.version)})
    assert response.status_code == 303
    saved = stored(GroupSession, world.session.id)
    assert (saved.starts, saved.leader, saved.provider_id) == (time(11), "Maria Wiśniewska", world.ours.id)


# --- everything a provider account does is audited ---------------------------------------------

def test_every_change_a_provider_makes_is_in_the_audit_log(client, auth, provider, world):
    from portal.delivery.models import DeliveryEntry
    from portal.extensions import db

    assert auth.post("/provider/profile", {"city": "Wojcieszków", "version": str(world.ours.version)}
                     ).status_code == 303
    assert auth.post(f"/provider/services/{world.care.id}/assure", {"version": str(world.care.version)}
                     ).status_code == 303
    assert auth.post(f"/delivery/sessions/services/{world.club.id}/plan", {"month": "2026-06"}).status_code == 303
    assert auth.post(f"/delivery/sessions/services/{world.club.id}/new", {
        "held_on": "2026-05-21", "starts": "10:00", "ends": "12:00", "provider_id": str(world.ours.id)}
    ).status_code == 303
    assert auth.post(f"/delivery/sessions/{world.session.id}/edit", {
        "held_on": "2026-05-12", "starts": "10:30", "ends": "13:00", "provider_id": str(world.ours.id),
        "version": str(world.session.version)}).status_code == 303
    db.session.expire_all()
    assert auth.post(f"/delivery/sessions/{world.session.id}/held", {"version": str(world.session.version)}
                     ).status_code == 303
    db.session.expire_all()
    assert auth.post(f"/delivery/sessions/{world.session.id}/attendance", {
        "present": [str(world.nowak.id)], "other_participants": "0", "version": str(world.session.version)}
    ).status_code == 303
    # Someone not on its list is refused, the list kept.
    db.session.expire_all()
    refused = auth.post(f"/delivery/sessions/{world.session.id}/attendance", {
        "present": [str(world.obcy.id)], "other_participants": "0", "version": str(world.session.version)})
    assert refused.status_code == 422 and "Obca" not in refused.text
    page = client.get(f"/delivery/individual/new?service={world.care.id}&month=2026-05")
    assert auth.post(f"/delivery/individual/new?service={world.care.id}&month=2026-05", {
        "submission": _submission(page.text), "resident_id": str(world.zajac.id), "delivered_on": "2026-05-11",
        "quantity": "1"}).status_code == 303
    entry = db.session.scalar(db.select(DeliveryEntry))
    assert auth.post(f"/delivery/individual/{entry.id}/delete", {"confirmed": "yes"}).status_code == 303
    done = {(e.action, e.object_type) for e in audit() if e.actor_id == provider.id}
    assert done >= {("update", "provider"), ("assure", "service"), ("sessions_planned", "service"),
                    ("session_created", "group_session"), ("session_updated", "group_session"),
                    ("session_held", "group_session"), ("attendance_saved", "group_session"),
                    ("create", "delivery_entry"), ("delete", "delivery_entry"), ("view", "resident")}


def test_the_hours_grid_holds_its_own_service_and_people_only(client, auth, provider, world):
    page = client.get(f"/delivery/hours?service={world.care.id}&month=2026-05")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Zając Żaneta" in text and "Nowak" not in text and "Obca" not in text
    assert client.get(f"/delivery/hours?service={world.other_club.id}&month=2026-05").status_code == 404
