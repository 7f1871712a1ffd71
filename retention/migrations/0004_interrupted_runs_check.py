"""The check that marks runs left `running` by a dead worker `interrupted` (every 10 minutes) was
scheduled here; it is declared in config/schedule.py with every periodic task, and `manage.py
sync_reference` (run after every migrate) creates the django-celery-beat row."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0003_data_packages_rule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
