"""The group sessions' pages as the organiser and the director read them:
the list of group services, a service's month, planning ahead, the session
form (422 with the input kept, 409 on a stale page), cancelling in two
steps, the attendance screen and its save, the printed list (PDF text), the
signed scan (accepted, refused, downloaded) and the events' head counts."""
import io
import re
from datetime import date, time

from pypdf import PdfReader
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.delivery import sessions
from portal.delivery.models import Attendance, EventHeadCount, GroupSession
from portal.extensions import db
from tests.helpers import assert_in, visible_text


def _session(club, organiser, day=date(2026, 5, 14), **fields):
    data = {"held_on": day, "starts": time(10), "ends": time(13), "place": "Świetlica w Burzcu",
            "provider_id": club.provider_id, "leader": "Maria Wiśniewska", "topic": "Gimnastyka"}
    data.update(fields)
    made = sessions.create_session(db.session, club, data, actor=organiser)
    db.session.commit()
    return made


def test_the_organiser_reads_the_group_services_and_a_month(client, auth, frozen, club, staff, make_service):
    make_service("Opieka w domu", unit="hour")
    _session(club, staff.organiser)
    auth.login("services_organiser", "organizator")
    page = visible_text(client.get("/delivery/sessions").text)
    assert_in(page, "Zajęcia grupowe", "Klub Seniora w Burzcu", "Sesje w miesiącu: maj 2026", "1 sesja")
    assert "Opieka w domu" not in page
    month = visible_text(client.get(f"/delivery/sessions/services/{club.id}?month=2026-05").text)
    assert_in(month, "Maj 2026: 1 sesja", "czw., 14.05.2026", "10:00–13:00", "Maria Wiśniewska", "zaplanowana",
              "wtorek 10:00–13:00; czwartek 10:00–13:00", "Zaplanuj sesje z harmonogramu")
    # The month argument is only ever a month: junk shows the current one.
    assert client.get(f"/delivery/sessions/services/{club.id}?month=<x>").status_code == 200


def test_planning_ahead_from_the_page(client, auth, frozen, club, staff):
    auth.login("services_organiser", "organizator")
    response = auth.post(f"/delivery/sessions/services/{club.id}/plan", {"month": "2026-06"})
    assert response.status_code == 303
    page = visible_text(client.get(response.headers["Location"]).text)
    # June 2026: 9 Tuesdays and Thursdays, Corpus Christi (4 June, a Thursday) skipped.
    assert_in(page, "Zaplanowano 8 sesji.", "Czerwiec 2026: 8 sesji")
    again = client.get(auth.post(f"/delivery/sessions/services/{club.id}/plan",
                                 {"month": "2026-06"}).headers["Location"]).text
    assert "Wszystkie sesje tego miesiąca z harmonogramu są już zapisane." in visible_text(again)
    refused = auth.post(f"/delivery/sessions/services/{club.id}/plan", {"month": "1999-01"})
    assert refused.status_code == 422 and "Wybierz pozycję z listy." in refused.text


def test_the_session_form_keeps_the_input_and_says_why(client, auth, frozen, club, staff):
    auth.login("services_organiser", "organizator")
    url = f"/delivery/sessions/services/{club.id}/new"
    form = visible_text(client.get(url).text)
    assert_in(form, "Nowa sesja: Klub Seniora w Burzcu", "Data", "Początek", "Koniec", "Prowadzący")
    response = auth.post(url, {"held_on": "2026-05-19", "starts": "13:00", "ends": "12:00", "place": "Sala",
                               "provider_id": str(club.provider_id), "leader": "Jan Prowadzący", "topic": "Śpiew"})
    assert response.status_code == 422
    assert_in(visible_text(response.text), "Zajęcia muszą kończyć się później, niż się zaczynają.")
    assert 'value="Jan Prowadzący"' in response.text and 'value="2026-05-19"' in response.text
    bad_time = auth.post(url, {"held_on": "19.05.2026", "starts": "25:99", "ends": "12:00",
                               "provider_id": str(club.provider_id)})
    assert bad_time.status_code == 422 and 'value="25:99"' in bad_time.text
    assert "Podaj godzinę w formacie GG:MM, np. 09:30." in bad_time.text
    made = auth.post(url, {"held_on": "19.05.2026", "starts": "10:00", "ends": "12:00", "place": "Sala",
                           "provider_id": str(club.provider_id), "leader": "Jan Prowadzący", "topic": "Śpiew"})
    assert made.status_code == 303
    stored = db.session.scalar(select(GroupSession))
    assert (stored.held_on, stored.starts, stored.leader, stored.status) == (
        date(2026, 5, 19), time(10), "Jan Prowadzący", "planned")
    taken = auth.post(url, {"held_on": "19.05.2026", "starts": "10:00", "ends": "12:00",
                            "provider_id": str(club.provider_id)})
    assert taken.status_code == 422 and "Zajęcia tej usługi o tej godzinie tego dnia są już zapisane." in taken.text


def test_a_stale_edit_shows_the_conflict(client, auth, frozen, club, staff):
    made = _session(club, staff.organiser)
    auth.login("services_organiser", "organizator")
    url = f"/delivery/sessions/{made.id}/edit"
    assert "Zmiana sesji: Klub Seniora w Burzcu" in visible_text(client.get(url).text)
    sessions.update_session(db.session, made, {**sessions.session_data(made), "leader": "Ktoś Inny"},
                            actor=staff.organiser, expected_version=made.version)
    db.session.commit()
    response = auth.post(url, {"held_on": "2026-05-14", "starts": "10:00", "ends": "13:00", "place": "Sala",
                               "provider_id": str(club.provider_id), "leader": "Moja Wersja", "version": "1"})
    assert response.status_code == 409
    assert_in(visible_text(response.text), "Ktoś inny zmienił tę sesję w międzyczasie", "Ktoś Inny", "Moja Wersja")


def test_cancelling_is_a_second_step_with_a_reason(client, auth, frozen, club, staff):
    made = _session(club, staff.organiser)
    auth.login("services_organiser", "organizator")
    url = f"/delivery/sessions/{made.id}/cancel"
    first = auth.post(url, {"version": str(made.version)})
    assert first.status_code == 200 and "Odwołać zajęcia?" in first.text
    assert db.session.get(GroupSession, made.id).status == "planned"
    empty = auth.post(url, {"version": str(made.version), "confirmed": "yes", "reason": ""})
    assert empty.status_code == 422 and "Podaj powód odwołania zajęć." in empty.text
    done = auth.post(url, {"version": str(made.version), "confirmed": "yes", "reason": "Choroba prowadzącej"})
    assert done.status_code == 303
    db.session.expire_all()
    stored = db.session.get(GroupSession, made.id)
    assert (stored.status, stored.cancel_reason) == ("cancelled", "Choroba prowadzącej")
    page = visible_text(client.get(f"/delivery/sessions/{made.id}").text)
    assert_in(page, "odwołana", "Powód odwołania Choroba prowadzącej")
    assert "Zapisz obecność" not in page


def test_attendance_screen_and_save(client, auth, frozen, club, members, staff):
    made = _session(club, staff.organiser)
    auth.login("services_organiser", "organizator")
    html = client.get(f"/delivery/sessions/{made.id}").text
    page = visible_text(html)
    assert_in(page, "Klub Seniora w Burzcu: 14 maja 2026", "Ćwik Ewa", "Kowalski Jan", "Zając Żaneta",
              "(5 osób)", "Zapisz obecność")
    # Only names: no address, no birth date.
    assert "Tajna" not in page and "1950" not in page
    assert page.index("Ćwik Ewa") < page.index("Kowalski Jan") < page.index("Łukasik Łucja") < page.index("Zając")
    assert re.search(r'<input type="checkbox" id="present-\d+" name="present"', html)
    ids = [str(members[1].id), str(members[3].id)]
    response = auth.post(f"/delivery/sessions/{made.id}/attendance",
                         {"present": ids, "other_participants": "2", "version": str(made.version)})
    assert response.status_code == 303
    assert "Zapisano obecność: 2 osoby z listy." in visible_text(client.get(response.headers["Location"]).text)
    assert set(db.session.scalars(select(Attendance.resident_id))) == {members[1].id, members[3].id}
    db.session.expire_all()
    assert db.session.get(GroupSession, made.id).status == "held"
    bad = auth.post(f"/delivery/sessions/{made.id}/attendance",
                    {"present": ids, "other_participants": "dużo", "version": str(made.version + 1)})
    assert bad.status_code == 422 and 'value="dużo"' in bad.text
    # The ticks typed are kept on the page that comes back.
    assert len(re.findall(r'name="present" value="\d+" checked', bad.text)) == 2
    stale = auth.post(f"/delivery/sessions/{made.id}/attendance",
                      {"present": [], "other_participants": "0", "version": "1"})
    assert stale.status_code == 409 and "Ktoś inny zapisał obecność" in stale.text
    # Each view of the screen is in each listed person's access trail.
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "resident",
                                                        AuditEvent.action == "view")).all()
    assert {e.object_id for e in views} == {m.id for m in members}


def test_the_director_reads_but_does_not_tick(client, auth, frozen, club, members, staff):
    made = _session(club, staff.organiser)
    sessions.save_attendance(db.session, made, [members[0].id], 1, actor=staff.organiser,
                             expected_version=made.version)
    db.session.commit()
    auth.login("director", "dyrektor")
    page = visible_text(client.get(f"/delivery/sessions/{made.id}").text)
    assert_in(page, "Zając Żaneta — obecny(-a)", "Nowak Adam — nieobecny(-a)", "Inni uczestnicy bez kartoteki: 1")
    assert "Zapisz obecność" not in page


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_attendance_list_pdf(client, auth, frozen, club, members, staff):
    made = _session(club, staff.organiser)
    auth.login("services_organiser", "organizator")
    response = client.get(f"/delivery/sessions/{made.id}/attendance-list.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = pdf_text(response.data)
    assert_in(text, "LISTA OBECNOŚCI", "Klub Seniora w Burzcu", "14 maja 2026", "10:00–13:00", "Świetlica w Burzcu",
              "Maria Wiśniewska", "Gimnastyka", "Podpis", "Ewa Ćwik", "Żaneta Zając",
              "13.")  # 5 people and 8 empty rows
    assert "Tajna" not in text
    assert "Lista obecności · Klub Seniora w Burzcu, 14.05.2026" in text  # the footer: no internal number
    # After the list, a one-time survey slip for each of its 13 rows (5 people, 8 empty).
    from portal.quality.models import SurveyToken
    assert text.count("Ankieta satysfakcji") == 13 and text.count("i wpisz kod:") == 13
    assert db.session.scalar(select(func.count()).select_from(SurveyToken)) == 13
    assert "nr " not in text
    prints = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "print")).all()
    assert {e.object_id for e in prints} == {m.id for m in members}


def _png():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


def test_a_scan_too_big_to_read_comes_back_with_the_message(client, auth, frozen, club, staff, app, tmp_path):
    from portal.plans.scans import MAX_SCAN_BYTES

    app.config["ATTENDANCE_SCAN_DIR"] = str(tmp_path / "scans")
    made = _session(club, staff.organiser)
    auth.login("services_organiser", "organizator")
    huge = auth.post(f"/delivery/sessions/{made.id}/scan",
                     {"version": str(made.version), "scan": (io.BytesIO(b"\0" * (MAX_SCAN_BYTES + 2 * 1024 * 1024)),
                                                             "lista.pdf")},
                     content_type="multipart/form-data")
    assert huge.status_code == 413
    assert "Plik jest za duży: skan może mieć najwyżej 10 MB." in visible_text(huge.text)
    db.session.expire_all()
    assert db.session.get(GroupSession, made.id).scan_file is None


def test_the_signed_scan_is_checked_stored_and_downloaded(client, auth, frozen, club, staff, app, tmp_path):
    app.config["ATTENDANCE_SCAN_DIR"] = str(tmp_path / "scans")
    made = _session(club, staff.organiser)
    auth.login("services_organiser", "organizator")
    url = f"/delivery/sessions/{made.id}/scan"
    refused = auth.post(url, {"version": str(made.version), "scan": (io.BytesIO(b"MZ not a scan"), "lista.pdf")},
                        content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "To nie jest skan: dołącz plik PDF albo zdjęcie (JPEG, PNG, TIFF)." in visible_text(refused.text)
    accepted = auth.post(url, {"version": str(made.version), "scan": (io.BytesIO(_png()), "lista.png")},
                         content_type="multipart/form-data")
    assert accepted.status_code == 303
    db.session.expire_all()
    stored = db.session.get(GroupSession, made.id)
    assert stored.scan_type == "image/png" and len(stored.scan_sha256) == 64
    assert list((tmp_path / "scans").iterdir())[0].name == stored.scan_file
    download = client.get(url)
    assert download.status_code == 200 and download.data[:4] == b"\x89PNG"
    assert f"lista-obecnosci-{made.id}.png" in download.headers["Content-Disposition"]
    auth.logout()
    auth.login("director", "dyrektor")
    assert client.get(url).status_code == 200
    opened = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "attendance_scan_opened")).all()
    assert len(opened) == 2


def test_event_head_counts(client, auth, staff):
    from datetime import datetime

    from portal.events import services as events
    from portal.timeutil import WARSAW

    client.application.config["FIXED_NOW"] = datetime(2026, 8, 10, 9, tzinfo=WARSAW)
    picnic = events.create_event(db.session, {
        "title": "Piknik rodzinny",
        "start_date": date(2026, 8, 1), "start_time": time(12), "end_date": date(2026, 8, 1),
        "end_time": time(20), "frequency": "none", "free": True, "public": True, "category": "culture"},
        actor=None, status="published")
    db.session.commit()
    auth.login("community_organiser", "animator")
    url = f"/delivery/events/{picnic.id}/head-counts"
    assert_in(visible_text(client.get(url).text), "Liczba uczestników: Piknik rodzinny", "sob., 01.08.2026")
    bad = auth.post(url, {"count-2026-08-01": "ok. 450"})
    assert bad.status_code == 422 and 'value="ok. 450"' in bad.text
    assert "Podaj liczbę osób (same cyfry) albo zostaw puste pole." in bad.text
    done = auth.post(url, {"count-2026-08-01": "450"})
    assert done.status_code == 303
    assert [(c.occurs_on, c.head_count) for c in db.session.scalars(select(EventHeadCount))] == [
        (date(2026, 8, 1), 450)]
    assert 'value="450"' in client.get(url).text
