"""Load the reference registers of the policy: Annex 1 categories, §9 purposes, §11 bases, §12 interests,
§24 sources, §19–29 recipients, §68–71 policy versions. Idempotent (update_or_create by key)."""

from django.db import migrations


def load(apps, schema_editor):
    from privacy import reference_data as ref

    def names(row, *extra):
        keys = ["name_lv", "name_en", "name_ru", *extra]
        return {key: row[key] for key in keys}

    DataCategory = apps.get_model("privacy", "DataCategory")
    for row in ref.DATA_CATEGORIES:
        DataCategory.objects.update_or_create(
            number=row["number"],
            defaults={**names(row, "examples_lv", "examples_en", "examples_ru"), "special": row["special"]},
        )
    ProcessingPurpose = apps.get_model("privacy", "ProcessingPurpose")
    for row in ref.PROCESSING_PURPOSES:
        parent = ProcessingPurpose.objects.get(code=row["parent"]) if row["parent"] else None
        ProcessingPurpose.objects.update_or_create(code=row["code"], defaults={**names(row), "parent": parent})
    LegalBasis = apps.get_model("privacy", "LegalBasis")
    for row in ref.LEGAL_BASES:
        LegalBasis.objects.update_or_create(code=row["code"], defaults={**names(row), "clause": row["clause"]})
    LegitimateInterest = apps.get_model("privacy", "LegitimateInterest")
    for position, row in enumerate(ref.LEGITIMATE_INTERESTS, start=1):
        LegitimateInterest.objects.update_or_create(
            clause=row["clause"], defaults={**names(row), "position": position}
        )
    DataSource = apps.get_model("privacy", "DataSource")
    for row in ref.DATA_SOURCES:
        DataSource.objects.update_or_create(code=row["code"], defaults={**names(row), "clause": row["clause"]})
    Recipient = apps.get_model("privacy", "Recipient")
    for row in ref.RECIPIENTS:
        fields = {key: row[key] for key in ("role", "country", "third_country", "safeguard", "clause")}
        Recipient.objects.update_or_create(code=row["code"], defaults={**names(row), **fields})
    PolicyVersion = apps.get_model("privacy", "PolicyVersion")
    for row in ref.POLICY_VERSIONS:
        PolicyVersion.objects.update_or_create(
            label=row["label"], defaults={"effective_from": row["effective_from"], "text": row["text"]}
        )


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
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(create_postgresql_indexes, drop_postgresql_indexes),
    ]
