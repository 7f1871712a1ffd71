"""The nightly retention task: one per rule, started by beat at 02:00 Europe/Riga (§31–34).

`acks_late`: the message is acknowledged only when the sweep returns, so a worker killed mid-sweep
leaves it unacknowledged and Redis delivers it again after the visibility timeout (or at once, with
`reject_on_worker_lost`, when a prefork child dies). That is safe because the sweep is idempotent:
it takes whatever is past its cutoff now, and committed chunks are gone. The redelivered copy finds
the dead sweep's lock: it takes it over at once when the holder was a process of its host, or waits
for it to run out (`services._take_lock`), then sweeps; only a live sweep makes a copy return
"locked", and that sweep does the work. `mark_interrupted_runs` (every 10 minutes) marks the runs of
dead workers `interrupted` where no redelivery comes soon (a whole worker killed).
"""

from __future__ import annotations

import datetime
import time

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from .models import RetentionRule, RetentionRun
from .services import SweepLocked, rule_sweep, runs_mark_interrupted


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
    try:
        run = rule_sweep(
            rule=rule,
            as_of=datetime.date.fromisoformat(as_of) if as_of else None,
            dry_run=dry_run,
            actor=actor,
            trigger=trigger,
            task_id=self.request.id or "",
            deadline=time.monotonic() + settings.RETENTION_MAX_SWEEP_SECONDS,
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


@shared_task(name="retention.mark_interrupted_runs")
def mark_interrupted_runs() -> int:
    """Mark runs left `running` by a dead worker `interrupted`; returns how many (every 10 minutes)."""
    return runs_mark_interrupted()
