"""Absolute addresses for the outside world: from the configured public
address, never from the request.

The calendar feeds are publicly cacheable and the kiosk's QR codes are read
by phones. An address built from the request (url_for(..., _external=True),
request.host_url, request.url_root) carries whatever Host header the client
sent, so one forged request could put another site's address into a shared
cache or onto a screen (issue 9). Every absolute URL meant for someone else
is built here.

PUBLIC_BASE_URL (env PORTAL_PUBLIC_BASE_URL) is where the portal's root is
reached from outside, e.g. https://cus.wojcieszkow.pl or
https://gmina.example.pl/cus. When it is empty: http://127.0.0.1:<PORT>
outside production (what `make run` serves); production does not start
without it (portal._check_config), and here it is refused, never guessed.
"""
from urllib.parse import urlsplit

from flask import current_app


class PublicAddressMissing(RuntimeError):
    """PUBLIC_BASE_URL is empty in production, or not an http(s) address."""


def public_base_url(config=None):
    """The configured public address without a trailing slash."""
    config = current_app.config if config is None else config
    base = (config.get("PUBLIC_BASE_URL") or "").strip()
    if not base:
        if config.get("ENV_NAME") == "production":
            raise PublicAddressMissing("PORTAL_PUBLIC_BASE_URL must be set in production")
        base = f"http://127.0.0.1:{int(config.get('PORT') or 5000)}"
    try:
        parts = urlsplit(base)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if (not port_ok or parts.scheme not in ("http", "https") or not parts.hostname or parts.username
            or parts.password or parts.query or parts.fragment):
        raise PublicAddressMissing(f"PORTAL_PUBLIC_BASE_URL is not an http(s) address of a site: {base!r}")
    return base.rstrip("/")


def public_host(config=None):
    """The host name of the public address (for iCalendar UIDs)."""
    return urlsplit(public_base_url(config)).hostname


def public_url(endpoint, **values):
    """The absolute address of `endpoint` as the outside world reaches it.
    Works with or without a request; raises werkzeug's BuildError like
    url_for when the endpoint cannot be built."""
    parts = urlsplit(public_base_url())
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)
