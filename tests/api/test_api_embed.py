"""The embeddable pages (/embed/...): what a visitor of the municipality's
website reads in the frame, the framing policy, and valid HTML."""
import pytest

from tests.helpers import visible_text
from tests.vnu import Pages, assert_valid_page, checked_once

SITE = "https://wojcieszkow.example.pl"
_RUNS = {}
PAGES = ["services", "services-filtered", "services-empty", "events", "events-group"]


def test_the_catalogue_frame_lists_the_public_services(client, catalogue):
    response = client.get("/embed/services")
    assert response.status_code == 200
    text = visible_text(response.text)
    assert "Katalog usług społecznych" in text and "Znaleziono 3 usługi" in text
    assert "Klub Seniora „Pogodna Jesień”" in text and "Odpłatna: 10,00 zł" in text
    assert "Zajęcia z logopedą" in text and "Usługa zawieszona" in text
    assert "Kurs komputerowy archiwalny" not in text and "Półkolonie letnie 2025" not in text
    assert "<script" not in response.text
    assert 'target="_top"' in response.text
    filtered = visible_text(client.get("/embed/services?q=klub&group=seniors").text)
    assert "Znaleziono 1 usługę" in filtered and "Klub Seniora" in filtered


def test_the_events_frame_lists_upcoming_public_events_with_the_feeds(client, events_made):
    response = client.get("/embed/events")
    text = visible_text(response.text)
    assert "Nadchodzące wydarzenia" in text
    assert "Piknik rodzinny" in text and "Gry i zabawy dla całych rodzin." in text
    assert "Koncert odwołany" in text and "Odwołane" in text
    assert "Szkic wydarzenia tajnego" not in text and "Narada zespołu wewnętrzna" not in text
    assert 'href="/events.ics"' in response.text
    assert f'href="/events/{events_made["fair"].slug}.ics"' in response.text
    assert "<script" not in response.text


def test_only_the_embed_pages_may_be_framed_by_the_configured_origins(client, app, catalogue):
    app.config["EMBED_FRAME_ORIGINS"] = (SITE, "https://bad.example; script-src *")
    framed = client.get("/embed/services")
    assert f"frame-ancestors 'self' {SITE}" in framed.headers["Content-Security-Policy"]
    assert "bad.example" not in framed.headers["Content-Security-Policy"]  # not an origin: dropped
    assert "X-Frame-Options" not in framed.headers
    assert f"frame-ancestors 'self' {SITE}" in client.get("/embed/events").headers["Content-Security-Policy"]
    for other in ("/", "/events", "/login"):
        headers = client.get(other).headers
        assert "frame-ancestors 'self'" in headers["Content-Security-Policy"] and SITE not in headers[
            "Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "SAMEORIGIN"


def test_without_configured_origins_nobody_else_frames_them(client, catalogue):
    headers = client.get("/embed/services").headers
    assert "frame-ancestors 'self';" in headers["Content-Security-Policy"] + ";"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"


def _render(client):
    pages = Pages()
    pages.keep("services", client.get("/embed/services"))
    pages.keep("services-filtered", client.get("/embed/services?area=social_assistance&village=lipiny&q=klub"))
    pages.keep("services-empty", client.get("/embed/services?q=xylofon"))
    pages.keep("events", client.get("/embed/events"))
    pages.keep("events-group", client.get("/embed/events?group=seniors"))
    return pages


@pytest.fixture
def embed_pages(app, client, catalogue, events_made, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(client))


@pytest.mark.parametrize("page_id", PAGES)
def test_embed_page_is_valid_html(embed_pages, page_id):
    assert_valid_page(embed_pages, page_id, 200)
