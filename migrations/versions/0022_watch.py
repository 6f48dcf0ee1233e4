"""見守り (staying in touch): plans, contacts, check-in slots, escalation steps, consents

- ``watch_plans``: one plan per resident (optionally from a closed record);
- ``watch_contacts``: LINE contacts who accepted an invite, or phone-only contacts;
- ``watch_slots``: one row per plan per scheduled check-in (unique), claimed by the worker;
- ``watch_steps``: what happened to a slot (reminder, contacts, staff task, calls);
- ``watch_consents``: the resident's agreement with its text version.

Revision ID: 0022
Revises: 0021
"""
from alembic import op
import sqlalchemy as sa
import bot.models.base


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('watch_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('centre_code', sa.String(length=32), nullable=True),
    sa.Column('interval_days', sa.Integer(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('paused_until', sa.Date(), nullable=True),
    sa.Column('pause_reason', sa.String(length=40), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('stop_reason', sa.String(length=40), nullable=True),
    sa.Column('stopped_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['staff_accounts.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['record_id'], ['intake_records.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('watch_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_plans_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_watch_plans_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('ix_watch_plans_state_centre', ['state', 'centre_code'], unique=False)

    op.create_table('watch_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('text_version', sa.String(length=40), nullable=False),
    sa.Column('via', sa.String(length=16), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('agreed_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['watch_plans.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_accounts.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('watch_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_consents_resident_id'), ['resident_id'], unique=False)

    op.create_table('watch_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('invite_code', sa.String(length=16), nullable=True),
    sa.Column('contact_resident_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removed_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_resident_id'], ['residents.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['watch_plans.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('invite_code')
    )
    with op.batch_alter_table('watch_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_contacts_plan_id'), ['plan_id'], unique=False)

    op.create_table('watch_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('due_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('sent_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answer', sa.String(length=16), nullable=True),
    sa.Column('answered_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('next_step_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('handled_at', bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['watch_plans.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('plan_id', 'due_at', name='uq_watch_slots_plan_due')
    )
    with op.batch_alter_table('watch_slots', schema=None) as batch_op:
        batch_op.create_index('ix_watch_slots_state_due', ['state', 'due_at'], unique=False)
        batch_op.create_index('ix_watch_slots_state_next_step', ['state', 'next_step_at'], unique=False)

    op.create_table('watch_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('result', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('at', bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['slot_id'], ['watch_slots.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_accounts.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('watch_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_steps_slot_id'), ['slot_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('watch_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_steps_slot_id'))

    op.drop_table('watch_steps')
    with op.batch_alter_table('watch_slots', schema=None) as batch_op:
        batch_op.drop_index('ix_watch_slots_state_next_step')
        batch_op.drop_index('ix_watch_slots_state_due')

    op.drop_table('watch_slots')
    with op.batch_alter_table('watch_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_contacts_plan_id'))

    op.drop_table('watch_contacts')
    with op.batch_alter_table('watch_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_consents_resident_id'))

    op.drop_table('watch_consents')
    with op.batch_alter_table('watch_plans', schema=None) as batch_op:
        batch_op.drop_index('ix_watch_plans_state_centre')
        batch_op.drop_index(batch_op.f('ix_watch_plans_resident_id'))
        batch_op.drop_index(batch_op.f('ix_watch_plans_record_id'))

    op.drop_table('watch_plans')
