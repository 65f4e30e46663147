"""Absolute addresses come from PUBLIC_BASE_URL, never from the Host header
(issue 9, LOW 3).

The .ics feeds are publicly cacheable and the kiosk's QR codes are read by
phones: an address taken from the request's Host would let one forged
request put evil.example into a shared cache or onto a screen. The QR codes
are checked as the markup segno draws for the expected address (the same
encoder, the same options: equal markup is an equal payload); no QR decoder
is installed here.
"""
from datetime import date
from urllib.parse import urlsplit

import icalendar
import pytest

from kiosk.qr import qr_svg
from tests.kiosk.conftest import local

PUBLIC = "https://cus.wojcieszkow.pl"
EVIL = {"Host": "evil.example"}


@pytest.fixture
def moment(app):
    app.config["FIXED_NOW"] = local(2026, 10, 12, 9, 0)


@pytest.fixture
def public(app):
    app.config["PUBLIC_BASE_URL"] = PUBLIC + "/"


def _feeds(client, event, group_code):
    return {url: client.get(url, headers=EVIL) for url in
            ("/events.ics", f"/events/audience/{group_code}.ics", f"/events/{event.slug}.ics")}


def _group_code():
    from portal.catalogue.models import TargetGroup
    from portal.extensions import db

    return db.session.scalars(db.select(TargetGroup.code).order_by(TargetGroup.position)).first()


def _entries(response):
    assert response.status_code == 200
    assert b"evil.example" not in response.data
    return icalendar.Calendar.from_ical(response.data).walk("VEVENT")


def test_the_request_really_carries_the_forged_host(client):
    # The premise of the tests below: the test client sends the Host we give it.
    from flask import request

    with client.application.test_request_context("/", headers=EVIL):
        assert request.host == "evil.example" and request.host_url == "http://evil.example/"


def test_feeds_point_at_the_configured_address_whatever_the_host(client, moment, public, make_event):
    event = make_event("Święto Pieroga", date(2026, 10, 15), "14:00", "18:00")
    for url, response in _feeds(client, event, _group_code()).items():
        [entry] = _entries(response)
        assert str(entry["URL"]) == f"{PUBLIC}/events/{event.slug}", url
        assert str(entry["DESCRIPTION"]).endswith(f"\n{PUBLIC}/events/{event.slug}"), url
        assert str(entry["UID"]) == f"event-{event.id}-20261015@cus.wojcieszkow.pl", url
        assert response.headers["Cache-Control"].startswith("public")


def test_the_configured_address_may_have_a_path(client, app, moment, make_event):
    app.config["PUBLIC_BASE_URL"] = "https://gmina.example.pl/cus"
    event = make_event("Święto Pieroga", date(2026, 10, 15), "14:00", "18:00")
    [entry] = _entries(client.get("/events.ics", headers=EVIL))
    assert str(entry["URL"]) == f"https://gmina.example.pl/cus/events/{event.slug}"
    assert str(entry["UID"]).endswith("@gmina.example.pl")


def test_without_a_configured_address_the_feeds_use_the_local_port_not_the_host(client, app, moment, make_event):
    app.config["PUBLIC_BASE_URL"] = ""
    app.config["PORT"] = 8123
    event = make_event("Święto Pieroga", date(2026, 10, 15), "14:00", "18:00")
    for url, response in _feeds(client, event, _group_code()).items():
        [entry] = _entries(response)
        assert str(entry["URL"]) == f"http://127.0.0.1:8123/events/{event.slug}", url
        assert str(entry["UID"]).endswith("@127.0.0.1"), url


def test_kiosk_qr_codes_carry_the_configured_address_whatever_the_host(client, moment, public, make_screen,
                                                                      make_event, make_service):
    service = make_service("Klub Seniora", capacity_maximum=10)
    event = make_event("Święto Pieroga", date(2026, 10, 15), "14:00", "18:00")
    screen = make_screen(always_on=True)
    wanted = [f"{PUBLIC}/events/{event.slug}", f"{PUBLIC}/services/{service.slug}"]
    forged = [f"http://evil.example/events/{event.slug}", f"http://evil.example/services/{service.slug}"]
    for suffix in ("", "/slides"):
        html = client.get(f"/kiosk/{screen.token}{suffix}", headers=EVIL).text
        for url in wanted:
            assert str(qr_svg(url)) in html, (suffix, url)
        for url in forged:
            assert str(qr_svg(url)) not in html, (suffix, url)
        assert "evil.example" not in html


def test_kiosk_qr_codes_without_a_configured_address(client, app, moment, make_screen, make_event):
    app.config["PUBLIC_BASE_URL"] = ""
    app.config["PORT"] = 8123
    event = make_event("Święto Pieroga", date(2026, 10, 15), "14:00", "18:00")
    screen = make_screen(always_on=True)
    html = client.get(f"/kiosk/{screen.token}", headers=EVIL).text
    assert str(qr_svg(f"http://127.0.0.1:8123/events/{event.slug}")) in html
    assert str(qr_svg(f"http://evil.example/events/{event.slug}")) not in html


# --- the function -----------------------------------------------------------------------------------------

def test_public_url_builds_from_the_configuration(app):
    from portal.public_urls import public_url

    app.config["PUBLIC_BASE_URL"] = "https://cus.wojcieszkow.pl/"
    with app.test_request_context("/", headers=EVIL):
        assert public_url("events.detail", event_slug="dzień seniora") == \
            "https://cus.wojcieszkow.pl/events/dzie%C5%84%20seniora"
        assert public_url("events.feed") == "https://cus.wojcieszkow.pl/events.ics"
    with app.app_context():  # no request at all (a command, a mail)
        assert urlsplit(public_url("events.feed")).netloc == "cus.wojcieszkow.pl"


@pytest.mark.parametrize("config, expected", [
    ({"PUBLIC_BASE_URL": "https://cus.wojcieszkow.pl/", "ENV_NAME": "production"}, "https://cus.wojcieszkow.pl"),
    ({"PUBLIC_BASE_URL": " http://10.0.0.5:8080/cus/ ", "ENV_NAME": "production"}, "http://10.0.0.5:8080/cus"),
    ({"PUBLIC_BASE_URL": "", "ENV_NAME": "development", "PORT": 5000}, "http://127.0.0.1:5000"),
    ({"PUBLIC_BASE_URL": "", "ENV_NAME": "test", "PORT": 8123}, "http://127.0.0.1:8123"),
])
def test_the_base_address(config, expected):
    from portal.public_urls import public_base_url

    assert public_base_url(config) == expected


@pytest.mark.parametrize("config", [
    {"PUBLIC_BASE_URL": "", "ENV_NAME": "production", "PORT": 5000},  # production never guesses
    {"PUBLIC_BASE_URL": "cus.wojcieszkow.pl", "ENV_NAME": "development"},
    {"PUBLIC_BASE_URL": "javascript:alert(1)", "ENV_NAME": "development"},
    {"PUBLIC_BASE_URL": "https://user:secret@cus.wojcieszkow.pl", "ENV_NAME": "development"},
    {"PUBLIC_BASE_URL": "https://cus.wojcieszkow.pl/?a=1", "ENV_NAME": "development"},
])
def test_no_address_is_guessed_from_a_bad_setting(config):
    from portal.public_urls import PublicAddressMissing, public_base_url

    with pytest.raises(PublicAddressMissing):
        public_base_url(config)
