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
