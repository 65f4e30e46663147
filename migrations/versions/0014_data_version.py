"""data versions: the catalogue, desk and events counters move into one
table, data_version (name, counter), keeping their values

Revision ID: 0014_data_version
Revises: 0013_notice_display
Create Date: 2026-12-08 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_data_version'
down_revision = '0013_notice_display'
branch_labels = None
depends_on = None

# name in data_version -> the single-row table (id 1, value) it replaces.
OLD_TABLES = (("catalogue", "catalogue_version"), ("desk", "desk_state"), ("events", "events_version"))


def upgrade():
    op.create_table('data_version',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('counter', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_version'))
    )
    for name, table in OLD_TABLES:
        op.execute(f"INSERT INTO data_version (name, counter) "
                   f"VALUES ('{name}', COALESCE((SELECT value FROM {table} WHERE id = 1), 0))")
        op.drop_table(table)


def downgrade():
    for name, table in OLD_TABLES:
        op.create_table(table,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}'))
        )
        op.execute(f"INSERT INTO {table} (id, value) "
                   f"VALUES (1, COALESCE((SELECT counter FROM data_version WHERE name = '{name}'), 0))")
    op.drop_table('data_version')
