"""A partial index of the customers whose stored e-mail is not in the form the import compares
(lower case, no spaces around): with it, an e-mail-keyed consent import of a million rows matches the
rest, nearly every customer, by plain equality on `email` (consents/importer/postgres.py), instead of
lower-casing every customer's address. PostgreSQL only."""

from django.db import migrations

INDEX = "customer_email_not_normalised"
KEY = "lower(btrim(email))"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("privacy", "Customer")._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} (({KEY})) WHERE email <> {KEY}", params=None
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("consents", "0011_merge_20261203_1308")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
