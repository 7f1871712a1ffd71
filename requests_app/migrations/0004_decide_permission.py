"""Deciding a data-subject request becomes a permission of its own (issue 7's matrix): intake (registration,
identity check) stays with customer service; evaluation, extension, correction, packages, fulfilment,
refusal and the answer are the DPO's. The roles' Groups are synced again (privacy/roles.py)."""

from django.db import migrations


def sync(apps, schema_editor):
    from privacy import roles

    using = schema_editor.connection.alias
    roles.create_all_permissions(apps, using=using)
    roles.sync_roles(apps=apps, using=using, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0003_nightly_deadline_schedule"),
        ("privacy", "0006_recording_file_index"),
        ("consents", "0004_bulk_history_indexes"),
        ("retention", "0002_seed_rules_and_nightly_schedule"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="subjectrequest",
            options={
                "ordering": ["-received_at", "-id"],
                "permissions": [
                    ("approve_erasure", "Can approve an erasure (second pair of eyes)"),
                    (
                        "decide_subjectrequest",
                        "Can decide data-subject requests (evaluate, extend, correct, fulfil, refuse, answer)",
                    ),
                ],
                "verbose_name": "data-subject request",
                "verbose_name_plural": "data-subject requests",
            },
        ),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
