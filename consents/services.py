"""Writes for consents: give and withdraw (§46–49, §58–60), and the admin's CSV import jobs.

Every decision lands in the append-only ledger and, in the same transaction, in the current state: the
later decision wins, an older one is kept in the ledger without overturning the state (§49).
"""

from __future__ import annotations

import datetime
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.locks import lock_customer_for_write
from privacy.models import Customer, PolicyVersion, User
from privacy.selectors import policy_version_in_force

from .importer.result import ImportResult
from .models import (
    Action,
    Consent,
    ConsentEvent,
    ConsentImport,
    ConsentTopic,
    decision_prevails,
    no_consent_needed_message,
)

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
    if not topic.needs_consent:
        raise ValidationError({"topic": no_consent_needed_message(topic.code)}, code="no_consent_needed")
    if occurred_at > now:
        raise ValidationError({"occurred_at": _("A decision cannot lie in the future.")})
    # Locked against a concurrent erasure, and refused once erased (§38–39, privacy/locks.py).
    try:
        customer = lock_customer_for_write(customer)
    except ValidationError as exc:
        raise ValidationError(
            _("This customer was erased; no consents are recorded for them."), code="erased"
        ) from exc
    same = {
        "customer": customer,
        "topic": topic,
        "action": action,
        "occurred_at": occurred_at,
        "source": source,
    }
    existing = ConsentEvent.objects.filter(**same).first()
    if existing is not None:
        return existing
    if policy_version is None:
        policy_version = policy_version_in_force(at=occurred_at)
    event = ConsentEvent(
        **same,
        channel=channel,
        recorded_at=now,
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
        original_name=upload.name[:255],
        size=upload.size or 0,
        uploaded_by=actor,
        heartbeat_at=timezone.now(),
        profile=profile,
    )
    job.file.save(upload.name, upload, save=False)  # streamed in chunks by the storage
    with job.file.open("rb") as handle:
        job.lines = inspect_file(handle, spreadsheet=is_xlsx(upload.name)).lines
    job._history_user = actor
    job.save()
    return job


def heartbeat_seconds() -> float:
    """How often a running import on a worker says it is alive."""
    return float(getattr(settings, "CONSENT_IMPORT_HEARTBEAT_SECONDS", 15))


def lost_after() -> datetime.timedelta:
    """A checking or applying import silent this long has lost its worker."""
    return datetime.timedelta(seconds=getattr(settings, "CONSENT_IMPORT_LOST_AFTER_SECONDS", 180))


class _Heartbeat:
    """Writes `heartbeat_at` of a running job every few seconds, from a thread and a connection of its
    own: the import's transaction would hide the job's own writes until it ends, and a long statement of
    the import must not look like a dead worker. The thread dies with its process, so a worker killed
    with SIGKILL stops beating and `consent_imports_fail_lost` finds the job."""

    def __init__(self, job_id: int, status: str):
        self.job_id, self.status = job_id, status
        self.interval = heartbeat_seconds()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"consent-import-{job_id}", daemon=True)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    ConsentImport.objects.filter(pk=self.job_id, status=self.status).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError as exc:  # a missed beat; the next one may pass
                    logger.warning(
                        "Consent import %s: heartbeat failed (%s)", self.job_id, type(exc).__name__
                    )
        finally:
            connection.close()  # this thread's connection

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def consent_import_execute(*, job_id: int, actor: User, dry_run: bool, progress=None) -> ConsentImport:
    """Check (dry run) or apply one uploaded file through the import engine and store the result.

    Used by the admin for small files and by the Celery task for large ones. The engine runs in its own
    transaction: a file with any invalid row applies nothing. The stored result has counts and errors by
    line and column, nothing from the file's content.

    A worker killed while the job is checking or applying rolls that transaction back: nothing is half
    written. The job must then not stay "checking"/"applying" forever: on a worker (outside any
    transaction) a heartbeat thread marks it alive every CONSENT_IMPORT_HEARTBEAT_SECONDS, and
    `consent_imports_fail_lost` fails a job silent for CONSENT_IMPORT_LOST_AFTER_SECONDS, with a message
    the user understands and a way to try again (`consent_import_retry`). Detection was chosen over
    redelivery (`acks_late`): a file that kills its worker (out of memory on a huge file) would be
    redelivered and kill a worker again and again, and a whole worker killed is redelivered only after
    the visibility timeout (4 h), while the page would say "applying" all along; a failed job with a
    button is clear at once, and the retry is the same all-or-nothing run.
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
    job.heartbeat_at = timezone.now()
    job._history_user = actor
    job.save(update_fields=["status", "heartbeat_at"])
    reporter = progress or CacheProgress(job.pk)
    # In a request (small files) the request's own transaction holds the job row: no heartbeat there.
    beating = _Heartbeat(job.pk, job.status) if not connection.in_atomic_block else None
    try:
        if beating:
            beating.__enter__()
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
        job.result = {"failure": type(exc).__name__, "phase": "checking" if dry_run else "applying"}
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "result", "finished_at"])
        reporter.finish()
        return job
    finally:
        if beating:
            beating.__exit__()
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


def profile_arguments(profile) -> dict:
    """`run_import`'s mapping and profile code for an ImportProfile (None: our own layout)."""
    from .importer.mapping import DEFAULT

    if profile is None:
        return {"mapping": DEFAULT, "profile": ""}
    return {"mapping": profile.mapping(), "profile": profile.code}


@transaction.atomic
def consent_import_confirm(*, job_id: int, actor: User) -> ConsentImport:
    """Mark a checked import as queued for applying; refuses an import not waiting for confirmation,
    and one whose preview found nothing to change (every row already in the ledger)."""
    job = ConsentImport.objects.select_for_update().get(pk=job_id)
    if job.status != ConsentImport.Status.READY:
        raise ValidationError(_("This import is not waiting for confirmation."))
    if not ImportResult.from_dict(job.result).changes_anything:
        raise ValidationError(_("This file changes nothing: every row is already in the ledger."))
    job.status = ConsentImport.Status.APPLY_QUEUED
    job.applied_by = actor
    job.heartbeat_at = timezone.now()
    job._history_user = actor
    job.save(update_fields=["status", "applied_by", "heartbeat_at"])
    return job


def _fail(job: ConsentImport, *, failure: str, actor: User | None, reason: str) -> None:
    phase = (
        "checking"
        if job.status in {ConsentImport.Status.QUEUED, ConsentImport.Status.CHECKING}
        else "applying"
        if job.status in {ConsentImport.Status.APPLY_QUEUED, ConsentImport.Status.APPLYING}
        else job.result.get("phase", "")
    )
    job.status = ConsentImport.Status.FAILED
    job.result = {"failure": failure, "phase": phase}
    job.finished_at = timezone.now()
    job._history_user = _history_actor(actor)
    job._change_reason = reason
    job.save(update_fields=["status", "result", "finished_at"])


@transaction.atomic
def consent_import_fail(*, job_id: int, failure: str, actor: User | None = None) -> bool:
    """Fail a running import whose runner hit an error outside the engine (which fails its own); returns
    whether it was running. `failure` is a code or an exception's name, never its message."""
    job = ConsentImport.objects.select_for_update().filter(pk=job_id).first()
    if job is None or not job.running:
        return False
    _fail(job, failure=failure[:64], actor=actor, reason="failed")
    return True


@transaction.atomic
def consent_imports_fail_lost(*, actor: User | None = None, job_id: int | None = None) -> int:
    """Fail the imports whose worker died while checking or applying; returns how many.

    A job is lost when its heartbeat (see `consent_import_execute`) is older than `lost_after()`. Its
    transaction was rolled back with its worker, so nothing was imported; the user sees why and may try
    again. `job_id` limits the check to one job (the admin's job page asks for its own).
    """
    silent_since = timezone.now() - lost_after()
    lost = ConsentImport.objects.filter(
        Q(heartbeat_at__lt=silent_since) | Q(heartbeat_at__isnull=True, created_at__lt=silent_since),
        status__in=[ConsentImport.Status.CHECKING, ConsentImport.Status.APPLYING],
    )
    if job_id is not None:
        lost = lost.filter(pk=job_id)
    count = 0
    for job in lost.select_for_update(skip_locked=True):
        _fail(job, failure="worker_lost", actor=actor, reason="worker lost")
        logger.warning(
            "Consent import %s: its worker stopped while %s; marked failed", job.pk, job.result["phase"]
        )
        count += 1
    return count


@transaction.atomic
def consent_import_retry(*, job_id: int, actor: User) -> ConsentImport:
    """Queue a failed import again, for the phase it failed in: the check, or the import (which checks
    every row again and applies all or nothing). Refused if it did not fail or its file is gone."""
    job = ConsentImport.objects.select_for_update().get(pk=job_id)
    if job.status != ConsentImport.Status.FAILED or not job.file:
        raise ValidationError(_("Only a failed import whose file is still stored can be tried again."))
    applying = job.result.get("phase") == "applying"
    job.status = ConsentImport.Status.APPLY_QUEUED if applying else ConsentImport.Status.QUEUED
    job.result = {}
    job.finished_at = None
    job.heartbeat_at = timezone.now()
    if applying:
        job.applied_by = actor
    job._history_user = actor
    job._change_reason = "retry"
    job.save(update_fields=["status", "result", "finished_at", "heartbeat_at", "applied_by"])
    return job


def consent_import_discard_stale(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Delete the stored files of imports nobody has worked on for `older_than`, in every state.

    Uploaded files hold personal data (Annex 1 cat. 28): they live only as long as the import needs them.
    First the jobs whose worker died are failed (`consent_imports_fail_lost`); then every job with a
    file, uploaded and last alive (queued, started or beating) before `older_than`, loses its file: a
    preview never confirmed, a failed job never retried, a job queued whose task never ran. Those still
    unfinished are failed as abandoned. A job whose worker still beats keeps its file.
    """
    from django.core.files.storage import default_storage

    consent_imports_fail_lost()
    cutoff = timezone.now() - older_than
    stale = (
        ConsentImport.objects.filter(created_at__lt=cutoff)
        .filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=cutoff))
        .exclude(file="")
    )
    count = 0
    for pk in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            job = ConsentImport.objects.select_for_update().get(pk=pk)
            if not job.file or (job.heartbeat_at and job.heartbeat_at >= cutoff):
                continue  # retried or started meanwhile
            name = job.file.name
            if job.running:
                _fail(job, failure="abandoned", actor=None, reason="abandoned")
            job.file = ""
            job.save(update_fields=["file"])
            transaction.on_commit(lambda name=name: default_storage.delete(name))
        count += 1
    return count
