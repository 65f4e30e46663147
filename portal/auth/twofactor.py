"""Two-factor sign-in with TOTP (RFC 6238) and single-use recovery codes.

Plain functions with an explicit session, actor and key (SECRET_KEY, from
which auth/crypto.py derives the encryption and hashing keys): they never
read the request and never commit.

- Enrolment: `start_enrolment` keeps a new secret on the account (encrypted)
  until `confirm_enrolment` sees a correct code from the person's app; then
  two-factor sign-in is on and ten recovery codes are made, returned once in
  clear and stored only as keyed hashes.
- A code is accepted in its 30-second step or the one before or after (a
  phone's clock drifts), and only for a step later than the last accepted
  one: an UPDATE that succeeds only while the stored step is older makes this
  hold even for two requests at the same moment, so an overheard code cannot
  be replayed.
- A recovery code is used up by an UPDATE that succeeds only while it is unused.
- The administrator names the roles that must use a second factor
  (`TwoFactorRole`); a person of such a role without it enrols at login.
"""
import hmac
import re
import secrets

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, func, select, update

from ..audit.services import record
from . import crypto
from .models import RecoveryCode, Role, TwoFactorRole, User

STEP_SECONDS = 30
DIGITS = 6
RECOVERY_CODES = 10
# Lower-case letters and digits that cannot be mistaken for one another (no 0/o, 1/l/i).
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10
ISSUER = "Portal CUS"
# The roles that see people's personal data: the administrator is advised to require it of these.
PERSONAL_DATA_ROLES = (Role.FRONT_DESK, Role.COORDINATOR, Role.DIRECTOR)

_SEPARATORS = re.compile(r"[\s\-]+")


class TwoFactorError(ValueError):
    pass


def normalise(code):
    return _SEPARATORS.sub("", (code or "").strip()).lower()[:32]


def is_totp_code(code):
    code = normalise(code)
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def _step(moment):
    return int(moment.timestamp()) // STEP_SECONDS


def _secret(user, key):
    return crypto.decrypt_secret(key, user.id, user.totp_secret)


# --- enrolment --------------------------------------------------------------------------

def start_enrolment(session, user, *, key):
    """The secret to show while enrolling: the pending one, or a new one."""
    if user.totp_enabled:
        raise TwoFactorError("already enabled")
    if user.totp_secret:
        try:
            return _secret(user, key)
        except crypto.DecryptionError:
            pass  # made under another SECRET_KEY: start again
    secret = pyotp.random_base32()
    user.totp_secret = crypto.encrypt_secret(key, user.id, secret)
    user.totp_last_step = None
    session.flush()
    return secret


def provisioning_uri(user, secret, issuer=ISSUER):
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=issuer)


def qr_svg(uri, label):
    """The otpauth:// address as an inline SVG QR code, drawn here (no image request)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(label)}" ', 1))


def grouped(secret):
    """JBSW Y3DP EHPK …: easier to type from the screen."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def confirm_enrolment(session, user, code, *, key, moment, actor):
    """Turn two-factor sign-in on when `code` matches the pending secret.
    Returns the recovery codes in clear (shown once), or None for a wrong code."""
    if user.totp_enabled or not user.totp_secret:
        raise TwoFactorError("no enrolment in progress")
    if not _accept_code(session, user, code, key=key, moment=moment):
        return None
    user.totp_enabled_at = moment
    codes = _new_recovery_codes(session, user, key=key)
    record("totp_enable", user, actor=actor, summary=f"two-factor sign-in turned on for {user.username}")
    return codes


def disable(session, user, *, actor):
    """Turn two-factor sign-in off: the person's own choice, or the administrator's reset."""
    own = getattr(actor, "id", None) == user.id
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record("totp_disable" if own else "totp_reset", user, actor=actor,
           summary=f"two-factor sign-in {'turned off' if own else 'reset by an administrator'} for {user.username}")


# --- checking codes ---------------------------------------------------------------------

def _matching_step(secret, code, moment):
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = _step(moment)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _accept_code(session, user, code, *, key, moment):
    code = normalise(code)
    if not is_totp_code(code) or not user.totp_secret:
        return False
    try:
        step = _matching_step(_secret(user, key), code, moment)
    except crypto.DecryptionError:
        return False
    if step is None:
        return False
    claimed = session.execute(
        update(User).where(User.id == user.id)
        .where((User.totp_last_step.is_(None)) | (User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        return False  # this step's code (or a later one) was already used
    user.totp_last_step = step
    return True


def verify(session, user, code, *, key, moment):
    """A TOTP code or a recovery code of an account with two-factor sign-in on.
    Returns "totp", "recovery" or None."""
    if not user.totp_enabled:
        return None
    if is_totp_code(code):
        return "totp" if _accept_code(session, user, code, key=key, moment=moment) else None
    if _use_recovery_code(session, user, code, key=key, moment=moment):
        return "recovery"
    return None


# --- recovery codes ---------------------------------------------------------------------

def _new_recovery_codes(session, user, *, key):
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=crypto.code_hash(key, c)) for c in codes)
    session.flush()
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def _use_recovery_code(session, user, code, *, key, moment):
    code = normalise(code)
    if len(code) != RECOVERY_LENGTH or not all(ch in RECOVERY_ALPHABET for ch in code):
        return False
    used = session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == crypto.code_hash(key, code),
               RecoveryCode.used_at.is_(None))
        .values(used_at=moment).execution_options(synchronize_session=False)).rowcount
    if used != 1:
        return False
    left = remaining_recovery_codes(session, user)
    record("recovery_code_used", user, actor=user,
           summary=f"recovery code used by {user.username}; {left} left")
    return True


def remaining_recovery_codes(session, user):
    return session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


# --- roles that must use it -------------------------------------------------------------

def required_roles(session):
    return set(session.scalars(select(TwoFactorRole.role)))


def is_required(session, user):
    return session.get(TwoFactorRole, user.role) is not None


def set_required_roles(session, roles, *, actor):
    roles = {r for r in roles if r in Role.ALL}
    before = required_roles(session)
    if roles == before:
        return False
    session.execute(delete(TwoFactorRole).where(TwoFactorRole.role.not_in(roles)))
    session.add_all(TwoFactorRole(role=r) for r in sorted(roles - before))
    session.flush()
    record("update", None, actor=actor, object_type="two_factor_role",
           summary="roles that must use two-factor sign-in changed",
           changes={"roles": [sorted(before), sorted(roles)]})
    return True
