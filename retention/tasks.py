"""The nightly retention task: one per rule, started by beat at 02:00 Europe/Riga (§31–34).

`acks_late`: the message is acknowledged only when the sweep returns, so a worker killed mid-sweep
leaves it unacknowledged and Redis delivers it again after the visibility timeout (or at once, with
`reject_on_worker_lost`, when a prefork child dies). That is safe because the sweep is idempotent:
it takes whatever is past its cutoff now, committed chunks are gone, and the rule's lock makes a copy
delivered while the first still runs return at once ("locked").
"""

from __future__ import annotations

import datetime
import time

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from .models import RetentionRule, RetentionRun
from .services import SweepLocked, rule_sweep


@shared_task(name="retention.sweep_rule", acks_late=True, reject_on_worker_lost=True, bind=True)
def sweep_rule(
    self,
    code: str,
    as_of: str | None = None,
    dry_run: bool = False,
    trigger: str = RetentionRun.Trigger.SCHEDULE,
    actor_id: int | None = None,
) -> dict:
    """Sweep one rule. Takes the rule code, an optional ISO date and who asked (ids only); returns
    counts, never personal data."""
    rule = RetentionRule.objects.get(code=code)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    if not rule.enabled and not dry_run:
        return {"rule": code, "status": "disabled"}
    day = datetime.date.fromisoformat(as_of) if as_of else None
    deadline = time.monotonic() + settings.RETENTION_MAX_SWEEP_SECONDS
    try:
        run = rule_sweep(
            rule=rule,
            as_of=day,
            dry_run=dry_run,
            actor=actor,
            trigger=trigger,
            task_id=self.request.id or "",
            deadline=deadline,
        )
    except SweepLocked:
        return {"rule": code, "status": "locked"}
    return {
        "rule": code,
        "run": run.pk,
        "status": run.status,
        "as_of": run.as_of.isoformat(),
        "examined": run.examined,
        "deleted": run.deleted,
        "anonymised": run.anonymised,
        "kept": run.kept,
        "errors": run.errors,
    }
