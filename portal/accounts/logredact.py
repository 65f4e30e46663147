"""Keep set-password tokens out of the access logs, and the one-time links
of a provider's application to complete (portal/applications).

The one-time link carries its token in the URL path, and both servers the
portal runs under log request lines: werkzeug (development) and gunicorn's
access log (`make run` turns it on). This filter rewrites such a line before
any handler sees it, so the token is never written. (A reverse proxy's own
access log is outside the portal: see README.)
"""
import logging
import re

TOKEN_IN_PATH = re.compile(r"(/set-password/|/providers/register/)(?!thanks\b)[^\s\"?/]+")
LOGGERS = ("werkzeug", "gunicorn.access")


def redact(text):
    return TOKEN_IN_PATH.sub(r"\1[…]", text)


class RedactTokens(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        if "/set-password/" in message or "/providers/register/" in message:
            record.msg = redact(message)
            record.args = None
        return True


def install():
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
