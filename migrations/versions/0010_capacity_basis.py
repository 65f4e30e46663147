"""capacity counted in places or in units of the service

Revision ID: 0010_capacity_basis
Revises: 0009_casework
Create Date: 2026-11-23 13:05:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_capacity_basis'
down_revision = '0009_casework'
branch_labels = None
depends_on = None

# Services met in groups or by the month hold a place per person; the rest
# (hours of care, visits, loans, trips) draw on a pool of units. The services
# organiser can change either on the service's form.
PLACE_UNITS = ("meeting", "month", "person")


def upgrade():
    with op.batch_alter_table('service') as batch_op:
        batch_op.add_column(sa.Column('capacity_basis', sa.String(length=8), server_default='units', nullable=False))
    service = sa.table('service', sa.column('unit', sa.String), sa.column('capacity_basis', sa.String))
    op.execute(service.update().where(service.c.unit.in_(PLACE_UNITS)).values(capacity_basis='places'))


def downgrade():
    with op.batch_alter_table('service') as batch_op:
        batch_op.drop_column('capacity_basis')
