"""Schedule the nightly clean-up of uploaded consent files never confirmed (they hold personal data).

The schedule lives in the database, editable under "Periodic tasks" (see requests_app 0003). Idempotent.
"""

from django.db import migrations
from django.utils import timezone


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="45", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Riga"
    )
    PeriodicTask.objects.get_or_create(
        name="consents: discard stale imports",
        defaults={
            "task": "consents.discard_stale_imports",
            "crontab": crontab,
            "expire_seconds": 22 * 3600,
            "description": "Delete uploaded consent files that were checked but never confirmed within a day.",
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("consents", "0002_consent_topics"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
