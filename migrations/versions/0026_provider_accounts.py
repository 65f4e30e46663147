"""provider accounts: a user account may belong to a provider (issue 15 §1)

Revision ID: 0026_provider_accounts
Revises: 0025_yearly
Create Date: 2026-12-05 17:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026_provider_accounts'
down_revision = '0025_yearly'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_account_provider_id'), ['provider_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_account_provider_id_provider'), 'provider',
                                    ['provider_id'], ['id'])


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_account_provider_id_provider'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_account_provider_id'))
        batch_op.drop_column('provider_id')
