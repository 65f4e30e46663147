"""Every page of the register, in its main states, is valid HTML for the Nu
HTML Checker (one vnu.jar run per database backend, shared by the per-page tests)."""
from datetime import date

import pytest

from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = {"list": 200, "list-empty": 200, "new": 200, "new-errors": 422, "detail": 200, "detail-answered": 200,
         "edit": 200, "edit-conflict": 409, "extend": 200, "extend-errors": 422, "answer": 200,
         "answer-errors": 422, "close-confirm": 200, "contact": 200}
_RUNS = {}


def _render(client, auth, make_complaint):
    from portal.auth.models import Role
    from portal.complaints import services as complaints
    from portal.extensions import db

    director = auth.user(Role.DIRECTOR)
    open_ = make_complaint(director, received_on=date(2026, 3, 20))
    answered = make_complaint(director, kind="request", subject="other", description="Zajęcia w soboty.")
    complaints.answer(db.session, answered, {"outcome": "upheld", "answered_on": date(2026, 4, 10),
                                             "answer_text": "Od maja."}, actor=director)
    complaints.add_action(db.session, answered, {"text": "Grafik sobotni"}, actor=director)
    db.session.commit()
    pages = Pages()
    keep = pages.keep
    keep("contact", client.get("/contact"))
    auth.login(Role.DIRECTOR)
    keep("list", client.get("/complaints/?state=all"))
    keep("list-empty", client.get("/complaints/?state=closed"))
    keep("new", client.get("/complaints/new"))
    keep("new-errors", auth.post("/complaints/new", {"kind": "x", "received_on": "jutro", "channel": "",
                                                     "subject": "staff", "description": ""}))
    keep("detail", client.get(f"/complaints/{open_.id}"))
    keep("detail-answered", client.get(f"/complaints/{answered.id}"))
    keep("edit", client.get(f"/complaints/{open_.id}/edit"))
    keep("edit-conflict", auth.post(f"/complaints/{open_.id}/edit", {
        "version": "0", "kind": "complaint", "received_on": "2026-03-20", "channel": "phone",
        "complainant_name": "Halina Wiśniewska", "subject": "other", "description": "Inny opis."}))
    keep("extend", client.get(f"/complaints/{open_.id}/extend"))
    keep("extend-errors", auth.post(f"/complaints/{open_.id}/extend", {"extended_until": "2026-04-01"}))
    keep("answer", client.get(f"/complaints/{open_.id}/answer"))
    keep("answer-errors", auth.post(f"/complaints/{open_.id}/answer", {"outcome": "upheld", "answered_on": ""}))
    keep("close-confirm", auth.post(f"/complaints/{answered.id}/close", {"version": answered.version}))
    return pages


@pytest.fixture
def complaint_pages(client, auth, make_complaint, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(client, auth, make_complaint))


@pytest.mark.parametrize("page_id", PAGES)
def test_complaint_page_is_valid_html(complaint_pages, page_id):
    assert_valid_page(complaint_pages, page_id, PAGES[page_id])
