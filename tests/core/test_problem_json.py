"""Errors as RFC 9457 problem details for clients that ask for JSON; browsers
and htmx keep the HTML error page."""
import json

import pytest

from tests.resilience.test_database_faults import assert_outage_page, lost_sqlite_file

JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def problem_of(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = json.loads(response.get_data(as_text=True))
    assert body["type"] == "about:blank" and body["status"] == status
    assert body["title"] and body["detail"]
    assert "<html" not in response.get_data(as_text=True)
    return body


def test_not_found_as_json(client):
    body = problem_of(client.get("/no-such-page", headers=JSON), 404)
    assert body["title"] == "Nie znaleziono strony"
    assert body["detail"] == "Strona nie istnieje albo została usunięta."


def test_a_json_address_gets_json_without_asking(client):
    assert problem_of(client.get("/no-such-feed.json"), 404)["title"] == "Nie znaleziono strony"
    assert problem_of(client.get("/api/nothing", headers=BROWSER), 404)["status"] == 404


def test_the_title_follows_the_language(client):
    client.set_cookie("lang", "en")
    assert problem_of(client.get("/no-such-page", headers=JSON), 404)["title"] == "Page not found"


def test_method_not_allowed_as_json_keeps_allow(client):
    response = client.delete("/services", headers=JSON)
    body = problem_of(response, 405)
    assert body["title"] == "Niedozwolona operacja"
    assert "GET" in response.headers["Allow"]


def test_forbidden_as_json(client, auth):
    auth.login("front_desk")
    body = problem_of(client.get("/manage/services", headers=JSON), 403)
    assert body["title"] == "Brak dostępu"
    assert body["detail"] == "Ta strona nie jest dostępna dla Twojej roli."


def test_browsers_and_htmx_still_get_the_html_page(client, auth):
    for headers in (BROWSER, {"Accept": "*/*"}, {}):
        response = client.get("/no-such-page", headers=headers)
        assert response.status_code == 404 and response.mimetype == "text/html"
        assert "Nie znaleziono strony" in response.text
    response = client.delete("/services", headers=BROWSER)
    assert response.status_code == 405 and response.mimetype == "text/html" and "GET" in response.headers["Allow"]
    auth.login("front_desk")
    response = client.get("/manage/services", headers={"HX-Request": "true", "Accept": "*/*"})
    assert response.status_code == 403 and response.mimetype == "text/html"
    assert "Brak dostępu" in response.text


def test_outage_as_json_without_the_database(app, database_url, auth, tmp_path, caplog):
    if not database_url.startswith("sqlite"):
        pytest.skip("the outage is made by removing the SQLite file; PostgreSQL's outages are in tests/resilience")
    desk = auth.user("front_desk", "recepcja-json")
    with lost_sqlite_file(database_url, tmp_path, desk, caplog) as (receptionist, browser):
        response = receptionist.get("/desk/board", headers=JSON)
        body = problem_of(response, 503)
        assert body["title"] == "Usługa chwilowo niedostępna"
        assert int(response.headers["Retry-After"]) > 0
        assert_outage_page(browser.get("/services", headers=BROWSER))
    assert desk.full_name not in caplog.text
