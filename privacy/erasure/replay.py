"""Erasure replay: erase again whoever came back from a restored backup (§38–39, §60).

Each `ErasureRecord` keeps keyed hashes of the erased customer number and personal code. After a
restore, `replay_erasures()` hashes the identifiers of every live customer and erases again those that
match a record, unless they registered after that erasure (a person who came back as a new customer
is a new relationship, not a leftover).

A restore also rolls back the erasure records and the suppression list themselves. So the ledger (the
records and the suppression list: hashes and counts, nothing readable) is exported outside the database
with `ledger_export` (`replay_erasures --export-ledger FILE`), kept apart from the backups, and imported
back before replaying (`replay_erasures --ledger FILE`).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils.dateparse import parse_datetime

from ..models import Customer, ErasureRecord, SuppressionEntry, User
from .ledger import customer_number_hash, personal_code_hash
from .reasons import replay_reason
from .subject import ErasureRefused, erase_subject

LEDGER_VERSION = 1
_RECORD_FIELDS = [
    "reason",
    "request_reference",
    "request_id",
    "subject_id",
    "tombstone",
    "erased",
    "anonymised",
    "kept",
    "suppressed_channels",
    "customer_number_hash",
    "personal_code_hash",
]


@dataclass
class Replay:
    customer_id: int
    erasure: uuid.UUID
    record: ErasureRecord | None = None
    refused: str = ""


def ledger_export(stream) -> int:
    """Write the ledger as JSON lines (records, then suppression entries); returns lines written."""
    written = 0
    for record in ErasureRecord.objects.order_by("created_at", "pk").iterator():
        line = {"kind": "erasure", "version": LEDGER_VERSION, "uuid": str(record.uuid)}
        line.update({name: getattr(record, name) for name in _RECORD_FIELDS})
        line["created_at"] = record.created_at.isoformat()
        line["actor_id"] = record.actor_id
        line["replay_of"] = str(record.replay_of) if record.replay_of else None
        stream.write(json.dumps(line, sort_keys=True) + "\n")
        written += 1
    for entry in SuppressionEntry.objects.select_related("erasure").order_by("pk").iterator():
        line = {
            "kind": "suppression",
            "version": LEDGER_VERSION,
            "channel": entry.channel,
            "contact_hash": entry.contact_hash,
            "created_at": entry.created_at.isoformat(),
            "erasure": str(entry.erasure.uuid) if entry.erasure else None,
        }
        stream.write(json.dumps(line, sort_keys=True) + "\n")
        written += 1
    return written


@transaction.atomic
def ledger_import(stream) -> dict[str, int]:
    """Add the ledger's records and suppression entries missing from this database (idempotent).

    A malformed line is an error naming the line; nothing is imported then.
    """
    counts = {"erasures": 0, "suppressions": 0}
    staff = set(User.objects.values_list("pk", flat=True))
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
            kind = line["kind"]
            if kind == "erasure":
                key = uuid.UUID(line["uuid"])
                if ErasureRecord.objects.filter(uuid=key).exists():
                    continue
                record = ErasureRecord(
                    uuid=key,
                    created_at=parse_datetime(line["created_at"]),
                    actor_id=line.get("actor_id") if line.get("actor_id") in staff else None,
                    replay_of=uuid.UUID(line["replay_of"]) if line.get("replay_of") else None,
                    **{name: line[name] for name in _RECORD_FIELDS},
                )
                record.full_clean()
                record.save()
                counts["erasures"] += 1
            elif kind == "suppression":
                erasure = (
                    ErasureRecord.objects.filter(uuid=line["erasure"]).first() if line["erasure"] else None
                )
                _, created = SuppressionEntry.objects.get_or_create(
                    channel=line["channel"],
                    contact_hash=line["contact_hash"],
                    defaults={"created_at": parse_datetime(line["created_at"]), "erasure": erasure},
                )
                counts["suppressions"] += created
            else:
                raise ValueError(f"unknown kind {kind!r}")
        except Exception as exc:
            raise ValueError(f"ledger line {number}: {exc}") from exc
    return counts


def returned_subjects() -> list[Replay]:
    """Live customers whose customer number or personal code matches an erasure, registered before it."""
    by_number: dict[str, ErasureRecord] = {}
    by_code: dict[str, ErasureRecord] = {}
    for record in ErasureRecord.objects.order_by("created_at").only(
        "uuid", "created_at", "customer_number_hash", "personal_code_hash"
    ):
        if record.customer_number_hash:
            by_number.setdefault(record.customer_number_hash, record)
        if record.personal_code_hash:
            by_code.setdefault(record.personal_code_hash, record)
    if not by_number and not by_code:
        return []
    found = []
    customers = (
        Customer.objects.exclude(status=Customer.Status.TOMBSTONE)
        .order_by()
        .values_list("pk", "customer_number", "personal_code", "registered_at")
    )
    for pk, number, code, registered_at in customers.iterator(chunk_size=5000):
        record = by_number.get(customer_number_hash(number)) or (
            code and by_code.get(personal_code_hash(code))
        )
        if record and registered_at < record.created_at:
            found.append(Replay(customer_id=pk, erasure=record.uuid))
    return found


def replay_erasures(*, actor=None, dry_run: bool = False) -> list[Replay]:
    """Erase again every subject that came back from a backup; each one in its own transaction."""
    replays = returned_subjects()
    for replay in replays:
        customer = Customer.objects.get(pk=replay.customer_id)
        try:
            replay.record = erase_subject(
                customer,
                reason=replay_reason(replay.erasure),
                actor=actor,
                dry_run=dry_run,
                replay_of=replay.erasure,
            )
        except ErasureRefused as exc:
            replay.refused = "; ".join(exc.messages)
    return replays
