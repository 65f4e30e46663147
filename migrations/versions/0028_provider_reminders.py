"""provider reminders: when a provider was last asked to confirm its entries (issue 15 §1)

Revision ID: 0028_provider_reminders
Revises: 0027_contracts
Create Date: 2026-12-05 18:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028_provider_reminders'
down_revision = '0027_contracts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'provider_assurance_reminder',
        sa.Column('provider_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('services', sa.Integer(), nullable=False),
        sa.Column('recipients', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['provider_id'], ['provider.id'],
                                name=op.f('fk_provider_assurance_reminder_provider_id_provider')),
        sa.PrimaryKeyConstraint('provider_id', name=op.f('pk_provider_assurance_reminder')),
    )


def downgrade():
    op.drop_table('provider_assurance_reminder')
