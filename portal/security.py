"""HTTP security headers, the Content-Security-Policy and staff-page caching."""
from flask import request
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


def apply_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
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


# Blueprints whose pages are for staff only (login included: it must not be
# served from a cache after logout).
STAFF_BLUEPRINTS = {"auth", "manage"}


def init_app(app):
    app.after_request(apply_headers)
