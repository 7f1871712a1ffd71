"""The cookie categories of the website banner (§62–66) were seeded here as consent topics;
`manage.py sync_reference` (privacy/sync.py, run after every migrate) creates them from
consents/reference_data.py."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consents", "0006_topic_asked_through_and_needs_consent")]

    operations = []
