"""The nightly deadline check (§41) was scheduled here; it is declared in config/schedule.py with every
periodic task, and `manage.py sync_reference` (run after every migrate) creates the django-celery-beat
row, editable under "Periodic tasks"."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0002_letters_to_customers"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
