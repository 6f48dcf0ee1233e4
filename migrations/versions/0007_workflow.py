"""the record workflow: assignment, timeline, notes, support plans, staff messages, response templates

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 06:06:54.586786
"""
from alembic import op
import sqlalchemy as sa
import bot.models.base
from sqlalchemy.dialects import postgresql

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('response_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality', sa.String(length=32), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=True),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('response_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_templates_municipality'), ['municipality'], unique=False)

    op.create_table('record_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_kind', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_accounts.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['intake_records.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('record_events', schema=None) as batch_op:
        batch_op.create_index('ix_record_events_record_at', ['record_id', 'at'], unique=False)

    op.create_table('record_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['staff_accounts.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['intake_records.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('record_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_notes_record_id'), ['record_id'], unique=False)

    op.create_table('record_workflows',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('forwarded_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('forwarded_from', sa.String(length=64), nullable=True),
    sa.Column('forward_note', sa.Text(), nullable=True),
    sa.Column('rejected_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rejected_from', sa.String(length=64), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('escalated_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('escalation_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['staff_accounts.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['intake_records.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id')
    )
    with op.batch_alter_table('record_workflows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_workflows_assignee_id'), ['assignee_id'], unique=False)

    op.create_table('support_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('policy', sa.Text(), nullable=False),
    sa.Column('services', sa.Text(), nullable=False),
    sa.Column('agencies', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['staff_accounts.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['intake_records.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('support_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_plans_record_id'), ['record_id'], unique=False)

    op.create_table('staff_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('outbound_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['staff_accounts.id'], ),
    sa.ForeignKeyConstraint(['message_id'], ['intake_messages.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbound_id'], ['outbound_messages.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['record_id'], ['intake_records.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_id')
    )
    with op.batch_alter_table('staff_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_messages_record_id'), ['record_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('staff_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_messages_record_id'))

    op.drop_table('staff_messages')
    with op.batch_alter_table('support_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_plans_record_id'))

    op.drop_table('support_plans')
    with op.batch_alter_table('record_workflows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_workflows_assignee_id'))

    op.drop_table('record_workflows')
    with op.batch_alter_table('record_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_notes_record_id'))

    op.drop_table('record_notes')
    with op.batch_alter_table('record_events', schema=None) as batch_op:
        batch_op.drop_index('ix_record_events_record_at')

    op.drop_table('record_events')
    with op.batch_alter_table('response_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_templates_municipality'))

    op.drop_table('response_templates')
