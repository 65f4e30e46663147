"""Meetings with the coordinators (art. 46 ust. 2): create and edit with the
plans by number (validated), tasks with owners and due days, 422 with the
input kept, 409 on a stale version, who reads which meeting, and the pages'
visible text (plan numbers, never a name)."""
from datetime import date, datetime

import pytest

from portal.auth.models import Role
from portal.timeutil import WARSAW
from tests.casework.fixtures import case_rows, utc  # noqa: F401
from tests.helpers import assert_in, visible_text
from tests.plans.fixtures import make_case, people  # noqa: F401

NOW = datetime(2026, 7, 10, 10, 0, tzinfo=WARSAW)


@pytest.fixture
def july(app):
    app.config["FIXED_NOW"] = NOW
    return NOW


@pytest.fixture
def numbered(case_rows, july):  # noqa: F811
    """Two running plans, IPUS/7/2026 and IPUS/8/2026, of named people."""
    from portal.extensions import db

    cases = []
    for seq, name in ((7, "Wiśniewska"), (8, "Grabowski")):
        case = case_rows(received=utc(2026, 4, 1, 8), plan="active", valid_from=date(2026, 4, 20),
                         valid_until=date(2027, 4, 19), name=name)
        case.plan.number_year, case.plan.number_seq = 2026, seq
        cases.append(case)
    db.session.commit()
    return cases


def _form(people, **overrides):
    data = {"held_on": "2026-07-08", "attendee_ids": [str(people.coordinator.id), str(people.other_coordinator.id)],
            "invited_providers": "Stowarzyszenie Razem", "plans": "IPUS/7/2026, ipus/8/2026",
            "conclusions": "Kontakty kwartalne w terminie.",
            "tasks-0-description": "Zadzwonić do realizatora", "tasks-0-owner_id": str(people.coordinator.id),
            "tasks-0-due_on": "2026-07-31", "tasks-1-description": "", "tasks-1-owner_id": "", "tasks-1-due_on": "",
            "version": ""}
    data.update(overrides)
    return data


def test_the_organiser_records_a_meeting(app, client, auth, people, numbered):
    from portal.reports.duties_models import CoordinatorMeeting
    from tests.helpers import stored

    auth.login(Role.SERVICES_ORGANISER, "organizator")
    form = client.get("/reports/meetings/new")
    assert_in(visible_text(form.text), "Nowe spotkanie z koordynatorami", "Dzień spotkania", "Obecni pracownicy",
              "Anna Koordynator (Koordynator IPUS)", "Omawiane plany (numery)", "Zadania", "Zapisz spotkanie")
    made = auth.post("/reports/meetings/new", _form(people))
    assert made.status_code == 303
    meeting = stored(CoordinatorMeeting, held_on=date(2026, 7, 8))
    assert sorted(p.number for p in meeting.plans) == ["IPUS/7/2026", "IPUS/8/2026"]
    assert sorted(u.id for u in meeting.attendees) == sorted([people.coordinator.id, people.other_coordinator.id])
    assert [(t.description, t.owner_id, t.due_on) for t in meeting.tasks] == [
        ("Zadzwonić do realizatora", people.coordinator.id, date(2026, 7, 31))]
    page = client.get(made.headers["Location"])
    text = visible_text(page.text)
    assert_in(text, "Spotkanie z koordynatorami: 8 lipca 2026", "Anna Koordynator (Koordynator IPUS)",
              "Beata Inna (Koordynator IPUS)", "Stowarzyszenie Razem", "IPUS/7/2026, IPUS/8/2026",
              "Kontakty kwartalne w terminie.", "Zadzwonić do realizatora Anna Koordynator 31.07.2026", "Edytuj")
    for name in ("Wiśniewska", "Grabowski"):
        assert name not in page.text
    listed = visible_text(client.get("/reports/meetings").text)
    assert_in(listed, "Ostatnie spotkanie: 8 lipca 2026. Następne najpóźniej: 8 października 2026.",
              "8 lipca 2026 2 IPUS/7/2026, IPUS/8/2026 1")


@pytest.mark.parametrize(("changes", "message"), [
    ({"plans": "IPUS/7/2026, IPUS/99/2026"}, "Nie ma planu o numerze: IPUS/99/2026."),
    ({"plans": "Wiśniewska"}, "Nie ma planu o numerze: Wiśniewska."),
    ({"held_on": "2026-07-11"}, "dzień nie może być w przyszłości"),
    ({"held_on": "jutro"}, "Podaj datę w formacie RRRR-MM-DD"),
    ({"attendee_ids": []}, "Zaznacz, kto był na spotkaniu."),
    ({"conclusions": ""}, "Wpisz wnioski ze spotkania."),
    ({"tasks-0-owner_id": ""}, "Wybierz osobę odpowiedzialną."),
    ({"tasks-0-due_on": "2026-07-01"}, "Termin zadania nie może być wcześniejszy niż dzień spotkania."),
])
def test_a_refused_meeting_comes_back_with_the_input(app, client, auth, people, numbered, changes, message):
    from portal.reports.duties_models import CoordinatorMeeting
    from tests.helpers import stored

    auth.login(Role.SERVICES_ORGANISER, "organizator")
    refused = auth.post("/reports/meetings/new", _form(people, **changes))
    assert refused.status_code == 422
    text = visible_text(refused.text)
    assert message in text
    assert "Popraw zaznaczone pola" in text
    assert "Zadzwonić do realizatora" in refused.text and "Stowarzyszenie Razem" in refused.text
    assert stored(CoordinatorMeeting, held_on=date(2026, 7, 8)) is None


def test_editing_a_meeting_and_a_stale_version(app, client, auth, people, numbered):
    from portal.extensions import db
    from portal.reports import duties
    from portal.reports.duties_models import CoordinatorMeeting
    from tests.helpers import stored

    meeting = duties.create_meeting(db.session, {"held_on": date(2026, 7, 8), "attendee_ids": [people.coordinator.id],
                                                 "plans": "IPUS/7/2026", "conclusions": "Pierwsze wnioski."},
                                    actor=people.organiser, today=NOW.date())
    db.session.commit()
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    form = client.get(f"/reports/meetings/{meeting.id}/edit")
    assert 'value="IPUS/7/2026"' in form.text or "IPUS/7/2026</textarea>" in form.text
    assert "Pierwsze wnioski." in form.text
    edited = auth.post(f"/reports/meetings/{meeting.id}/edit", _form(people, version="1",
                                                                      conclusions="Drugie wnioski."))
    assert edited.status_code == 303
    saved = stored(CoordinatorMeeting, meeting.id)
    assert saved.conclusions == "Drugie wnioski." and saved.version == 2 and len(saved.plans) == 2
    stale = auth.post(f"/reports/meetings/{meeting.id}/edit", _form(people, version="1", conclusions="Moje wnioski."))
    assert stale.status_code == 409
    assert_in(visible_text(stale.text), "Ktoś inny zmienił to spotkanie w międzyczasie", "Drugie wnioski.",
              "Moje wnioski.")
    assert stored(CoordinatorMeeting, meeting.id).conclusions == "Drugie wnioski."


def test_who_reads_which_meeting(app, client, auth, people, numbered, make_user):
    from portal.extensions import db
    from portal.reports import duties

    attended = duties.create_meeting(db.session, {"held_on": date(2026, 7, 1), "attendee_ids": [people.coordinator.id],
                                                  "conclusions": "Spotkanie A."}, actor=people.organiser,
                                     today=NOW.date())
    other = duties.create_meeting(db.session, {"held_on": date(2026, 7, 2),
                                               "attendee_ids": [people.other_coordinator.id],
                                               "conclusions": "Spotkanie B."}, actor=people.organiser,
                                  today=NOW.date())
    db.session.commit()
    auth.login(Role.COORDINATOR, "koordynator")
    listed = visible_text(client.get("/reports/meetings").text)
    assert "1 lipca 2026" in listed and "2 lipca 2026" not in listed
    assert "Zapisz spotkanie" not in listed and "Ostatnie spotkanie" not in listed
    assert client.get(f"/reports/meetings/{attended.id}").status_code == 200
    assert client.get(f"/reports/meetings/{other.id}").status_code == 403
    assert client.get(f"/reports/meetings/{attended.id}/edit").status_code == 403
    auth.logout()
    auth.login(Role.DIRECTOR, "dyrektor")
    listed = visible_text(client.get("/reports/meetings").text)
    assert "1 lipca 2026" in listed and "2 lipca 2026" in listed and "Zapisz spotkanie" not in listed
    detail = visible_text(client.get(f"/reports/meetings/{other.id}").text)
    assert "Spotkanie B." in detail and "Edytuj" not in detail
    auth.logout()
    auth.login(Role.COMMUNITY_ORGANISER, "animator")
    assert client.get("/reports/meetings").status_code == 403
