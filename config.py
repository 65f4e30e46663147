"""Configuration read from the environment.

`Config` is what `make run` and production use; `TestConfig` is what the tests
use. Production (PORTAL_ENV=production) refuses to start with a default secret
and never creates demo users.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("PORTAL_INSTANCE_DIR", BASE_DIR / "instance"))

DEFAULT_SECRET = "dev-only-insecure-secret-change-me"


def _bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _origins(name, default):
    """Origins from a space- or comma-separated setting, without trailing slashes."""
    value = os.environ.get(name, default)
    return tuple(part.rstrip("/") for part in value.replace(",", " ").split() if part)


def sqlite_url(path):
    return f"sqlite:///{Path(path).resolve()}"


def normalise_database_url(url):
    """Accept the usual postgres:// forms and route them through psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    # "development" (make run, demo data) or "production".
    ENV_NAME = os.environ.get("PORTAL_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", sqlite_url(INSTANCE_DIR / "portal.sqlite3"))
    )
    SQLALCHEMY_ENGINE_OPTIONS = {}  # the limits below are added by portal.database
    # Every wait on the database has a limit (portal/database.py).
    DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "3"))  # s, a new connection (libpq: at least 2)
    DB_PING_TIMEOUT = float(os.environ.get("DB_PING_TIMEOUT", "2"))  # s, the check of a pooled connection
    DB_POOL_TIMEOUT = float(os.environ.get("DB_POOL_TIMEOUT", "10"))  # s, waiting for a pooled connection
    DB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "15000"))
    # The client gives up on a statement after this many seconds even when the
    # server cannot say so (a paused server, a frozen network path).
    DB_CLIENT_TIMEOUT = float(os.environ.get("DB_CLIENT_TIMEOUT", "20"))
    DB_LOCK_TIMEOUT_MS = int(os.environ.get("DB_LOCK_TIMEOUT_MS", "10000"))
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = int(os.environ.get("DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", "60000"))
    DB_KEEPALIVES_IDLE = int(os.environ.get("DB_KEEPALIVES_IDLE", "30"))  # s before the first probe
    DB_KEEPALIVES_INTERVAL = int(os.environ.get("DB_KEEPALIVES_INTERVAL", "10"))
    DB_KEEPALIVES_COUNT = int(os.environ.get("DB_KEEPALIVES_COUNT", "3"))
    DB_TCP_USER_TIMEOUT_MS = int(os.environ.get("DB_TCP_USER_TIMEOUT_MS", "30000"))
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "10000"))
    # /healthz answers within this many seconds, 503 when the database has not.
    HEALTH_TIMEOUT = float(os.environ.get("HEALTH_TIMEOUT", "1.5"))
    # An outage page asks browsers and monitors to come back after this many seconds.
    RETRY_AFTER_SECONDS = 30
    # A catalogue edit rebuilds each worker's search index in a background
    # thread while searches answer from the old one (portal/catalogue/search.py);
    # a failed rebuild is tried again after this many seconds.
    SEARCH_INDEX_IN_BACKGROUND = _bool("SEARCH_INDEX_IN_BACKGROUND", True)
    SEARCH_INDEX_RETRY_SECONDS = float(os.environ.get("SEARCH_INDEX_RETRY_SECONDS", "30"))
    PORT = int(os.environ.get("PORT", "5000"))
    # How many reverse proxies stand in front of the portal and set
    # X-Forwarded-For / X-Forwarded-Proto. 0: none, the headers are ignored (a
    # client could forge them); 1: nginx or Caddy on the same machine. Rate
    # limits count per client address, so behind a proxy this must be right.
    TRUSTED_PROXIES = int(os.environ.get("PORTAL_TRUSTED_PROXIES", "0"))

    # Demo users and demo data exist only outside production.
    DEMO_MODE = _bool("PORTAL_DEMO", ENV_NAME != "production")

    # Sessions: the cookie only carries a server-side session id (see auth).
    SESSION_COOKIE_NAME = "cus_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", ENV_NAME == "production")
    # A staff session ends after this long without the person using it (a
    # page's background refresh does not count), and after SESSION_MAX_HOURS
    # whatever happens: the next working day starts with a new login.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    REMEMBER_COOKIE_HTTPONLY = True

    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead; a desk stays open all day
    WTF_CSRF_SSL_STRICT = _bool("WTF_CSRF_SSL_STRICT", ENV_NAME == "production")

    BABEL_DEFAULT_LOCALE = "pl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Warsaw"
    LANGUAGES = ("pl", "en")

    # Municipality shown in the header, the print-outs and the kiosk fallback.
    MUNICIPALITY_NAME = os.environ.get("PORTAL_MUNICIPALITY", "Gmina Wojcieszków")
    CENTRE_NAME = os.environ.get("PORTAL_CENTRE", "Centrum Usług Społecznych w Wojcieszkowie")
    CENTRE_ADDRESS = os.environ.get("PORTAL_CENTRE_ADDRESS", "ul. Długa 35, 21-407 Wojcieszków")
    CENTRE_PHONE = os.environ.get("PORTAL_CENTRE_PHONE", "25 753 10 01")
    CENTRE_HOURS = os.environ.get("PORTAL_CENTRE_HOURS", "poniedziałek–piątek 7:30–15:30")
    # The address phones use for the public pages behind the kiosk's QR codes
    # (e.g. https://cus.wojcieszkow.pl); empty: the address the screen itself uses.
    PUBLIC_BASE_URL = os.environ.get("PORTAL_PUBLIC_BASE_URL", "")

    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    IMPORT_MAX_ROWS = 10000
    IMPORT_DIR = os.environ.get("PORTAL_IMPORT_DIR") or None  # default: <instance>/imports
    BACKUP_DIR = os.environ.get("BACKUP_DIR") or None  # default: <instance>/backups (see portal/backup)

    # Outgoing mail (service handouts), through the centre's own SMTP relay.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "cus@localhost")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # memory:// counts per process; with several gunicorn workers point it at
    # the shared Redis (redis://127.0.0.1:6379/0) or the limits do not hold.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # A Redis that is down must not take logins down: count in memory meanwhile.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # The public API (issue 15, portal/api/): the websites that may read it
    # from a browser (CORS), e.g. "https://wojcieszkow.pl https://www.wojcieszkow.pl";
    # empty: none (servers read it anyway). The same origins may frame the
    # embeddable pages (/embed/...) unless PORTAL_EMBED_ORIGINS says otherwise.
    API_CORS_ORIGINS = _origins("PORTAL_API_CORS_ORIGINS", "")
    EMBED_FRAME_ORIGINS = _origins("PORTAL_EMBED_ORIGINS", " ".join(API_CORS_ORIGINS))
    # Requests one client address may make to the API (a `limits` string).
    API_RATE_LIMIT = os.environ.get("PORTAL_API_RATE_LIMIT", "300 per minute")
    # How long browsers and caches may keep an API answer (then they ask with the ETag).
    API_MAX_AGE = int(os.environ.get("PORTAL_API_MAX_AGE", "300"))
    # The province (województwo) of the addresses the HSDS export writes.
    PROVINCE = os.environ.get("PORTAL_PROVINCE", "lubelskie")
    # Reports (issue 14): the minimum share, in percent, of services, people served and units
    # delivered by NGOs and social-economy entities (the providers report).
    REPORTS_MIN_NGO_SHARE = float(os.environ.get("REPORTS_MIN_NGO_SHARE", "30"))


class TestConfig(Config):
    TESTING = True
    ENV_NAME = "test"
    DEMO_MODE = False
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True
    WTF_CSRF_SSL_STRICT = False
    # Argon2 at full cost makes a test suite slow without testing anything more.
    PASSWORD_HASH_FAST = True
    # An edit shows in the very next search; the rebuild tests turn it on.
    SEARCH_INDEX_IN_BACKGROUND = False
    # Off by default so that many logins from one test address are not throttled;
    # the rate-limit tests turn it on.
    RATELIMIT_ENABLED = False
