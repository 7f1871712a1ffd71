"""Search that finds people (§36–37): `unaccent` and `pg_trgm`, two immutable folding functions and a
trigram GIN index on the folded full name (privacy/search.py). PostgreSQL only: elsewhere (SQLite for
`make run`) nothing is created and the search falls back to `icontains`."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION privacy_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
CREATE OR REPLACE FUNCTION privacy_person_name(first_name text, last_name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary,
                                       coalesce(first_name, '') || ' ' || coalesce(last_name, ''))) $$;
CREATE INDEX IF NOT EXISTS customer_name_trgm
    ON privacy_customer USING gin (privacy_person_name(first_name, last_name) gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS customer_name_trgm;
DROP FUNCTION IF EXISTS privacy_person_name(text, text);
DROP FUNCTION IF EXISTS privacy_fold(text);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0006_recording_file_index")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(forward, backward, elidable=False),
    ]
