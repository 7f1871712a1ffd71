"""The retention rules of retention/rules.py into the database (§31–34, §42): `sync`, run by
`manage.py sync_reference` and after every `migrate` (privacy/sync.py)."""

from django_celery_beat.models import PeriodicTask

from .models import RetentionRule
from .rules import RULES, periodic_task_name

SEEDED = "seeded by sync_reference"


def sync(*, using: str = "default") -> dict[str, int]:
    """Create the missing rules (by code) with a "+" history row; an existing rule keeps what the DPO
    or the retention operator set (window, switch, description). A rule's nightly sweep (declared in
    config/schedule.py) gets the rule's clause and description where its description is still empty.
    Returns how many rules were created and sweeps described."""
    existing = set(RetentionRule.objects.using(using).values_list("code", flat=True))
    created = 0
    for row in RULES:
        if row["code"] in existing:
            continue
        rule = RetentionRule(**row)
        rule._change_reason = SEEDED
        rule.save(using=using)
        created += 1
    described = sum(
        PeriodicTask.objects.using(using)
        .filter(name=periodic_task_name(row["code"]), description="")
        .update(description=f"{row['clause']}: {row['description']}")
        for row in RULES
    )
    return {"RetentionRule": created, "sweep descriptions": described}
