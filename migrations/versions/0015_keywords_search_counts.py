"""service keywords; every search counted per text and day (search_count)
replaces the searches that found nothing (search_miss), whose rows move in

Revision ID: 0015_keywords_search_counts
Revises: 0014_data_version
Create Date: 2026-12-10 12:00:00

A search_miss row (text, count, first and last seen) becomes one search_count
row on the Warsaw day it was last seen, with every search counted a miss:
how the count spread over the days was never stored. The downgrade folds
each text's missed searches back into one search_miss row.
"""
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_keywords_search_counts'
down_revision = '0014_data_version'
branch_labels = None
depends_on = None

WARSAW = ZoneInfo("Europe/Warsaw")

search_miss = sa.table(
    'search_miss',
    sa.column('id', sa.Integer), sa.column('query', sa.String), sa.column('count', sa.Integer),
    sa.column('first_at', sa.DateTime(timezone=True)), sa.column('last_at', sa.DateTime(timezone=True)),
)
search_count = sa.table(
    'search_count',
    sa.column('day', sa.Date), sa.column('query', sa.String), sa.column('searches', sa.Integer),
    sa.column('misses', sa.Integer), sa.column('results', sa.Integer),
    sa.column('last_at', sa.DateTime(timezone=True)), sa.column('handled', sa.Boolean),
)


def _aware(moment):
    """SQLite hands back naive UTC; PostgreSQL an aware instant."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def _stored(moment, sqlite):
    moment = moment.astimezone(timezone.utc)
    return moment.replace(tzinfo=None) if sqlite else moment


def upgrade():
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keywords', sa.Text(), nullable=True))

    op.create_table('search_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('query', sa.String(length=200), nullable=False),
    sa.Column('searches', sa.Integer(), nullable=False),
    sa.Column('misses', sa.Integer(), nullable=False),
    sa.Column('results', sa.Integer(), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled', sa.Boolean(), nullable=False),
    sa.CheckConstraint('misses <= searches', name=op.f('ck_search_count_misses_within_searches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_count')),
    sa.UniqueConstraint('day', 'query', name='uq_search_count_day_query')
    )
    with op.batch_alter_table('search_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_count_query'), ['query'], unique=False)

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    rows = []
    for row in bind.execute(sa.select(search_miss.c.query, search_miss.c.count, search_miss.c.last_at)):
        last_at = _aware(row.last_at)
        count = max(row.count or 0, 1)
        rows.append({"day": last_at.astimezone(WARSAW).date(), "query": row.query, "searches": count,
                     "misses": count, "results": 0, "last_at": _stored(last_at, sqlite), "handled": False})
    if rows:
        op.bulk_insert(search_count, rows)
    op.drop_table('search_miss')


def downgrade():
    op.create_table('search_miss',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('query', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_miss')),
    sa.UniqueConstraint('query', name=op.f('uq_search_miss_query'))
    )
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    texts = {}
    rows = bind.execute(sa.select(search_count.c.query, search_count.c.day, search_count.c.misses,
                                  search_count.c.last_at).where(search_count.c.misses > 0))
    for row in rows:
        first = datetime.combine(row.day, time(0), WARSAW)
        count, first_at, last_at = texts.get(row.query, (0, first, _aware(row.last_at)))
        texts[row.query] = (count + row.misses, min(first_at, first), max(last_at, _aware(row.last_at)))
    if texts:
        op.bulk_insert(search_miss, [
            {"query": query, "count": count, "first_at": _stored(first_at, sqlite),
             "last_at": _stored(last_at, sqlite)}
            for query, (count, first_at, last_at) in texts.items()])
    with op.batch_alter_table('search_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_count_query'))
    op.drop_table('search_count')
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('keywords')
