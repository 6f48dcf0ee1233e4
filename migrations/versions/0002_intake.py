"""intake: consultation records, their threads and photos, receipt counters

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa
import bot.models.base
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('intake_receipt_counters',
    sa.Column('municipality', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('municipality', 'year')
    )
    op.create_table('intake_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality', sa.String(length=32), nullable=False),
    sa.Column('receipt_number', sa.String(length=32), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=16), nullable=True),
    sa.Column('categories', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('area_code', sa.String(length=32), nullable=True),
    sa.Column('area_source', sa.String(length=16), nullable=True),
    sa.Column('centre_code', sa.String(length=64), nullable=True),
    sa.Column('urgency', sa.String(length=16), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('urgent_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('danger_kinds', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('contact_method', sa.String(length=16), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('contact_times', sa.String(length=200), nullable=True),
    sa.Column('legal_basis', sa.String(length=20), nullable=False),
    sa.Column('consent_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('consent_version', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('flags', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('thread_notice_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('municipality', 'receipt_number', name='uq_intake_records_receipt')
    )
    with op.batch_alter_table('intake_records', schema=None) as batch_op:
        batch_op.create_index('ix_intake_records_queue', ['municipality', 'centre_code', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_records_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_records_status'), ['status'], unique=False)
        batch_op.create_index('ix_intake_records_urgent', ['urgent', 'created_at'], unique=False)

    op.create_table('intake_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('line_message_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('fetched_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['record_id'], ['intake_records.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('intake_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_attachments_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_attachments_line_message_id'), ['line_message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_attachments_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_attachments_resident_id'), ['resident_id'], unique=False)

    op.create_table('intake_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=16), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('line_message_id', sa.String(length=64), nullable=True),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['intake_attachments.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['record_id'], ['intake_records.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('intake_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_messages_line_message_id'), ['line_message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_messages_record_id'), ['record_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('intake_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_messages_record_id'))
        batch_op.drop_index(batch_op.f('ix_intake_messages_line_message_id'))

    op.drop_table('intake_messages')
    with op.batch_alter_table('intake_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_attachments_resident_id'))
        batch_op.drop_index(batch_op.f('ix_intake_attachments_record_id'))
        batch_op.drop_index(batch_op.f('ix_intake_attachments_line_message_id'))
        batch_op.drop_index(batch_op.f('ix_intake_attachments_conversation_id'))

    op.drop_table('intake_attachments')
    with op.batch_alter_table('intake_records', schema=None) as batch_op:
        batch_op.drop_index('ix_intake_records_urgent')
        batch_op.drop_index(batch_op.f('ix_intake_records_status'))
        batch_op.drop_index(batch_op.f('ix_intake_records_resident_id'))
        batch_op.drop_index('ix_intake_records_queue')

    op.drop_table('intake_records')
    op.drop_table('intake_receipt_counters')
