"""The schema comes only from migrations: they must match the models exactly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


def test_migrations_match_the_models(app):
    from portal.extensions import db

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_reference_data_is_seeded(app):
    from portal.catalogue.models import Area, TargetGroup
    from portal.catalogue.reference import AREAS, TARGET_GROUPS
    from portal.extensions import db

    areas = db.session.scalars(db.select(Area).order_by(Area.position)).all()
    assert [(a.code, a.name) for a in areas] == list(AREAS)
    assert len(areas) == 14
    groups = db.session.scalars(db.select(TargetGroup).order_by(TargetGroup.position)).all()
    assert [(g.code, g.name) for g in groups] == list(TARGET_GROUPS)


def test_the_audit_log_is_append_only(app):
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    from portal.audit.services import record
    from portal.extensions import db

    event = record("view", None, actor=None, object_type="resident", summary="test")
    db.session.commit()
    for statement in ("UPDATE audit_event SET summary = 'changed'", "DELETE FROM audit_event"):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.get(type(event), event.id).summary == "test"


def test_the_audit_log_cannot_be_replaced_or_truncated(app):
    """The review overwrote a row with SQLite's INSERT OR REPLACE and emptied
    the table with PostgreSQL's TRUNCATE; both are refused now, as is an
    upsert that would turn into an update."""
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    from portal.audit.services import record
    from portal.extensions import db

    event = record("view", None, actor=None, object_type="resident", summary="evidence")
    db.session.commit()
    columns = "(id, at, action, object_type, summary)"
    values = f"({event.id}, CURRENT_TIMESTAMP, 'view', 'resident', 'forged')"
    if db.engine.dialect.name == "sqlite":
        statements = [f"INSERT OR REPLACE INTO audit_event {columns} VALUES {values}",
                      f"REPLACE INTO audit_event {columns} VALUES {values}",
                      f"INSERT INTO audit_event {columns} VALUES {values} "
                      "ON CONFLICT(id) DO UPDATE SET summary = 'forged'"]
    else:
        statements = ["TRUNCATE audit_event", "TRUNCATE audit_event CASCADE",
                      f"INSERT INTO audit_event {columns} VALUES {values} "
                      "ON CONFLICT (id) DO UPDATE SET summary = 'forged'"]
    for statement in statements:
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.get(type(event), event.id).summary == "evidence"
    assert db.session.scalar(text("SELECT count(*) FROM audit_event")) == 1
    # New rows still go in.
    record("view", None, actor=None, object_type="resident", summary="next")
    db.session.commit()
    assert db.session.scalar(text("SELECT count(*) FROM audit_event")) == 2
