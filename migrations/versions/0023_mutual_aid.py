"""住民支え合い: help requests, supporters, groups, offers (open calls), done records, local services

- ``support_groups``: 住民支え合い活動グループ and other host organisations;
- ``supporters``: residents who offered help, with status, consents and what the SC recorded;
- ``help_requests``: small help asked on LINE or entered by staff;
- ``help_offers``: one supporter asked to take one request; at most one accepted per request;
- ``help_done``: hours given and the points they earn;
- ``local_services``: 生活支援サービス entered by staff.

Revision ID: 0023
Revises: 0022
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import bot.models.base

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('support_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('centre_code', sa.String(length=32), nullable=False),
    sa.Column('area_codes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('support_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_groups_centre_code'), ['centre_code'], unique=False)

    op.create_table('local_services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('area_codes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['staff_accounts.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('local_services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_local_services_kind'), ['kind'], unique=False)

    op.create_table('supporters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('tasks', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('area_codes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('availability', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('max_per_month', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('insurance', sa.String(length=200), nullable=False),
    sa.Column('approved_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('consent_version', sa.String(length=32), nullable=False),
    sa.Column('consented_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('contact_consent_version', sa.String(length=32), nullable=True),
    sa.Column('contact_consented_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approved_by'], ['staff_accounts.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['support_groups.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('resident_id')
    )
    with op.batch_alter_table('supporters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supporters_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supporters_status'), ['status'], unique=False)

    op.create_table('help_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('asked_by', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('tasks', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('area_code', sa.String(length=32), nullable=False),
    sa.Column('centre_code', sa.String(length=32), nullable=False),
    sa.Column('wanted_on', sa.Date(), nullable=True),
    sa.Column('time_window', sa.String(length=16), nullable=False),
    sa.Column('frequency', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('supporter_id', sa.Integer(), nullable=True),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('matched_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['staff_accounts.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['record_id'], ['intake_records.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supporter_id'], ['supporters.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_requests_area_code'), ['area_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_centre_code'), ['centre_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('ix_help_requests_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_supporter_id'), ['supporter_id'], unique=False)

    op.create_table('help_done',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('supporter_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('recorded_by', sa.String(length=16), nullable=False),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['support_groups.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supporter_id'], ['supporters.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('help_done', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_done_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_done_supporter_id'), ['supporter_id'], unique=False)

    op.create_table('help_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('supporter_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('sent_by', sa.Integer(), nullable=True),
    sa.Column('sent_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by'], ['staff_accounts.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supporter_id'], ['supporters.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('help_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_offers_supporter_id'), ['supporter_id'], unique=False)
        batch_op.create_index('uq_help_offers_one_accepted', ['request_id'], unique=True, sqlite_where=sa.text("status = 'accepted'"), postgresql_where=sa.text("status = 'accepted'"))
        batch_op.create_index('uq_help_offers_request_supporter', ['request_id', 'supporter_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('help_offers', schema=None) as batch_op:
        batch_op.drop_index('uq_help_offers_request_supporter')
        batch_op.drop_index('uq_help_offers_one_accepted', sqlite_where=sa.text("status = 'accepted'"), postgresql_where=sa.text("status = 'accepted'"))
        batch_op.drop_index(batch_op.f('ix_help_offers_supporter_id'))

    op.drop_table('help_offers')
    with op.batch_alter_table('help_done', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_done_supporter_id'))
        batch_op.drop_index(batch_op.f('ix_help_done_request_id'))

    op.drop_table('help_done')
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_requests_supporter_id'))
        batch_op.drop_index('ix_help_requests_status_created')
        batch_op.drop_index(batch_op.f('ix_help_requests_resident_id'))
        batch_op.drop_index(batch_op.f('ix_help_requests_centre_code'))
        batch_op.drop_index(batch_op.f('ix_help_requests_area_code'))

    op.drop_table('help_requests')
    with op.batch_alter_table('supporters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supporters_status'))
        batch_op.drop_index(batch_op.f('ix_supporters_group_id'))

    op.drop_table('supporters')
    with op.batch_alter_table('local_services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_local_services_kind'))

    op.drop_table('local_services')
    with op.batch_alter_table('support_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_groups_centre_code'))

    op.drop_table('support_groups')
