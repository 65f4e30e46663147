"""Log lines never carry personal data.

An exception's message and its traceback's local context can quote a row
(a PESEL in an IntegrityError, a name in a failed INSERT, a server message
from PostgreSQL). Our own error handlers log only the type and the code
path (portal/errors.py); this filter holds every other logger to the same
rule — SQLAlchemy's pool, a library's `log.exception(...)` — wherever the
record came from: a record that carries an exception keeps its own text (a
fixed phrase in the libraries we use) and the exception's type, and loses
the exception's message and traceback.
"""
import logging


class WithoutExceptionDetail(logging.Filter):
    def filter(self, record):
        if record.exc_info:
            exc_type = record.exc_info[0]
            name = getattr(exc_type, "__name__", "exception")
            record.msg = f"{record.getMessage()} [{name}]"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        record.stack_info = None
        return True


_FILTER = WithoutExceptionDetail()


def init_app(app):
    """On every handler of the root logger (where the app's, Flask's and the
    libraries' records end up)."""
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
