"""the queue's search by words of one or two characters (bench/admin_queue.py)

Staff search the receipt number and what residents wrote with ``ILIKE
'%...%'``. Migration 0009's trigram (pg_trgm) indexes cannot serve words
shorter than three characters, and Japanese words are often one or two
(母, 家賃, 介護): those searches read every message.

PostgreSQL only: ``intake_search_grams(text)`` gives the lower-cased
characters and pairs of adjacent characters of a text, and GIN indexes on
it for the receipt number and the messages replace the trigram indexes.
The queue asks for the rows whose grams include ``intake_search_keys(words)``
(the pairs of the words, or their one character), then ILIKE decides: both
sides are lower-cased as ILIKE does, so no match is lost.

Revision ID: 0010
Revises: 0009
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

GRAMS = """
CREATE FUNCTION intake_search_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT substr(l, i, n)
                 FROM (SELECT lower(value) AS l) AS lowered, generate_series(1, char_length(l)) AS i,
                      generate_series(1, 2) AS n
                 WHERE i + n - 1 <= char_length(l))
$$
"""
KEYS = """
CREATE FUNCTION intake_search_keys(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN char_length(l) < 2 THEN string_to_array(l, NULL)  -- '' gives {}
                ELSE ARRAY(SELECT DISTINCT substr(l, i, 2) FROM generate_series(1, char_length(l) - 1) AS i) END
    FROM (SELECT lower(value) AS l) AS lowered
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(GRAMS)
    op.execute(KEYS)
    op.execute("CREATE INDEX ix_intake_records_receipt_grams ON intake_records "
               "USING gin (intake_search_grams(receipt_number))")
    op.execute("CREATE INDEX ix_intake_messages_text_grams ON intake_messages USING gin (intake_search_grams(text))")
    op.execute("DROP INDEX IF EXISTS ix_intake_messages_text_trgm")
    op.execute("DROP INDEX IF EXISTS ix_intake_records_receipt_trgm")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_intake_records_receipt_trgm ON intake_records USING gin (receipt_number gin_trgm_ops)")
    op.execute("CREATE INDEX ix_intake_messages_text_trgm ON intake_messages USING gin (text gin_trgm_ops)")
    op.execute("DROP INDEX ix_intake_messages_text_grams")
    op.execute("DROP INDEX ix_intake_records_receipt_grams")
    op.execute("DROP FUNCTION intake_search_keys(text)")
    op.execute("DROP FUNCTION intake_search_grams(text)")
