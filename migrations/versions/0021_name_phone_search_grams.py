"""the queue's search by name and phone number, indexed like the thread (bench/admin_queue.py)

Staff search by the person's name on a record, the resident's LINE display
name and the phone number (issue: the person at the centre). Without an
index each search reads every record and resident: at 100,000 records the
queue's search took 300–600 ms. Migration 0010's character and pair grams
serve these too (names are often two characters, 山田): ``intake_name_key``
writes a name as the search compares it (no spaces, half- or full-width),
and GIN indexes hold the grams of the name keys and of the phone digits.

PostgreSQL only, like 0010.

Revision ID: 0021
Revises: 0018
"""
from alembic import op

revision = "0021"
down_revision = "0018"
branch_labels = None
depends_on = None

NAME_KEY = """
CREATE FUNCTION intake_name_key(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT replace(replace(value, ' ', ''), '　', '')
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(NAME_KEY)
    op.execute("CREATE INDEX ix_intake_records_person_name_grams ON intake_records "
               "USING gin (intake_search_grams(intake_name_key(person_name)))")
    op.execute("CREATE INDEX ix_intake_records_phone_grams ON intake_records USING gin (intake_search_grams(phone))")
    op.execute("CREATE INDEX ix_residents_display_name_grams ON residents "
               "USING gin (intake_search_grams(intake_name_key(display_name)))")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_residents_display_name_grams")
    op.execute("DROP INDEX ix_intake_records_phone_grams")
    op.execute("DROP INDEX ix_intake_records_person_name_grams")
    op.execute("DROP FUNCTION intake_name_key(text)")
