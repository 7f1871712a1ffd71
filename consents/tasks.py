"""Celery tasks of the consents app: thin wrappers over services; ids in, counts out, nothing personal.

Also where an import job runs (`consent_import_start`): small files in the request, large ones on a
Celery worker or, in development without a broker, on a background thread of the web process.
"""

from __future__ import annotations

import logging
import threading

from celery import shared_task
from django.conf import settings
from django.db import connections, transaction

from privacy.models import User

from . import services
from .importer.progress import reset_progress
from .models import ConsentImport

logger = logging.getLogger(__name__)


@shared_task(name="consents.run_import")
def consent_import_run(job_id: int, user_id: int, dry_run: bool) -> dict:
    """Check (dry_run) or apply an uploaded consent CSV file (a ConsentImport) for the given staff user."""
    actor = User.objects.get(pk=user_id)
    job = services.consent_import_execute(job_id=job_id, actor=actor, dry_run=dry_run)
    result = job.result or {}
    return {
        "job_id": job.pk,
        "status": job.status,
        "rows": result.get("rows", 0),
        "errors": result.get("error_count", 0),
        "new_events": result.get("new_events", 0),
    }


@shared_task(name="consents.discard_stale_imports")
def consent_imports_discard_stale() -> int:
    """Delete stored files of imports never confirmed within a day (they hold personal data)."""
    return services.consent_import_discard_stale()


def async_threshold() -> int:
    """Files with more data rows than this run in the background (a worker or a thread)."""
    return settings.CONSENT_IMPORT_ASYNC_ROWS


def in_thread() -> bool:
    """Development without a broker (CELERY_TASK_ALWAYS_EAGER): a Celery task would run inside the
    request and block the browser with no feedback, so a background thread runs the job instead."""
    return settings.CELERY_TASK_ALWAYS_EAGER and settings.CONSENT_IMPORT_IN_THREAD


def consent_import_start(*, job: ConsentImport, actor: User, dry_run: bool) -> threading.Thread | None:
    """Run a queued import job: a small file now, in this request; a large one after the commit, on a
    Celery worker, or on a background thread (`in_thread`, returned). Either way the job page polls
    the same progress (consents/importer/progress.py)."""
    if job.lines - 1 <= async_threshold():
        services.consent_import_execute(job_id=job.pk, actor=actor, dry_run=dry_run)
        return None
    reset_progress(job.pk)
    job_id, user_id = job.pk, actor.pk
    if not in_thread():
        transaction.on_commit(lambda: consent_import_run.delay(job_id, user_id, dry_run))
        return None
    thread = threading.Thread(
        target=_run_in_thread, args=(job_id, user_id, dry_run), name=f"consent-import-job-{job_id}"
    )
    thread.daemon = True
    transaction.on_commit(thread.start)
    return thread


def _run_in_thread(job_id: int, user_id: int, dry_run: bool) -> None:
    """The job on a thread of the web process, with database connections of its own, closed at the end.

    `consent_import_execute` fails the job itself for any error of the engine; anything before it (the
    user gone, the database away) fails it here, with the error's name. A process that dies mid-job
    stops the job's heartbeat, and `consent_imports_fail_lost` fails it as for a lost worker.
    """
    try:
        consent_import_run(job_id, user_id, dry_run)
    except Exception as exc:
        logger.error("Consent import %s failed on its thread: %s", job_id, type(exc).__name__)
        try:
            services.consent_import_fail(job_id=job_id, failure=type(exc).__name__)
        except Exception as again:
            logger.error("Consent import %s: could not be marked failed (%s)", job_id, type(again).__name__)
    finally:
        connections.close_all()
