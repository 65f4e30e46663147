"""provider applications: organisations register themselves as providers (issue 15 §1)

Revision ID: 0029_provider_applications
Revises: 0028_provider_reminders
Create Date: 2026-12-05 18:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029_provider_applications'
down_revision = '0028_provider_reminders'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('provider_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('name', sa.String(length=250), nullable=False),
    sa.Column('legal_form', sa.String(length=200), nullable=True),
    sa.Column('provider_type', sa.String(length=32), nullable=False),
    sa.Column('nip', sa.String(length=10), nullable=True),
    sa.Column('regon', sa.String(length=14), nullable=True),
    sa.Column('krs', sa.String(length=10), nullable=True),
    sa.Column('address_1', sa.String(length=200), nullable=False),
    sa.Column('postal_code', sa.String(length=6), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_phone', sa.String(length=16), nullable=True),
    sa.Column('experience', sa.Text(), nullable=False),
    sa.Column('proposed_services', sa.JSON(), nullable=False),
    sa.Column('premises', sa.Text(), nullable=True),
    sa.Column('accessibility_codes', sa.String(length=300), nullable=False),
    sa.Column('staff_count', sa.Integer(), nullable=True),
    sa.Column('staff_qualifications', sa.Text(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('provider_id', sa.Integer(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('link_hash', sa.String(length=64), nullable=True),
    sa.Column('link_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['user_account.id'], name=op.f('fk_provider_application_account_id_user_account')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_provider_application_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_provider_application_provider_id_provider')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_application')),
    sa.UniqueConstraint('link_hash', name=op.f('uq_provider_application_link_hash'))
    )
    with op.batch_alter_table('provider_application', schema=None) as batch_op:
        batch_op.create_index('ix_provider_application_status_received', ['status', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_provider_application_provider_id'), ['provider_id'], unique=False)


def downgrade():
    with op.batch_alter_table('provider_application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_application_provider_id'))
        batch_op.drop_index('ix_provider_application_status_received')

    op.drop_table('provider_application')
