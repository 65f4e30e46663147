"""Small helpers shared by the staff views: which htmx region a request asks
for, rendering a page or a region with the Vary header the region caches
rely on, reading a whole number typed into a form or a query, and today's
date in Warsaw.
"""
from flask import make_response, render_template

from .extensions import htmx
from .timeutil import local_now


def region():
    """The id of the region an htmx request asks for, or None for a full page
    (also when htmx restores a page from its history)."""
    if htmx and not htmx.history_restore_request:
        return htmx.target
    return None


def is_htmx():
    """Whether htmx sent the request (any region, or a page from its history)."""
    return bool(htmx)


def is_region(name):
    """Whether an htmx request asks for the region `name` alone."""
    return region() == name


def render(template, status=200, headers=None, /, **context):
    """The page or region with the Vary header. `status` and `headers` are
    positional only, so the template's context may hold a `status` of its own
    (a list filtered by status). A context named `headers` is refused: it
    would be a response header meant for the browser, silently dropped."""
    if "headers" in context:
        raise TypeError("render() takes its headers positionally: render(template, status, headers, **context)")
    return render_html(render_template(template, **context), status, headers)


def render_html(html, status=200, headers=None):
    response = make_response(html, status)
    response.headers["Vary"] = "HX-Request, HX-Target"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def today():
    return local_now().date()
