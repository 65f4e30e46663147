"""ETags and 304, caching headers, CORS for the configured origins only, the rate limit."""
import pytest

pytestmark = pytest.mark.usefixtures("catalogue")

REDIS_DB = 13  # a database of its own (other modules use 1 and 3)
SITE = "https://wojcieszkow.example.pl"


def test_etag_and_304_until_the_catalogue_changes(client, catalogue):
    from portal.catalogue import services as catalogue_services  # noqa: F401  (the models loaded)
    from portal.core import versions
    from portal.extensions import db

    first = client.get("/api/v1/services?area=social_assistance")
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/api/v1/services?area=social_assistance", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    # another query is another answer
    other = client.get("/api/v1/services?area=education", headers={"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["ETag"] != tag
    # an edit moves the catalogue's version: the old tag no longer holds, the new answer shows it
    catalogue.care.name = "Usługi opiekuńcze w miejscu zamieszkania"
    versions.bump(db.session, versions.CATALOGUE)
    db.session.commit()
    changed = client.get("/api/v1/services?area=social_assistance", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert "Usługi opiekuńcze w miejscu zamieszkania" in changed.text


def test_events_etag_follows_the_events_version(client, events_made):
    from portal.events import services as events
    from portal.extensions import db

    url = "/api/v1/events?from=2026-01-15&to=2026-01-31"
    tag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
    events.set_event_status(db.session, events_made["draft"], "publish", actor=None)
    db.session.commit()
    response = client.get(url, headers={"If-None-Match": tag})
    assert response.status_code == 200 and "Szkic wydarzenia tajnego" in response.text


def test_cors_for_a_configured_origin_only(client, app):
    app.config["API_CORS_ORIGINS"] = (SITE,)
    allowed = client.get("/api/v1/services", headers={"Origin": SITE})
    assert allowed.headers["Access-Control-Allow-Origin"] == SITE
    assert "ETag" in allowed.headers["Access-Control-Expose-Headers"]
    assert "Origin" in allowed.headers["Vary"]
    preflight = client.options("/api/v1/services", headers={
        "Origin": SITE, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == SITE
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    other = client.get("/api/v1/services", headers={"Origin": "https://evil.example.com"})
    assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other.headers


def test_no_cors_by_default(client):
    response = client.get("/api/v1/services", headers={"Origin": SITE})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.fixture
def limited_client(app, redis_url):
    """A client of an app with rate limits on, counting in the real Redis."""
    from portal.extensions import db, limiter
    from tests.conftest import make_app

    saved = (limiter.enabled, limiter._storage, limiter._limiter)
    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True,
                       RATELIMIT_STORAGE_URI=redis_url, API_RATE_LIMIT="5 per minute",
                       FIXED_NOW=app.config["FIXED_NOW"])
    try:
        with limited.app_context():
            yield limited.test_client()
            db.session.remove()
            db.engine.dispose()
    finally:
        limiter.enabled, limiter._storage, limiter._limiter = saved


def test_over_the_rate_limit_is_a_429_problem(limited_client, redis_url):
    import redis

    first = {"REMOTE_ADDR": "198.51.100.20"}
    for _ in range(5):
        assert limited_client.get("/api/v1/taxonomies", environ_base=first).status_code == 200
    over = limited_client.get("/api/v1/taxonomies", environ_base=first)
    assert over.status_code == 429
    assert over.headers["Content-Type"].startswith("application/problem+json")
    assert over.get_json()["status"] == 429 and over.headers["Retry-After"] == "60"
    # counted in the shared store, per address
    assert redis.Redis.from_url(redis_url).keys("*api*")
    assert limited_client.get("/api/v1/taxonomies", environ_base={"REMOTE_ADDR": "198.51.100.21"}).status_code == 200


def test_no_etag_of_the_new_version_while_the_index_is_rebuilt(app, client, make_service, monkeypatch):
    """With the search index rebuilt in the background (production), the API answers from the old
    index meanwhile: without an ETag (the old content must not be kept under the new version's tag);
    with one again once the new index is in."""
    import threading

    from portal.catalogue import search
    from portal.extensions import db

    app.config["SEARCH_INDEX_IN_BACKGROUND"] = True
    reached, release = threading.Event(), threading.Event()

    def hook(step):
        if step == "built":
            reached.set()
            assert release.wait(30)

    monkeypatch.setattr(search, "rebuild_hook", hook)
    try:
        assert "ETag" in client.get("/api/v1/services").headers  # the first index: built inline
        make_service("Klub Malucha")
        during = client.get("/api/v1/services")
        assert "Klub Malucha" not in during.text
        assert "ETag" not in during.headers and during.headers["Cache-Control"] == "no-cache"
        assert reached.wait(30)
    finally:
        release.set()
        assert search.wait_for_rebuild(db.session, 30)
    after = client.get("/api/v1/services")
    assert "Klub Malucha" in after.text and "ETag" in after.headers
