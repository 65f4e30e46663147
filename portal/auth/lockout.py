"""Throttling password guesses, beyond the per-address limit on the login form.

Three counters, all in the shared rate-limit store (`portal.ratelimit`), so
they hold across every gunicorn worker when RATELIMIT_STORAGE_URI is Redis:

- per address: 10 login posts a minute (the decorator on the login view);
- per account and address: 5 failed passwords in 15 minutes lock that
  address out of that account for the rest of the window. Behind the
  reverse proxy every desk has its own address (ProxyFix, TRUSTED_PROXIES),
  so one person typing wrong cannot lock the office out, and an attacker
  cannot lock the account's owner out at her own desk;
- per account: 20 failures an hour from anywhere mean the account is under
  attack (from many addresses). It then takes one try a minute from
  browsers it does not know; a browser where the account's owner has logged
  in before carries a signed device cookie and is not slowed (OWASP's
  "device cookie" defence against online guessing).

The counters key on the login as typed (normalised), whether or not such an
account exists, so the answers do not tell which logins exist.
"""
from itsdangerous import BadSignature, URLSafeTimedSerializer

PAIR_LIMIT = "5 per 15 minutes"
ACCOUNT_LIMIT = "20 per hour"
UNDER_ATTACK_LIMIT = "1 per minute"

DEVICE_COOKIE = "cus_device"
DEVICE_MAX_AGE = 180 * 24 * 3600

LOCKED_ADDRESS = "address"
LOCKED_ACCOUNT = "account"


def normalise(username):
    return (username or "").strip().lower()[:64]


def refusal(username, address, *, trusted):
    """Why this attempt may not even be checked (LOCKED_ADDRESS or
    LOCKED_ACCOUNT), or None. Asked before the password is verified."""
    from .. import ratelimit

    username = normalise(username)
    if not ratelimit.allowed(PAIR_LIMIT, "login-fail", username, address):
        return LOCKED_ADDRESS
    if not trusted and not ratelimit.allowed(ACCOUNT_LIMIT, "login-fail-account", username):
        # Under attack: strangers share one try a minute.
        if not ratelimit.hit(UNDER_ATTACK_LIMIT, "login-slow", username):
            return LOCKED_ACCOUNT
    return None


def record_failure(username, address):
    """Count a wrong password; the lockouts this failure has just started."""
    from .. import ratelimit

    username = normalise(username)
    started = []
    ratelimit.hit(PAIR_LIMIT, "login-fail", username, address)
    if not ratelimit.allowed(PAIR_LIMIT, "login-fail", username, address):
        started.append(LOCKED_ADDRESS)
    was_calm = ratelimit.allowed(ACCOUNT_LIMIT, "login-fail-account", username)
    ratelimit.hit(ACCOUNT_LIMIT, "login-fail-account", username)
    if was_calm and not ratelimit.allowed(ACCOUNT_LIMIT, "login-fail-account", username):
        started.append(LOCKED_ACCOUNT)
    return started


def record_success(username, address):
    """A correct password: this address's failures for the account are forgotten."""
    from .. import ratelimit

    ratelimit.clear(PAIR_LIMIT, "login-fail", normalise(username), address)


# --- the device cookie ------------------------------------------------------------

def _serializer(secret_key):
    return URLSafeTimedSerializer(secret_key, salt="portal-cus-device")


def device_token(secret_key, username):
    return _serializer(secret_key).dumps({"u": normalise(username)})


def is_trusted_device(secret_key, cookie, username):
    if not cookie:
        return False
    try:
        data = _serializer(secret_key).loads(cookie, max_age=DEVICE_MAX_AGE)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("u") == normalise(username)
