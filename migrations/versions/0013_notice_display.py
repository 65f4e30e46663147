"""urgent notices: how each shows on the screens (full screen or a banner
alongside the slides); the notices published so far keep the full screen

Revision ID: 0013_notice_display
Revises: 0012_accounts
Create Date: 2026-12-05 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_notice_display'
down_revision = '0012_accounts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display', sa.String(length=8), nullable=False, server_default='full'))
        # Written as two comparisons: PostgreSQL prints a varchar IN (...) differently
        # after a pg_dump round trip, and a restore must give back the schema unchanged.
        batch_op.create_check_constraint('display_known', "display = 'full' OR display = 'banner'")


def downgrade():
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notice_display_known'), type_='check')
        batch_op.drop_column('display')
