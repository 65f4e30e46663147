"""delivery register: group sessions and attendance, individual deliveries,
consultations, events' head counts, and each service's delivery mode (issue 13)

Revision ID: 0017_delivery
Revises: 0016_life_situations
Create Date: 2026-12-05 11:43:51.640188

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_delivery'
down_revision = '0016_life_situations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('given_by', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('minutes > 0', name=op.f('ck_consultation_minutes_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_consultation_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_consultation_provider_id_provider')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_consultation_resident_id_resident')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_consultation_service_id_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation'))
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('ix_consultation_service_day', ['service_id', 'given_on'], unique=False)

    op.create_table('delivery_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('delivered_by', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_delivery_entry_quantity_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_delivery_entry_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_delivery_entry_provider_id_provider')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_delivery_entry_resident_id_resident')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_delivery_entry_service_id_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_entry'))
    )
    with op.batch_alter_table('delivery_entry', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_entry_person_service_day', ['resident_id', 'service_id', 'delivered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_entry_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index('ix_delivery_entry_service_day', ['service_id', 'delivered_on'], unique=False)

    op.create_table('group_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('leader', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('other_participants', sa.Integer(), nullable=False),
    sa.Column('scan_file', sa.String(length=80), nullable=True),
    sa.Column('scan_type', sa.String(length=40), nullable=True),
    sa.Column('scan_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends > starts', name=op.f('ck_group_session_ends_after_start')),
    sa.CheckConstraint('other_participants >= 0', name=op.f('ck_group_session_other_participants_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_group_session_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_group_session_provider_id_provider')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_group_session_service_id_service')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_group_session_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_session')),
    sa.UniqueConstraint('service_id', 'held_on', 'starts', name='one_session_per_start')
    )
    with op.batch_alter_table('group_session', schema=None) as batch_op:
        batch_op.create_index('ix_group_session_day', ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_session_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index('ix_group_session_service_day', ['service_id', 'held_on'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_attendance_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], name=op.f('fk_attendance_resident_id_resident')),
    sa.ForeignKeyConstraint(['session_id'], ['group_session.id'], name=op.f('fk_attendance_session_id_group_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('session_id', 'resident_id', name='once_per_session')
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_resident_id'), ['resident_id'], unique=False)

    op.create_table('event_head_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('occurs_on', sa.Date(), nullable=False),
    sa.Column('head_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('head_count >= 0', name=op.f('ck_event_head_count_head_count_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_event_head_count_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_head_count_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_event_head_count_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_head_count')),
    sa.UniqueConstraint('event_id', 'occurs_on', name='one_count_per_occurrence')
    )
    with op.batch_alter_table('event_head_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_head_count_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery_mode', sa.String(length=16), server_default='group', nullable=False))
    # Services counted in hours, rides, visits, days, loans, packages or months
    # are delivered person by person; meetings and places are group sessions.
    op.execute("UPDATE service SET delivery_mode = 'individual' WHERE unit NOT IN ('meeting', 'person')")
    # What was used and by how many is counted from the register now
    # (portal/delivery/figures.py), no longer typed by hand.
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('capacity_used')
        batch_op.drop_column('current_users')
    # The delivery register's data version (portal/core/versions.py).
    op.execute("INSERT INTO data_version (name, counter) VALUES ('delivery', 0)")



def downgrade():
    op.execute("DELETE FROM data_version WHERE name = 'delivery'")
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('capacity_used', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('current_users', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('delivery_mode')

    with op.batch_alter_table('event_head_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_head_count_event_id'))

    op.drop_table('event_head_count')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_resident_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('group_session', schema=None) as batch_op:
        batch_op.drop_index('ix_group_session_service_day')
        batch_op.drop_index(batch_op.f('ix_group_session_provider_id'))
        batch_op.drop_index('ix_group_session_day')

    op.drop_table('group_session')
    with op.batch_alter_table('delivery_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_entry_service_day')
        batch_op.drop_index(batch_op.f('ix_delivery_entry_provider_id'))
        batch_op.drop_index('ix_delivery_entry_person_service_day')

    op.drop_table('delivery_entry')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_service_day')
        batch_op.drop_index(batch_op.f('ix_consultation_resident_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_provider_id'))

    op.drop_table('consultation')
