"""Schedule the nightly deadline check (§41) at 02:30 Europe/Riga as a django-celery-beat row.

Like the retention sweeps, the schedule lives in the database, editable under "Periodic tasks":
CELERY_BEAT_SCHEDULE would be written over the admin's edits each time beat starts. Idempotent.
"""

from django.db import migrations
from django.utils import timezone


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Riga"
    )
    PeriodicTask.objects.get_or_create(
        name="requests: flag deadlines",
        defaults={
            "task": "requests_app.flag_request_deadlines",
            "crontab": crontab,
            "expire_seconds": 22 * 3600,
            "description": "§41: mark requests due within 7 days and overdue ones; email the DPO digest.",
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0002_letters_to_customers"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
