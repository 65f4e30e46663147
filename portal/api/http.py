"""What every answer of the public API shares: strict parameters (400/422
as problem details), pages with links, ETags from the data versions, the
caching headers, CORS for the configured origins and the rate limit."""
import hashlib
from datetime import date
from functools import wraps
from urllib.parse import urlencode

from flask import current_app, g, make_response, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address

from .. import ratelimit
from ..core import versions
from ..core.problems import problem
from ..extensions import db
from ..timeutil import WARSAW, now
from .data import dumps

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_PAGE = 10000
MAX_TEXT = 200
JSON_TYPE = "application/json; charset=utf-8"


class BadParameter(Exception):
    """A query parameter the API refuses: 400 (malformed) or 422 (unknown value)."""

    def __init__(self, status, name, message):
        super().__init__(name)
        self.status = status
        self.name = name
        self.message = message


def refuse(error):
    body, status, headers = problem(error.status, detail=f"{error.name}: {error.message}")
    return body, status, headers


def integer(name, default, lowest, highest):
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise BadParameter(400, name, _l("podaj liczbę całkowitą"))
    value = int(raw)
    if not lowest <= value <= highest:
        raise BadParameter(400, name, _l("podaj liczbę od %(low)s do %(high)s", low=lowest, high=highest))
    return value


def paging():
    return (integer("page", 1, 1, MAX_PAGE),
            integer("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE))


def text(name):
    raw = request.args.get(name)
    if raw is None:
        return ""
    if len(raw) > MAX_TEXT:
        raise BadParameter(400, name, _l("za długi tekst"))
    return raw


def choice(name, allowed):
    """A code from `allowed` (None when absent); an unknown code is 422."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in allowed:
        raise BadParameter(422, name, _l("nieznana wartość"))
    return raw


def day(name, default):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(400, name, _l("podaj datę w formacie RRRR-MM-DD")) from None


def page_body(items, total, page, per_page, extra=None):
    """An HSDS page (total_items, total_pages, page_number, size, first_page,
    last_page, empty) with links to the other pages, and the items' JSON (bytes)."""
    pages = max(1, -(-total // per_page))

    def link(number):
        args = [(key, value) for key, value in request.args.items(multi=True) if key not in ("page", "per_page")]
        args += [("page", str(number)), ("per_page", str(per_page))]
        return f"{request.path}?{urlencode(args)}"

    links = {"self": link(page), "first": link(1), "last": link(pages)}
    if page > 1:
        links["prev"] = link(min(page - 1, pages))
    if page < pages:
        links["next"] = link(page + 1)
    head = {"total_items": total, "total_pages": pages, "page_number": page, "size": len(items),
            "first_page": page == 1, "last_page": page >= pages, "empty": not items, **(extra or {}),
            "links": links}
    return dumps(head)[:-1].encode() + b',"contents":[' + b",".join(items) + b"]}"


def json_response(body, status=200):
    response = make_response(body, status)
    response.headers["Content-Type"] = JSON_TYPE
    return response


def today():
    return now().astimezone(WARSAW).date()


def _etag(names):
    """Strong ETag of this request's answer: the data versions it reads, the
    day (what is current depends on it), the address and the query."""
    seen = ",".join(f"{name}{versions.as_request_saw(db.session, name)}" for name in names)
    key = "|".join((seen, today().isoformat(), request.path,
                    urlencode(sorted(request.args.items(multi=True)))))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def cached(*names, max_age=None):
    """A GET answer with an ETag from the data versions `names`: 304 when the
    client's If-None-Match holds it, nothing computed."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            tag = _etag(names)
            age = current_app.config.get("API_MAX_AGE", 300) if max_age is None else max_age
            cache_control = f"public, max-age={age}"
            if tag in request.if_none_match:
                response = make_response("", 304)
            else:
                try:
                    response = make_response(view(*args, **kwargs))
                except BadParameter as error:
                    return refuse(error)
                if response.status_code != 200:
                    return response
                lagging = g.get("api_index_version")
                if lagging is not None and lagging != versions.as_request_saw(db.session, versions.CATALOGUE):
                    # A background rebuild of the search index is still running: this
                    # answer is of the previous catalogue version, so no tag of the new one.
                    response.headers["Cache-Control"] = "no-cache"
                    return response
            response.set_etag(tag)
            response.headers["Cache-Control"] = cache_control
            return response

        return wrapper

    return decorate


def allowed_origins():
    return tuple(origin.rstrip("/") for origin in current_app.config.get("API_CORS_ORIGINS", ()) if origin)


def add_cors(response):
    """CORS for the configured origins only: the answer names the origin
    that asked, never `*`, and varies by it."""
    response.vary.add("Origin")
    origin = request.headers.get("Origin", "")
    if origin and origin.rstrip("/") in allowed_origins():
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "ETag, Retry-After"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "If-None-Match, Accept, Accept-Language"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


def over_the_limit():
    """None while the client is within API_RATE_LIMIT (counted per address in
    the portal's rate-limit store), else the 429 problem answer."""
    if request.method == "OPTIONS":
        return None
    limit = current_app.config.get("API_RATE_LIMIT", "300 per minute")
    if ratelimit.hit(limit, "api", get_remote_address()):
        return None
    body, status, headers = problem(429)
    headers = dict(headers, **{"Retry-After": "60"})
    return body, status, headers
