"""events: salons and events, their recurring series, and sign-ups

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import bot.models.base

revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None

ACTIVE_SIGNUP = "status IN ('confirmed', 'waiting', 'attended')"


def upgrade() -> None:
    op.create_table('event_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('centre_code', sa.String(length=32), nullable=False),
    sa.Column('frequency', sa.String(length=16), nullable=False),
    sa.Column('interval', sa.Integer(), nullable=False),
    sa.Column('first_date', sa.Date(), nullable=False),
    sa.Column('until_date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('signup_opens_days_before', sa.Integer(), nullable=True),
    sa.Column('signup_closes_hours_before', sa.Integer(), nullable=False),
    sa.Column('cancel_hours_before', sa.Integer(), nullable=False),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_series_centre_code'), ['centre_code'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('organiser', sa.String(length=120), nullable=False),
    sa.Column('area_code', sa.String(length=32), nullable=False),
    sa.Column('centre_code', sa.String(length=32), nullable=False),
    sa.Column('venue_name', sa.String(length=120), nullable=False),
    sa.Column('venue_address', sa.String(length=200), nullable=False),
    sa.Column('venue_lat', sa.Float(), nullable=True),
    sa.Column('venue_lon', sa.Float(), nullable=True),
    sa.Column('starts_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('max_party_size', sa.Integer(), nullable=False),
    sa.Column('signup_opens_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signup_closes_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancel_deadline', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('fee', sa.String(length=120), nullable=False),
    sa.Column('what_to_bring', sa.String(length=200), nullable=False),
    sa.Column('accessibility', sa.String(length=300), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('cancelled_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['event_series.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_area_code'), ['area_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_centre_code'), ['centre_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_series_id'), ['series_id'], unique=False)
        batch_op.create_index('ix_events_status_starts', ['status', 'starts_at'], unique=False)

    op.create_table('event_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('party_size', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('waiting_position', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('promoted_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.String(length=16), nullable=True),
    sa.Column('attended_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event_signups', schema=None) as batch_op:
        batch_op.create_index('ix_event_signups_event_status', ['event_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_signups_resident_id'), ['resident_id'], unique=False)
        # A resident holds at most one active sign-up per event date.
        batch_op.create_index(
            'uq_event_signups_active_resident', ['event_id', 'resident_id'], unique=True,
            sqlite_where=sa.text(ACTIVE_SIGNUP), postgresql_where=sa.text(ACTIVE_SIGNUP),
        )


def downgrade() -> None:
    with op.batch_alter_table('event_signups', schema=None) as batch_op:
        batch_op.drop_index('uq_event_signups_active_resident')
        batch_op.drop_index(batch_op.f('ix_event_signups_resident_id'))
        batch_op.drop_index('ix_event_signups_event_status')
    op.drop_table('event_signups')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_status_starts')
        batch_op.drop_index(batch_op.f('ix_events_series_id'))
        batch_op.drop_index(batch_op.f('ix_events_kind'))
        batch_op.drop_index(batch_op.f('ix_events_centre_code'))
        batch_op.drop_index(batch_op.f('ix_events_area_code'))
    op.drop_table('events')

    with op.batch_alter_table('event_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_series_centre_code'))
    op.drop_table('event_series')
