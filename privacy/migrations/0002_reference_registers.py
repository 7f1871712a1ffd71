"""The reference registers of the policy (Annex 1 categories, §9 purposes, §11 bases, §12 interests, §24
sources, §19–29 recipients, §68–71 policy versions) were loaded here; manage.py sync_reference (privacy/sync.py, run after every migrate) now creates
them from privacy/reference_data.py. What is left: the last-name prefix index."""

from django.db import migrations


def create_postgresql_indexes(apps, schema_editor):
    """Prefix search on last names (the admin's search box) needs a pattern-ops index on PostgreSQL."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS customer_last_name_prefix "
        "ON privacy_customer (last_name varchar_pattern_ops, first_name)"
    )


def drop_postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS customer_last_name_prefix")


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [
        migrations.RunPython(create_postgresql_indexes, drop_postgresql_indexes),
    ]
