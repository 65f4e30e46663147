"""Polish identifiers and contact data: PESEL, NIP, REGON, KRS, postal codes, phones.

Standard library only, so the module loads (and is tested) without Flask.
Every validator accepts arbitrary input and fails only with ValidationError,
whose `code` the form layer maps to a translated message.
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = [
    "ValidationError",
    "PeselInfo",
    "digits_only",
    "parse_pesel",
    "is_valid_pesel",
    "pesel_checksum_digit",
    "make_pesel",
    "mask_pesel",
    "validate_nip",
    "validate_regon",
    "validate_krs",
    "validate_postal_code",
    "normalise_phone",
    "format_phone",
    "is_email",
    "parse_day",
    "whole_number",
]


class ValidationError(ValueError):
    """A value failed validation; `code` is stable, the message is for logs only."""

    def __init__(self, code: str, message: str | None = None):
        super().__init__(message or code)
        self.code = code


# Dashes people paste from word processors and PDFs, not only the ASCII one.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_SEPARATORS = re.compile(r"[\s." + re.escape(_DASHES) + r"]+")
_DIGITS = re.compile(r"[0-9]+")  # not \d: it would let Arabic-Indic digits through


def _text(value) -> str | None:
    if not isinstance(value, str):
        return None
    # NFKC folds full-width digits and no-break spaces into plain ones.
    return unicodedata.normalize("NFKC", value).strip()


def digits_only(value: str) -> str:
    """Remove spaces, dashes and dots.

    Other characters are kept on purpose, so that "12a45" stays invalid
    instead of silently becoming "1245".
    """
    text = _text(value)
    if text is None:
        return ""
    return _SEPARATORS.sub("", text)


def _digits(value, length_ok, code: str) -> str:
    text = digits_only(value)
    if not _DIGITS.fullmatch(text) or not length_ok(len(text)):
        raise ValidationError(code)
    return text


def _weighted_sum(digits: str, weights) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights))


# --- PESEL -----------------------------------------------------------------

_PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
# Month offset -> century start, from the PESEL definition.
_PESEL_CENTURIES = {80: 1800, 0: 1900, 20: 2000, 40: 2100, 60: 2200}


@dataclass(frozen=True)
class PeselInfo:
    pesel: str
    birth_date: date
    sex: str  # "F" or "M"


def pesel_checksum_digit(first10: str) -> int:
    if not isinstance(first10, str) or not re.fullmatch(r"[0-9]{10}", first10):
        raise ValidationError("pesel_format", "the first 10 digits of a PESEL are needed")
    return (10 - _weighted_sum(first10, _PESEL_WEIGHTS) % 10) % 10


def parse_pesel(value: str, *, today: date | None = None) -> PeselInfo:
    pesel = _digits(value, lambda n: n == 11, "pesel_format")
    if pesel_checksum_digit(pesel[:10]) != int(pesel[10]):
        raise ValidationError("pesel_checksum")
    yy, mm, dd = int(pesel[0:2]), int(pesel[2:4]), int(pesel[4:6])
    offset = (mm - 1) // 20 * 20 if mm > 0 else -1
    century = _PESEL_CENTURIES.get(offset)
    if century is None:
        raise ValidationError("pesel_date", "month field outside every century range")
    try:
        birth_date = date(century + yy, mm - offset, dd)
    except ValueError:
        raise ValidationError("pesel_date") from None
    if birth_date > (today or date.today()):
        raise ValidationError("pesel_future")
    sex = "F" if int(pesel[9]) % 2 == 0 else "M"
    return PeselInfo(pesel=pesel, birth_date=birth_date, sex=sex)


def is_valid_pesel(value, *, today: date | None = None) -> bool:
    try:
        parse_pesel(value, today=today)
    except ValidationError:
        return False
    return True


def make_pesel(birth_date: date, serial: int, sex: str) -> str:
    """A valid PESEL for demo data and tests; raises ValueError on bad arguments."""
    offsets = {century: offset for offset, century in _PESEL_CENTURIES.items()}
    century = birth_date.year // 100 * 100
    if century not in offsets:
        raise ValueError(f"PESEL cannot encode the year {birth_date.year}")
    if not 0 <= serial <= 999:
        raise ValueError("serial must be 0..999")
    if sex not in ("F", "M"):
        raise ValueError('sex must be "F" or "M"')
    # Deriving X from the serial spreads demo PESELs over all ten digits.
    sex_digit = serial % 10 // 2 * 2 + (1 if sex == "M" else 0)
    first10 = (
        f"{birth_date.year % 100:02d}{birth_date.month + offsets[century]:02d}"
        f"{birth_date.day:02d}{serial:03d}{sex_digit}"
    )
    return first10 + str(pesel_checksum_digit(first10))


def mask_pesel(value: str) -> str:
    """For screens and logs: a PESEL shows only its last 4 digits."""
    text = digits_only(value)
    if re.fullmatch(r"[0-9]{11}", text):
        return "*" * 7 + text[-4:]
    return "*" * 11


# --- NIP, REGON, KRS -------------------------------------------------------

_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
_REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
_REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)


def validate_nip(value) -> str:
    text = digits_only(value)
    # The EU VAT form (PL1234567890) is common on invoices people copy from.
    if text[:2].upper() == "PL":
        text = text[2:]
    nip = _digits(text, lambda n: n == 10, "nip_format")
    check = _weighted_sum(nip, _NIP_WEIGHTS) % 11
    if check == 10 or check != int(nip[9]):
        raise ValidationError("nip_checksum")
    return nip


def _regon_check(digits: str, weights) -> int:
    return _weighted_sum(digits, weights) % 11 % 10


def validate_regon(value) -> str:
    regon = _digits(value, lambda n: n in (9, 14), "regon_format")
    if _regon_check(regon[:8], _REGON9_WEIGHTS) != int(regon[8]):
        raise ValidationError("regon_checksum")
    if len(regon) == 14 and _regon_check(regon[:13], _REGON14_WEIGHTS) != int(regon[13]):
        raise ValidationError("regon_checksum")
    return regon


def validate_krs(value) -> str:
    # Exactly 10: a shorter number may be a typo as well as dropped zeros.
    return _digits(value, lambda n: n == 10, "krs_format")


# --- Postal codes and phones ------------------------------------------------


def validate_postal_code(value) -> str:
    text = _text(value)
    if text is None:
        raise ValidationError("postal_code_format")
    text = re.sub(r"\s+", "", text)
    text = re.sub("[" + re.escape(_DASHES) + "]", "-", text)
    match = re.fullmatch(r"([0-9]{2})-?([0-9]{3})", text)
    if not match:
        raise ValidationError("postal_code_format")
    return f"{match.group(1)}-{match.group(2)}"


_MOBILE_PREFIXES = frozenset({"45", "50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"})
# Free and shared-cost lines (800, 801...) are written like mobiles: 800 120 002.
_THREE_DIGIT_GROUPED_PREFIXES = _MOBILE_PREFIXES | {"80"}


def normalise_phone(value) -> str:
    text = _text(value)
    if text is None:
        raise ValidationError("phone_format")
    text = re.sub(r"[\s()./" + re.escape(_DASHES) + r"]+", "", text)
    if text.startswith("+"):
        if not text.startswith("+48"):
            raise ValidationError("phone_format", "only Polish numbers are accepted")
        text = text[3:]
    elif text.startswith("0048"):
        text = text[4:]
    elif len(text) == 11 and text.startswith("48"):
        text = text[2:]
    # No Polish subscriber number starts with 0 since the trunk prefix went in 2009.
    if not re.fullmatch(r"[1-9][0-9]{8}", text):
        raise ValidationError("phone_format")
    return "+48" + text


def format_phone(value) -> str:
    """Display form without the country code; anything unrecognised comes back as is."""
    if value is None:
        return ""  # used as a Jinja filter, where None would print "None"
    try:
        national = normalise_phone(value)[3:]
    except ValidationError:
        return value
    if national[:2] in _THREE_DIGIT_GROUPED_PREFIXES:
        return f"{national[:3]} {national[3:6]} {national[6:]}"
    return f"{national[:2]} {national[2:5]} {national[5:7]} {national[7:]}"


# One reading of an e-mail address for the whole portal: plausible, not
# checked for delivery; no characters that break a mail header.
EMAIL_RE = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


def is_email(value) -> bool:
    return bool(value) and len(value) <= 254 and bool(EMAIL_RE.match(value))


_DATE_PATTERNS = (
    re.compile(r"(?P<d>\d{1,2})[.\-/](?P<m>\d{1,2})[.\-/](?P<y>\d{4})", re.ASCII),
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", re.ASCII),
)


def parse_day(text) -> date | None:
    """A typed day: dd.mm.rrrr (also with - or /) or rrrr-mm-dd -> date, or None."""
    text = (text or "").strip()
    if not text.isascii():
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def whole_number(raw, *, digits=9) -> int | None:
    """A whole number as typed or posted: ASCII digits (at most `digits`;
    spaces between groups allowed, "1 200"), or an int as is; None for
    anything else (signs, decimals, other scripts' digits, junk)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if not isinstance(raw, str):
        return None
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    if text and text.isascii() and text.isdigit() and len(text) <= digits:
        return int(text)
    return None
