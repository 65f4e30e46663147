"""Every desk page, in its main states, is valid HTML for the Nu HTML Checker
(one vnu.jar run per database backend, shared by the per-page tests)."""
import pytest

from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = ["board", "board-range", "search", "search-results", "search-errors", "new", "new-errors", "new-person",
         "new-namesakes", "new-known-pesel", "request", "receipt", "handout", "contact", "contact-errors",
         "contact-for-service", "contact-thanks"]
_RUNS = {}


def _render(client, auth, make_service):
    from portal.desk.models import Request
    from portal.extensions import db
    from portal.residents.models import Resident

    service = make_service("Klub Seniora", groups=("seniors",))
    person = Resident(first_name="Jan", last_name="Kowalski", search_first="jan", search_last="kowalski",
                      pesel="44051401359")
    request = Request(channel="phone", kind="application", resident=person, needs_description="Pomoc w domu",
                      services=[service])
    db.session.add_all([person, request])
    db.session.commit()
    pages = Pages()
    keep = pages.keep

    keep("contact", client.get("/contact"))
    keep("contact-for-service", client.get(f"/contact?service={service.slug}"))
    keep("contact-errors", auth.post("/contact", {"name": "", "message": ""}))
    keep("contact-thanks", client.get("/contact/thanks"))
    auth.login("front_desk")
    from portal.desk.services import register_request

    register_request(db.session, {"kind": "information", "channel": "web_form", "contact_name": "Ewa Pytająca",
                                  "contact_phone": "+48601234567", "message": "?"}, actor=None)
    db.session.commit()
    keep("board", client.get("/desk/"))
    keep("board-range", client.get("/desk/board?from=2020-01-01&to=2030-12-31&status=new&from=x"))
    keep("search", client.get("/desk/search"))
    keep("search-results", auth.post("/desk/search", {"q": "Kowalski"}))
    keep("search-errors", auth.post("/desk/search", {"q": ""}))
    keep("new", client.get("/desk/requests/new"))
    keep("new-errors", auth.post("/desk/requests/new", {"kind": "application", "save": "1"}))
    keep("new-person", auth.post("/desk/requests/new", {"q": "Zielińska Maria", "action": "find"}))
    twin = Resident(first_name="Jan", last_name="Kowalski", search_first="jan", search_last="kowalski",
                    address_1="Glinne 45")
    db.session.add(twin)
    db.session.commit()
    keep("new-namesakes", auth.post("/desk/requests/new", {"q": "Kowalski", "action": "find"}))
    keep("new-known-pesel", auth.post("/desk/requests/new", {
        "channel": "phone", "applicant": "self", "kind": "application", "urgency": "normal", "action": "save",
        "needs_description": "x", "new_first_name": "Jan", "new_last_name": "Kowalski", "new_pesel": "44051401359"}))
    keep("request", client.get(f"/desk/requests/{request.id}"))
    keep("receipt", client.get(f"/desk/requests/{request.id}/receipt"))
    keep("handout", client.get(f"/desk/handout?service={service.id}"))
    return pages


@pytest.fixture
def desk_pages(app, client, auth, make_service, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(client, auth, make_service))


@pytest.mark.parametrize("page_id", PAGES)
def test_desk_page_is_valid_html(desk_pages, page_id):
    assert_valid_page(desk_pages, page_id)
