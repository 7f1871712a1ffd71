"""The folded full name stored with each customer (§36–37): `search_name`, a column PostgreSQL keeps
equal to `privacy_person_name(first_name, last_name)` on every insert and update (a generated column:
no code writes it), and the trigram index `customer_name_trgm` now on that column.

Why stored: at a million customers the name search's query checks a few thousand candidate rows (the
trigram index is lossy; the page takes the newest 50), and folding each row's name with `unaccent`
there cost most of the search's time; a stored column is compared as it is.

PostgreSQL only, and unknown to Django (no model field: SQLite, for `make run`, has no `unaccent`, and
the search there uses `icontains`). privacy/search.py reads it.

The tombstone guard (0008) compared the whole rows in its WHEN clause; PostgreSQL forbids a BEFORE
trigger's WHEN to read NEW's generated columns, so a dump with both could not be restored. The
comparison moves into the function, without the generated column.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION privacy_customer_tombstone_immutable() RETURNS trigger AS $$
BEGIN
    IF (to_jsonb(NEW) - 'search_name') IS DISTINCT FROM (to_jsonb(OLD) - 'search_name') THEN
        RAISE EXCEPTION USING
            MESSAGE = 'customer ' || OLD.id || ' is an erasure tombstone and cannot be changed (§38-39)',
            ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS privacy_customer_tombstone_immutable ON privacy_customer;
CREATE TRIGGER privacy_customer_tombstone_immutable
    BEFORE UPDATE ON privacy_customer
    FOR EACH ROW
    WHEN (OLD.status = 'tombstone')
    EXECUTE FUNCTION privacy_customer_tombstone_immutable();
ALTER TABLE privacy_customer ADD COLUMN IF NOT EXISTS search_name text
    GENERATED ALWAYS AS (privacy_person_name(first_name, last_name)) STORED;
DROP INDEX IF EXISTS customer_name_trgm;
CREATE INDEX customer_name_trgm ON privacy_customer USING gin (search_name gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS customer_name_trgm;
ALTER TABLE privacy_customer DROP COLUMN IF EXISTS search_name;
CREATE INDEX customer_name_trgm
    ON privacy_customer USING gin (privacy_person_name(first_name, last_name) gin_trgm_ops);
DROP TRIGGER IF EXISTS privacy_customer_tombstone_immutable ON privacy_customer;
CREATE TRIGGER privacy_customer_tombstone_immutable
    BEFORE UPDATE ON privacy_customer
    FOR EACH ROW
    WHEN (OLD.status = 'tombstone' AND NEW.* IS DISTINCT FROM OLD.*)
    EXECUTE FUNCTION privacy_customer_tombstone_immutable();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0013_merge_0007_person_search_0012_merge_20261203_1257")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
