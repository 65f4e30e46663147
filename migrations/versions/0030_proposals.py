"""service proposals: a provider's proposed new services and changes, reviewed by the organiser (issue 15 §1)

Revision ID: 0030_proposals
Revises: 0029_provider_applications
Create Date: 2026-12-05 18:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0030_proposals'
down_revision = '0029_provider_applications'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('base', sa.JSON(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_service_proposal_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_service_proposal_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_service_proposal_provider_id_provider')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_service_proposal_service_id_service')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_service_proposal_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_proposal'))
    )
    with op.batch_alter_table('service_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_proposal_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_proposal_service_id'), ['service_id'], unique=False)
        batch_op.create_index('ix_service_proposal_state', ['state'], unique=False)



def downgrade():
    with op.batch_alter_table('service_proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_service_proposal_state')
        batch_op.drop_index(batch_op.f('ix_service_proposal_service_id'))
        batch_op.drop_index(batch_op.f('ix_service_proposal_provider_id'))

    op.drop_table('service_proposal')
