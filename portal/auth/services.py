"""Accounts and sessions. Plain functions: no request, no current_user."""
from datetime import timedelta

from ..audit.services import record
from ..extensions import db
from ..timeutil import now
from .models import Role, User, UserSession
from .passwords import dummy_verify, hash_password, verify_password

MIN_PASSWORD_LENGTH = 10

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
    pass


def create_user(username, full_name, role, password, *, email=None, actor=None, check_length=True):
    username = username.strip().lower()
    if role not in Role.ALL:
        raise AccountError(f"unknown role {role!r}; one of {', '.join(Role.ALL)}")
    if check_length and len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if db.session.scalar(db.select(User).filter_by(username=username)):
        raise AccountError(f"user {username!r} already exists")
    user = User(username=username, full_name=full_name, role=role, email=email,
                password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    record("create", user, actor=actor, summary=f"account {username} ({role})")
    return user


def set_password(user, password, *, actor=None):
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = hash_password(password)
    # A new password ends every open session of the account.
    UserSession.query.filter_by(user_id=user.id).delete()
    record("password_reset", user, actor=actor, summary=f"password reset for {user.username}")


def authenticate(username, password):
    user = db.session.scalar(db.select(User).filter_by(username=(username or "").strip().lower()))
    if user is None:
        dummy_verify(password or "")
        return None
    if not verify_password(user.password_hash, password or "") or not user.active:
        return None
    return user


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


def load_session_user(token, idle_minutes):
    """The user of a live session, or None when it ended or went idle."""
    if not token:
        return None
    row = db.session.scalar(db.select(UserSession).filter_by(token=token))
    if row is None:
        return None
    moment = now()
    if moment - row.last_seen_at > timedelta(minutes=idle_minutes) or not row.user.active:
        db.session.delete(row)
        db.session.commit()
        return None
    if moment - row.last_seen_at > timedelta(minutes=1):
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
