"""One record per form submission: resending a form never makes a second record.

A form that creates something carries a random submission key in a hidden
field (`new_key()`), made when the form is first shown and kept when it comes
back with errors. The view that saves it:

    existing = submissions.find(db.session, key, "contact")
    if existing: ...answer with existing.object_id, create nothing
    item = create_the_thing(...)
    submissions.claim(db.session, key, "contact", item)   # same transaction
    db.session.commit()  # IntegrityError: a parallel resend won; answer with its record

so a double click, a browser resending after a timeout, or a replayed
contact-form token answers with the record already made. Keys are kept for
KEEP_DAYS, then purged when a new one is claimed.
"""
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .timeutil import now

KEEP_DAYS = 7
_KEY = re.compile(r"[A-Za-z0-9_-]{20,64}")


class FormSubmission(db.Model):
    __tablename__ = "form_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    form: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)


def new_key():
    return secrets.token_urlsafe(24)


def valid_key(key):
    return bool(key) and isinstance(key, str) and bool(_KEY.fullmatch(key))


def find(session, key, form):
    """The earlier submission with this key, or None."""
    if not valid_key(key):
        return None
    return session.scalar(select(FormSubmission).where(FormSubmission.key == key, FormSubmission.form == form))


def claim(session, key, form, obj=None):
    """Record that `key` made `obj` (flushed: a second claim of the key fails
    with IntegrityError, in this transaction or a parallel one)."""
    moment = now()
    session.execute(delete(FormSubmission).where(FormSubmission.created_at < moment - timedelta(days=KEEP_DAYS)))
    row = FormSubmission(key=key, form=form, created_at=moment,
                         object_type=getattr(obj, "__tablename__", None), object_id=getattr(obj, "id", None))
    session.add(row)
    session.flush()
    return row
