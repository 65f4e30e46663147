"""Every quality page, in its main states, is valid HTML for the Nu HTML
Checker (one vnu.jar run per database backend, shared by the per-page tests)."""
from datetime import date

import pytest

from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = ["survey", "survey-errors", "survey-used", "survey-unknown", "survey-code", "survey-thanks", "index",
         "service-surveys", "paper", "paper-entry", "questions", "slips", "standards", "standard", "standard-draft",
         "standard-approve", "standard-confirm", "checks", "check-new", "check-new-errors", "check", "check-edit"]
_RUNS = {}


def _render(app, client, auth, club, links, answer):
    from portal.extensions import db
    from portal.quality import services as quality

    for scores in ([5, 4, 4, 5], [3, 4, 5, 5], [4, 4, 4, 4]):
        answer(club, scores, comment="Dziękuję.")
    token, used = links(club, 2)
    standard = quality.save_draft(db.session, club, "Zajęcia co tydzień.", actor=None)
    check = quality.create_check(db.session, {"provider_id": club.provider_id, "checked_on": date(2026, 4, 20),
                                              "inspectors": "Anna Nowak", "scope": "Dokumentacja",
                                              "follow_up_on": date(2026, 5, 10)}, actor=None)
    db.session.commit()
    pages = Pages()
    keep = pages.keep
    keep("survey", client.get(f"/ankieta/{token}"))
    keep("survey-errors", auth.post(f"/ankieta/{token}", {"q1": "7"}))
    auth.post(f"/ankieta/{used}", {"q1": "5"})
    keep("survey-used", client.get(f"/ankieta/{used}"))
    keep("survey-unknown", client.get("/ankieta/ABCDEFGHJKMN"))
    keep("survey-code", client.get("/ankieta"))
    keep("survey-thanks", client.get("/ankieta/dziekujemy"))
    auth.login("services_organiser")
    keep("index", client.get("/quality"))
    keep("service-surveys", client.get(f"/quality/services/{club.id}/surveys"))
    keep("paper", client.get("/quality/paper"))
    keep("paper-entry", client.get(f"/quality/services/{club.id}/paper"))
    keep("questions", client.get(f"/quality/services/{club.id}/questions"))
    keep("slips", client.get(f"/quality/services/{club.id}/slips"))
    keep("standards", client.get("/quality/standards"))
    keep("standard-draft", client.get(f"/quality/services/{club.id}/standard/draft"))
    keep("checks", client.get("/quality/checks"))
    keep("check-new", client.get("/quality/checks/new"))
    keep("check-new-errors", auth.post("/quality/checks/new", {"provider_id": "x", "checked_on": "jutro"}))
    keep("check", client.get(f"/quality/checks/{check.id}"))
    keep("check-edit", client.get(f"/quality/checks/{check.id}/edit"))
    auth.logout()
    auth.login("director")
    keep("standard", client.get(f"/quality/services/{club.id}/standard"))
    keep("standard-approve", client.get(f"/quality/standards/{standard.id}/approve"))
    keep("standard-confirm", auth.post(f"/quality/standards/{standard.id}/approve", {
        "order_number": "Zarządzenie Nr 4/2026", "order_date": "2026-05-04", "version": "1"}))
    return pages


@pytest.fixture
def quality_pages(app, client, auth, club, links, answer, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(app, client, auth, club, links, answer))


@pytest.mark.parametrize("page_id", PAGES)
def test_quality_page_is_valid_html(quality_pages, page_id):
    status = {"survey-errors": 422, "survey-used": 410, "survey-unknown": 404, "check-new-errors": 422}.get(page_id,
                                                                                                            200)
    assert_valid_page(quality_pages, page_id, status)
