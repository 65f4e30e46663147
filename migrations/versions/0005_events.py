"""events, exceptions, notices, events version

Revision ID: 0005_events
Revises: 0004_desk_indexes
Create Date: 2026-11-23 12:21:46.883876

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_events'
down_revision = '0004_desk_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('events_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events_version'))
    )
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=140), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_notice_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index('ix_notice_window', ['ends_at', 'starts_at'], unique=False)

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('frequency', sa.String(length=8), nullable=False),
    sa.Column('interval', sa.Integer(), nullable=False),
    sa.Column('weekdays', sa.String(length=20), nullable=False),
    sa.Column('monthly_mode', sa.String(length=12), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('skip_holidays', sa.Boolean(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('room', sa.String(length=120), nullable=True),
    sa.Column('organiser_id', sa.Integer(), nullable=True),
    sa.Column('registration_needed', sa.Boolean(), nullable=False),
    sa.Column('registration_phone', sa.String(length=16), nullable=True),
    sa.Column('registration_limit', sa.Integer(), nullable=True),
    sa.Column('free', sa.Boolean(), nullable=False),
    sa.Column('price', sa.String(length=120), nullable=True),
    sa.Column('image_name', sa.String(length=80), nullable=True),
    sa.Column('image_alt', sa.String(length=250), nullable=True),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('cancel_note', sa.String(length=300), nullable=True),
    sa.Column('span_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('span_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_event_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['organiser_id'], ['provider.id'], name=op.f('fk_event_organiser_id_provider')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_event_place_id_place')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_event_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    sa.UniqueConstraint('slug', name=op.f('uq_event_slug'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_place_id'), ['place_id'], unique=False)
        batch_op.create_index('ix_event_status_span', ['status', 'span_start', 'span_end'], unique=False)

    op.create_table('event_audience',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('target_group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_audience_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_group_id'], ['target_group.id'], name=op.f('fk_event_audience_target_group_id_target_group')),
    sa.PrimaryKeyConstraint('event_id', 'target_group_id', name=op.f('pk_event_audience'))
    )
    op.create_table('event_exception',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_exception_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'day', name=op.f('pk_event_exception'))
    )
    # The single version row exists from the start (kept between tests).
    op.bulk_insert(sa.table("events_version", sa.column("id"), sa.column("value")), [{"id": 1, "value": 0}])


def downgrade():
    op.drop_table('event_exception')
    op.drop_table('event_audience')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_status_span')
        batch_op.drop_index(batch_op.f('ix_event_place_id'))

    op.drop_table('event')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_window')

    op.drop_table('notice')
    op.drop_table('events_version')
