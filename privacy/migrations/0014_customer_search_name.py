"""The folded full name stored with each customer (§36–37): `search_name`, a column PostgreSQL keeps
equal to `privacy_person_name(first_name, last_name)` on every insert and update (a generated column:
no code writes it), and the trigram index `customer_name_trgm` now on that column.

Why stored: at a million customers the name search's query checks a few thousand candidate rows (the
trigram index is lossy; the page takes the newest 50), and folding each row's name with `unaccent`
there cost most of the search's time; a stored column is compared as it is.

PostgreSQL only, and unknown to Django (no model field: SQLite, for `make run`, has no `unaccent`, and
the search there uses `icontains`). privacy/search.py reads it.
"""

from django.db import migrations

FORWARD = """
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
