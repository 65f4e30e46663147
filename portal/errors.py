"""Error pages in the user's language, without internals."""
import logging
import traceback

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)

KNOWN = {400, 403, 404, 405, 413, 422, 429, 500, 503}


def _render(status, csrf=False):
    template = "errors/error.html"
    if request.headers.get("HX-Request"):
        template = "errors/_error.html"
    return render_template(template, status=status, csrf=csrf), status


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return _render(400, csrf=True)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if exc.code is None or exc.code < 400:
            return exc
        status = exc.code if exc.code in KNOWN else (400 if exc.code < 500 else 500)
        response, code = _render(status)
        if exc.code == 405 and exc.valid_methods:
            return response, code, {"Allow": ", ".join(exc.valid_methods)}
        return response, code

    @app.errorhandler(Exception)
    def unhandled(exc):
        # The type and the code path only: an exception's message or the
        # request may carry personal data (a PESEL in an IntegrityError).
        frames = "; ".join(f"{f.filename}:{f.lineno} {f.name}"
                           for f in traceback.extract_tb(exc.__traceback__)[-8:])
        log.error("unhandled %s at %s %s [%s]", type(exc).__name__, request.method,
                  request.url_rule, frames)
        db.session.rollback()
        return _render(500)
