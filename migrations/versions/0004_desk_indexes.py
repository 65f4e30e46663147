"""desk indexes: requests closed today, ordered name search

Revision ID: 0004_desk_indexes
Revises: 0003_residents_requests
Create Date: 2026-11-23 12:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_desk_indexes'
down_revision = '0003_residents_requests'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f('ix_request_closed_at'), 'request', ['closed_at'], unique=False)
    op.drop_index('ix_resident_search_last', table_name='resident')
    op.create_index('ix_resident_search_name', 'resident', ['search_last', 'search_first', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_resident_search_name', table_name='resident')
    op.create_index('ix_resident_search_last', 'resident', ['search_last'], unique=False)
    op.drop_index(op.f('ix_request_closed_at'), table_name='request')
