"""complaints and requests: the register (skargi i wnioski, KPA dział VIII),
its follow-up actions and its per-year number counter (issue 13 §3)

Revision ID: 0019_complaints
Revises: 0017_delivery
Create Date: 2026-12-05 11:47:51.063587

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_complaints'
down_revision = '0017_delivery'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('complaint_number_counter',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_complaint_number_counter'))
    )
    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number_year', sa.Integer(), nullable=False),
    sa.Column('number_seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('complainant_name', sa.String(length=200), nullable=True),
    sa.Column('complainant_contact', sa.String(length=300), nullable=True),
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('provider_id', sa.Integer(), nullable=True),
    sa.Column('staff_member_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('extended_until', sa.Date(), nullable=True),
    sa.Column('extension_reason', sa.String(length=1000), nullable=True),
    sa.Column('extension_notice_on', sa.Date(), nullable=True),
    sa.Column('answer_text', sa.Text(), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_complaint_closed_by_id_user_account')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_complaint_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['handler_id'], ['user_account.id'], name=op.f('fk_complaint_handler_id_user_account')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_complaint_provider_id_provider')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_complaint_service_id_service')),
    sa.ForeignKeyConstraint(['staff_member_id'], ['user_account.id'], name=op.f('fk_complaint_staff_member_id_user_account')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_complaint_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint')),
    sa.UniqueConstraint('number_year', 'number_seq', name=op.f('uq_complaint_number_year'))
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_handler_id'), ['handler_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_staff_member_id'), ['staff_member_id'], unique=False)
        batch_op.create_index('ix_complaint_status_due', ['status', 'due_on'], unique=False)

    op.create_table('complaint_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_action_complaint_id_complaint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_complaint_action_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['responsible_id'], ['user_account.id'], name=op.f('fk_complaint_action_responsible_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_action'))
    )
    with op.batch_alter_table('complaint_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_action_complaint_id'), ['complaint_id'], unique=False)



def downgrade():
    with op.batch_alter_table('complaint_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_action_complaint_id'))

    op.drop_table('complaint_action')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_status_due')
        batch_op.drop_index(batch_op.f('ix_complaint_staff_member_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_service_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_received_on'))
        batch_op.drop_index(batch_op.f('ix_complaint_provider_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_handler_id'))

    op.drop_table('complaint')
    op.drop_table('complaint_number_counter')
