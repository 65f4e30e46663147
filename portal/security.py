"""HTTP security headers, the Content-Security-Policy, staff-page caching,
the pages other websites may frame, and per-view limits on the size of a
request body."""
import re

from flask import current_app, request
from flask_login import current_user

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)


# An origin as a CSP source: scheme, host, optional port, nothing else.
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def frameable(view):
    """A page other websites may put in an iframe (the embeddable catalogue
    and events): framed by the origins of EMBED_FRAME_ORIGINS, and by none
    while that is empty. Every other page: only by the portal itself."""
    view.frameable = True
    return view


def _frame_origins():
    """The origins that may frame this response's page, or () for none but ours."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if not getattr(view, "frameable", False):
        return ()
    origins = (origin.rstrip("/") for origin in current_app.config.get("EMBED_FRAME_ORIGINS", ()))
    return tuple(origin for origin in origins if _ORIGIN.fullmatch(origin))


def apply_headers(response):
    headers = response.headers
    origins = _frame_origins()
    if origins:
        # X-Frame-Options cannot name other origins; browsers that read
        # frame-ancestors ignore it, so it is left out here.
        headers.setdefault("Content-Security-Policy",
                           CSP.replace("frame-ancestors 'self'", "frame-ancestors 'self' " + " ".join(origins)))
    else:
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static" and (
        current_user.is_authenticated or request.blueprint in STAFF_BLUEPRINTS
    ):
        # Staff pages hold personal data: never in a shared cache or the
        # browser's back/forward cache.
        headers["Cache-Control"] = "no-store"
        headers.pop("ETag", None)
    return response


def no_trace(response):
    """A page whose address holds a one-time token (a set-password link, the
    link to complete a provider's application): never sent on as a Referer,
    never cached, never indexed."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# Blueprints whose pages are for staff only (login included: it must not be
# served from a cache after logout).
STAFF_BLUEPRINTS = {"auth", "manage"}


def body_limit(max_bytes):
    """A view takes bodies up to `max_bytes` (413 beyond, before any field is
    read or echoed back). The app-wide MAX_CONTENT_LENGTH is for uploads."""

    def decorate(view):
        view.body_limit = max_bytes
        return view

    return decorate


def _apply_body_limit():
    view = current_app.view_functions.get(request.endpoint)
    limit = getattr(view, "body_limit", None)
    if limit:
        request.max_content_length = limit
        request.max_form_memory_size = limit


def init_request_limits(app):
    """Registered before CSRF protection, which reads the form first."""
    app.before_request(_apply_body_limit)


def init_app(app):
    app.after_request(apply_headers)
