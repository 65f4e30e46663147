"""Stable numbers for the demo's seeded choices."""
from sqlalchemy import func, select


def ordinals(session, model, records):
    """{id: the record's ordinal in its table}: its id counted from the
    table's first id. The demo seeds its random choices with these, not with
    ids, so a demo comes out the same whatever the database held before
    (PostgreSQL never reuses a sequence value) and a second run makes the
    same choices for the records the first one left."""
    first = session.scalar(select(func.min(model.id))) or 0
    return {record.id: record.id - first for record in records}
