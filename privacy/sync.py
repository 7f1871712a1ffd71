"""One idempotent sync of what the code declares into the database: every app's permissions, the
periodic tasks (settings.PERIODIC_TASKS, config/schedule.py), each app's reference data (the
registers of §9, §11, §12, §19–29, §68–71 and Annex 1; consent topics and import profiles; the
retention rules of §31–34) and the staff roles' groups (§22).

Run after every `migrate` (post_migrate, so a fresh database and an upgrade get it without a step of
their own) and by `manage.py sync_reference`; any number of times. A test that flushes tables runs it
again. Data migrations no longer seed: they stay in the history for existing databases.

What it changes, and what it leaves:
- reference rows, consent topics, import profiles, retention rules and periodic tasks: created when
  missing (by their key); an existing row is left as staff edited it in the admin (as the migrations
  left them: each seeded once);
- the register of a data category whose register is empty: filled;
- the roles' groups: made to hold exactly the matrix's permissions (privacy/roles.py and each app's
  roles.py), as the migrations and `staff_roles --sync` always did: a permission added by hand to a
  role's group is taken away.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import transaction

from . import roles


def sync_schedules(entries: list[dict], *, using: str = "default") -> list[str]:
    """Create the periodic tasks of `entries` (config/schedule.py) that are missing, by name; an
    existing task keeps what staff changed (time, switch, expiry). Returns the names created."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    existing = set(PeriodicTask.objects.using(using).values_list("name", flat=True))
    created = []
    for entry in entries:
        if entry["name"] in existing:
            continue
        if "crontab" in entry:
            every_day = {"day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
            when = {
                "crontab": CrontabSchedule.objects.using(using).get_or_create(
                    **every_day, **entry["crontab"]
                )[0]
            }
        else:
            when = {"interval": IntervalSchedule.objects.using(using).get_or_create(**entry["interval"])[0]}
        PeriodicTask.objects.using(using).create(
            name=entry["name"],
            task=entry["task"],
            kwargs=json.dumps(entry.get("kwargs", {})),
            expire_seconds=entry["expire_seconds"],
            description=entry["description"],
            **when,
        )
        created.append(entry["name"])
    return created


def sync_reference(*, using: str = "default") -> dict[str, object]:
    """Permissions, periodic tasks, every app's `reference_data.sync`, then the roles; one transaction.
    Returns what each step created or changed."""

    with transaction.atomic(using=using):
        roles.create_all_permissions(using=using)
        report: dict[str, object] = {"periodic tasks": sync_schedules(settings.PERIODIC_TASKS, using=using)}
        for module in roles.app_modules("reference_data"):
            report[module.__name__] = module.sync(using=using)
        report["roles"] = roles.sync_roles(using=using)
    return report


def after_migrate(sender, *, using: str = "default", plan=None, **kwargs) -> None:
    """post_migrate: the sync, once per `migrate` (after the last app's signal, when every permission
    exists). Not after `flush`, which sends the signal without a plan (a test that flushed tables runs
    the sync itself), nor after a migrate to an earlier migration: the sync writes the tables as the
    code has them."""
    from django.apps import apps
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if plan is None or sender is not last:
        return
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    sync_reference(using=using)
