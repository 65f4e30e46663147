"""App factory, configuration, health check, headers, errors, language."""
import pytest

from config import DEFAULT_SECRET, Config
from portal import ConfigurationError, create_app


def test_production_refuses_the_default_secret():
    config = type("Prod", (Config,), {"ENV_NAME": "production", "SECRET_KEY": DEFAULT_SECRET,
                                      "DEMO_MODE": False, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app(config)


STRONG = "5f0c2f4c9b8e1a7d3e6b2c9a4f1d8e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e"
PUBLIC = "https://cus.wojcieszkow.pl"


@pytest.mark.parametrize("weak", ["x", "x" * 64, "ab" * 40, "correct-horse-battery", "0123456789abcdef" * 1,
                                  "Qw3rty!Qw3rty!"])
def test_production_refuses_a_weak_secret(weak):
    config = type("Prod", (Config,), {"ENV_NAME": "production", "SECRET_KEY": weak, "DEMO_MODE": False,
                                      "PUBLIC_BASE_URL": PUBLIC, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(ConfigurationError, match="SECRET_KEY is too weak"):
        create_app(config)


@pytest.mark.parametrize("maker", ["token_hex", "token_urlsafe"])
def test_production_accepts_32_random_bytes(maker):
    import secrets

    from portal import secret_key_problem

    assert secret_key_problem(getattr(secrets, maker)(32)) is None


def test_production_requires_the_public_address():
    config = type("Prod", (Config,), {"ENV_NAME": "production", "SECRET_KEY": STRONG, "DEMO_MODE": False,
                                      "PUBLIC_BASE_URL": "", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(ConfigurationError, match="PORTAL_PUBLIC_BASE_URL"):
        create_app(config)


def test_production_refuses_demo_mode():
    config = type("Prod", (Config,), {"ENV_NAME": "production", "SECRET_KEY": STRONG, "PUBLIC_BASE_URL": PUBLIC,
                                      "DEMO_MODE": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(ConfigurationError, match="PORTAL_DEMO"):
        create_app(config)


def test_production_starts_with_a_real_secret_and_secure_cookies():
    config = type("Prod", (Config,), {"ENV_NAME": "production", "SECRET_KEY": STRONG, "PUBLIC_BASE_URL": PUBLIC,
                                      "DEMO_MODE": False, "SESSION_COOKIE_SECURE": True,
                                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app = create_app(config)
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_database_url_is_routed_through_psycopg3():
    from config import normalise_database_url

    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    from config import TestConfig

    missing = tmp_path / "no-such-dir" / "db.sqlite3"
    config = type("Broken", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    app = create_app(config)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_sqlite_pragmas(app):
    from sqlalchemy import text

    from portal.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == app.config["SQLITE_BUSY_TIMEOUT_MS"]


def test_security_headers_on_public_pages(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_pages_have_no_inline_scripts_or_styles(client):
    html = client.get("/").text
    assert "<script>" not in html and "style=" not in html
    assert "hx-on" not in html


def test_htmx_is_configured_for_the_csp(client):
    from html import unescape

    html = unescape(client.get("/").text)
    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html
    assert "htmx-2.0.11.min.js" in html


def test_staff_pages_are_not_cached(client, auth):
    auth.login("front_desk")
    response = client.get("/staff")
    assert response.headers["Cache-Control"] == "no-store"
    assert '&#34;historyCacheSize&#34;: 0' in response.text
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_404_is_polish_without_internals(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Nie znaleziono strony" in response.text
    assert "Traceback" not in response.text


def test_500_is_polish_without_internals(fresh_app):
    app = fresh_app
    client = app.test_client()

    @app.route("/boom-test")
    def boom():
        raise RuntimeError("secret detail 44051401359")

    response = client.get("/boom-test")
    assert response.status_code == 500
    assert "Błąd serwera" in response.text
    assert "secret detail" not in response.text and "44051401359" not in response.text


def test_500_log_line_has_no_exception_message(fresh_app, caplog):
    app = fresh_app
    client = app.test_client()

    @app.route("/boom-log")
    def boom():
        raise ValueError("PESEL 44051401359 Jan Kowalski")

    client.get("/boom-log")
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "ValueError" in logged
    assert "44051401359" not in logged and "Kowalski" not in logged


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/language", data={"lang": "en"})
    assert response.status_code == 400
    assert "Formularz wygasł" in response.text


def test_language_switch_remembers_the_choice(client):
    from tests.conftest import csrf_from

    token = csrf_from(client.get("/").text)
    response = client.post("/language", data={"lang": "en", "next": "/services", "csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/services")
    page = client.get("/services")
    assert '<html lang="en">' in page.text
    assert "Social services in the municipality" in page.text
    assert client.get("/").text.count('lang="en"') >= 1


def test_language_switch_refuses_external_next(client):
    from tests.conftest import csrf_from

    token = csrf_from(client.get("/").text)
    response = client.post("/language", data={"lang": "pl", "next": "//evil.example/", "csrf_token": token})
    assert "evil" not in response.headers["Location"]
    assert response.headers["Location"].startswith("/")


def test_polish_is_the_default(client):
    page = client.get("/")
    assert '<html lang="pl">' in page.text
    assert "Usługi społeczne w gminie" in page.text
