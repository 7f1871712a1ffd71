"""The retention rules (§31–34) and their nightly sweeps were seeded here. The rules are in
retention/rules.py and the sweeps in config/schedule.py; `manage.py sync_reference` (privacy/sync.py,
run after every migrate) creates the missing ones and leaves what staff changed."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_rules_and_runs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
