"""argon2id password hashing."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

_strong = PasswordHasher()  # argon2id with the library's recommended cost
# The same algorithm at a low cost, only for the test suite.
_fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _hasher():
    if has_app_context() and current_app.config.get("PASSWORD_HASH_FAST"):
        return _fast
    return _strong


def hash_password(password):
    return _hasher().hash(password)


def verify_password(password_hash, password):
    try:
        return _strong.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the user does not exist, so that a wrong
# username costs as long as a wrong password.
_DUMMY = None


def dummy_verify(password):
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = _hasher().hash("not-a-real-password")
    verify_password(_DUMMY, password)
