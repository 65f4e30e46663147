"""Accounts and sessions. Plain functions: no request, no current_user."""
from datetime import timedelta
from functools import cache

from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload

from ..audit.services import record
from ..extensions import db
from ..timeutil import now
from . import policy
from .models import Role, User, UserSession
from .passwords import dummy_verify, hash_password, verify_password

MIN_PASSWORD_LENGTH = policy.MIN_LENGTH

DEMO_PASSWORD = "demo-cus"
DEMO_USERS = (
    ("recepcja", "Anna Recepcyjna", Role.FRONT_DESK),
    ("koordynator", "Katarzyna Koordynatorka", Role.COORDINATOR),
    ("organizator", "Oskar Organizator", Role.SERVICES_ORGANISER),
    ("animator", "Alicja Animatorka", Role.COMMUNITY_ORGANISER),
    ("dyrektor", "Dorota Dyrektorka", Role.DIRECTOR),
    ("admin", "Adam Administrator", Role.ADMIN),
)


class AccountError(ValueError):
    """A refused account change; `code` is a password-policy code when the password was the reason."""

    def __init__(self, message, code=None):
        super().__init__(message)
        self.code = code


def check_password(password, *, username="", full_name=""):
    code = policy.check(password, username=username, full_name=full_name)
    if code:
        raise AccountError(policy.MESSAGES_EN[code], code)


def create_user(username, full_name, role, password, *, email=None, actor=None, check_length=True,
                provider_id=None):
    """`password` None: the account gets no usable password until a
    set-password link is used. `check_length=False` only for demo users.
    A provider's account (Role.PROVIDER) names its organisation, `provider_id`;
    a staff account names none."""
    username = username.strip().lower()
    if role not in Role.ALL:
        raise AccountError(f"unknown role {role!r}; one of {', '.join(Role.ALL)}")
    if (role == Role.PROVIDER) != (provider_id is not None):
        raise AccountError("a provider account needs its provider, and only a provider account has one")
    if check_length and password is not None:
        check_password(password, username=username, full_name=full_name)
    if db.session.scalar(db.select(User).filter_by(username=username)):
        raise AccountError(f"user {username!r} already exists")
    user = User(username=username, full_name=full_name, role=role, email=email, provider_id=provider_id,
                password_hash=hash_password(password) if password is not None else UNUSABLE_PASSWORD)
    db.session.add(user)
    db.session.flush()
    record("create", user, actor=actor, summary=f"account {username} ({role})")
    return user


# A hash no password verifies against (argon2 rejects it as malformed).
UNUSABLE_PASSWORD = "!unusable"


def set_password(user, password, *, actor=None, keep_session=None):
    """A new password ends every open session of the account, except
    `keep_session` (the token of the session that changed its own password)."""
    check_password(password, username=user.username, full_name=user.full_name)
    user.password_hash = hash_password(password)
    ended = db.session.query(UserSession).filter(UserSession.user_id == user.id)
    if keep_session:
        ended = ended.filter(UserSession.token != keep_session)
    ended.delete(synchronize_session=False)
    own = actor is not None and getattr(actor, "id", None) == user.id
    record("password_change" if own else "password_reset", user, actor=actor,
           summary=f"password {'changed' if own else 'reset'} for {user.username}")


def verify_current_password(user, password):
    return verify_password(user.password_hash, password or "")


def authenticate(username, password):
    user = db.session.scalar(db.select(User).filter_by(username=(username or "").strip().lower()[:64]))
    if user is None:
        dummy_verify(password or "")
        return None
    if not verify_password(user.password_hash, password or "") or not user.active:
        return None
    return user


def record_failed_login(username, user, address, lockouts=()):
    """A wrong password, and any lockout it started, in the audit log. The
    login typed is kept only when such an account exists (a mistyped
    password in the login field must not be stored)."""
    who = f"{user.username}" if user is not None else "an unknown login"
    record("login_failed", user, actor=None, object_type="user_account",
           summary=f"failed login for {who} from {address}")
    for scope in lockouts:
        what = ("this address locked out of the account for 15 minutes" if scope == "address"
                else "the account is under attack: unknown browsers get one try a minute")
        record("login_lockout", user, actor=None, object_type="user_account",
               summary=f"login {who} from {address}: {what}")


def record_refused_login(username, user, address, scope):
    who = f"{user.username}" if user is not None else "an unknown login"
    record("login_refused", user, actor=None, object_type="user_account",
           summary=f"login {who} from {address} refused while locked ({scope})")


def purge_sessions(moment, idle_minutes, max_hours):
    """Delete the session rows that have ended by idleness or age."""
    return db.session.execute(db.delete(UserSession).where(
        (UserSession.last_seen_at < moment - timedelta(minutes=idle_minutes))
        | (UserSession.created_at < moment - timedelta(hours=max_hours)))).rowcount


def start_session(user):
    """A fresh session id at every login (no session fixation)."""
    session_row = UserSession(user_id=user.id)
    db.session.add(session_row)
    user.last_login_at = now()
    db.session.flush()
    user.session_token = session_row.token
    record("login", user, actor=user, summary=f"login {user.username}")
    return session_row


def end_session(token):
    row = db.session.scalar(db.select(UserSession).filter_by(token=token))
    if row is not None:
        record("logout", row.user, actor=row.user, summary=f"logout {row.user.username}")
        db.session.delete(row)


@cache
def _session_by_token():
    """A session with its user joined (one statement on every staff page),
    built once per process."""
    return db.select(UserSession).options(joinedload(UserSession.user)).where(
        UserSession.token == bindparam("token"))


def load_session_user(token, idle_minutes, max_hours=12, *, touch=True):
    """The user of a live session, or None when it ended, went idle or grew
    older than `max_hours`. `touch=False` for a page's background refresh:
    it does not count as the person being at the desk."""
    if not token:
        return None
    row = db.session.scalar(_session_by_token(), {"token": token})
    if row is None:
        return None
    moment = now()
    if (moment - row.last_seen_at > timedelta(minutes=idle_minutes)
            or moment - row.created_at > timedelta(hours=max_hours) or not row.user.active):
        db.session.delete(row)
        db.session.commit()
        return None
    if touch and moment - row.last_seen_at > timedelta(minutes=1):
        row.last_seen_at = moment
        db.session.commit()
    user = row.user
    user.session_token = token
    return user


def ensure_demo_users():
    """One account per role with the documented demo password (demo mode only)."""
    created = []
    for username, full_name, role in DEMO_USERS:
        if db.session.scalar(db.select(User).filter_by(username=username)) is None:
            created.append(create_user(username, full_name, role, DEMO_PASSWORD, check_length=False))
    return created
