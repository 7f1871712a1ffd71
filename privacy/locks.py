"""Advisory locks that keep a customer's erasure and a bulk import of their data apart (§38–39, §46–49).

A bulk consent import resolves customer numbers at the start and writes for seconds to minutes; were a
customer erased in between, the import would write consent events for a person who is gone. So an
applying import holds `BULK_IMPORT` exclusively for its whole transaction and every erasure holds it
shared for its own: an erasure waits for a running import and then erases what it wrote too; an import
waits for running erasures and then refuses the erased customers' rows. Erasures run side by side.

Transaction-level PostgreSQL advisory locks: released at commit or rollback, never left behind by a
killed worker. On SQLite (the embedded `make run`) writers are serialised by the database anyway.
"""

from __future__ import annotations

from django.db import connections

#: pg_advisory_xact_lock key ("CONSENTS" in ASCII).
BULK_IMPORT = 0x434F4E53454E5453


def _lock(function: str, using: str) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("An advisory transaction lock is only useful inside transaction.atomic().")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [BULK_IMPORT])


def lock_for_bulk_import(using: str = "default") -> None:
    """Wait until no erasure runs, then keep erasures out until this transaction ends."""
    _lock("pg_advisory_xact_lock", using)


def lock_for_erasure(using: str = "default") -> None:
    """Wait until no bulk import applies, then keep imports out until this transaction ends.

    Take it before locking any customer row, so that an import never waits for this transaction while
    this transaction waits for the import.
    """
    _lock("pg_advisory_xact_lock_shared", using)
