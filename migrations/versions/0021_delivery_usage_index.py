"""the delivery entries' service-and-day index covers the resident and the
quantity, so a service's use in a period is summed from the index alone

Revision ID: 0021_delivery_usage_index
Revises: 0020_quality
Create Date: 2026-12-05 12:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_delivery_usage_index'
down_revision = '0020_quality'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('delivery_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_entry_service_day')
        batch_op.create_index('ix_delivery_entry_service_day',
                              ['service_id', 'delivered_on', 'resident_id', 'quantity'], unique=False)


def downgrade():
    with op.batch_alter_table('delivery_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_entry_service_day')
        batch_op.create_index('ix_delivery_entry_service_day', ['service_id', 'delivered_on'], unique=False)
