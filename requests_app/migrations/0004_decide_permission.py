"""Deciding a data-subject request becomes a permission of its own (§22): intake (registration, identity
check) stays with customer service; evaluation, extension, correction, packages, fulfilment, refusal and
the answer are the DPO's (requests_app/roles.py). `manage.py sync_reference` (run after every migrate)
gives it to the roles' Groups. It waits for no migration of consents or retention any more (it did
while it synced the Groups): the squashed 0001 that replaces it comes before consents' own."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0003_nightly_deadline_schedule"),
        ("privacy", "0006_recording_file_index"),
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
    ]
