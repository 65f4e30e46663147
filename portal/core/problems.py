"""Problem details (RFC 9457) for clients that ask for JSON.

A request that prefers JSON to HTML (its Accept header), or that goes to a
JSON address (under /api/ or ending in .json), gets its error as
`application/problem+json` — type, title, status, detail, in the user's
language — instead of the HTML error page. Building the body reads no
database, so it also serves the outage answer (503).
"""
import json

from flask_babel import lazy_gettext as _l

__all__ = ["PROBLEM_STATUSES", "PROBLEM_TYPE", "wants_json", "problem"]

PROBLEM_TYPE = "application/problem+json"
JSON_TYPES = ("application/json", PROBLEM_TYPE)
API_PREFIX = "/api/"

TITLES = {
    400: _l("Nieprawidłowe żądanie"),
    403: _l("Brak dostępu"),
    404: _l("Nie znaleziono strony"),
    405: _l("Niedozwolona operacja"),
    409: _l("Dane zmieniły się w międzyczasie"),
    413: _l("Plik jest za duży"),
    422: _l("Nieprawidłowe dane"),
    429: _l("Zbyt wiele prób"),
    500: _l("Błąd serwera"),
    503: _l("Usługa chwilowo niedostępna"),
}
PROBLEM_STATUSES = frozenset(TITLES)

# The same explanations the HTML error page gives.
CSRF_DETAIL = _l("Formularz wygasł albo został otwarty w innej karcie. Odśwież stronę i spróbuj ponownie.")
DETAILS = {
    403: _l("Ta strona nie jest dostępna dla Twojej roli."),
    404: _l("Strona nie istnieje albo została usunięta."),
    429: _l("Odczekaj chwilę i spróbuj ponownie."),
}
SERVER_DETAIL = _l("Coś poszło nie tak. Spróbuj za chwilę; jeśli błąd się powtarza, zgłoś go administratorowi.")
CLIENT_DETAIL = _l("Sprawdź adres lub dane i spróbuj ponownie.")

# If even the translations fail: fixed Polish text.
_FALLBACK = {"title": "Usługa chwilowo niedostępna", "detail": "Spróbuj ponownie za chwilę."}


def wants_json(request):
    """Whether the client should get its error as JSON: an address of the
    JSON API, or an Accept header that prefers JSON to HTML (a browser's and
    htmx's `*/*` get HTML)."""
    path = request.path or ""
    if path.startswith(API_PREFIX) or path.endswith(".json"):
        return True
    best = request.accept_mimetypes.best_match(("text/html", *JSON_TYPES), default="text/html")
    return best in JSON_TYPES


def detail_of(status, csrf=False):
    if csrf:
        return CSRF_DETAIL
    if status in DETAILS:
        return DETAILS[status]
    return SERVER_DETAIL if status >= 500 else CLIENT_DETAIL


def problem(status, *, csrf=False, detail=None):
    """(body, status, headers) of the problem-details answer."""
    body = {"type": "about:blank", "status": status}
    try:
        body["title"] = str(TITLES[status])
        body["detail"] = str(detail if detail is not None else detail_of(status, csrf))
    except Exception:  # no translations at hand (an outage of everything): Polish as written
        body.update(_FALLBACK)
    return (json.dumps(body, ensure_ascii=False), status,
            {"Content-Type": f"{PROBLEM_TYPE}; charset=utf-8"})
