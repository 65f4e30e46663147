"""Counters in the shared rate-limit store, for limits a decorator cannot express.

Flask-Limiter's decorators count requests per client address. Some limits
count something else: failed logins per account, search misses added by one
address, ... These go through the same storage as the decorators
(`RATELIMIT_STORAGE_URI`: `memory://` in one process, `redis://…` shared by
every worker), so they hold across gunicorn workers exactly as the decorators
do.

    from portal import ratelimit
    if not ratelimit.hit("30 per hour", "search-miss", address):
        ...  # over the limit

A limit is a `limits` string ("5 per 15 minutes"). When the shared store
cannot be reached the counters fall back to this process's memory (and say
so once in the log): a broken Redis slows nothing down and locks nobody out
for good, and limits still hold per worker.
"""
import logging

from flask import current_app, has_app_context
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from .extensions import limiter

log = logging.getLogger(__name__)

_fallback = MovingWindowRateLimiter(MemoryStorage())
_warned = []


def _strategy():
    try:
        strategy = limiter.limiter
    except Exception:  # the limiter is not initialised (a bare script)
        strategy = None
    return strategy or _fallback


def enabled():
    """Rate limits are on unless RATELIMIT_ENABLED says otherwise (the test
    suite turns them off, and on again in the tests of the limits)."""
    return not has_app_context() or current_app.config.get("RATELIMIT_ENABLED", True)


def _call(method, limit, identifiers, default):
    if not enabled():
        return default
    item = parse(limit)
    try:
        return getattr(_strategy(), method)(item, *identifiers)
    except Exception as exc:  # storage unreachable: count in this process
        if not _warned:
            _warned.append(True)
            log.warning("rate-limit store unreachable (%s); counting in process memory", type(exc).__name__)
        try:
            return getattr(_fallback, method)(item, *identifiers)
        except Exception:
            return default


def hit(limit, *identifiers):
    """Count one more; False when this one goes over the limit (it is not counted then)."""
    return _call("hit", limit, identifiers, True)


def allowed(limit, *identifiers):
    """True while another hit would still be within the limit (counts nothing)."""
    return _call("test", limit, identifiers, True)


def clear(limit, *identifiers):
    """Forget the count (e.g. the failures of an account after a correct password)."""
    _call("clear", limit, identifiers, None)
