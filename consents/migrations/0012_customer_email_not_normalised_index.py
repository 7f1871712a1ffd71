"""A partial index of the customers whose stored e-mail is not in the form the import compares
(lower case, no spaces around): with it, an e-mail-keyed consent import of a million rows matches the
rest, nearly every customer, by plain equality on `email` (consents/importer/postgres.py), instead of
lower-casing every customer's address. The statistics on the same condition tell the planner how few
such customers there are (without them it expects nearly all, and lower-cases every address anyway).
PostgreSQL only."""

from django.db import migrations

INDEX = "customer_email_not_normalised"
KEY = "lower(btrim(email))"
#: Written as a test of a boolean, which the planner estimates from the statistics below (a plain
#: `<>` it would estimate as true nearly everywhere); postgres.py uses the very same condition.
NOT_NORMALISED = f"(email <> {KEY}) IS TRUE"
STATISTICS = "customer_email_not_normalised_stats"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("privacy", "Customer")._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} (({KEY})) WHERE {NOT_NORMALISED}", params=None
        )
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} ON (email <> {KEY}) FROM {table}", params=None
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("consents", "0011_merge_20261203_1308")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
