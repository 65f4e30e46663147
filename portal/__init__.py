"""Portal CUS: the intranet of a municipal Social Services Centre."""
import logging
import os

from flask import Flask

from config import DEFAULT_SECRET, INSTANCE_DIR, Config

from . import database, errors, i18n, input_guard, logs, security
from .extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ConfigurationError(RuntimeError):
    pass


def create_app(config=None):
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )
    app.config.from_object(config or Config)
    _check_config(app)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    os.makedirs(app.instance_path, exist_ok=True)
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))
    logs.init_app(app)

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(app.config)
    db.init_app(app)
    with app.app_context():
        database.install(db.engine, app.config)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = None  # the server-side session is the protection
    input_guard.init_app(app)  # before CSRF and every view: no control character gets through
    security.init_request_limits(app)  # before CSRF, which reads the body first
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=os.path.join(ROOT, "portal", "translations"))
    htmx.init_app(app)
    limiter.init_app(app)

    i18n.register(app)
    security.init_app(app)
    errors.init_app(app)

    # Importing a feature's package also registers its answers to the hooks of
    # the layers below it (portal/core/hooks.py, portal/layers.py).
    from . import models  # noqa: F401  (every model registered before use)
    from .auth import bp as auth_bp
    from .catalogue import bp as catalogue_bp
    from .complaints import bp as complaints_bp
    from .desk import bp as desk_bp
    from .events import bp as events_bp
    from .main import bp as main_bp
    from .manage import bp as manage_bp
    from .quality import bp as quality_bp
    from .residents import bp as residents_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(residents_bp)
    app.register_blueprint(desk_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(complaints_bp)
    app.register_blueprint(quality_bp)

    from .assessment import bp as assessment_bp

    app.register_blueprint(assessment_bp)

    from .plans import bp as plans_bp

    app.register_blueprint(plans_bp)

    from .delivery.usage_views import bp as usage_bp

    app.register_blueprint(usage_bp)

    from .delivery.sessions_views import bp as sessions_bp

    app.register_blueprint(sessions_bp)

    from .casework import bp as casework_bp

    app.register_blueprint(casework_bp)

    from .applications import bp as applications_bp  # providers' self-registration (issue 15 §1)

    app.register_blueprint(applications_bp)

    from .delivery.entries_views import bp as deliveries_bp

    app.register_blueprint(deliveries_bp)

    from .proposals import bp as proposals_bp

    app.register_blueprint(proposals_bp)

    from .accounts import bp as accounts_bp
    app.register_blueprint(accounts_bp)

    from .contracts import bp as contracts_bp

    app.register_blueprint(contracts_bp)

    from .providers import bp as providers_bp

    app.register_blueprint(providers_bp)

    from .reports import bp as reports_bp  # its models too (history): portal.models is of its layer

    app.register_blueprint(reports_bp)

    from kiosk import bp as kiosk_bp  # the kiosk lives at the top level, next to portal/

    app.register_blueprint(kiosk_bp)

    from .api import bp as api_bp
    from .api import embed_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(embed_bp)

    from .auth.cli import users_cli
    from .backup.cli import register as register_backup_cli
    from .catalogue.cli import catalogue_cli
    from .demo.cli import demo_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(catalogue_cli)
    app.cli.add_command(demo_cli)

    from .providers.cli import providers_cli

    app.cli.add_command(providers_cli)
    register_backup_cli(app.cli)

    from .templating import init_app as init_templating

    init_templating(app)
    return app


def secret_key_problem(key):
    """Why `key` is too weak to sign sessions in production, or None.

    It must carry at least 32 random bytes' worth (256 bits): as
    `secrets.token_hex(32)` (64 hex digits) or `secrets.token_urlsafe(32)`
    (43 characters) do. The estimate is length × bits per character of the
    smallest alphabet the key's characters fit in (hex 4, base64 6, printable
    ASCII 6.5); a key of few distinct characters ("x" * 64) is refused too."""
    import math
    import string

    key = key or ""
    if isinstance(key, bytes):
        return None if len(set(key)) >= 16 and len(key) >= 32 else "too short or repetitive"
    if key == DEFAULT_SECRET:
        return "the development default"
    if len(set(key)) < 10:
        return "too few distinct characters"
    hexdigits, urlsafe = set(string.hexdigits), set(string.ascii_letters + string.digits + "-_+/=")
    chars = set(key)
    per_char = 4 if chars <= hexdigits else 6 if chars <= urlsafe else math.log2(95)
    if len(key) * per_char < 256:
        return f"about {int(len(key) * per_char)} bits, at least 256 are needed"
    return None


def _check_config(app):
    if app.config["ENV_NAME"] == "production":
        problem = secret_key_problem(app.config["SECRET_KEY"])
        if problem:
            raise ConfigurationError(
                f"SECRET_KEY is too weak for production ({problem}); set 32 random bytes or more: "
                "python3 -c 'import secrets; print(secrets.token_hex(32))'."
            )
        if app.config["DEMO_MODE"]:
            raise ConfigurationError("PORTAL_DEMO cannot be on in production.")
        base = app.config.get("PUBLIC_BASE_URL") or ""
        if not base.startswith(("https://", "http://")):
            raise ConfigurationError(
                "PORTAL_PUBLIC_BASE_URL must be set in production to the address residents use "
                "(e.g. https://cus.wojcieszkow.pl): calendar feeds and kiosk QR codes are built from it, "
                "never from the request's Host header."
            )
