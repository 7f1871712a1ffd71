"""The roles' Groups were synced again here for objections to processing (§38) and automated decisions
(§16–18); `manage.py sync_reference` (privacy/sync.py, run after every migrate) keeps them in step. It waits for no requests_app migration any more: the squashed 0001 that replaces
it is on its own, beside requests_app's."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consents", "0008_automated_decisions"),
        ("privacy", "0007_objections_and_policy_texts"),
    ]

    operations = []
