"""Celery tasks of the consents app: thin wrappers over services; ids in, counts out, nothing personal."""

from celery import shared_task

from privacy.models import User

from . import services


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
