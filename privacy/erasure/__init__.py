"""Erasure that leaves nothing behind and keeps what the law requires (§31, §38–39, §50).

purge(model, pks, *, actor=None) -> int             set-based delete with history, files, admin log
erase_subject(customer, *, reason, actor, request=None, dry_run=False) -> ErasureRecord
purge_history(history_model, history_ids) -> int   delete audit records alone (§32)
delete_logs(model, pks) -> int                     delete log rows at the end of their window (§32)
scrub_rows(model, pks, *, blank=..., actor=None)    anonymise live rows and all their history
delete_pending_files()                              retry file deletions that failed after a commit
"""

from .files import delete_pending_files, queue_file_deletions
from .purge import (
    ERASED_REPR,
    PurgeBlocked,
    blank_value,
    delete_history,
    delete_logs,
    purge,
    purge_history,
    scrub_admin_log,
    scrub_rows,
)
from .subject import KEEP_REASONS, TOMBSTONE_PREFIX, ErasureRefused, erase_subject, erasure_plan, reason_label

__all__ = [
    "ERASED_REPR",
    "KEEP_REASONS",
    "TOMBSTONE_PREFIX",
    "ErasureRefused",
    "PurgeBlocked",
    "blank_value",
    "delete_history",
    "delete_logs",
    "delete_pending_files",
    "erase_subject",
    "erasure_plan",
    "purge",
    "purge_history",
    "queue_file_deletions",
    "reason_label",
    "scrub_admin_log",
    "scrub_rows",
]
