"""yearly documents: the narrative sections of the yearly report to the council and of
the information on the programme's realisation, one per year and kind (issue 14 §3)

Revision ID: 0025_yearly
Revises: 0024_indicators
Create Date: 2026-12-05 15:15:33.893610

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_yearly'
down_revision = '0024_indicators'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('yearly_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_yearly_document_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_yearly_document_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_yearly_document')),
    sa.UniqueConstraint('year', 'kind', name='uq_yearly_document_year_kind')
    )


def downgrade():
    op.drop_table('yearly_document')
