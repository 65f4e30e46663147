"""The casework pages through the test client: my cases and the director's
view (sorting and filters by GET parameters, the htmx region, pagination),
the monitoring card and the closure (303 on success, 422 with the input
kept, 409 when the plan is closed or changed), every role refused but the
case's coordinator and the director, the audit trail, and the PDFs read
back with pypdf."""
import io
import re
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.casework.models import MonitoringEntry, PlanClosure
from portal.extensions import db
from portal.plans.models import Plan
from portal.timeutil import WARSAW
from tests.casework.fixtures import utc
from tests.helpers import assert_in, switch
from tests.plans.fixtures import TODAY

HX = {"HX-Request": "true", "HX-Target": "cases"}
# "3 otwarte sprawy" once translated with the Polish plural forms, "3 otwartych spraw" before.
OPEN_CASES = re.compile(r'id="cases-heading">(\d+) otwart')
ROW_LINK = re.compile(r'href="/desk/requests/\d+"')


def pdf_text(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    # Table cells wrap: compare with the white space folded.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def contact_form(token, plan, **row):
    data = {"csrf_token": token, "contact_on": "12.05.2026", "contact_kind": "visit"}
    for i, item in enumerate(plan.version_in_force.items):
        data[f"items-{i}-plan_item_id"] = str(item.id)
    data.update({f"items-0-{k}": v for k, v in row.items()})
    return data


def closure_form(token, plan, **overrides):
    data = {"csrf_token": token, "version": str(plan.version), "conversation_on": "12.05.2026",
            "period_from": "12.05.2026", "period_to": "12.05.2026", "course": "Klub i opieka w domu od maja.",
            "reasons": "Samotność po śmierci żony.", "effects": "Regularne wyjścia z domu.",
            "survey_needs": "5", "survey_quality": "4", "survey_comment": "Bardzo dziękuję.",
            "confirmed": "yes"}  # the confirmation page's post (tests/test_confirmations.py)
    for i, item in enumerate(plan.version_in_force.items):
        data.update({f"items-{i}-plan_item_id": str(item.id), f"items-{i}-outcome": "partly" if i else "attained",
                     f"items-{i}-period_from": "12.05.2026", f"items-{i}-period_to": "12.05.2026"})
    data.update(overrides)
    return data


@pytest.fixture
def active(make_case, plans):
    return plans.active(make_case())


# --- my cases ------------------------------------------------------------------------------------------

def test_my_cases_lists_the_coordinators_open_cases(client, coordinator_client, case_rows, people, frozen):
    pre = case_rows(received=datetime(2026, 5, 4, 9, tzinfo=WARSAW), name="Zając")
    running = case_rows(plan="active", valid_from=date(2026, 2, 12), valid_until=date(2027, 2, 11), name="Ćwik")
    case_rows(received=datetime(2026, 5, 5, 9, tzinfo=WARSAW), name="Obcy", coordinator=people.other_coordinator)
    case_rows(plan="closed", name="Zamknięty")
    page = client.get("/cases/")
    assert page.status_code == 200 and "HX-Request, HX-Target" in page.headers["Vary"]
    html = page.text
    assert OPEN_CASES.search(html).group(1) == "2"
    assert "Jan Zając" in html and "Jan Ćwik" in html
    assert "Obcy" not in html and "Zamknięty" not in html
    assert pre.request.number in html
    assert "sporządzenie planu: 03.06.2026" in html and "za 22 dni" in html
    # The running plan had its start on 12 February: a quarter passed today.
    assert "kontakt monitorujący: 12.05.2026" in html and "termin mija dziś" in html
    assert f'/cases/plans/{running.plan.id}/monitoring"' in html
    assert f'/plans/{running.plan.id}"' in html and f'/desk/requests/{pre.request.id}"' in html


def test_sorting_without_javascript_and_with_htmx(client, coordinator_client, case_rows, frozen):
    case_rows(received=datetime(2026, 5, 4, 9, tzinfo=WARSAW), name="Zając")        # due 3 June
    case_rows(received=datetime(2026, 4, 20, 9, tzinfo=WARSAW), name="Łukasik")     # due 20 May
    case_rows(received=datetime(2026, 5, 8, 9, tzinfo=WARSAW), name="Ćwik")         # due 7 June

    def order(html):
        return sorted(("Zając", "Łukasik", "Ćwik"), key=lambda name: html.index(f"Jan {name}"))

    assert order(client.get("/cases/").text) == ["Łukasik", "Zając", "Ćwik"]  # by deadline
    assert order(client.get("/cases/?sort=name").text) == ["Ćwik", "Łukasik", "Zając"]  # Polish letters in place
    assert order(client.get("/cases/?sort=name&dir=desc").text) == ["Zając", "Łukasik", "Ćwik"]
    assert order(client.get("/cases/?sort=received").text) == ["Łukasik", "Zając", "Ćwik"]
    fragment = client.get("/cases/?sort=name", headers=HX)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<section id="cases"') and "<!DOCTYPE" not in fragment.text
    assert order(fragment.text) == ["Ćwik", "Łukasik", "Zając"]
    # The column header links carry the sort for htmx and for a plain click.
    assert 'href="/cases/?sort=name&amp;dir=desc"' in fragment.text
    assert 'aria-sort="ascending"' in fragment.text
    # Junk parameters fall back to the defaults.
    assert client.get("/cases/?sort=evil&dir=up&page=x&state=nope").status_code == 200


def test_state_filter_and_pagination(client, coordinator_client, case_rows, make_service, frozen):
    services = [make_service("Klub Seniora"), make_service("Opieka w domu", unit="hour")]
    for n in range(51):
        case_rows(received=datetime(2026, 4, 1 + n % 28, 9, tzinfo=WARSAW), services=services)
    page = client.get("/cases/")
    assert "51 otwartych spraw" in page.text and "Strona 1 z 2" in page.text
    assert len(ROW_LINK.findall(page.text)) == 50
    second = client.get("/cases/?page=2", headers=HX)
    assert "Strona 2 z 2" in second.text and len(ROW_LINK.findall(second.text)) == 1
    overdue = client.get("/cases/?state=overdue")  # received 1–11 April (twice over): due by 11 May
    assert len(ROW_LINK.findall(overdue.text)) == 22
    assert "Strona 1 z" not in overdue.text


def test_the_directors_view_counts_per_coordinator(client, director_client, case_rows, people, frozen):
    case_rows(received=datetime(2026, 4, 1, 9, tzinfo=WARSAW), name="Spóźniony")  # overdue
    case_rows(received=datetime(2026, 5, 10, 9, tzinfo=WARSAW), name="Nowy")
    case_rows(received=datetime(2026, 5, 10, 9, tzinfo=WARSAW), name="Inny", coordinator=people.other_coordinator)
    page = client.get("/cases/all")
    assert page.status_code == 200
    html = page.text
    assert OPEN_CASES.search(html).group(1) == "3"
    assert "Anna Koordynator" in html and "Beata Inna" in html
    assert "Jan Spóźniony" in html and "Jan Inny" in html
    only = client.get(f"/cases/all?coordinator={people.other_coordinator.id}", headers=HX)
    assert "Jan Inny" in only.text and "Jan Nowy" not in only.text
    overdue = client.get(f"/cases/all?coordinator={people.coordinator.id}&state=overdue")
    assert "Jan Spóźniony" in overdue.text and "Jan Nowy" not in overdue.text


def test_the_desk_follows_the_warsaw_day_on_the_night_the_clocks_go_forward(app, client, coordinator_client,
                                                                             case_rows):
    case_rows(received=datetime(2026, 3, 2, 9, tzinfo=WARSAW))  # due 1 April
    app.config["FIXED_NOW"] = utc(2026, 3, 29, 22, 30)  # 00:30 CEST on 30 March
    assert "za 2 dni" in client.get("/cases/").text
    app.config["FIXED_NOW"] = utc(2026, 3, 29, 21, 30)  # 23:30 CEST on 29 March
    assert "za 3 dni" in client.get("/cases/").text


def test_a_reassigned_case_moves_to_the_new_coordinators_desk(client, auth, case_rows, people, frozen):
    case = case_rows(plan="active", name="Przeniesiony")
    case.request.coordinator_id = people.other_coordinator.id
    db.session.commit()
    switch(auth, "koordynator")
    assert "Przeniesiony" not in client.get("/cases/").text
    switch(auth, "koordynator2")
    assert "Przeniesiony" in client.get("/cases/").text


# --- who may -------------------------------------------------------------------------------------------

def test_everyone_but_the_case_and_the_director_is_refused(client, auth, active, people):
    urls = [f"/cases/plans/{active.id}/monitoring", f"/cases/plans/{active.id}/monitoring/card.pdf",
            f"/cases/plans/{active.id}/closure", f"/cases/plans/{active.id}/closure.pdf"]
    for username in ("koordynator2", "recepcja", "organizator", "animator", "admin"):
        switch(auth, username)
        for url in urls:
            assert client.get(url).status_code == 403, (username, url)
        assert auth.post(urls[0], contact_form(auth.token, active, scope_delivered="x")).status_code == 403
        assert auth.post(urls[2], closure_form(auth.token, active)).status_code == 403
    assert db.session.scalar(select(MonitoringEntry.id)) is None
    assert db.session.get(Plan, active.id).status == "active"
    for username in ("koordynator", "dyrektor"):
        switch(auth, username)
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)
    switch(auth, "dyrektor")
    assert client.get("/cases/").status_code == 403  # the director has the overview instead
    switch(auth, "koordynator")
    assert client.get("/cases/all").status_code == 403


def test_an_authorised_organiser_still_cannot_open_a_case(client, auth, active, people):
    from portal.plans import delegations

    delegations.grant_delegation(db.session, people.organiser.id, actor=people.director, today=TODAY)
    db.session.commit()
    switch(auth, "organizator")
    # An approver sees a plan only while a version of it waits for the decision.
    assert client.get(f"/plans/{active.id}").status_code == 403
    assert client.get(f"/cases/plans/{active.id}/monitoring").status_code == 403


# --- monitoring ---------------------------------------------------------------------------------------------

def test_record_a_contact(client, coordinator_client, active):
    page = client.get(f"/cases/plans/{active.id}/monitoring")
    assert page.status_code == 200
    assert "Nie zapisano jeszcze żadnego kontaktu." in page.text
    assert 'value="12.05.2026"' in page.text  # today, prefilled
    response = coordinator_client.post(f"/cases/plans/{active.id}/monitoring", contact_form(
        coordinator_client.token, active, scope_delivered="Dwa spotkania klubu", remarks="Chce więcej",
        satisfaction="4"))
    assert response.status_code == 303
    entry = db.session.scalar(select(MonitoringEntry))
    assert (entry.contact_kind, entry.scope_delivered, entry.remarks, entry.satisfaction) == (
        "visit", "Dwa spotkania klubu", "Chce więcej", 4)
    page = client.get(response.headers["Location"])
    assert_in(page.text, "Zapisano kontakt monitorujący.", "Dwa spotkania klubu", "4/5",
              "Następny kontakt monitorujący do 12 sierpnia 2026.")


def test_a_bad_contact_comes_back_with_the_input_kept(client, coordinator_client, active):
    data = contact_form(coordinator_client.token, active, scope_delivered="", remarks="Tylko uwaga")
    data["contact_on"] = "31.02.2026"
    page = coordinator_client.post(f"/cases/plans/{active.id}/monitoring", data)
    assert page.status_code == 422
    assert_in(page.text, "Data w formacie dd.mm.rrrr", 'value="31.02.2026"', "Tylko uwaga")
    data["contact_on"] = "12.05.2026"
    page = coordinator_client.post(f"/cases/plans/{active.id}/monitoring", data)
    assert page.status_code == 422
    assert "Wpisz, co zrealizowano w ramach tej usługi." in page.text
    assert "Klub Seniora 1 — Zrealizowany zakres" in page.text  # the summary names the service
    data = contact_form(coordinator_client.token, active, scope_delivered="x", satisfaction="9")
    assert coordinator_client.post(f"/cases/plans/{active.id}/monitoring", data).status_code == 422
    assert db.session.scalar(select(MonitoringEntry.id)) is None


def test_the_monitoring_reminder_after_a_quarter(app, client, coordinator_client, active, contact):
    app.config["FIXED_NOW"] = datetime(2026, 8, 13, 9, 0, tzinfo=WARSAW)
    page = client.get(f"/cases/plans/{active.id}/monitoring")
    assert "Minął termin kontaktu monitorującego" in page.text and "12 sierpnia 2026" in page.text
    desk = client.get("/cases/?state=overdue").text
    assert "kontakt monitorujący: 12.08.2026" in desk and "1 dzień po terminie" in desk
    plan_page = client.get(f"/plans/{active.id}").text  # the plan page's casework panel
    assert "Minął termin kontaktu monitorującego" in plan_page
    assert f'/cases/plans/{active.id}/monitoring"' in plan_page and f'/cases/plans/{active.id}/closure"' in plan_page
    contact(active, date(2026, 8, 13), today=date(2026, 8, 13))
    page = client.get(f"/cases/plans/{active.id}/monitoring")
    assert "Minął termin" not in page.text and "Następny kontakt monitorujący do 13 listopada 2026." in page.text
    assert "1 dzień po terminie" not in client.get("/cases/").text


def test_the_monitoring_card_pdf(client, coordinator_client, active, contact):
    contact(active, TODAY, scope="Cztery godziny opieki w tygodniu", satisfaction=5)
    text = pdf_text(client.get(f"/cases/plans/{active.id}/monitoring/card.pdf"))
    assert "KARTA MONITORINGU" in text.upper()
    assert active.number in text and active.resident.full_name in text
    assert "Cztery godziny opieki w tygodniu" in text and "Klub Seniora 1" in text
    assert "Anna Koordynator" in text and "podpis koordynatora" in text
    assert "12.05.2026" in text


# --- closure --------------------------------------------------------------------------------------------------

def test_close_the_plan(client, coordinator_client, active):
    page = client.get(f"/cases/plans/{active.id}/closure")
    assert page.status_code == 200 and "Zamknij plan" in page.text
    assert "Klub Seniora 1: 12.05.2026–11.05.2027" in page.text  # the course, prefilled
    response = coordinator_client.post(f"/cases/plans/{active.id}/closure",
                                       closure_form(coordinator_client.token, active))
    assert response.status_code == 303
    db.session.expire_all()
    plan = db.session.get(Plan, active.id)
    assert plan.status == "closed" and plan.request.status == "closed_plan"
    page = client.get(response.headers["Location"])
    assert "Plan zamknięto. Zgłoszenie zostało zamknięte razem z nim." in page.text
    assert "Podsumowanie i zamknięcie planu" in page.text and "Regularne wyjścia z domu." in page.text
    assert "cel osiągnięty częściowo" in page.text and "Bardzo dziękuję." in page.text
    # Closed: a second closure and a contact are refused, the request is off the desk.
    again = coordinator_client.post(f"/cases/plans/{active.id}/closure", closure_form(coordinator_client.token, plan))
    assert again.status_code == 409 and "Plan jest już zamknięty." in again.text
    contact = coordinator_client.post(f"/cases/plans/{active.id}/monitoring",
                                      contact_form(coordinator_client.token, plan, scope_delivered="x"))
    assert contact.status_code == 409
    assert "Jan Nowak" not in client.get("/cases/").text
    assert db.session.scalar(select(PlanClosure.id)) is not None


def test_a_bad_closure_comes_back_with_the_input_kept(client, coordinator_client, active):
    data = closure_form(coordinator_client.token, active, effects="", period_to="13.05.2026")
    data["items-1-outcome"] = ""
    page = coordinator_client.post(f"/cases/plans/{active.id}/closure", data)
    assert page.status_code == 422
    assert_in(page.text, "Opisz efekty wsparcia.", "Wybierz rezultat usługi.", "Samotność po śmierci żony.",
              "Bardzo dziękuję.")
    data = closure_form(coordinator_client.token, active, period_to="13.05.2026")
    page = coordinator_client.post(f"/cases/plans/{active.id}/closure", data)
    assert page.status_code == 422 and "najpóźniej w dniu rozmowy podsumowującej" in page.text
    assert db.session.get(Plan, active.id).status == "active"


def test_a_closure_on_a_changed_plan_is_a_conflict(client, coordinator_client, active, plans):
    data = closure_form(coordinator_client.token, active)
    data["version"] = str(active.version - 1)
    page = coordinator_client.post(f"/cases/plans/{active.id}/closure", data)
    assert page.status_code == 409 and "Ktoś inny zmienił ten plan" in page.text
    assert "Samotność po śmierci żony." in page.text  # the input is kept
    assert f'name="version" type="hidden" value="{active.version}"' in page.text  # saving again applies it


def test_a_plan_that_cannot_be_closed_says_why(client, coordinator_client, make_case, plans):
    plan = plans.draft(make_case())
    page = client.get(f"/cases/plans/{plan.id}/closure")
    assert page.status_code == 200 and "Zamknąć można tylko plan zatwierdzony albo w realizacji." in page.text
    assert "Zamknij plan" not in page.text
    refused = coordinator_client.post(f"/cases/plans/{plan.id}/closure", {"csrf_token": coordinator_client.token})
    assert refused.status_code == 409


def test_the_closure_pdf_blank_and_filled(client, coordinator_client, active):
    blank = pdf_text(client.get(f"/cases/plans/{active.id}/closure.pdf"))
    assert "PODSUMOWANIE REALIZACJI" in blank.upper() and active.resident.full_name in blank
    assert "Klub Seniora 1" in blank and "☐ cel osiągnięty" in blank
    coordinator_client.post(f"/cases/plans/{active.id}/closure", closure_form(coordinator_client.token, active))
    text = pdf_text(client.get(f"/cases/plans/{active.id}/closure.pdf"))
    assert "Samotność po śmierci żony." in text and "Regularne wyjścia z domu." in text
    assert "☒ cel osiągnięty" in text and "☒ cel osiągnięty częściowo" in text
    assert "Czy usługi odpowiadały Pani/Pana potrzebom?" in text and "Bardzo dziękuję." in text
    assert "podpis uczestnika" in text and "podpis koordynatora" in text


def test_views_and_prints_are_in_the_persons_access_trail(client, coordinator_client, active):
    for url in (f"/cases/plans/{active.id}/monitoring", f"/cases/plans/{active.id}/monitoring/card.pdf",
                f"/cases/plans/{active.id}/closure", f"/cases/plans/{active.id}/closure.pdf"):
        assert client.get(url).status_code == 200
    events = db.session.execute(select(AuditEvent.action, AuditEvent.reason).where(
        AuditEvent.object_type == "resident", AuditEvent.object_id == active.resident_id)
        .order_by(AuditEvent.id)).all()
    assert (("view", f"monitoring card (plan {active.id})") in events
            and ("print", f"monitoring card PDF (plan {active.id})") in events
            and ("view", f"plan closure (plan {active.id})") in events
            and ("print", f"plan closure PDF (plan {active.id})") in events), events
    assert all(active.resident.last_name not in (reason or "") for _action, reason in events)



def test_the_desk_shows_every_change_at_once(app, client, coordinator_client, active, contact, people):
    """The rendered desk is kept per minute until the data under it moves:
    a contact, a closure, a new request assigned all show on the next load."""
    from portal.casework import services as ops
    from portal.desk import services as desk_ops

    app.config["FIXED_NOW"] = datetime(2026, 8, 13, 9, 0, tzinfo=WARSAW)
    assert "1 dzień po terminie" in client.get("/cases/").text
    contact(active, date(2026, 8, 13), today=date(2026, 8, 13))
    page = client.get("/cases/").text
    assert "1 dzień po terminie" not in page and "kontakt monitorujący: 13.11.2026" in page
    request = desk_ops.register_request(db.session, {"kind": "application", "channel": "phone",
                                                     "resident": active.resident, "needs_description": "Transport",
                                                     "coordinator_id": people.coordinator.id}, actor=people.desk)
    db.session.commit()
    assert request.number in client.get("/cases/").text
    data = ops.closure_defaults(active, date(2026, 8, 13))
    data.update(effects="Poprawa.", survey_declined=True)
    ops.close_plan(db.session, active, data, actor=people.coordinator, expected_version=None, today=date(2026, 8, 13))
    db.session.commit()
    assert f'/plans/{active.id}"' not in client.get("/cases/").text


def test_closing_asks_first(client, coordinator_client, active):
    data = closure_form(coordinator_client.token, active)
    del data["confirmed"]
    asked = coordinator_client.post(f"/cases/plans/{active.id}/closure", data)
    assert asked.status_code == 200
    assert "Zamknąć plan" in asked.text and "Tego nie można cofnąć." in asked.text
    assert 'name="effects" value="Regularne wyjścia z domu."' in asked.text  # the input goes back unchanged
    db.session.expire_all()
    assert db.session.get(Plan, active.id).status == "active"
    done = coordinator_client.post(f"/cases/plans/{active.id}/closure", {**data, "confirmed": "yes"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Plan, active.id).status == "closed"
