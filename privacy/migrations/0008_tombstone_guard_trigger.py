"""PostgreSQL refuses any change to a tombstone (§38–39): an erasure cannot be undone, not even by a
raw UPDATE. The row may still be deleted (purged when nothing it anchored remains); an UPDATE that
changes nothing (an erasure repeated on the tombstone) passes. Nothing on SQLite (`make run`), where
the model's save guard (privacy/erasure/guard.py) is the only check."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION privacy_customer_tombstone_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'customer ' || OLD.id || ' is an erasure tombstone and cannot be changed (§38-39)',
        ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS privacy_customer_tombstone_immutable ON privacy_customer;
CREATE TRIGGER privacy_customer_tombstone_immutable
    BEFORE UPDATE ON privacy_customer
    FOR EACH ROW
    WHEN (OLD.status = 'tombstone' AND NEW.* IS DISTINCT FROM OLD.*)
    EXECUTE FUNCTION privacy_customer_tombstone_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS privacy_customer_tombstone_immutable ON privacy_customer;
DROP FUNCTION IF EXISTS privacy_customer_tombstone_immutable();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    dependencies = [("privacy", "0007_erased_rows")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
