from ..extensions import db
from .models import AuditEvent


def record(action, obj, *, actor, summary="", changes=None, reason=None, object_type=None, session=None):
    """Add an audit event to the transaction (committed with the change): the
    given session's, or the request's. `summary` is English, for the log's
    readers; pages show the action, the changed fields and the reason in the
    reader's language."""
    event = AuditEvent(
        action=action,
        object_type=object_type or type(obj).__tablename__,
        object_id=getattr(obj, "id", None),
        actor_id=getattr(actor, "id", None),
        summary=(summary or "")[:500],
        changes=changes or None,
        reason=(reason or None) and reason[:500],
    )
    (session or db.session).add(event)
    return event


def record_many(session, action, object_type, object_ids, *, actor, summary="", reason=None):
    """The same event for many objects (the people a search listed) in one
    multi-row INSERT: the rows `record` would add one by one."""
    rows = [dict(action=action, object_type=object_type, object_id=object_id, actor_id=getattr(actor, "id", None),
                 summary=(summary or "")[:500], changes=None, reason=(reason or None) and reason[:500])
            for object_id in object_ids]
    if rows:
        session.execute(AuditEvent.__table__.insert(), rows)


def commit_trail(session):
    """Commit a transaction that only added audit rows to what it read (the
    people a search listed), keeping what it loaded: a normal commit expires
    every loaded object, and the page rendered next would load each person
    again, one query at a time."""
    target = session() if callable(session) else session  # flask-sqlalchemy's scoped session
    previous, target.expire_on_commit = target.expire_on_commit, False
    try:
        target.commit()
    finally:
        target.expire_on_commit = previous


def history(object_type, object_id, limit=50):
    return db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()


def diff(before, after):
    """{field: [old, new]} for the fields whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
