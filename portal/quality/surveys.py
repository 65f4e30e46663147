"""The satisfaction survey's one-time links: the small API other features
call (the delivery register prints slips at the end of an attendance list).

    from ..quality import surveys

    tokens = surveys.issue_tokens(session, service.id, 5, actor=current_user)  # raw codes, shown once
    for token in tokens:
        url = surveys.survey_url(token)          # https://<public address>/ankieta/<code>
        svg = surveys.qr_svg(url)                # inline <svg> (Markup), for HTML and WeasyPrint
        code = surveys.display_code(token)       # "ABCD-EFGH-JKLM", typed at surveys.short_url()

A code is 12 characters of an alphabet without look-alikes (no 0/O, 1/I/L):
60 random bits, so guessing one is hopeless within the rate limits of the
public pages. Only its SHA-256 is stored (SurveyToken.token_hash); a code is
good for one questionnaire until it expires (TOKEN_DAYS). `issue_tokens`
flushes but never commits: the caller's transaction keeps the codes or not.

The links are anonymous: a code is made for a service, never for a person,
and the answer it leads to keeps no trace of it (models.SurveyAnswer).
"""
import hashlib
import re
import secrets
from datetime import timedelta
from types import SimpleNamespace

from flask_babel import lazy_gettext as _

from ..audit.services import record
from ..core.errors import DataError
from ..public_urls import public_url
from ..qr import qr_svg
from ..timeutil import now
from .models import SurveyToken

__all__ = ["ALPHABET", "CODE_LENGTH", "MAX_TOKENS", "TOKEN_DAYS", "display_code", "hash_token", "issue_tokens",
           "normalise_code", "qr_svg", "short_url", "survey_url"]

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
TOKEN_DAYS = 60
MAX_TOKENS = 200  # one print at a time
_NOT_CODE = re.compile(r"[^A-Z0-9]")


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_code(text):
    """The code as typed from a slip ("abcd-efgh jkmn") in its stored form,
    or None when it cannot be one."""
    code = _NOT_CODE.sub("", (text or "")[:64].upper())
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def display_code(token):
    """The code in groups of four, for reading and typing: "ABCD-EFGH-JKMN"."""
    return "-".join(token[i:i + 4] for i in range(0, len(token), 4))


def issue_tokens(session, service_id, count, actor, *, moment=None):
    """`count` new one-time codes for the survey of the service `service_id`;
    returns the raw codes (the only time they exist outside a slip). Raises
    DataError("count") for a count outside 1..MAX_TOKENS."""
    if not isinstance(count, int) or not 1 <= count <= MAX_TOKENS:
        raise DataError("count", _count_message())
    moment = moment or now()
    tokens = []
    taken = set()
    while len(tokens) < count:
        token = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if token in taken:
            continue
        taken.add(token)
        tokens.append(token)
    session.add_all(SurveyToken(service_id=service_id, token_hash=hash_token(token), created_at=moment,
                                expires_at=moment + timedelta(days=TOKEN_DAYS),
                                created_by_id=getattr(actor, "id", None)) for token in tokens)
    session.flush()
    record("survey_links", SimpleNamespace(id=service_id), actor=actor, object_type="service", session=session,
           summary=f"{count} one-time survey links issued")
    return tokens


def _count_message():
    return _("Podaj liczbę od 1 do %(max)s.", max=MAX_TOKENS)


def survey_url(token):
    """The absolute address of the questionnaire behind `token` (from the
    configured public address, never the request's Host)."""
    return public_url("quality.survey", survey_token=token)


def short_url():
    """The address where a code from a slip is typed by hand."""
    return public_url("quality.survey_code")


def slips(tokens):
    """What a printed slip shows for each code: its QR code (inline SVG) and
    the code to type at short_url(). For templates/pdf/_survey_slips.html."""
    return [{"qr": qr_svg(survey_url(token)), "code": display_code(token)} for token in tokens]
