"""Schedule the check that marks runs left `running` by a dead worker `interrupted` (every 10 minutes).

A django-celery-beat row like the nightly sweeps (0002), editable under "Periodic tasks". Idempotent.
"""

from django.db import migrations
from django.utils import timezone


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="retention: mark interrupted runs",
        defaults={
            "task": "retention.mark_interrupted_runs",
            "interval": every,
            "expire_seconds": 9 * 60,
            "description": "Mark retention runs left running by a worker that died as interrupted.",
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0003_data_packages_rule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
