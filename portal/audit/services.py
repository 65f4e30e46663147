from ..extensions import db
from .models import AuditEvent


def record(action, obj, *, actor, summary="", changes=None, reason=None, object_type=None):
    """Add an audit event to the current transaction (committed with the change)."""
    event = AuditEvent(
        action=action,
        object_type=object_type or type(obj).__tablename__,
        object_id=getattr(obj, "id", None),
        actor_id=getattr(actor, "id", None),
        summary=summary[:500],
        changes=changes or None,
        reason=reason,
    )
    db.session.add(event)
    return event


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
