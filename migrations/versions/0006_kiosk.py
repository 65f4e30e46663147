"""kiosk screens and heartbeats

Revision ID: 0006_kiosk
Revises: 0005_events
Create Date: 2026-11-23 12:25:14

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_kiosk'
down_revision = '0005_events'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kiosk_screen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('hours', sa.String(length=120), nullable=False),
    sa.Column('always_on', sa.Boolean(), nullable=False),
    sa.Column('closed_on_holidays', sa.Boolean(), nullable=False),
    sa.Column('slide_seconds', sa.Integer(), nullable=True),
    sa.Column('show_today', sa.Boolean(), nullable=False),
    sa.Column('show_upcoming', sa.Boolean(), nullable=False),
    sa.Column('show_free_services', sa.Boolean(), nullable=False),
    sa.Column('show_notices', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('slide_seconds IS NULL OR slide_seconds BETWEEN 5 AND 120', name=op.f('ck_kiosk_screen_slide_seconds_range')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_kiosk_screen_place_id_place'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_screen')),
    sa.UniqueConstraint('token', name=op.f('uq_kiosk_screen_token'))
    )
    with op.batch_alter_table('kiosk_screen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_screen_place_id'), ['place_id'], unique=False)

    op.create_table('kiosk_heartbeat',
    sa.Column('screen_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('slide_key', sa.String(length=80), nullable=True),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('set_version', sa.String(length=80), nullable=True),
    sa.Column('data_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('user_agent', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['screen_id'], ['kiosk_screen.id'], name=op.f('fk_kiosk_heartbeat_screen_id_kiosk_screen'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('screen_id', name=op.f('pk_kiosk_heartbeat'))
    )
    op.create_table('kiosk_screen_service',
    sa.Column('screen_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['screen_id'], ['kiosk_screen.id'], name=op.f('fk_kiosk_screen_service_screen_id_kiosk_screen'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_kiosk_screen_service_service_id_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('screen_id', 'service_id', name=op.f('pk_kiosk_screen_service'))
    )


def downgrade():
    op.drop_table('kiosk_screen_service')
    op.drop_table('kiosk_heartbeat')
    with op.batch_alter_table('kiosk_screen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_screen_place_id'))

    op.drop_table('kiosk_screen')
