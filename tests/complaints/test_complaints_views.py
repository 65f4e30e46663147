"""The register's pages as their users read them: the list, registering, the
complaint's page, the handler's steps, the letter, the hiding from the staff
member, the public contact form's kind, the director's start page."""
import re
from datetime import date, timedelta

import pytest

from portal.auth.models import Role
from portal.extensions import db


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace("\xa0", " ").split())


@pytest.fixture
def staff(auth, make_user):
    return {role: auth.user(role) for role in (Role.FRONT_DESK, Role.COORDINATOR, Role.DIRECTOR,
                                               Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER)}


def register_form(client):
    from tests.conftest import csrf_from

    page = client.get("/complaints/new")
    assert page.status_code == 200
    key = re.search(r'name="submission"[^>]*value="([^"]+)"', page.text).group(1)
    return {"csrf_token": csrf_from(page.text), "submission": key}


def test_the_desk_registers_a_phone_complaint(client, auth, staff, frozen, make_service):
    service = make_service("Usługi opiekuńcze")
    auth.login(Role.FRONT_DESK)
    hidden = register_form(client)
    data = {**hidden, "kind": "complaint", "received_on": "2026-04-14", "channel": "phone",
            "complainant_name": "Halina Wiśniewska", "complainant_contact": "601 234 567", "subject": "service",
            "service_id": str(service.id), "description": "Opiekunka nie przyszła we wtorek."}
    response = client.post("/complaints/new", data=data)
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]).text)
    assert "Skarga SW/1/2026" in page
    assert "Zarejestrowano sprawę SW/1/2026." in page
    assert "Halina Wiśniewska" in page and "usługa: Usługi opiekuńcze" in page and "telefonicznie" in page
    assert "termin odpowiedzi 14 maja 2026: za 30 dni" in page
    assert "nieprzydzielona, czeka na dyrektora" in page
    # The same form sent again makes nothing new.
    again = client.post("/complaints/new", data=data)
    assert again.status_code == 303
    from portal.complaints.models import Complaint

    assert db.session.scalar(db.select(db.func.count()).select_from(Complaint)) == 1
    listing = text(client.get("/complaints/").text)
    assert "1 sprawa" in listing and "SW/1/2026" in listing and "za 30 dni" in listing
    assert "Wiśniewska" not in listing  # the list names no one


def test_bad_input_comes_back_kept_with_messages(client, auth, staff, frozen):
    auth.login(Role.FRONT_DESK)
    hidden = register_form(client)
    response = client.post("/complaints/new", data={**hidden, "kind": "complaint", "received_on": "31.02.2026",
                                                    "channel": "letter", "complainant_name": "Jan Zieliński",
                                                    "subject": "staff", "description": "Niegrzeczna obsługa."})
    assert response.status_code == 422
    page = response.text
    assert "Podaj datę w formacie RRRR-MM-DD" in page and 'value="31.02.2026"' in page
    assert 'value="Jan Zieliński"' in page and "Niegrzeczna obsługa." in page
    response = client.post("/complaints/new", data={**hidden, "kind": "complaint", "received_on": "2026-04-14",
                                                    "channel": "letter", "complainant_name": "Jan Zieliński",
                                                    "subject": "staff", "description": "Niegrzeczna obsługa."})
    assert response.status_code == 422
    assert "Wybierz pracownika, którego dotyczy sprawa." in response.text and 'value="Jan Zieliński"' in response.text


def test_the_handler_answers_extends_and_closes(app, client, auth, staff, make_complaint, frozen):
    from portal.complaints import services as complaints

    director, coordinator = staff[Role.DIRECTOR], staff[Role.COORDINATOR]
    complaint = make_complaint(staff[Role.FRONT_DESK], received_on=date(2026, 3, 20))
    complaints.assign(db.session, complaint, coordinator.id, actor=director)
    db.session.commit()
    auth.login(Role.COORDINATOR)
    url = f"/complaints/{complaint.id}"
    page = text(client.get(url).text)
    assert "termin odpowiedzi 20 kwietnia 2026: za 6 dni" in page and "Prowadzi Test coordinator" in page

    extend = auth.post(url + "/extend", {"version": complaint.version, "extended_until": "2026-05-20",
                                          "extension_reason": "Czekamy na wyjaśnienia realizatora.",
                                          "extension_notice_on": ""})
    assert extend.status_code == 422 and "Podaj, kiedy zawiadomiono osobę" in extend.text
    assert "Czekamy na wyjaśnienia realizatora." in extend.text
    extend = auth.post(url + "/extend", {"version": complaint.version, "extended_until": "2026-05-20",
                                          "extension_reason": "Czekamy na wyjaśnienia realizatora.",
                                          "extension_notice_on": "2026-04-14"})
    assert extend.status_code == 303
    page = text(client.get(url).text)
    assert "Przedłużony do 20 maja 2026" in page and "wysłane 14 kwietnia 2026" in page and "za 36 dni" in page

    db.session.expire_all()
    stale = complaint.version - 1
    conflict = auth.post(url + "/answer", {"version": stale, "outcome": "upheld", "answered_on": "2026-04-14",
                                           "answer_text": "Przepraszamy, opiekunka będzie punktualna."})
    assert conflict.status_code == 409 and "Ktoś inny zmienił tę sprawę" in conflict.text
    answered = auth.post(url + "/answer", {"version": db.session.get(type(complaint), complaint.id).version,
                                           "outcome": "upheld", "answered_on": "2026-04-14",
                                           "answer_text": "Przepraszamy, opiekunka będzie punktualna."})
    assert answered.status_code == 303
    page = text(client.get(url).text)
    assert "Wynik zasadna" in page and "14 kwietnia 2026 (w terminie)" in page

    letter = client.get(url + "/letter")
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"
    assert "SW-1-2026" not in letter.headers["Content-Disposition"] and "Wi" not in \
        letter.headers["Content-Disposition"]
    from portal.complaints.letters import render_html

    db.session.expire_all()
    with app.test_request_context():
        printed = text(render_html(db.session.get(type(complaint), complaint.id)))
    assert "Centrum Usług Społecznych w Wojcieszkowie" in printed and "Znak sprawy: SW/1/2026" in printed
    assert "Wojcieszków, 14 kwietnia 2026" in printed and "Halina Wiśniewska" in printed
    assert "skargę uznano za zasadną" in printed and "opiekunka będzie punktualna" in printed
    assert "Pouczenie" in printed and "art. 239" in printed

    action = auth.post(url + "/actions", {"text": "", "responsible_id": ""})
    assert action.status_code == 422 and "Opisz działanie." in action.text
    action = auth.post(url + "/actions", {"text": "Rozmowa z opiekunką", "responsible_id": str(director.id)})
    assert action.status_code == 303
    version = db.session.get(type(complaint), complaint.id).version
    ask = auth.post(url + "/close", {"version": version})
    assert ask.status_code == 200 and "Zamknąć sprawę SW/1/2026?" in ask.text
    assert db.session.get(type(complaint), complaint.id).status == "answered"  # nothing done yet
    done = auth.post(url + "/close", {"version": version, "confirmed": "yes"})
    assert done.status_code == 303
    page = text(client.get(url).text)
    assert "zamknięta" in page and "Rozmowa z opiekunką" in page and "Popraw odpowiedź" not in page

    from portal.audit.models import AuditEvent

    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.object_type == "complaint",
                                                                    AuditEvent.object_id == complaint.id)).all()
    assert {"view", "extend", "answer", "print", "action_add", "close"} <= set(actions)


def test_hidden_from_the_staff_member_everywhere(client, auth, staff, make_complaint, frozen):
    from portal.complaints import services as complaints

    director, coordinator = staff[Role.DIRECTOR], staff[Role.COORDINATOR]
    about = make_complaint(director, subject="staff", staff_member_id=coordinator.id,
                           received_on=date(2026, 3, 2), description="Koordynator nie oddzwonił.")
    own = make_complaint(director, received_on=date(2026, 3, 3))
    complaints.assign(db.session, own, coordinator.id, actor=director)
    db.session.commit()
    auth.login(Role.COORDINATOR)
    listing = text(client.get("/complaints/?state=all").text)
    assert "1 sprawa" in listing and own.number in listing and about.number not in listing
    assert client.get(f"/complaints/{about.id}").status_code == 404
    assert client.get(f"/complaints/{about.id}/letter").status_code == 404
    assert auth.post(f"/complaints/{about.id}/answer", {}).status_code == 404
    start = text(client.get("/staff").text)
    assert "Moje skargi i wnioski" in start and "Po terminie 1" in start  # their own one, not the other
    auth.logout()
    auth.login(Role.DIRECTOR)
    listing = text(client.get("/complaints/?state=all").text)
    assert "2 sprawy" in listing and about.number in listing
    page = text(client.get(f"/complaints/{about.id}").text)
    assert "pracownik centrum: Test coordinator" in page and "Koordynator nie oddzwonił." in page
    assert "Test coordinator (Koordynator IPUS)" not in page  # not offered as the handler


def test_the_director_start_page_shows_what_is_due(client, auth, staff, make_complaint, frozen):
    director = staff[Role.DIRECTOR]
    make_complaint(director, received_on=date(2026, 3, 2))                   # due 2 April: overdue
    make_complaint(director, received_on=frozen - timedelta(days=25))        # due within 7 days
    make_complaint(director, received_on=frozen)                             # on track
    auth.login(Role.DIRECTOR)
    start = text(client.get("/staff").text)
    assert "Skargi i wnioski Co Liczba Po terminie 1 Termin w ciągu 7 dni 1 Czekają na odpowiedź 3" in start
    overdue = text(client.get("/complaints/?state=overdue").text)
    assert "1 sprawa" in overdue and "12 dni po terminie" in overdue


def test_the_organiser_reads_without_the_complainant(client, auth, staff, make_complaint, frozen):
    complaint = make_complaint(staff[Role.FRONT_DESK])
    auth.login(Role.SERVICES_ORGANISER)
    page = text(client.get(f"/complaints/{complaint.id}").text)
    assert "Opiekunka nie przyszła dwa razy w marcu." in page
    assert "Wiśniewska" not in page and "dane osoby widzą prowadzący sprawę i dyrektor" in page
    assert "Zapisz odpowiedź" not in page
    assert client.get(f"/complaints/{complaint.id}/answer").status_code == 403


def test_the_contact_form_files_a_complaint(app, client, make_service, staff):
    from datetime import datetime

    from portal.complaints.models import Complaint
    from portal.desk.models import Request
    from portal.desk.views import contact_token
    from portal.timeutil import WARSAW
    from tests.conftest import csrf_from

    make_service("Usługi opiekuńcze")
    app.config["FIXED_NOW"] = datetime(2026, 4, 14, 10, 0, tzinfo=WARSAW)
    page = client.get("/contact")
    assert "Skarga lub wniosek" in text(page.text)
    started = contact_token(app.config["FIXED_NOW"] - timedelta(seconds=30))
    response = client.post("/contact", data={
        "csrf_token": csrf_from(page.text), "started": started, "name": "Halina Wiśniewska", "phone": "601234567",
        "email": "", "message": "Proszę o zajęcia dla seniorów w soboty.", "service": "uslugi-opiekuncze",
        "kind": "complaint", "website": ""})
    assert response.status_code == 303
    assert db.session.scalar(db.select(db.func.count()).select_from(Request)) == 0  # not on the desk's list
    [complaint] = db.session.scalars(db.select(Complaint)).all()
    assert (complaint.channel, complaint.handler_id, complaint.created_by_id) == ("web_form", None, None)
    assert complaint.subject == "service" and complaint.complainant_contact == "+48601234567"
    assert complaint.received_on == date(2026, 4, 14) and complaint.due_on == date(2026, 5, 14)
    from tests.conftest import Auth

    director = Auth(client)
    director.login(Role.DIRECTOR)
    listing = text(client.get("/complaints/").text)
    assert "SW/1/2026" in listing and "— nieprzydzielona" in listing and "formularz na stronie" in listing
