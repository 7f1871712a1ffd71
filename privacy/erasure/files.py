"""Files of erased rows leave storage after the commit, retried until gone (issue 5 item 4, §33).

Decision: rows first, files after. The row and its history are deleted in the transaction, and the
file's storage name is queued in `PendingFileDeletion` in the same transaction; after the commit the
file is deleted (retried a few times). So a row never points at a missing file, and a file that cannot
be deleted is never forgotten: its queue row stays (visible in the admin, with the error) and
`delete_pending_files()` (run by `replay_erasures --files-only` and after every later erasure) retries it.
A file already missing is noted in the log (storage name only: names are random, not personal).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction

from ..models import PendingFileDeletion

logger = logging.getLogger("privacy.erasure")

ATTEMPTS = 3
BACKOFF_SECONDS = 0.2
#: After this many files in a row fail completely, the storage is probably down: stop, retry later.
GIVE_UP_AFTER = 3


def _label(field: models.FileField) -> str:
    return f"{field.model._meta.label}.{field.name}"


def queue_file_deletions(
    field: models.FileField, names: Iterable[str], *, using: str = "default"
) -> list[int]:
    """Queue storage names for deletion once the current transaction commits."""
    names = [name for name in names if name]
    if not names:
        return []
    label = _label(field)
    created = PendingFileDeletion.objects.using(using).bulk_create(
        [PendingFileDeletion(field=label, name=name) for name in names]
    )
    ids = [item.pk for item in created if item.pk is not None]
    if not ids:  # a backend that does not return ids from bulk_create
        ids = list(
            PendingFileDeletion.objects.using(using)
            .filter(field=label, name__in=names)
            .values_list("pk", flat=True)
        )
    transaction.on_commit(lambda: delete_pending_files(ids=ids, using=using), using=using)
    return ids


def _storage_for(label: str):
    app_model, _, field_name = label.rpartition(".")
    try:
        return apps.get_model(app_model)._meta.get_field(field_name).storage
    except (LookupError, ValueError, AttributeError):
        logger.warning("pending file deletion: unknown field %s, using the default storage", label)
        return default_storage


def _delete_one(item: PendingFileDeletion, attempts: int, backoff: float) -> tuple[str, str]:
    """("deleted" | "missing" | "failed", last error)."""
    storage = _storage_for(item.field)
    error = ""
    for attempt in range(attempts):
        try:
            if not storage.exists(item.name):
                return "missing", ""
            storage.delete(item.name)
            if storage.exists(item.name):
                raise OSError("the file is still there after delete()")
            return "deleted", ""
        except Exception as exc:  # any storage error is retried, then recorded
            error = f"{type(exc).__name__}: {exc}"[:300]
            if attempt + 1 < attempts:
                time.sleep(backoff * 2**attempt)
    return "failed", error


def delete_pending_files(
    *,
    ids: Iterable[int] | None = None,
    attempts: int = ATTEMPTS,
    backoff: float | None = None,
    using: str = "default",
) -> dict[str, int]:
    """Delete queued files from storage; returns counts {"deleted", "missing", "failed"}."""
    backoff = BACKOFF_SECONDS if backoff is None else backoff
    queue = PendingFileDeletion.objects.using(using).order_by("pk")
    if ids is not None:
        queue = queue.filter(pk__in=list(ids))
    counts = {"deleted": 0, "missing": 0, "failed": 0}
    failures_in_a_row = 0
    for item in queue.iterator():
        outcome, error = _delete_one(item, attempts, backoff)
        counts[outcome] += 1
        if outcome == "failed":
            failures_in_a_row += 1
            PendingFileDeletion.objects.using(using).filter(pk=item.pk).update(
                attempts=models.F("attempts") + attempts, last_error=error
            )
            logger.warning(
                "could not delete file %s (%s) after %d attempts, queued as #%d for a retry: %s",
                item.name,
                item.field,
                attempts,
                item.pk,
                error,
            )
            if failures_in_a_row >= GIVE_UP_AFTER:
                logger.warning("file storage keeps failing; the remaining queued files are retried later")
                break
            continue
        failures_in_a_row = 0
        if outcome == "missing":
            logger.info("file %s (%s) was already missing from storage", item.name, item.field)
        PendingFileDeletion.objects.using(using).filter(pk=item.pk).delete()
    if failures_in_a_row >= GIVE_UP_AFTER:
        counts["failed"] = queue.count()  # the failed ones and those not tried in this pass
    return counts
