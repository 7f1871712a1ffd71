"""The consent topics (§46, §16–18, §56–61) were seeded here; `manage.py sync_reference` (privacy/sync.py,
run after every migrate) creates them from consents/reference_data.py."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consents", "0001_ledger_state_imports")]

    operations = []
