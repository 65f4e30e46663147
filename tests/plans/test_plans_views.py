"""The plan pages through the test client: drafting from the assessment
(items added and removed with and without htmx), 422 with the input kept,
submission, approval by the right people only, the frozen plan, the
conflict screen, signatures with scans checked by content, grants, waiting
lists, delegations and the audit trail."""
import io
import re

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.extensions import db
from portal.plans import delegations
from portal.plans import services as ops
from portal.plans.models import Plan
from tests.helpers import png, visible_text
from tests.plans.fixtures import TODAY

HX = {"HX-Request": "true"}


def hx(target):
    return {**HX, "HX-Target": target}


def as_text(day):
    return day.strftime("%d.%m.%Y")


def plan_form(token, values, *, version=None, action="save", **extra):
    """The plan form's fields as the browser posts them."""
    data = {
        "csrf_token": token, "action": action,
        "drawn_up_on": as_text(values["drawn_up_on"]), "valid_from": as_text(values["valid_from"]),
        "valid_until": as_text(values["valid_until"]), "expected_effects": values.get("expected_effects", ""),
        "check_frequency": values.get("check_frequency", "quarterly"),
        "update_reason": values.get("update_reason") or "",
    }
    if version is not None:
        data["version"] = str(version)
    for i, item in enumerate(values["items"]):
        prefix = f"items-{i}-"
        data.update({
            prefix + "service_id": str(item["service_id"]), prefix + "provider_id": str(item["provider_id"]),
            prefix + "place": item["place"], prefix + "schedule": item["schedule"],
            prefix + "period_from": as_text(item["period_from"]), prefix + "period_to": as_text(item["period_to"]),
            prefix + "scope": item["scope"], prefix + "quantity": str(item["quantity"]),
            prefix + "supporting_note": item.get("supporting_note") or "",
        })
        for key in ("supports_volunteers", "supports_self_help", "supports_neighbours"):
            if item.get(key):
                data[prefix + key] = "y"
    data.update(extra)
    return data


def reload(plan_id):
    db.session.expire_all()
    return db.session.get(Plan, plan_id)


@pytest.fixture
def coordinator(auth, people):
    auth.login(Role.COORDINATOR, "koordynator")
    return auth


# --- drafting ---------------------------------------------------------------------------------------

def test_the_list_shows_assessments_waiting_for_a_plan(client, coordinator, make_case, plans):
    case = make_case()
    page = client.get("/plans/")
    assert page.status_code == 200
    assert case.resident.full_name in page.text
    assert f'/plans/new/{case.assessment.id}"' in page.text
    assert "za 22 dni" in page.text  # received 4 May, due 3 June, today 12 May


def test_new_plan_form_is_prefilled(client, coordinator, make_case, plans):
    case = make_case()
    club, care = case.services
    page = client.get(f"/plans/new/{case.assessment.id}")
    assert page.status_code == 200
    html = page.text
    assert club.name in html and care.name in html
    assert 'value="Świetlica"' in html
    assert "wtorki i czwartki 10:00–13:00" in html
    assert 'value="w miejscu zamieszkania uczestnika"' in html
    assert 'name="valid_until" type="text" value="11.05.2027"' in html or 'value="11.05.2027"' in html
    assert 'id="check_frequency-quarterly" name="check_frequency" value="quarterly" checked' in html
    # Items of a service with a capacity show the free places.
    assert "Wolne miejsca:" in html


def test_the_new_plan_page_is_a_view_of_the_persons_file(client, coordinator, people, make_case, plans):
    """The security review found the new-plan page (name, birth date, address
    from the assessment) missing from the person's access trail."""
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    case = make_case()
    assert client.get(f"/plans/new/{case.assessment.id}").status_code == 200
    [event] = db.session.scalars(db.select(AuditEvent).filter_by(object_type="resident", object_id=case.resident.id,
                                                                 action="view")).all()
    assert event.actor_id == people.coordinator.id and "new plan page" in event.reason


def test_add_and_remove_items_with_and_without_htmx(client, coordinator, make_case, make_service, plans):
    case = make_case()
    extra = make_service("Transport door-to-door", unit="trip")
    values = plans.data(case)
    url = f"/plans/new/{case.assessment.id}"
    # Without JavaScript: the whole page comes back with a third item.
    page = client.post(url, data=plan_form(coordinator.token, values, action="add_item",
                                           add_service_id=str(extra.id)))
    assert page.status_code == 200 and "<!DOCTYPE html>" in page.text
    assert 'name="items-2-service_id" type="hidden" value="%d"' % extra.id in page.text
    # With htmx: only the items region.
    fragment = client.post(url, data=plan_form(coordinator.token, values, action="add_item",
                                               add_service_id=str(extra.id)), headers=hx("plan-items"))
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="plan-items"')
    assert "<!DOCTYPE" not in fragment.text
    assert "Transport door-to-door" in fragment.text
    # Remove the first: the rest keep what was typed and are numbered again.
    values["items"][1]["scope"] = "dwie godziny w tygodniu"
    fragment = client.post(url, data=plan_form(coordinator.token, values, action="remove_item-0"),
                           headers=hx("plan-items"))
    assert f'name="items-0-service_id" type="hidden" value="{case.services[1].id}"' in fragment.text
    assert "dwie godziny w tygodniu" in fragment.text
    assert "items-1-service_id" not in fragment.text
    assert db.session.scalar(select(Plan.id)) is None  # nothing saved by these steps


def test_saving_the_draft(client, coordinator, make_case, plans):
    case = make_case()
    values = plans.data(case)
    values["items"][0]["supports_volunteers"] = True
    response = client.post(f"/plans/new/{case.assessment.id}", data=plan_form(coordinator.token, values))
    assert response.status_code == 303
    plan = db.session.scalar(select(Plan))
    assert response.headers["Location"].endswith(f"/plans/{plan.id}")
    assert plan.versions[0].items[0].supports_volunteers is True
    assert plan.versions[0].expected_effects == values["expected_effects"]
    page = client.get(f"/plans/{plan.id}")
    assert page.status_code == 200
    assert "Projekt planu nr" in page.text and "wolontariusze" in page.text
    # A second plan from the same assessment: back to the existing one.
    again = client.get(f"/plans/new/{case.assessment.id}")
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/plans/{plan.id}")


@pytest.mark.parametrize("change, typed, message", [
    ({"valid_until": "12.05.2027"}, "12.05.2027", "Plan obowiązuje najwyżej rok: ostatni możliwy dzień to 11.05.2027."),
    ({"valid_until": "31.02.2027"}, "31.02.2027", "Data w formacie dd.mm.rrrr"),
    ({"valid_until": "11.05.2026"}, "11.05.2026", "Plan nie może kończyć się przed dniem, od którego obowiązuje."),
    ({"items-1-quantity": "dużo"}, "dużo", "Podaj liczbę całkowitą, np. 4."),
    ({"items-0-period_to": "01.06.2027"}, "01.06.2027", "Usługa nie może kończyć się po końcu planu."),
    ({"check_frequency": "yearly"}, None, "Wybierz jedną z możliwości."),
    ({"drawn_up_on": ""}, None, "Podaj datę sporządzenia planu."),
])
def test_invalid_input_comes_back_with_polish_messages(client, coordinator, make_case, plans, change, typed,
                                                       message):
    case = make_case()
    values = plans.data(case)
    values["expected_effects"] = "Tekst wpisany przez koordynatora"
    response = client.post(f"/plans/new/{case.assessment.id}",
                           data=plan_form(coordinator.token, values, **change))
    assert response.status_code == 422
    assert message in response.text
    assert "Tekst wpisany przez koordynatora" in response.text
    if typed:
        assert f'value="{typed}"' in response.text
    assert 'class="error-summary"' in response.text
    assert db.session.scalar(select(Plan.id)) is None


def test_other_coordinators_and_other_roles_cannot_draft(client, auth, make_case, people, plans):
    case = make_case()
    for role, username in ((Role.COORDINATOR, "koordynator2"), (Role.FRONT_DESK, "recepcja"),
                           (Role.SERVICES_ORGANISER, "organizator"), (Role.ADMIN, "admin"),
                           (Role.COMMUNITY_ORGANISER, "animator")):
        auth.login(role, username)
        assert client.get(f"/plans/new/{case.assessment.id}").status_code == 403
        auth.logout()


# --- submission, approval, freezing -----------------------------------------------------------------------

def test_submit_late_asks_for_a_reason(client, coordinator, make_case, plans, app):
    from datetime import datetime

    from portal.timeutil import WARSAW
    case = make_case(received=datetime(2026, 4, 1, 9, 0, tzinfo=WARSAW))  # due 1 May, today 12 May
    plan = plans.draft(case)
    page = client.get(f"/plans/{plan.id}")
    assert "Przyczyna przekroczenia terminu 30 dni" in page.text
    assert "11 dni po terminie" in page.text
    response = client.post(f"/plans/{plan.id}/submit", data={"csrf_token": coordinator.token,
                                                             "submit-version": str(plan.version)})
    assert response.status_code == 422
    assert "Minęło 30 dni od zgłoszenia: wpisz przyczynę opóźnienia." in response.text
    response = client.post(f"/plans/{plan.id}/submit", data={
        "csrf_token": coordinator.token, "submit-version": str(plan.version),
        "submit-overdue_reason": "Osoba przebywała w szpitalu."})
    assert response.status_code == 303
    plan = reload(plan.id)
    assert plan.status == "submitted" and plan.overdue_reason == "Osoba przebywała w szpitalu."
    page = client.get(f"/plans/{plan.id}")
    assert "sporządzony 11 dni po terminie" in page.text


def _approve_post(client, auth, plan):
    return client.post(f"/plans/{plan.id}/approve", data={"csrf_token": auth.token,
                                                          "approve-version": str(plan.version), "confirmed": "yes"})


@pytest.mark.parametrize("role, username", [
    (Role.COORDINATOR, "koordynator"), (Role.FRONT_DESK, "recepcja"), (Role.SERVICES_ORGANISER, "organizator"),
    (Role.COMMUNITY_ORGANISER, "animator"), (Role.ADMIN, "admin")])
def test_approval_by_a_wrong_role_is_forbidden(client, auth, make_case, plans, role, username):
    plan = plans.submit(plans.draft(make_case()))
    auth.login(role, username)
    assert _approve_post(client, auth, plan).status_code == 403
    assert client.post(f"/plans/{plan.id}/return", data={"csrf_token": auth.token, "return-comment": "x",
                                                         "return-version": str(plan.version)}).status_code == 403
    assert client.get("/plans/approvals").status_code == 403
    assert reload(plan.id).status == "submitted"


def test_the_director_approves_and_the_plan_is_frozen(client, auth, make_case, plans, people):
    plan = plans.submit(plans.draft(make_case()))
    auth.login(Role.DIRECTOR, "dyrektor")
    queue = client.get("/plans/approvals")
    assert queue.status_code == 200 and plan.resident.full_name in queue.text
    response = _approve_post(client, auth, plan)
    assert response.status_code == 303
    plan = reload(plan.id)
    assert plan.number == "IPUS/1/2026"
    page = client.get(f"/plans/{plan.id}")
    assert "IPUS/1/2026" in page.text and plan.versions[0].content_hash in page.text
    auth.logout()

    auth.login(Role.COORDINATOR, "koordynator")
    edit = client.get(f"/plans/{plan.id}/edit")
    assert edit.status_code == 409
    assert "Zatwierdzonego planu nie można zmieniać" in edit.text
    values = plans.data(plan)
    values["expected_effects"] = "Zmiana po zatwierdzeniu"
    post = client.post(f"/plans/{plan.id}/edit", data=plan_form(auth.token, values, version=plan.version))
    assert post.status_code == 409
    assert reload(plan.id).versions[0].expected_effects != "Zmiana po zatwierdzeniu"


def test_return_with_comments(client, auth, make_case, plans):
    plan = plans.submit(plans.draft(make_case()))
    auth.login(Role.DIRECTOR, "dyrektor")
    empty = client.post(f"/plans/{plan.id}/return", data={"csrf_token": auth.token, "return-comment": "",
                                                          "return-version": str(plan.version)})
    assert empty.status_code == 422 and "Napisz, co trzeba poprawić." in empty.text
    done = client.post(f"/plans/{plan.id}/return", data={"csrf_token": auth.token,
                                                         "return-comment": "Brak harmonogramu opieki.",
                                                         "return-version": str(plan.version)})
    assert done.status_code == 303
    page = client.get(f"/plans/{plan.id}")
    assert "Brak harmonogramu opieki." in page.text and "zwrócony do poprawy" in page.text


def test_a_delegated_organiser_approves(client, auth, make_case, plans, people):
    plan = plans.submit(plans.draft(make_case()))
    auth.login(Role.DIRECTOR, "dyrektor")
    assert client.get("/plans/delegations").status_code == 200
    granted = client.post("/plans/delegations", data={"csrf_token": auth.token,
                                                      "organiser_id": str(people.organiser.id),
                                                      "valid_until": "", "note": "Zarządzenie 5/2026"})
    assert granted.status_code == 303
    auth.logout()
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    assert client.get("/plans/approvals").status_code == 200
    assert client.get(f"/plans/{plan.id}").status_code == 200
    approved = _approve_post(client, auth, plan)
    # Decided: the plan leaves the organiser, who goes back to the queue.
    assert approved.status_code == 303 and approved.headers["Location"].endswith("/plans/approvals")
    assert client.get(f"/plans/{plan.id}").status_code == 403
    auth.logout()

    auth.login(Role.DIRECTOR, "dyrektor")
    assert "z upoważnienia dyrektora" in client.get(f"/plans/{plan.id}").text
    from portal.plans.models import ApprovalDelegation
    delegation = db.session.scalar(select(ApprovalDelegation))
    assert client.post(f"/plans/delegations/{delegation.id}/revoke",
                       data={"csrf_token": auth.token}).status_code == 303
    auth.logout()
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    assert client.get("/plans/approvals").status_code == 403
    other = plans.submit(plans.draft(make_case()))
    assert _approve_post(client, auth, other).status_code == 403


def test_a_bare_draft_is_hidden_from_an_authorised_organiser(client, auth, make_case, plans, people):
    delegations.grant_delegation(db.session, people.organiser.id, actor=people.director, today=TODAY)
    db.session.commit()
    plan = plans.draft(make_case())
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    assert client.get(f"/plans/{plan.id}").status_code == 403


def test_the_second_of_two_concurrent_saves_gets_the_conflict_screen(client, coordinator, make_case, plans):
    case = make_case()
    plan = plans.draft(case)
    page = client.get(f"/plans/{plan.id}/edit")
    seen = re.search(r'name="version" type="hidden" value="(\d+)"', page.text).group(1)
    first = plans.data(case)
    first["expected_effects"] = "Wersja pierwszej osoby"
    assert client.post(f"/plans/{plan.id}/edit", data=plan_form(coordinator.token, first, version=seen)) \
        .status_code == 303
    second = plans.data(case)
    second["expected_effects"] = "Wersja drugiej osoby"
    second["items"][1]["quantity"] = 9
    response = client.post(f"/plans/{plan.id}/edit", data=plan_form(coordinator.token, second, version=seen))
    assert response.status_code == 409
    html = response.text
    assert "Ktoś inny zmienił ten plan w międzyczasie" in html
    assert "Wersja pierwszej osoby" in html and "Wersja drugiej osoby" in html
    assert 'value="9"' in html  # the second person's input is kept
    new_version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    assert new_version != seen
    assert reload(plan.id).versions[0].expected_effects == "Wersja pierwszej osoby"
    # Saving again applies it knowingly.
    assert client.post(f"/plans/{plan.id}/edit", data=plan_form(coordinator.token, second, version=new_version)) \
        .status_code == 303
    assert reload(plan.id).versions[0].expected_effects == "Wersja drugiej osoby"


def test_stale_action_forms_get_the_conflict_screen(client, coordinator, make_case, plans):
    plan = plans.draft(make_case())
    seen = plan.version
    plan.versions[0].expected_effects = "Zmienione w międzyczasie"
    ops._touch(plan)
    db.session.commit()
    response = client.post(f"/plans/{plan.id}/submit", data={"csrf_token": coordinator.token,
                                                             "submit-version": str(seen)})
    assert response.status_code == 409
    assert "Nic nie zostało nadpisane" in response.text
    assert reload(plan.id).status == "draft"


# --- signatures and scans ------------------------------------------------------------------------------------

def _sign(client, auth, plan, role, name, scan=None, filename="skan.pdf", signed_on=None):
    data = {"csrf_token": auth.token, "version": str(reload(plan.id).version), "signer_role": role,
            "signer_name": name, "signed_on": signed_on or as_text(TODAY)}
    if scan is not None:
        data["scan"] = (io.BytesIO(scan), filename)
    return client.post(f"/plans/{plan.id}/versions/0/sign", data=data, content_type="multipart/form-data")


def test_signatures_with_a_scan_checked_by_content(client, coordinator, make_case, plans, app, tmp_path):
    app.config["PLAN_SCAN_DIR"] = str(tmp_path / "scans")
    plan = plans.approve(plans.submit(plans.draft(make_case())))
    form = client.get(f"/plans/{plan.id}/versions/0/sign")
    assert form.status_code == 200 and plan.resident.full_name in form.text

    # A text file named .pdf is refused, with the typed name kept.
    refused = _sign(client, coordinator, plan, "participant", "Jan Nowak-Podpis", scan=b"to nie jest skan",
                    filename="skan.pdf")
    assert refused.status_code == 422
    assert "To nie jest skan: dołącz plik PDF albo zdjęcie" in refused.text
    assert 'value="Jan Nowak-Podpis"' in refused.text
    broken = _sign(client, coordinator, plan, "participant", "Jan", scan=b"%PDF-1.7\n garbage", filename="a.pdf")
    assert broken.status_code == 422 and "Plik PDF jest uszkodzony" in broken.text
    assert not (tmp_path / "scans").exists() or not list((tmp_path / "scans").iterdir())

    # A PNG named .pdf is taken for what it is.
    image = png()
    accepted = _sign(client, coordinator, plan, "participant", "Jan Nowak", scan=image, filename="skan.pdf")
    assert accepted.status_code == 303
    plan = reload(plan.id)
    signature = plan.versions[0].signatures[0]
    assert signature.scan_type == "image/png" and signature.scan_size == len(image)
    stored = list((tmp_path / "scans").iterdir())
    assert [p.name for p in stored] == [signature.scan_file] and signature.scan_file.endswith(".png")
    assert stored[0].read_bytes() == image

    download = client.get(f"/plans/signatures/{signature.id}/scan")
    assert download.status_code == 200 and download.data == image
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    from portal.audit.models import AuditEvent
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "export", AuditEvent.object_type == "resident",
        AuditEvent.object_id == plan.resident_id)) is not None

    assert _sign(client, coordinator, plan, "director", "Celina Dyrektor").status_code == 303
    plan = reload(plan.id)
    assert plan.status == "active" and plan.versions[0].status == "signed"


def test_an_oversized_scan_is_refused(client, coordinator, make_case, plans, app, tmp_path):
    app.config["PLAN_SCAN_DIR"] = str(tmp_path / "scans")
    plan = plans.approve(plans.submit(plans.draft(make_case())))
    from portal.plans.scans import MAX_SCAN_BYTES
    big = png() + b"\0" * (MAX_SCAN_BYTES - len(png()) + 10)
    response = _sign(client, coordinator, plan, "participant", "Jan", scan=big, filename="duzy.png")
    assert response.status_code == 422
    assert "Plik jest za duży" in response.text
    huge = _sign(client, coordinator, plan, "participant", "Jan", scan=b"\0" * (MAX_SCAN_BYTES + 2 * 1024 * 1024))
    assert huge.status_code == 413 and "Plik jest za duży" in huge.text
    assert reload(plan.id).versions[0].signatures == []


def test_scans_only_for_those_who_may_see_the_plan(client, auth, make_case, plans, app, tmp_path):
    app.config["PLAN_SCAN_DIR"] = str(tmp_path / "scans")
    plan = plans.approve(plans.submit(plans.draft(make_case())))
    auth.login(Role.COORDINATOR, "koordynator")
    assert _sign(client, auth, plan, "participant", "Jan", scan=png(), filename="s.png").status_code == 303
    signature = reload(plan.id).versions[0].signatures[0]
    auth.logout()
    for role, username in ((Role.COORDINATOR, "koordynator2"), (Role.FRONT_DESK, "recepcja"),
                           (Role.ADMIN, "admin"), (Role.SERVICES_ORGANISER, "organizator")):
        auth.login(role, username)
        assert client.get(f"/plans/signatures/{signature.id}/scan").status_code == 403
        auth.logout()
    assert client.get(f"/plans/signatures/{signature.id}/scan").status_code == 302


# --- updates --------------------------------------------------------------------------------------------------

def test_an_update_through_the_pages_keeps_the_original_readable(client, coordinator, make_case, plans):
    case = make_case()
    plan = plans.active(case)
    response = client.post(f"/plans/{plan.id}/update", data={"csrf_token": coordinator.token,
                                                             "update-version": str(reload(plan.id).version)})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/plans/{plan.id}/edit")
    edit = client.get(f"/plans/{plan.id}/edit")
    assert edit.status_code == 200 and "Aktualizacja nr 1 planu IPUS/1/2026" in edit.text
    values = plans.data(case)
    values["items"][1]["quantity"] = 7
    version = re.search(r'name="version" type="hidden" value="(\d+)"', edit.text).group(1)
    no_reason = client.post(f"/plans/{plan.id}/edit", data=plan_form(coordinator.token, values, version=version))
    assert no_reason.status_code == 422 and "Napisz, dlaczego plan jest aktualizowany." in no_reason.text
    values["update_reason"] = "Nowe potrzeby po pobycie w szpitalu."
    assert client.post(f"/plans/{plan.id}/edit", data=plan_form(coordinator.token, values, version=version)) \
        .status_code == 303
    plans.approve(plans.submit(reload(plan.id)))
    original = client.get(f"/plans/{plan.id}/versions/0")
    assert original.status_code == 200
    assert "Plan pierwotny: zastąpiony aktualizacją" in original.text  # "Plan" is masculine
    current = client.get(f"/plans/{plan.id}")
    assert "Nowe potrzeby po pobycie w szpitalu." in current.text and "Aktualizacja nr 1" in current.text
    assert client.get(f"/plans/{plan.id}/versions/5").status_code == 404


# --- grants and waiting lists ------------------------------------------------------------------------------------

def test_grant_form_and_a_full_service(client, coordinator, make_case, make_service, people, plans):
    bed = make_service("Łóżko rehabilitacyjne", unit="loan", capacity_maximum=1)
    first, second = make_case([bed]), make_case([bed])
    page = client.get(f"/plans/requests/{first.request.id}/grant")
    assert page.status_code == 200 and "Łóżko rehabilitacyjne ★" in page.text
    data = {"csrf_token": coordinator.token, "service_id": str(bed.id), "quantity": "1",
            "period_from": "12.05.2026", "period_to": "30.11.2026", "note": "", "action": "save"}
    assert client.post(f"/plans/requests/{first.request.id}/grant", data=data).status_code == 303
    full = client.post(f"/plans/requests/{second.request.id}/grant", data=data)
    assert full.status_code == 409
    assert "Brak wolnych miejsc w usłudze: Łóżko rehabilitacyjne." in full.text
    assert f"/plans/waiting?service={bed.id}" in full.text.replace("&amp;", "&")
    too_long = client.post(f"/plans/requests/{second.request.id}/grant", data=data | {"period_to": "12.05.2027"})
    assert too_long.status_code == 422 and "Usługę przyznaje się najwyżej na rok" in too_long.text
    listing = client.get("/plans/grants")
    assert first.resident.full_name in listing.text


def test_waiting_list_pages(client, auth, make_case, people, plans):
    case = make_case()
    club = case.services[0]
    auth.login(Role.COORDINATOR, "koordynator")
    page = client.get(f"/plans/waiting?service={club.id}&resident={case.resident.id}&quantity=1")
    assert page.status_code == 200
    assert f'<option selected value="{case.resident.id}">' in page.text or \
        f'value="{case.resident.id}" selected' in page.text
    added = client.post("/plans/waiting/add", data={"csrf_token": auth.token, "service_id": str(club.id),
                                                    "resident_id": str(case.resident.id), "quantity": "1",
                                                    "period_from": "", "period_to": ""})
    assert added.status_code == 303
    listing = client.get(f"/plans/waiting?service={club.id}")
    assert case.resident.full_name in listing.text
    twice = client.post("/plans/waiting/add", data={"csrf_token": auth.token, "service_id": str(club.id),
                                                    "resident_id": str(case.resident.id), "quantity": "1"})
    assert twice.status_code == 422 and "Ta osoba już czeka na tę usługę." in twice.text
    auth.logout()
    # The services organiser sees the queue, not the people.
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    listing = client.get(f"/plans/waiting?service={club.id}")
    assert listing.status_code == 200
    assert case.resident.full_name not in listing.text and "osoba z innej sprawy" in listing.text
    assert "1 osoba" in listing.text
    auth.logout()
    auth.login(Role.COORDINATOR, "koordynator2")
    listing = client.get(f"/plans/waiting?service={club.id}")
    assert case.resident.full_name not in listing.text


# --- audit -------------------------------------------------------------------------------------------------------

def test_views_and_prints_are_in_the_persons_access_trail(client, coordinator, make_case, plans):
    from portal.audit.models import AuditEvent

    plan = plans.draft(make_case())
    client.get(f"/plans/{plan.id}")
    client.get(f"/plans/{plan.id}/versions/0")
    client.get(f"/plans/{plan.id}/edit")
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "resident", AuditEvent.object_id == plan.resident_id)
        .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["view", "view", "view"]
    assert all(f"plan {plan.id}" in e.reason for e in events)
    assert all(e.actor_id == plan.coordinator_id for e in events)


def test_a_withdrawn_request_waits_for_no_plan(client, coordinator, make_case, plans):
    case = make_case()
    case.request.status = "withdrawn"
    db.session.commit()
    page = client.get("/plans/")
    assert case.resident.full_name not in page.text


def test_a_submitted_plan_is_not_edited(client, coordinator, make_case, plans):
    plan = plans.submit(plans.draft(make_case()))
    response = client.get(f"/plans/{plan.id}/edit")
    assert response.status_code == 409
    assert "można go zmienić, gdy zostanie zwrócony do poprawy" in response.text


@pytest.mark.parametrize("counts, expected", [
    ((1, 2), ("1 wizyta", "2 przejazdy")),
    ((5, 12), ("5 wizyt", "12 przejazdów")),
    ((22, 28), ("22 wizyty", "28 przejazdów")),
])
def test_the_plan_says_quantities_in_polish_plural_forms(client, coordinator, make_case, make_service, plans,
                                                        counts, expected):
    """The review saw "288 wizyta" and "370 przejazd"."""
    case = make_case([make_service("Logopeda", unit="visit"), make_service("Dowóz", unit="trip")])
    values = plans.data(case)
    for item, quantity in zip(values["items"], counts):
        item["quantity"] = quantity
    plan = plans.active(case, items=values["items"])
    text = visible_text(client.get(f"/plans/{plan.id}").text)
    for phrase in expected:
        assert phrase in text
    # The statuses agree with the version's name: "Plan pierwotny" is masculine.
    assert "Plan pierwotny — podpisany" in text and "Plan pierwotny — podpisana" not in text
