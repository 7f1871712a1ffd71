"""The retention sweep (§31–34): delete or erase what a rule's window has passed, in short chunks.

One sweep of one rule at a time (a Redis lock). The sweep takes everything past its cutoff, not
"yesterday's" records, so a missed night is caught up by the next run, and it walks each table in
primary-key order in chunks, each its own short transaction that re-checks every reason to keep and
records its counts in the `RetentionRun` together with its deletions. A worker killed mid-sweep leaves
committed chunks done and counted, the rest untouched; running the rule again finishes the job. A chunk
re-run by a second delivery deletes nothing twice (the rows are gone; `purge` counts rows deleted).

Unlike other services, `rule_sweep` is not one transaction: a night's deletions of a million rows in
one transaction would hold locks for minutes and lose everything on a crash.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import Counter
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.erasure import (
    ErasureRefused,
    PurgeBlocked,
    delete_logs,
    delete_pending_files,
    erase_subject,
    purge,
    purge_history,
    retention_reason,
)
from privacy.models import Customer, LegalHold, PendingFileDeletion

from . import cutoffs
from .locks import LockLost, SweepLock
from .models import KeepReason, RetentionRule, RetentionRun
from .selectors import ChunkSummary, Target, rule_invalid_holds, rule_targets

logger = logging.getLogger("retention")

#: Chunks are never smaller than this, however slow the database (progress must be made).
MIN_CHUNK = 50
#: A chunk failing with a transient database error (deadlock, serialisation) is retried this often.
CHUNK_ATTEMPTS = 3
#: The run keeps at most this many error entries (each is a type and a code, never data).
MAX_ERROR_ENTRIES = 50


class SweepLocked(Exception):
    """Another sweep of this rule is running (another worker, beat or operator): nothing was done."""


class _DeadlinePassed(Exception):
    pass


@dataclass
class _ChunkResult:
    last_pk: object = None
    examined: int = 0
    deleted: int = 0
    anonymised: int = 0
    kept: Counter = field(default_factory=Counter)
    erased_rows: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)


def _error_entry(target: Target, exc: BaseException) -> dict:
    """What an operator needs to look the error up: its type and database code, never its message
    (a database message can quote the row's values)."""
    entry = {"target": target.label, "error": type(exc).__name__}
    cause = getattr(exc, "__cause__", None)
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate:
        entry["sqlstate"] = sqlstate
    code = getattr(exc, "code", None)
    if isinstance(code, str):
        entry["code"] = code
    return entry


def _lock_holds_table() -> None:
    """Hold off new legal holds until this chunk commits (at most a second or two), so a hold set while
    the chunk runs is either seen by its classification or waits for it: nothing held is deleted."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{LegalHold._meta.db_table}" IN SHARE MODE')


def _act_on_rows(target: Target, summary: ChunkSummary, *, dry_run: bool, actor, reason: str) -> _ChunkResult:
    result = _ChunkResult(last_pk=summary.last_pk, examined=summary.examined, kept=summary.kept)
    if not summary.handle:
        return result
    if dry_run:
        result.deleted = len(summary.handle)
    elif target.kind == "history":
        result.deleted = purge_history(target.model, summary.handle)
    elif target.kind == "logs":
        result.deleted = delete_logs(target.model, summary.handle)
    else:
        result.deleted = purge(target.model, summary.handle, actor=actor, reason=reason)
    return result


def _erase_customers(
    target: Target, rows: list[tuple], *, dry_run: bool, actor, reason: str, budget_end: float
) -> _ChunkResult:
    """Customers one by one through `erase_subject`, until the chunk's time budget is spent."""
    result = _ChunkResult()
    for pk, keep_reason in rows:
        result.last_pk = pk
        result.examined += 1
        if keep_reason:
            result.kept[keep_reason] += 1
        else:
            try:
                record = erase_subject(Customer(pk=pk), reason=reason, actor=actor, dry_run=dry_run)
            except ErasureRefused:
                result.kept[KeepReason.LEGAL_HOLD] += 1
            except (ValidationError, PurgeBlocked, DatabaseError) as exc:
                result.errors.append(_error_entry(target, exc))
            else:
                if record.tombstone:
                    result.anonymised += 1
                else:
                    result.deleted += 1
                result.erased_rows.update(record.erased)
        if time.monotonic() >= budget_end:
            break
    return result


def _apply(run: RetentionRun, target: Target, result: _ChunkResult, elapsed_ms: int) -> dict:
    """The run's fields after this chunk (applied inside the chunk's transaction)."""
    kept_by_reason = Counter(run.kept_by_reason) + result.kept
    details = {key: dict(value) for key, value in run.details.items()}
    per_target = Counter(details.get(target.label, {}))
    per_target.update(
        examined=result.examined,
        deleted=result.deleted,
        anonymised=result.anonymised,
        kept=sum(result.kept.values()),
    )
    details[target.label] = dict(per_target)
    if result.erased_rows:
        details["erased_rows"] = dict(Counter(details.get("erased_rows", {})) + result.erased_rows)
    error_log = (run.error_log + result.errors)[:MAX_ERROR_ENTRIES]
    return {
        "examined": run.examined + result.examined,
        "deleted": run.deleted + result.deleted,
        "anonymised": run.anonymised + result.anonymised,
        "kept": run.kept + sum(result.kept.values()),
        "kept_by_reason": dict(kept_by_reason),
        "errors": run.errors + len(result.errors),
        "error_log": error_log,
        "details": details,
        "chunks": run.chunks + 1,
        "longest_chunk_ms": max(run.longest_chunk_ms, elapsed_ms),
    }


def _record(run: RetentionRun, target: Target, result: _ChunkResult, started: float) -> dict:
    """Write the run's counts after this chunk (in the chunk's transaction when there is one) and
    return them; the caller keeps the in-memory run in step once they are committed."""
    values = _apply(run, target, result, int((time.monotonic() - started) * 1000))
    RetentionRun.objects.filter(pk=run.pk).update(**values)
    return values


def _sweep_chunk(
    run: RetentionRun, target: Target, *, after, size: int, dry_run: bool, actor, reason: str
) -> _ChunkResult | None:
    """One chunk of `target` (§31–34), in its own transaction: the next `size` candidates after primary
    key `after`, every reason to keep re-checked, the rest purged (customers erased one by one), the
    counts recorded in the run. None when nothing is left.

    A transient database error (deadlock, serialisation) is retried; a chunk that still fails, or that
    a new row points into, is counted as an error and stepped over: the next night tries those rows
    again.
    """
    summary: ChunkSummary | None = None
    attempt = 0
    while True:
        attempt += 1
        started = time.monotonic()
        try:
            with transaction.atomic():
                _lock_holds_table()
                if target.kind == "customers":
                    rows = target.chunk(after=after, size=size)
                    if not rows:
                        return None
                    summary = ChunkSummary.of(rows)
                    budget_end = started + settings.RETENTION_TRANSACTION_BUDGET_SECONDS
                    result = _erase_customers(
                        target, rows, dry_run=dry_run, actor=actor, reason=reason, budget_end=budget_end
                    )
                else:
                    summary = target.chunk_summary(after=after, size=size)
                    if summary is None:
                        return None
                    result = _act_on_rows(target, summary, dry_run=dry_run, actor=actor, reason=reason)
                values = _record(run, target, result, started)
            break
        except (OperationalError, PurgeBlocked) as exc:
            if isinstance(exc, OperationalError) and attempt < CHUNK_ATTEMPTS:
                time.sleep(0.1 * attempt)
                continue
            logger.warning(
                "retention %s: chunk of %s failed (%s)", run.rule.code, target.label, type(exc).__name__
            )
            if summary is None:
                raise
            result = _ChunkResult(
                last_pk=summary.last_pk,
                examined=summary.examined,
                kept=Counter(summary.kept),
                errors=[_error_entry(target, exc)],
            )
            values = _record(run, target, result, started)
            break
    for name, value in values.items():  # only once committed: a retried chunk never counts twice
        setattr(run, name, value)
    return result


def _sweep_target(
    run: RetentionRun,
    target: Target,
    *,
    lock: SweepLock,
    dry_run: bool,
    actor,
    reason: str,
    deadline: float | None,
) -> None:
    """Walk `target` chunk by chunk in primary-key order until nothing is left, keeping the lock alive
    and every transaction well inside its budget, whatever the row size."""
    per_row = target.kind == "customers"
    max_size = settings.RETENTION_CUSTOMER_CHUNK_SIZE if per_row else settings.RETENTION_CHUNK_SIZE
    size = max_size
    budget = settings.RETENTION_TRANSACTION_BUDGET_SECONDS
    pause = settings.RETENTION_CHUNK_PAUSE_SECONDS
    after = None
    while True:
        if deadline is not None and time.monotonic() >= deadline:
            raise _DeadlinePassed
        lock.keep_alive()
        started = time.monotonic()
        result = _sweep_chunk(
            run, target, after=after, size=size, dry_run=dry_run, actor=actor, reason=reason
        )
        if result is None:
            return
        after = result.last_pk
        if not per_row:  # customers are erased one by one within the budget (_erase_customers)
            seconds = time.monotonic() - started
            if seconds > budget:
                size = max(MIN_CHUNK, size // 2)
            elif seconds < budget / 4:
                size = min(max_size, size * 2)
        if pause:
            time.sleep(pause)


def _report_invalid_holds(run: RetentionRun, targets: list[Target]) -> None:
    """§31: a hold in force that names no record (an id of the wrong type, a record that is gone) keeps
    nothing and must not stop the sweep: it is counted as an error of the run, by the hold's id, and
    the sweep goes on. The rows a valid hold names are kept as always."""
    entries = rule_invalid_holds(targets=targets, as_of=run.as_of)
    if not entries:
        return
    logger.warning(
        "retention %s: legal hold(s) %s name no record",
        run.rule.code,
        ", ".join(entry["target"] for entry in entries),
    )
    run.errors += len(entries)
    run.error_log = (run.error_log + entries)[:MAX_ERROR_ENTRIES]
    RetentionRun.objects.filter(pk=run.pk).update(errors=run.errors, error_log=run.error_log)


def _validate(rule: RetentionRule, as_of: datetime.date, dry_run: bool) -> None:
    if rule.window_months is None:
        raise ValidationError(
            _("Retention rule %(code)s has no period: the policy gives none and none is set yet.")
            % {"code": rule.code}
        )
    if dry_run:
        return
    if as_of > cutoffs.today():
        raise ValidationError(
            _("A sweep as of %(day)s would delete records before their time: only a dry run may look ahead.")
            % {"day": as_of.isoformat()}
        )
    if not rule.enabled:
        raise ValidationError(_("Retention rule %(code)s is disabled.") % {"code": rule.code})


def _take_lock(rule: RetentionRule, *, task_id: str) -> SweepLock:
    """The rule's lock, or SweepLocked if a live sweep holds it (and so does the work).

    A holder that died on this host (a prefork child killed mid-sweep, whose message Celery delivers
    again at once) is taken over at once. A copy of the very task that holds the lock, whose holder
    cannot be seen (another host), waits for the lock to run out: a live holder extends it well
    before that, a dead one cannot. A different task finding a live holder stops at once.
    """
    lock = SweepLock(rule.code, task_id=task_id)
    if lock.acquire() or lock.take_over_from_dead():
        return lock
    if task_id and lock.holder().get("task") == task_id and lock.wait_for_release(holder_task=task_id):
        return lock
    raise SweepLocked(rule.code)


def _mark_interrupted(rule: RetentionRule) -> int:
    """Call under the rule's lock: a run still "running" then has no live worker."""
    return RetentionRun.objects.filter(rule=rule, status=RetentionRun.Status.RUNNING).update(
        status=RetentionRun.Status.INTERRUPTED, finished_at=timezone.now()
    )


def runs_mark_interrupted() -> int:
    """Mark `interrupted` every run left `running` by a worker that died (§31–34: the run log tells the
    truth). A rule whose lock is free has no sweep running, so its `running` runs are dead; a rule
    whose lock is held is left alone (its live sweep, or the takeover by its redelivery, does it)."""
    count = 0
    stuck = RetentionRun.objects.filter(status=RetentionRun.Status.RUNNING).values_list("rule", flat=True)
    for rule in RetentionRule.objects.filter(pk__in=stuck):
        lock = SweepLock(rule.code)
        if not (lock.acquire() or lock.take_over_from_dead()):
            continue
        try:
            count += _mark_interrupted(rule)
        finally:
            lock.release()
    if count:
        logger.warning("retention: %d run(s) left running by a dead worker marked interrupted", count)
    return count


def rule_sweep(
    *,
    rule: RetentionRule,
    as_of: datetime.date | None = None,
    dry_run: bool = False,
    actor=None,
    trigger: str = RetentionRun.Trigger.COMMAND,
    task_id: str = "",
    deadline: float | None = None,
) -> RetentionRun:
    """Sweep `rule` as of `as_of` (today in Riga by default) and return its run record.

    Raises SweepLocked when another sweep of the rule holds the lock, ValidationError for a future
    as-of date or a disabled rule (dry runs may do both). `deadline` (time.monotonic()) stops the
    sweep cleanly between chunks; the next run continues where it left off.
    """
    as_of = as_of or cutoffs.today()
    _validate(rule, as_of, dry_run)
    lock = _take_lock(rule, task_id=task_id)
    try:
        # Under the lock no other sweep of this rule runs: a run still "running" died with its worker.
        _mark_interrupted(rule)
        if not dry_run and PendingFileDeletion.objects.exists():
            delete_pending_files()  # files whose rows a killed run deleted but did not get to remove
        run = RetentionRun.objects.create(
            rule=rule,
            as_of=as_of,
            dry_run=dry_run,
            trigger=trigger,
            triggered_by=actor if getattr(actor, "pk", None) else None,
            task_id=task_id or "",
            window_months=rule.window_months,
            cutoff=cutoffs.cutoff_date(as_of, rule.window_months),
        )
        reason = retention_reason(code=rule.code, clause=rule.clause, as_of=as_of)
        status = RetentionRun.Status.FINISHED
        try:
            targets = rule_targets(rule=rule, as_of=as_of)
            _report_invalid_holds(run, targets)
            for target in targets:
                _sweep_target(
                    run, target, lock=lock, dry_run=dry_run, actor=actor, reason=reason, deadline=deadline
                )
        except (LockLost, _DeadlinePassed, SoftTimeLimitExceeded) as exc:
            status = RetentionRun.Status.STOPPED
            logger.warning("retention %s stopped early: %s", rule.code, type(exc).__name__)
        except BaseException as exc:
            RetentionRun.objects.filter(pk=run.pk).update(
                status=RetentionRun.Status.FAILED,
                finished_at=timezone.now(),
                errors=run.errors + 1,
                error_log=[*run.error_log, {"target": rule.code, "error": type(exc).__name__}][
                    :MAX_ERROR_ENTRIES
                ],
            )
            raise
        RetentionRun.objects.filter(pk=run.pk).update(status=status, finished_at=timezone.now())
    finally:
        lock.release()
    run.refresh_from_db()
    logger.info(
        "retention %s as of %s%s: examined %d, deleted %d, anonymised %d, kept %d, errors %d",
        rule.code,
        as_of,
        " (dry run)" if dry_run else "",
        run.examined,
        run.deleted,
        run.anonymised,
        run.kept,
        run.errors,
    )
    return run


def rules_sweep(
    *,
    codes: list[str] | None = None,
    as_of: datetime.date | None = None,
    dry_run: bool = False,
    actor=None,
    trigger: str = RetentionRun.Trigger.COMMAND,
) -> list[tuple[RetentionRule, RetentionRun | None, str]]:
    """Sweep several rules one after the other: (rule, run or None, "" or why it was skipped)."""
    rules = RetentionRule.objects.order_by("id")
    if codes:
        rules = rules.filter(code__in=codes)
    elif not dry_run:
        rules = rules.filter(enabled=True)
    else:
        rules = rules.exclude(window_months__isnull=True)  # no period set: nothing to look at
    outcome = []
    for rule in rules:
        try:
            run = rule_sweep(rule=rule, as_of=as_of, dry_run=dry_run, actor=actor, trigger=trigger)
        except SweepLocked:
            outcome.append((rule, None, _("another sweep of this rule is running")))
        else:
            outcome.append((rule, run, ""))
    return outcome
