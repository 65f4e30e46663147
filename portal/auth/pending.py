"""A login between the password and the second factor.

After a correct password the account may still owe a TOTP code (or, for a
role that requires two-factor sign-in, the enrolment). No server-side
session exists yet: the Flask session (a signed cookie) carries a marker
signed again with its own salt, stamped with the portal's clock, naming the account, the
stage and where to go afterwards. It is honoured only

- within 5 minutes for the code (15 for the enrolment, which means
  installing an app),
- while the account is active and its password is the one just checked:
  the marker holds an HMAC of the stored password hash, so an
  administrator's reset or disabling ends a pending login at once.

The code attempts themselves are limited per account (auth/views.py).
"""
import hashlib
import hmac

from flask import current_app, session
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..timeutil import now
from .models import User

KEY = "pending_login"
SALT = "portal-cus-pending-login"
CODE = "code"
ENROL = "enrol"
MAX_AGE = {CODE: 5 * 60, ENROL: 15 * 60}


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user):
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, user.password_hash.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def begin(user, stage, next_url):
    session[KEY] = _serializer().dumps({"u": user.id, "s": stage, "p": _fingerprint(user), "n": next_url,
                                        "t": int(now().timestamp())})


def load(stage):
    """(user, next_url) of a pending login at `stage`, or None."""
    raw = session.get(KEY)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != stage or not isinstance(data.get("t"), int):
        return None
    if not 0 <= int(now().timestamp()) - data["t"] <= MAX_AGE[stage]:
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.active or not hmac.compare_digest(data.get("p", ""), _fingerprint(user)):
        return None
    return user, data.get("n")


def clear():
    session.pop(KEY, None)
