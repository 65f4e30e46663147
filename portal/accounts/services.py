"""Staff accounts managed by the administrator, and each person's own password.

Plain functions with an explicit session and actor: they never read the
request or current_user and never commit; the view commits the unit of work,
so a change and its audit event land together. Every change to an account
is in the audit log (object "user_account") with who and when; no password,
link token or code ever is.

Set-password links: a random token (256 bits) goes to the person once, in
the link; the database keeps only its SHA-256. A link works once, for
LINK_HOURS, and only the newest link of an account works.
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from ..audit.models import AuditEvent
from ..audit.services import record
from ..auth import policy, twofactor
from ..auth.models import PasswordLink, Role, User, UserSession
from ..auth.services import UNUSABLE_PASSWORD, AccountError, create_user, set_password, verify_current_password

LINK_HOURS = 72


class Refused(ValueError):
    """A change the rules do not allow; `field` names the form field to show it at."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- reading ------------------------------------------------------------------------------

@dataclass
class AccountRow:
    user: User
    live_sessions: int


def _live(moment, idle_minutes, max_hours):
    return ((UserSession.last_seen_at >= moment - timedelta(minutes=idle_minutes))
            & (UserSession.created_at >= moment - timedelta(hours=max_hours)))


def accounts(session, *, moment, idle_minutes, max_hours):
    """Every staff account (active first, then by name) with its live sessions."""
    from ..text import polish_sort_key

    counts = dict(session.execute(
        select(UserSession.user_id, func.count()).where(_live(moment, idle_minutes, max_hours))
        .group_by(UserSession.user_id)).all())
    users = session.scalars(select(User)).all()
    users.sort(key=lambda u: (not u.active, polish_sort_key(u.full_name), u.username))
    return [AccountRow(u, counts.get(u.id, 0)) for u in users]


def live_sessions(session, user, *, moment, idle_minutes, max_hours):
    return session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, _live(moment, idle_minutes, max_hours))
        .order_by(UserSession.created_at.desc())).all()


def history(session, user, limit=200):
    """The account's entries in the audit log, newest first."""
    return session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "user_account", AuditEvent.object_id == user.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)).all()


# --- creating and changing ------------------------------------------------------------------

def _check_unique(session, username, user=None):
    taken = session.scalar(select(User).where(User.username == username))
    if taken is not None and taken is not user:
        raise Refused(_l("Ten login jest już zajęty."), "username")


def _check_an_admin_stays(session, user):
    """Refuse to leave the portal without an active administrator. The other
    administrators' rows are locked (PostgreSQL) so that two administrators
    cannot demote each other at the same moment."""
    others = session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.active.is_(True), User.id != user.id)
        .with_for_update()).all()
    if not others:
        raise Refused(_l("To jedyne aktywne konto administratora. Najpierw nadaj rolę administratora innej osobie."),
                      "role")


def create_account(session, data, *, actor):
    """A new account without a usable password (a set-password link follows)."""
    username = data["username"].strip().lower()
    _check_unique(session, username)
    try:
        return create_user(username, data["full_name"].strip(), data["role"], None,
                           email=(data.get("email") or "").strip() or None, actor=actor)
    except AccountError as exc:  # a race with another administrator
        raise Refused(_l("Ten login jest już zajęty."), "username") from exc


def update_account(session, user, data, *, actor):
    """Name, e-mail and role. Returns the fields changed. A new role that
    requires two-factor sign-in ends the sessions of an account without it:
    its next login sets it up. A provider's account keeps its role (and its
    organisation): it never becomes a staff account, nor a staff account one."""
    provider_account = user.role == Role.PROVIDER
    values = {"full_name": data["full_name"].strip(), "email": (data.get("email") or "").strip() or None,
              "role": Role.PROVIDER if provider_account else data.get("role")}
    if not provider_account and values["role"] not in Role.STAFF:
        raise Refused(_l("Wybierz rolę z listy."), "role")
    changes = {k: [getattr(user, k), v] for k, v in values.items() if getattr(user, k) != v}
    if not changes:
        return changes
    if "role" in changes and user.role == Role.ADMIN and user.active:
        _check_an_admin_stays(session, user)
    for key, (_old, new) in changes.items():
        setattr(user, key, new)
    if "role" in changes:
        record("role_change", user, actor=actor, summary=f"role of {user.username} changed",
               changes={"role": changes["role"]})
    details = {k: v for k, v in changes.items() if k != "role"}
    if details:
        # Which fields, not the values: the e-mail of a person stays out of the log.
        record("update", user, actor=actor, summary=f"account {user.username}: {', '.join(sorted(details))} changed",
               changes={k: ["…", "…"] if k == "email" else v for k, v in details.items()})
    if "role" in changes and not user.totp_enabled and twofactor.is_required(session, user):
        _end_sessions(session, user)
    session.flush()
    return changes


def _end_sessions(session, user, session_id=None):
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if session_id is not None:
        query = query.where(UserSession.id == session_id)
    return session.execute(query).rowcount


def _drop_links(session, user):
    session.execute(delete(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None)))


def disable_account(session, user, *, actor):
    if not user.active:
        return False
    if user.role == Role.ADMIN:
        _check_an_admin_stays(session, user)
    user.active = False
    ended = _end_sessions(session, user)
    _drop_links(session, user)
    record("disable", user, actor=actor, summary=f"account {user.username} disabled; {ended} session(s) ended")
    session.flush()
    return True


def enable_account(session, user, *, actor):
    if user.active:
        return False
    user.active = True
    record("enable", user, actor=actor, summary=f"account {user.username} enabled")
    session.flush()
    return True


def end_sessions(session, user, *, actor, session_id=None):
    """End one session of the account, or all of them. Returns how many ended."""
    ended = _end_sessions(session, user, session_id)
    if ended:
        what = "a session" if session_id is not None else f"all sessions ({ended})"
        record("sessions_end", user, actor=actor, summary=f"{what} of {user.username} ended by an administrator")
    return ended


def reset_account(session, user, *, actor, moment):
    """The old password stops working, every session ends, a new link is made.
    Returns (token, link) as issue_link does."""
    user.password_hash = UNUSABLE_PASSWORD
    ended = _end_sessions(session, user)
    record("reset", user, actor=actor,
           summary=f"account {user.username} reset: password cleared, {ended} session(s) ended")
    return issue_link(session, user, actor=actor, moment=moment)


# --- set-password links -------------------------------------------------------------------------

def _hash(token):
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def issue_link(session, user, *, actor, moment, sent_by_email=False):
    """A new one-time link; earlier unused links of the account stop working.
    Returns (token, link): the token is for the URL only, never stored."""
    _drop_links(session, user)
    token = secrets.token_urlsafe(32)
    link = PasswordLink(user_id=user.id, token_hash=_hash(token), created_at=moment,
                        expires_at=moment + timedelta(hours=LINK_HOURS), created_by_id=getattr(actor, "id", None))
    session.add(link)
    session.flush()
    record("password_link", user, actor=actor,
           summary=f"set-password link for {user.username}, valid {LINK_HOURS} hours")
    return token, link


def note_link_sent(user, *, actor):
    record("password_link_sent", user, actor=actor, summary=f"set-password link e-mailed to {user.username}")


LINK_OK = "ok"
LINK_USED = "used"
LINK_EXPIRED = "expired"
LINK_UNKNOWN = "unknown"


def find_link(session, token, *, moment):
    """(link or None, state): ok, used, expired, or unknown (never issued, or
    replaced by a newer link, or the account was disabled)."""
    if not token or len(token) > 100:
        return None, LINK_UNKNOWN
    link = session.scalar(select(PasswordLink).where(PasswordLink.token_hash == _hash(token)))
    if link is None or not link.user.active:
        return None, LINK_UNKNOWN
    if link.used_at is not None:
        return link, LINK_USED
    if link.expires_at <= moment:
        return link, LINK_EXPIRED
    return link, LINK_OK


def use_link(session, link, password, *, moment):
    """Set the password chosen through a link (raises AccountError with a
    policy code); the link is used up and every session of the account ends."""
    user = link.user
    policy_code = policy.check(password, username=user.username, full_name=user.full_name)
    if policy_code:
        raise AccountError(policy.MESSAGES_EN[policy_code], policy_code)
    claimed = session.execute(update(PasswordLink).where(PasswordLink.id == link.id, PasswordLink.used_at.is_(None))
                              .values(used_at=moment).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:  # used by another request a moment ago
        raise Refused(_l("Ten link został już użyty."))
    link.used_at = moment
    set_password(user, password, actor=user)
    record("password_link_used", user, actor=user, summary=f"{user.username} set a password through a link")
    session.flush()


# --- one's own password ------------------------------------------------------------------------

def change_own_password(session, user, current, new, *, keep_session):
    """Raises Refused for a wrong current password, AccountError (policy code)
    for a new one the policy refuses. Other sessions of the account end."""
    if not verify_current_password(user, current):
        raise Refused(_l("Obecne hasło jest nieprawidłowe."), "current_password")
    set_password(user, new, actor=user, keep_session=keep_session)
    session.flush()


def password_message(exc):
    """The Polish message of a policy refusal from auth.services."""
    return policy.message(exc.code) if exc.code else str(exc)
