"""The nightly clean-up of uploaded consent files never confirmed was scheduled here; it is declared
in config/schedule.py with every periodic task, and `manage.py sync_reference` (run after every
migrate) creates the django-celery-beat row."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consents", "0002_consent_topics"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
