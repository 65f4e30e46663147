"""life situations: situations in residents' words, each with the services
the services organiser chose for it (browse by life situation, issue 12)

Revision ID: 0016_life_situations
Revises: 0015_keywords_search_counts
Create Date: 2026-12-05 08:46:42.447232

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_life_situations'
down_revision = '0015_keywords_search_counts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('life_situation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=140), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                            name=op.f('fk_life_situation_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'],
                            name=op.f('fk_life_situation_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_life_situation')),
    sa.UniqueConstraint('name', name=op.f('uq_life_situation_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_life_situation_slug'))
    )
    op.create_table('life_situation_service',
    sa.Column('life_situation_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['life_situation_id'], ['life_situation.id'],
                            name=op.f('fk_life_situation_service_life_situation_id_life_situation'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'],
                            name=op.f('fk_life_situation_service_service_id_service')),
    sa.PrimaryKeyConstraint('life_situation_id', 'service_id', name=op.f('pk_life_situation_service'))
    )


def downgrade():
    op.drop_table('life_situation_service')
    op.drop_table('life_situation')
