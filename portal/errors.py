"""Error pages in the user's language, without internals, and without the database.

An error page must render when nothing else does: during a database outage
the logged-in user cannot be loaded (the session row is in the database),
so the page is rendered for an anonymous visitor, without the notice
banner, and with 503 and Retry-After ("usługa chwilowo niedostępna") for
everyone, staff included. If even the template fails, a fixed Polish page
is sent. A client that asks for JSON gets the same answer as RFC 9457
problem details (portal/core/problems.py), also without the database.
Every error writes ONE log line: its type, the route and the code
path, never the exception's message (which may carry personal data).
"""
import logging
import traceback

from flask import current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .core.problems import PROBLEM_STATUSES, problem, wants_json
from .extensions import db
from .web import is_htmx

log = logging.getLogger(__name__)

KNOWN = {400, 403, 404, 405, 413, 422, 429, 500, 503}

# Failures of the database itself (refused, hung, timed out, gone), as
# opposed to a bug in a statement: the visitor can only wait.
UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)

_LAST_RESORT = (
    "<!DOCTYPE html><html lang=\"pl\"><head><meta charset=\"utf-8\"><title>Usługa chwilowo niedostępna</title>"
    "</head><body><main><h1>Usługa chwilowo niedostępna</h1><p>Spróbuj ponownie za chwilę.</p>"
    "<p lang=\"en\">Service temporarily unavailable. Please try again shortly.</p></main></body></html>"
)


def is_unavailable(exc):
    if isinstance(exc, UNAVAILABLE):
        return True
    return isinstance(exc, DBAPIError) and bool(getattr(exc, "connection_invalidated", False))


def _code_path(exc):
    return "; ".join(f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno} {f.name}"
                     for f in traceback.extract_tb(exc.__traceback__)[-6:])


def _forget_the_database():
    """Roll back what is left of the request's transaction, and make the page
    that follows render for an anonymous visitor without the banner."""
    from .extensions import login_manager

    try:
        db.session.rollback()
    except Exception:  # the connection is gone too: nothing to roll back
        pass
    g.database_down = True
    g._login_user = login_manager.anonymous_user()


def _render(status, csrf=False):
    if wants_json(request):
        return problem(status, csrf=csrf)
    template = "errors/error.html"
    if is_htmx():
        template = "errors/_error.html"
    try:
        return render_template(template, status=status, csrf=csrf), status
    except Exception as exc:
        # The page itself needs something that is down: the fixed page.
        failure = exc
        if not g.get("database_down"):
            _forget_the_database()
            try:
                return render_template(template, status=status, csrf=csrf), status
            except Exception as again:
                failure = again
        log.error("error page %s failed: %s at %s", status, type(failure).__name__, _code_path(failure))
        return _LAST_RESORT, status, {"Content-Type": "text/html; charset=utf-8"}


def unavailable_response():
    response = _render(503)
    body, status = response[0], response[1]
    headers = dict(response[2]) if len(response) > 2 else {}
    headers["Retry-After"] = str(current_app.config.get("RETRY_AFTER_SECONDS", 30))
    headers["Cache-Control"] = "no-store"
    return body, status, headers


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return _render(400, csrf=True)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if exc.code is None or exc.code < 400:
            return exc
        known = PROBLEM_STATUSES if wants_json(request) else KNOWN
        status = exc.code if exc.code in known else (400 if exc.code < 500 else 500)
        response = _render(status)
        if exc.code == 405 and exc.valid_methods:
            headers = dict(response[2]) if len(response) > 2 else {}
            headers["Allow"] = ", ".join(exc.valid_methods)
            return response[0], response[1], headers
        return response

    @app.errorhandler(Exception)
    def unhandled(exc):
        if is_unavailable(exc):
            log.error("database unavailable: %s at %s %s [%s]", type(exc).__name__, request.method,
                      request.url_rule, _code_path(exc))
            _forget_the_database()
            return unavailable_response()
        # The type and the code path only: an exception's message or the
        # request may carry personal data (a PESEL in an IntegrityError).
        log.error("unhandled %s at %s %s [%s]", type(exc).__name__, request.method, request.url_rule,
                  _code_path(exc))
        try:
            db.session.rollback()
        except Exception:
            _forget_the_database()
        return _render(500)
