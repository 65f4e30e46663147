"""The registration form, the correction page, the queue and an application's page (its decision forms, the
confirmation, the conflict screen) are valid HTML for the Nu HTML Checker (one vnu.jar run per database
backend, shared by the per-page tests)."""
from datetime import timedelta

import pytest
from werkzeug.datastructures import MultiDict

from tests.applications.conftest import NOW, form_data
from tests.applications.test_applications_public import open_form
from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = {"register": 200, "register-errors": 422, "register-refused": 422, "thanks": 200, "correct": 200,
         "correct-errors": 422, "link-unknown": 404, "queue": 200, "queue-empty": 200, "detail": 200,
         "detail-errors": 422, "detail-asked": 200, "accept-confirm": 200, "conflict": 409, "catalogue": 200}
_RUNS = {}


def _render(app, client, auth, make_application):
    from portal.applications import services as applications
    from portal.auth.models import Role
    from portal.extensions import db

    pages = Pages()
    keep = pages.keep
    keep("register", client.get("/providers/register"))
    _page, hidden = open_form(client)
    app.config["FIXED_NOW"] = NOW + timedelta(seconds=30)
    keep("register-errors", client.post("/providers/register", data=MultiDict(
        list(hidden.items()) + form_data(nip="123", contact_email="", **{"services-0-name": ""}))))
    keep("register-refused", client.post("/providers/register", data=MultiDict(
        list(hidden.items()) + form_data(website="http://spam.example"))))
    keep("thanks", client.get("/providers/register/thanks"))
    fresh = make_application()
    asked = make_application(name="Koło Gospodyń Wiejskich w Zofiborze", provider_type="kgw", krs=None)
    organiser = auth.user(Role.SERVICES_ORGANISER)
    token = applications.ask_for_more(db.session, asked, "Prosimy o opis lokalu.", actor=organiser,
                                      expected_version=1)
    db.session.commit()
    keep("correct", client.get(f"/providers/register/{token}"), url="/providers/register/token")
    correction = client.get(f"/providers/register/{token}")
    from tests.conftest import csrf_from

    keep("correct-errors", client.post(f"/providers/register/{token}", data=MultiDict(
        [("csrf_token", csrf_from(correction.text))] + form_data(regon="1"))), url="/providers/register/token")
    keep("link-unknown", client.get("/providers/register/zmyslony"))
    keep("catalogue", client.get("/"))
    auth.login(Role.SERVICES_ORGANISER)
    keep("queue", client.get("/manage/applications?state=all"))
    keep("queue-empty", client.get("/manage/applications?state=declined"))
    keep("detail", client.get(f"/manage/applications/{fresh.id}"))
    keep("detail-errors", auth.post(f"/manage/applications/{fresh.id}/decline", {"decline-version": "1"}))
    keep("detail-asked", client.get(f"/manage/applications/{asked.id}"))
    keep("accept-confirm", auth.post(f"/manage/applications/{fresh.id}/accept", {"accept-version": "1"}))
    keep("conflict", auth.post(f"/manage/applications/{asked.id}/accept", {"accept-version": "1",
                                                                           "confirmed": "yes"}))
    return pages


@pytest.fixture
def application_pages(app, client, auth, make_application, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(app, client, auth, make_application))


@pytest.mark.parametrize("page_id", PAGES)
def test_application_page_is_valid_html(application_pages, page_id):
    assert_valid_page(application_pages, page_id, PAGES[page_id])
