"""Writes for consents: give and withdraw (§46–49, §58–60), and the admin's CSV import jobs.

Every decision lands in the append-only ledger and, in the same transaction, in the current state: the
later decision wins, an older one is kept in the ledger without overturning the state (§49).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.models import Customer, PolicyVersion, User
from privacy.selectors import policy_version_in_force

from .models import Action, Consent, ConsentEvent, ConsentImport, ConsentTopic, decision_prevails

logger = logging.getLogger(__name__)


# --- Give and withdraw ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """One decision as the state needs it (a saved event, or a row of an import)."""

    customer_id: int
    topic_id: int
    action: str
    occurred_at: datetime.datetime
    channel: str
    source: str
    policy_version_id: int | None


def _history_actor(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def consent_state_settle(*, decision: Decision, actor: User | None, reason: str) -> str:
    """Bring the current state in line with a decision; returns what happened to the state.

    "created" (first decision on the topic), "changed" (given <-> withdrawn), "refreshed" (same status, a
    later decision) or "kept" (the decision is older than the state: it stays in the ledger only).
    Call inside the transaction that wrote the event.
    """
    consent = (
        Consent.objects.select_for_update()
        .filter(customer_id=decision.customer_id, topic_id=decision.topic_id)
        .first()
    )
    if consent is None:
        consent = Consent(customer_id=decision.customer_id, topic_id=decision.topic_id)
        outcome = "created"
    elif decision_prevails(
        new_occurred_at=decision.occurred_at,
        new_action=decision.action,
        current_occurred_at=consent.occurred_at,
        current_status=consent.status,
    ):
        outcome = "changed" if consent.status != decision.action else "refreshed"
    else:
        return "kept"
    consent.status = decision.action
    consent.occurred_at = decision.occurred_at
    consent.channel = decision.channel
    consent.source = decision.source
    consent.policy_version_id = decision.policy_version_id
    consent.updated_at = timezone.now()
    consent.full_clean(validate_unique=False, validate_constraints=False)
    consent._history_user = _history_actor(actor)
    consent._change_reason = reason
    consent.save()
    return outcome


@transaction.atomic
def consent_record(
    *,
    actor: User | None,
    customer: Customer,
    topic: ConsentTopic | str,
    action: str,
    channel: str,
    occurred_at: datetime.datetime | None = None,
    source: str = "",
    policy_version: PolicyVersion | None = None,
) -> ConsentEvent:
    """Record one decision of a customer about a topic and update the current state.

    `occurred_at` (default: now) is when the customer said it; it may not lie in the future. The policy
    version defaults to the one in force at that moment (§68–71). Recording the very same decision twice
    (same customer, topic, action, moment and source) returns the first event and changes nothing.
    """
    now = timezone.now()
    occurred_at = occurred_at or now
    if isinstance(topic, str):
        topic = ConsentTopic.objects.get(code=topic)
    if occurred_at > now:
        raise ValidationError({"occurred_at": _("A decision cannot lie in the future.")})
    if customer.status == Customer.Status.TOMBSTONE:
        raise ValidationError(_("This customer was erased; no consents are recorded for them."))
    existing = ConsentEvent.objects.filter(
        customer=customer, topic=topic, action=action, occurred_at=occurred_at, source=source
    ).first()
    if existing is not None:
        return existing
    if policy_version is None:
        policy_version = policy_version_in_force(at=occurred_at)
    event = ConsentEvent(
        customer=customer,
        topic=topic,
        action=action,
        channel=channel,
        occurred_at=occurred_at,
        recorded_at=now,
        source=source,
        policy_version=policy_version,
        captured_by=_history_actor(actor),
    )
    event.full_clean()
    event._history_user = _history_actor(actor)
    event.save()
    consent_state_settle(
        decision=Decision(
            customer_id=customer.pk,
            topic_id=topic.pk,
            action=action,
            occurred_at=occurred_at,
            channel=channel,
            source=source,
            policy_version_id=policy_version.pk if policy_version else None,
        ),
        actor=actor,
        reason=_("Consent %(action)s") % {"action": event.get_action_display()},
    )
    return event


def consent_give(**kwargs) -> ConsentEvent:
    """The customer gives consent to a topic (§46–47, §58). Keyword arguments as `consent_record`."""
    return consent_record(action=Action.GIVEN, **kwargs)


def consent_withdraw(**kwargs) -> ConsentEvent:
    """The customer withdraws consent (§48, §60): processing for the topic stops from that moment.

    Earlier events stay in the ledger: what was done before stays lawful (§49).
    """
    return consent_record(action=Action.WITHDRAWN, **kwargs)


# --- CSV import jobs (the admin's upload -> preview -> confirm flow) -----------------------------


def consent_import_upload(*, actor: User, upload: UploadedFile, profile=None) -> ConsentImport:
    """Store an uploaded CSV or XLSX file in private storage and count its lines; nothing is imported
    yet. `profile` (an ImportProfile; None: our own layout) says how the file is read.

    The upload has been size- and type-checked by the admin form (consents/forms.py).
    """
    from .importer.reading import inspect_file
    from .importer.spreadsheet import is_xlsx

    job = ConsentImport(
        original_name=upload.name[:255], size=upload.size or 0, uploaded_by=actor, profile=profile
    )
    job.file.save(upload.name, upload, save=False)  # streamed in chunks by the storage
    with job.file.open("rb") as handle:
        job.lines = inspect_file(handle, spreadsheet=is_xlsx(upload.name)).lines
    job._history_user = actor
    job.save()
    return job


def consent_import_execute(*, job_id: int, actor: User, dry_run: bool, progress=None) -> ConsentImport:
    """Check (dry run) or apply one uploaded file through the import engine and store the result.

    Used by the admin for small files and by the Celery task for large ones. The engine runs in its own
    transaction: a file with any invalid row applies nothing. The stored result has counts and errors by
    line and column, nothing from the file's content.
    """
    from .importer import run_import
    from .importer.progress import CacheProgress

    job = ConsentImport.objects.get(pk=job_id)
    expected = (
        {ConsentImport.Status.QUEUED, ConsentImport.Status.CHECKING}
        if dry_run
        else {ConsentImport.Status.APPLY_QUEUED, ConsentImport.Status.APPLYING}
    )
    if job.status not in expected:
        return job  # already done (a task delivered twice), or never confirmed: nothing to run
    job.status = ConsentImport.Status.CHECKING if dry_run else ConsentImport.Status.APPLYING
    job._history_user = actor
    job.save(update_fields=["status"])
    reporter = progress or CacheProgress(job.pk)
    try:
        with job.file.open("rb") as handle:
            result = run_import(
                handle,
                file_name=job.original_name,
                actor=actor,
                dry_run=dry_run,
                progress=reporter,
                **profile_arguments(job.profile),
            )
    except Exception as exc:
        # The engine reports every problem of the file as a row error; this is a fault of ours or of the
        # database. Logged without the message, which may quote data from the file.
        logger.error("Consent import %s failed: %s", job.pk, type(exc).__name__)
        job.status = ConsentImport.Status.FAILED
        job.result = {"failure": type(exc).__name__}
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "result", "finished_at"])
        reporter.finish()
        return job
    job.result = result.as_dict()
    job.finished_at = timezone.now()
    if result.error_count:
        job.status = ConsentImport.Status.INVALID
    elif dry_run:
        job.status = ConsentImport.Status.READY
    else:
        job.status = ConsentImport.Status.APPLIED
        job.applied_by = actor
    if job.status in {ConsentImport.Status.INVALID, ConsentImport.Status.APPLIED} and job.file:
        transaction.on_commit(_delete_file_later(job.file.name))
        job.file = ""
    job.save()
    reporter.finish()
    return job


def _delete_file_later(name: str):
    from django.core.files.storage import default_storage

    return lambda: default_storage.delete(name)


@transaction.atomic
def profile_arguments(profile) -> dict:
    """`run_import`'s mapping and profile code for an ImportProfile (None: our own layout)."""
    from .importer.mapping import DEFAULT

    if profile is None:
        return {"mapping": DEFAULT, "profile": ""}
    return {"mapping": profile.mapping(), "profile": profile.code}


def consent_import_confirm(*, job_id: int, actor: User) -> ConsentImport:
    """Mark a checked import as queued for applying; refuses an import not waiting for confirmation."""
    job = ConsentImport.objects.select_for_update().get(pk=job_id)
    if job.status != ConsentImport.Status.READY:
        raise ValidationError(_("This import is not waiting for confirmation."))
    job.status = ConsentImport.Status.APPLY_QUEUED
    job.applied_by = actor
    job._history_user = actor
    job.save(update_fields=["status", "applied_by"])
    return job


def consent_import_discard_stale(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Delete the stored files of imports checked but never confirmed (or failed) after `older_than`.

    Uploaded files hold personal data (Annex 1 cat. 28): they live only as long as the import needs them.
    """
    from django.core.files.storage import default_storage

    stale = ConsentImport.objects.filter(
        created_at__lt=timezone.now() - older_than,
        status__in=[ConsentImport.Status.READY, ConsentImport.Status.FAILED, ConsentImport.Status.QUEUED],
    ).exclude(file="")
    count = 0
    for job in stale.iterator():
        name = job.file.name
        job.file = ""
        job.save(update_fields=["file"])
        transaction.on_commit(lambda name=name: default_storage.delete(name))
        count += 1
    return count
