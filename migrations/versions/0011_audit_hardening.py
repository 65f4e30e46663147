"""audit log closed against REPLACE and TRUNCATE; one record per form submission

Revision ID: 0011_audit_hardening
Revises: 0010_capacity_basis
Create Date: 2026-12-04 22:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_audit_hardening'
down_revision = '0010_capacity_basis'
branch_labels = None
depends_on = None

# SQLite: INSERT OR REPLACE deletes the clashing row without firing the delete
# trigger (recursive triggers are off), so a replaced audit row escaped
# 0003's triggers. A BEFORE INSERT trigger sees the existing row first and
# aborts: no conflict resolution of any kind can overwrite a row.
NO_REPLACE_SQLITE = (
    "CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event "
    "WHEN EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id) "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
)
# PostgreSQL: TRUNCATE fires no row trigger; a statement trigger refuses it.
# (INSERT ... ON CONFLICT DO UPDATE fires the row UPDATE trigger of 0003.)
NO_TRUNCATE_PG = (
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
)


def upgrade():
    op.create_table(
        'form_submission',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('form', sa.String(length=32), nullable=False),
        sa.Column('object_type', sa.String(length=64), nullable=True),
        sa.Column('object_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_form_submission')),
        sa.UniqueConstraint('key', name=op.f('uq_form_submission_key')),
    )
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_submission_created_at'), ['created_at'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(NO_TRUNCATE_PG)
    else:
        op.execute(NO_REPLACE_SQLITE)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_replace")
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_submission_created_at'))
    op.drop_table('form_submission')
