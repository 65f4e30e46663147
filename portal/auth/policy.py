"""What a staff password must be (ASVS 4.0.3 V2.1).

At least 12 characters (spaces count, every character is allowed, up to
256), not one of the common passwords shipped in `data/` (20,000 from
Django's list plus common Polish ones), and not such a word with digits or
punctuation stuck to its ends ("Warszawa2026!"), nor the login or a part of
the person's name. Returns an error code, as `portal/validation.py` does;
the messages live with the forms and the CLI.
"""
import gzip
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 256

DATA = Path(__file__).resolve().parent / "data"
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")

TOO_SHORT = "too_short"
TOO_LONG = "too_long"
COMMON = "common"
PERSONAL = "personal"


@lru_cache(maxsize=1)
def _common():
    with gzip.open(DATA / "common-passwords.txt.gz", "rt", encoding="utf-8") as f:
        words = {line.strip().lower() for line in f if line.strip()}
    with open(DATA / "polish-passwords.txt", encoding="utf-8") as f:
        words |= {line.strip().lower() for line in f if line.strip() and not line.startswith("#")}
    return frozenset(words)


def _fold(text):
    """Lower case without Polish letters or separators: 'Hasło Łąka' -> 'haslolaka'."""
    text = unicodedata.normalize("NFKD", (text or "").replace("ł", "l").replace("Ł", "L"))
    return re.sub(r"[\s_\-.]", "", "".join(ch for ch in text if not unicodedata.combining(ch)).lower())


def check(password, *, username="", full_name=""):
    """None when the password is acceptable, else one of the codes above."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    folded = _fold(password)
    common = _common()
    if folded in common or password.lower() in common:
        return COMMON
    core = _ENDS.sub("", folded)
    if not core or core in common or len(set(core)) <= 2:
        return COMMON
    repeated = re.fullmatch(r"(.+?)\1+", core)  # "haslohaslo", "abcabcabc"
    if repeated and (repeated.group(1) in common or len(repeated.group(1)) <= 4):
        return COMMON
    personal = {_fold(username)} | {_fold(part) for part in re.split(r"[\s\-]+", full_name or "")}
    if any(len(part) >= 3 and part in folded for part in personal):
        return PERSONAL
    return None


MESSAGES_EN = {
    TOO_SHORT: f"password must have at least {MIN_LENGTH} characters",
    TOO_LONG: f"password may have at most {MAX_LENGTH} characters",
    COMMON: "this password is too common (it is on the list of common or leaked passwords)",
    PERSONAL: "the password must not contain the login or the person's name",
}


def message(code):
    """The Polish message (translated) for a form field."""
    from flask_babel import gettext as _

    return {
        TOO_SHORT: _("Hasło musi mieć co najmniej %(n)s znaków.", n=MIN_LENGTH),
        TOO_LONG: _("Hasło może mieć najwyżej %(n)s znaków.", n=MAX_LENGTH),
        COMMON: _("To hasło jest zbyt popularne (jest na liście często używanych lub wykradzionych haseł). "
                  "Wybierz inne, np. kilka niezwiązanych słów."),
        PERSONAL: _("Hasło nie może zawierać loginu ani imienia czy nazwiska."),
    }[code]
