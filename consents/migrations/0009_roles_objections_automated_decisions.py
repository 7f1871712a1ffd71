"""The roles' Groups are synced again (privacy/roles.py) for objections to processing (§38; intake adds
them, the DPO decides them) and automated decisions (§16–18; read-only for every role)."""

from django.db import migrations


def sync(apps, schema_editor):
    from privacy import roles

    using = schema_editor.connection.alias
    roles.create_all_permissions(apps, using=using)
    roles.sync_roles(apps=apps, using=using, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("consents", "0008_automated_decisions"),
        ("privacy", "0007_objections_and_policy_texts"),
        ("requests_app", "0005_answer_addressing_held_across_erasure"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
