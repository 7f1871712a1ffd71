"""Nightly: mark requests due within 7 days and overdue ones, and email the DPO a digest (§41)."""

from celery import shared_task

from . import services


@shared_task(name="requests_app.flag_request_deadlines", acks_late=True)
def flag_request_deadlines() -> dict[str, int]:
    """Idempotent (a rerun the same day writes nothing), hence `acks_late`. Returns counts only."""
    counts = services.requests_flag_deadlines()
    counts["digest_sent"] = int(services.dpo_digest_send())
    return counts
