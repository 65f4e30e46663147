"""A NUL or another control character in a URL, a query or a form field gives
the same answer on SQLite and PostgreSQL, never a 500 (issue 16, finding 3:
11 of 800 hostile requests gave a 500 on PostgreSQL, which refuses NUL in
text)."""
import re

import pytest

from tests.conftest import Auth, csrf_from

REVIEW_PATHS = ["/services/%00", "/services/a%00b/print", "/providers/%00", "/events/%00", "/events/%00.ics",
                "/events/audience/%00.ics"]
CONTROLS = ["%00", "%01", "%07", "%0A", "%1B", "%7F", "%C2%85"]


@pytest.mark.parametrize("path", REVIEW_PATHS)
def test_the_reviews_paths_are_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Nie znaleziono strony" in response.text


@pytest.mark.parametrize("control", CONTROLS)
def test_every_route_with_a_control_character_in_its_path_is_not_found(app, client, control):
    """Each rule of the URL map, each of its variables given a control
    character: 404, whatever the view would have done with it."""
    failures = []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint == "static":
            continue
        values = {name: f"a{control}b" for name in rule.arguments}
        path = rule.rule
        for name, value in values.items():
            path = re.sub(r"<(?:[^:<>]+:)?" + name + r">", value, path)
        for method in sorted(rule.methods & {"GET", "POST"}):
            status = client.open(path, method=method).status_code
            if status != 404:
                failures.append(f"{method} {path}: {status}")
    assert failures == []


@pytest.mark.parametrize("query", ["/?q=%00", "/services?q=rehab%00", "/services?area=%07", "/events?group=%00",
                                   "/events?from=2026-01-01%00", "/contact?service=%1B", "/login?next=/%00"])
def test_a_control_character_in_a_query_is_a_bad_request(client, query):
    response = client.get(query)
    assert response.status_code == 400
    assert "Nieprawidłowe żądanie" in response.text


def test_a_login_name_with_a_nul_is_read_without_it(client, auth):
    auth.user("front_desk", "recepcja")
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"username": "recepcja\x00", "password": Auth.PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 303


def test_a_wrong_password_with_control_characters_is_an_ordinary_wrong_password(client, auth):
    auth.user("front_desk", "recepcja")
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"username": "recep\x00cja", "password": "x\x00\x1b",
                                           "csrf_token": token})
    assert response.status_code == 422 and "Nieprawidłowy login lub hasło." in response.text


def test_form_text_keeps_line_breaks_and_loses_control_characters(app, client):
    from datetime import datetime, timedelta

    from portal.desk.models import Request
    from portal.extensions import db
    from portal.timeutil import WARSAW

    shown = datetime(2026, 5, 12, 10, 0, tzinfo=WARSAW)
    app.config["FIXED_NOW"] = shown
    page = client.get("/contact")
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page.text).group(1)
    app.config["FIXED_NOW"] = shown + timedelta(seconds=30)
    response = client.post("/contact", data={
        "csrf_token": csrf_from(page.text), "started": started, "name": "Halina\x00 Wiśniewska\x07",
        "phone": "601 234 567", "email": "", "message": "Pierwszy wiersz\r\nDrugi\x00 wiersz\x1b\tkoniec\x85"})
    assert response.status_code == 303
    [item] = db.session.scalars(db.select(Request)).all()
    assert item.contact_name == "Halina Wiśniewska"
    assert item.message.replace("\r\n", "\n") == "Pierwszy wiersz\nDrugi wiersz\tkoniec"
