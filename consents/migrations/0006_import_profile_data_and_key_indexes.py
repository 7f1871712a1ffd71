"""The indexes that match a million e-mails, phones or personal codes by one join. (The import profiles
shipped with the system, §47, §48, §60, were seeded here; `manage.py sync_reference`, run after every
migrate, creates them from consents/reference_data.py, and the roles' permissions on them.)

On PostgreSQL: `consent_phone_key(text)`, a customer's stored phone number in the form the import
compares (privacy.suppression.normalise_phone: digits, "00" dropped, +371 before 8 digits), and
expression indexes on it, on lower(btrim(email)), on the personal code without hyphen and on the portal
user number (consents/importer/postgres.py KEY_EXPRESSIONS uses the same expressions).
"""

from django.db import migrations

PHONE_KEY = r"""
CREATE OR REPLACE FUNCTION consent_phone_key(phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN length(d) = 8 THEN '371' || d ELSE d END
    FROM (SELECT CASE WHEN digits LIKE '00%' THEN substr(digits, 3) ELSE digits END AS d
          FROM (SELECT regexp_replace(coalesce(phone, ''), '\D', '', 'g') AS digits) a) b
$$
"""
INDEXES = {
    "customer_email_key": "lower(btrim(email))",
    "customer_phone_key": "consent_phone_key(phone)",
    "customer_personal_code_key": "replace(btrim(personal_code), '-', '')",
    "customer_portal_user_key": "btrim(portal_user_number)",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("privacy", "Customer")._meta.db_table
        schema_editor.execute(PHONE_KEY, params=None)
        for name, expression in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} (({expression}))", params=None
            )

def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute("DROP FUNCTION IF EXISTS consent_phone_key(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("consents", "0005_import_profiles"),
        ("privacy", "0006_recording_file_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
