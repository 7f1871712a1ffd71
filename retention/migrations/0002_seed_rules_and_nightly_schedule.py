"""Seed the retention rules (retention/rules.py: §31–34, later §42) and their nightly schedule at
02:00 Europe/Riga.

The schedule is django-celery-beat rows (PeriodicTask + CrontabSchedule), edited in the admin under
"Periodic tasks". It is deliberately not in CELERY_BEAT_SCHEDULE: the DatabaseScheduler writes that
dict over the database rows every time beat starts, which would silently undo an edit made in the
admin. Idempotent: existing rows keep what staff changed (only missing ones are created).
"""

import json

from django.db import migrations
from django.utils import timezone


#: The rules this migration seeded; later ones are seeded by the migrations that bring their fields.
CODES = ("recordings", "prepaid_customers", "invoices", "audit_history", "former_customers")


def seed(apps, schema_editor, codes=CODES):
    """Create the rules of `codes` (and their schedules) that are missing, with the fields the model has
    at this point of the migration history (later migrations bring and set the others)."""
    from retention import rules as seed_data

    RetentionRule = apps.get_model("retention", "RetentionRule")
    HistoricalRetentionRule = apps.get_model("retention", "HistoricalRetentionRule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")

    now = timezone.now()
    known = {field.name for field in RetentionRule._meta.get_fields()}
    rows = [
        {key: value for key, value in row.items() if key in known}
        for row in seed_data.RULES
        if row["code"] in codes
    ]
    for row in rows:
        rule, created = RetentionRule.objects.get_or_create(code=row["code"], defaults=row)
        if created:  # historical models in migrations have no signals: write the "+" row ourselves
            HistoricalRetentionRule.objects.create(
                **{field: getattr(rule, field) for field in ["id", *row] if field != "enabled"},
                enabled=rule.enabled,
                history_date=now,
                history_type="+",
                history_change_reason="seeded by migration",
            )

    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour=str(seed_data.NIGHTLY_HOUR),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Riga",
    )
    for row in rows:
        PeriodicTask.objects.get_or_create(
            name=seed_data.periodic_task_name(row["code"]),
            defaults={
                "task": seed_data.TASK_NAME,
                "crontab": nightly,
                "kwargs": json.dumps({"code": row["code"]}),
                # A task not started within 22 hours is dropped: the next night's run catches up.
                "expire_seconds": 22 * 3600,
                "description": f"{row['clause']}: {row['description']}",
            },
        )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": now})


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_rules_and_runs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
