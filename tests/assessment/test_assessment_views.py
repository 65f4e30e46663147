"""The assessment pages through the real app: start from the request page,
the form (422 keeps input, completion messages at the fields, 409 conflict
screen), the special-category page, the PDF response, who may open what,
and the audit trail of every view and print."""
import re

import pytest

from portal.assessment import services as ops
from portal.assessment.models import Assessment
from portal.extensions import db
from tests.assessment.conftest import SENSITIVE, audit_actions
from tests.helpers import assert_in
from tests.residents.test_residents_views import Page


def edit_form(token, version, **fields):
    """A full form post as the browser sends it (every field present, empty when not given)."""
    data = {"csrf_token": token, "version": str(version), "action": "save"}
    for key in ("assessed_on", "place", "education", "labour_status", "occupation", "marital_status",
                "household_size", "income_source", "social_assistance", "support_notes", "social_engagement",
                "services_used", "problems", "needs", "readiness", "readiness_notes", "conclusions"):
        data[key] = ""
    data.update(fields)
    return data


COMPLETE_FORM = {
    "assessed_on": "09.03.2026", "place": "centre", "education": "primary", "labour_status": "farmer",
    "occupation": "rolnik", "marital_status": "married", "household_size": "3", "income_source": "gospodarstwo rolne",
    "problems": "Opieka nad chorym mężem.", "needs": "Wytchnienie dla opiekunki.", "readiness": "partly",
    "conclusions": "Usługa wytchnieniowa 2 razy w miesiącu.", "support_family": ["services"],
}


def area(html, name):
    """A textarea's content as a browser shows it (the newline after the tag is not content)."""
    text = Page(html).textareas[name]
    return text[2:] if text.startswith("\r\n") else text.removeprefix("\n")


def fresh(assessment_id):
    db.session.expire_all()
    return db.session.get(Assessment, assessment_id)


# --- starting from the request page ---------------------------------------------------------

def test_coordinator_starts_the_assessment_from_the_request_page(client, login, case, people):
    auth = login(people.coordinator)
    page = client.get(f"/desk/requests/{case.request.id}")
    assert "Rozpocznij diagnozę potrzeb" in page.text
    response = auth.post("/assessments/start", {"request_id": str(case.request.id)})
    assert response.status_code == 303
    assessment = db.session.scalar(db.select(Assessment))
    assert response.headers["Location"].endswith(f"/assessments/{assessment.id}/edit")
    db.session.expire_all()
    assert case.request.status == "in_assessment"
    page = client.get(f"/desk/requests/{case.request.id}")
    assert f"Diagnoza {assessment.number}" in page.text
    assert "Rozpocznij diagnozę potrzeb" not in page.text  # the draft is open: no second one


@pytest.mark.parametrize("who", ["director", "desk", "other_coordinator"])
def test_only_the_case_coordinator_may_start(client, login, case, people, who):
    auth = login(getattr(people, who))
    page = client.get(f"/desk/requests/{case.request.id}")
    assert "Rozpocznij diagnozę" not in page.text
    assert auth.post("/assessments/start", {"request_id": str(case.request.id)}).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Assessment)) == 0


def test_start_for_a_closed_request_explains_why_not(client, login, case, people):
    from portal.desk import services as desk

    desk.change_status(db.session, case.request, "withdrawn", actor=people.desk)
    db.session.commit()
    auth = login(people.coordinator)
    response = auth.post("/assessments/start", {"request_id": str(case.request.id)}, follow_redirects=True)
    assert "To zgłoszenie jest już zamknięte." in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Assessment)) == 0


# --- the form ------------------------------------------------------------------------------------

def test_form_shows_the_draft_with_the_desk_picks(client, login, started, case):
    login(started.coordinator)
    page = client.get(f"/assessments/{started.id}/edit")
    assert page.status_code == 200
    html = page.text
    assert "Zdzisława Żółkiewska" in html
    assert "Potrzebuję pomocy w domu i towarzystwa." in area(html, "needs")
    assert re.search(rf'<option selected value="{case.club.id}">Klub Seniora w Bęczkowie</option>', html)
    assert Page(html).values["assessed_on"] == "10.03.2026"
    # Sensitive content is not on the form page.
    assert 'name="health"' not in html


def test_draft_save_and_redirect(client, login, started):
    auth = login(started.coordinator)
    response = auth.post(f"/assessments/{started.id}/edit",
                         edit_form(auth.token, started.version, problems="Samotność", household_size="2"))
    assert response.status_code == 303
    assessment = fresh(started.id)
    assert assessment.problems == "Samotność" and assessment.household_size == 2
    assert assessment.status == "draft"
    # The services rows were not posted: the list is now empty (what the form said).
    assert assessment.services_wanted == []


def test_bad_input_comes_back_422_with_everything_kept(client, login, started):
    auth = login(started.coordinator)
    data = edit_form(auth.token, started.version, problems="Opis z „cudzysłowem” & <znakami>",
                     household_size="dwie", assessed_on="31.02.2026", education="doktorat")
    data.update({"services-0-service_id": "", "services-0-name": "Sąsiedzka pomoc", "services-0-quantity": "-3",
                 "services-0-frequency": "co tydzień"})
    response = auth.post(f"/assessments/{started.id}/edit", data)
    assert response.status_code == 422
    page = Page(response.text)
    assert area(response.text, "problems") == "Opis z „cudzysłowem” & <znakami>"
    assert page.values["household_size"] == "dwie"
    assert page.values["assessed_on"] == "31.02.2026"
    assert page.values["services-0-name"] == "Sąsiedzka pomoc"
    assert page.values["services-0-quantity"] == "-3"
    html = response.text
    assert 'id="household_size-error">Podaj liczbę od 1 do 30.' in html
    assert 'id="assessed_on-error">Data w formacie dd.mm.rrrr' in html
    assert 'id="services-0-quantity-error">Podaj liczbę od 1 do 100000.' in html
    assert 'id="education-error">Wybierz jedną z możliwości.' in html
    assert re.search(r'<input[^>]*aria-describedby="household_size-hint household_size-error"'
                     r'[^>]*id="household_size"', html)
    assert fresh(started.id).problems is None  # nothing half-saved


def test_completion_with_fields_missing_saves_the_draft_and_names_them(client, login, started):
    auth = login(started.coordinator)
    response = auth.post(f"/assessments/{started.id}/edit",
                         edit_form(auth.token, started.version, action="complete", problems="Samotność"))
    assert response.status_code == 422
    html = response.text
    assert_in(html, "Zapisano szkic. Aby zakończyć diagnozę, uzupełnij zaznaczone pola.",
              'id="conclusions-error">Wpisz wnioski i rekomendacje.', 'id="education-error">Wybierz wykształcenie.',
              'id="place-error">Wybierz, gdzie przeprowadzono diagnozę.', "Zaznacz, czy osoba ma niepełnosprawność.",
              f'href="/assessments/{started.id}/sensitive/edit"')
    assert area(html, "problems") == "Samotność"
    assessment = fresh(started.id)
    assert assessment.status == "draft" and assessment.problems == "Samotność"
    # The form carries the new version: saving it again is not a conflict.
    assert Page(html).values["version"] == str(assessment.version)
    again = auth.post(f"/assessments/{started.id}/edit",
                      edit_form(auth.token, assessment.version, problems="Samotność i długi"))
    assert again.status_code == 303


def test_complete_through_the_form(client, login, started, case):
    auth = login(started.coordinator)
    page = client.get(f"/assessments/{started.id}/sensitive/edit")
    version = Page(page.text).values["version"]
    response = auth.post(f"/assessments/{started.id}/sensitive/edit",
                         {**SENSITIVE, "version": version})
    assert response.status_code == 303
    data = edit_form(auth.token, fresh(started.id).version, action="complete", **COMPLETE_FORM)
    data.update({"services-0-service_id": str(case.club.id), "services-0-quantity": "4",
                 "services-0-frequency": "raz w tygodniu", "services-1-name": "Pomoc przy zakupach",
                 "services-1-unit": "visit", "services-1-quantity": "2"})
    response = auth.post(f"/assessments/{started.id}/edit", data)
    assert response.status_code == 303, response.text[:3000]
    assert response.headers["Location"].endswith(f"/assessments/{started.id}")
    assessment = fresh(started.id)
    assert assessment.status == "completed"
    assert [(r.display_name, r.quantity, r.unit) for r in assessment.services_wanted] == [
        ("Klub Seniora w Bęczkowie", 4, "meeting"), ("Pomoc przy zakupach", 2, "visit")]
    # Frozen: the form sends the coordinator to the read-only page.
    assert client.get(f"/assessments/{started.id}/edit").status_code == 303
    assert auth.post(f"/assessments/{started.id}/edit", edit_form(auth.token, assessment.version)).status_code == 303
    assert fresh(started.id).problems == COMPLETE_FORM["problems"]


def test_remove_a_row_and_add_a_row(client, login, started, case):
    auth = login(started.coordinator)
    data = edit_form(auth.token, started.version, action="add_row")
    data.update({"services-0-service_id": str(case.club.id), "services-0-quantity": "4"})
    response = auth.post(f"/assessments/{started.id}/edit", data)
    assert response.status_code == 200
    assert 'name="services-1-service_id"' in response.text  # one more row, input kept
    assert Page(response.text).values["services-0-quantity"] == "4"
    assert fresh(started.id).services_wanted[0].quantity is None  # nothing saved
    data = edit_form(auth.token, started.version)
    data.update({"services-0-service_id": str(case.club.id), "services-0-remove": "y"})
    assert auth.post(f"/assessments/{started.id}/edit", data).status_code == 303
    assert fresh(started.id).services_wanted == []


def test_second_of_two_concurrent_saves_gets_the_conflict_screen(client, login, started):
    auth = login(started.coordinator)
    version = Page(client.get(f"/assessments/{started.id}/edit").text).values["version"]
    first = auth.post(f"/assessments/{started.id}/edit", edit_form(auth.token, version, problems="Wersja A",
                                                                    education="higher"))
    assert first.status_code == 303
    second = auth.post(f"/assessments/{started.id}/edit", edit_form(auth.token, version, problems="Wersja B",
                                                                     education="primary"))
    assert second.status_code == 409
    html = second.text
    assert "Ktoś inny zmienił tę diagnozę w międzyczasie" in html
    assert re.search(r"<th scope=\"row\">Problemy</th>\s*<td>Wersja A</td>\s*<td>Wersja B</td>", html)
    assert re.search(r"<th scope=\"row\">Wykształcenie</th>\s*<td>wyższe</td>\s*<td>podstawowe</td>", html)
    assert area(html, "problems") == "Wersja B"  # the user's input is kept
    assert fresh(started.id).problems == "Wersja A"  # nothing overwritten
    # Saving again knowingly applies the second version.
    again = auth.post(f"/assessments/{started.id}/edit",
                      edit_form(auth.token, Page(html).values["version"], problems="Wersja B"))
    assert again.status_code == 303 and fresh(started.id).problems == "Wersja B"


def test_sensitive_form_conflict_and_bad_input(client, login, started):
    auth = login(started.coordinator)
    url = f"/assessments/{started.id}/sensitive/edit"
    version = Page(client.get(url).text).values["version"]
    assert auth.post(url, {"version": version, "health": "Astma"}).status_code == 303
    response = auth.post(url, {"version": version, "health": "Nadciśnienie", "minority": "maybe"})
    assert response.status_code == 422
    assert 'id="minority-error">Wybierz jedną z możliwości.' in response.text
    assert area(response.text, "health") == "Nadciśnienie"
    response = auth.post(url, {"version": version, "health": "Nadciśnienie"})
    assert response.status_code == 409
    assert re.search(r"<td>Astma</td>\s*<td>Nadciśnienie</td>", response.text)
    assert ops.sensitive_of(db.session, fresh(started.id)).health == "Astma"


# --- the read-only pages, the PDF and the audit trail ---------------------------------------------

def test_view_page_keeps_special_categories_apart(client, login, completed):
    login(completed.coordinator)
    html = client.get(f"/assessments/{completed.id}").text
    assert "Samotność, trudności z poruszaniem się po schodach." in html
    assert "Klub Seniora w Bęczkowie" in html
    assert SENSITIVE["health"] not in html and "umiarkowany" not in html
    sensitive = client.get(f"/assessments/{completed.id}/sensitive").text
    assert SENSITIVE["health"] in sensitive and "umiarkowany" in sensitive


def test_every_view_and_print_is_audited(client, login, completed, people):
    login(people.director)
    before = audit_actions(completed.id)
    assert client.get(f"/assessments/{completed.id}").status_code == 200
    assert audit_actions(completed.id)[len(before):] == ["view"]
    assert client.get(f"/assessments/{completed.id}/sensitive").status_code == 200
    assert audit_actions(completed.id)[len(before):] == ["view", "view_sensitive"]
    assert client.get(f"/assessments/{completed.id}/pdf").status_code == 200
    assert audit_actions(completed.id)[len(before):] == ["view", "view_sensitive", "print", "view_sensitive"]
    from portal.audit.models import AuditEvent

    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.object_type == "assessment",
                                                            AuditEvent.actor_id == people.director.id)).all()
    assert {e.actor_id for e in events} == {people.director.id}
    # The person's own access trail (GDPR art. 15) shows the readings too.
    trail = audit_actions(completed.resident_id, object_type="resident")
    assert trail[-3:] == ["view", "view", "print"]


def test_pdf_response(client, login, completed):
    login(completed.coordinator)
    response = client.get(f"/assessments/{completed.id}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"] == f'inline; filename="diagnoza-{completed.id}.pdf"'
    assert "no-store" in response.headers["Cache-Control"]


EVERY_PAGE = ("", "/sensitive", "/pdf", "/edit", "/sensitive/edit")
READERS = {"coordinator": {"", "/sensitive", "/pdf", "/edit", "/sensitive/edit"},
           "director": {"", "/sensitive", "/pdf"}}


@pytest.mark.parametrize("who", ["coordinator", "director", "other_coordinator", "desk", "services_organiser",
                                 "community_organiser", "admin"])
def test_who_may_open_what(client, login, started, people, who):
    auth = login(getattr(people, who))
    allowed = READERS.get(who, set())
    for suffix in EVERY_PAGE:
        status = client.get(f"/assessments/{started.id}{suffix}").status_code
        assert status == (200 if suffix in allowed else 403), (suffix, status)
    for suffix in ("/edit", "/sensitive/edit"):
        if suffix not in allowed:
            assert auth.post(f"/assessments/{started.id}{suffix}", {"problems": "x"}).status_code == 403
    # The list is every coordinator's (their own cases) and the director's.
    listing = client.get("/assessments/")
    assert listing.status_code == (200 if who in ("coordinator", "other_coordinator", "director") else 403)
    # Refused readings leave no "view" in the trail of someone who was refused.
    from portal.audit.models import AuditEvent

    refused = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.object_type == "assessment", AuditEvent.actor_id == getattr(people, who).id,
        AuditEvent.action.in_(("view", "view_sensitive", "print"))))
    assert (refused > 0) == (who in READERS)


def test_list_shows_each_coordinator_their_own(client, login, started, people):
    auth = login(people.coordinator)
    assert started.number in client.get("/assessments/").text
    auth.logout()
    login(people.other_coordinator)
    html = client.get("/assessments/").text
    assert started.number not in html and "Zdzisława" not in html
    assert "Brak diagnoz." in html


def test_no_personal_data_in_urls_or_titles(client, login, completed):
    login(completed.coordinator)
    for suffix in ("", "/sensitive", "/edit"):
        page = Page(client.get(f"/assessments/{completed.id}{suffix}", follow_redirects=True).text)
        for text in [page.title, *page.urls]:
            assert "Żółkiewska" not in text and "44051401359" not in text


def test_start_from_the_persons_record_without_a_request(client, login, case, people, make_user):
    auth = login(people.coordinator)
    response = auth.post("/assessments/start", {"resident_id": str(case.resident.id)})
    assert response.status_code == 303
    assessment = db.session.scalar(db.select(Assessment).where(Assessment.request_id.is_(None)))
    assert assessment.resident_id == case.resident.id and assessment.coordinator_id == people.coordinator.id
    assert client.get(f"/assessments/{assessment.id}").status_code == 200
    # A coordinator with no case of this person may not.
    auth.logout()
    other = login(people.other_coordinator)
    assert other.post("/assessments/start", {"resident_id": str(case.resident.id)}).status_code == 403
    assert client.get(f"/assessments/{assessment.id}").status_code == 403


def test_many_or_odd_service_rows_never_break(client, login, started):
    auth = login(started.coordinator)
    data = edit_form(auth.token, started.version)
    for index in range(40):
        data[f"services-{index}-name"] = f"Usługa {index}"
    data["services-abc-name"] = "x"
    data["services-99999999999999999999-name"] = "y"
    response = auth.post(f"/assessments/{started.id}/edit", data)
    assert response.status_code == 422
    assert "Najwyżej 30 usług." in response.text
    assert Page(response.text).values["services-31-name"] == "Usługa 31"
    assert fresh(started.id).services_wanted[0].service_id is not None  # nothing saved
