"""Advisory locks that keep a customer's erasure and a bulk import of their data apart (§38–39, §46–49).

A bulk consent import resolves customer numbers at the start and writes for seconds to minutes; were a
customer erased in between, the import would write consent events for a person who is gone. So an
applying import holds `BULK_IMPORT` exclusively for its whole transaction and every erasure holds it
shared for its own: an erasure waits for a running import and then erases what it wrote too; an import
waits for running erasures and then refuses the erased customers' rows. Erasures run side by side.

Transaction-level PostgreSQL advisory locks: released at commit or rollback, never left behind by a
killed worker. On SQLite (the embedded `make run`) writers are serialised by the database anyway.

Every other write that attaches data to a customer (a consent by hand, a request, a complaint, a
letter, a contract, invoice, recording, disclosure or hold added in the admin, a rectification) or
changes the customer calls `lock_customer_for_write` first: it locks the customer's row and refuses an
erased customer (a tombstone, or a row that is gone). An erasure locks the same row FOR UPDATE, so
either the write commits first and the erasure then erases what it wrote, or the erasure commits first
and the write is refused: never personal data on a tombstone, never a row pointing at nobody (§38–39).

A legal hold's set and release (privacy/services.py) lock the customer it keeps, or the customer of the
record it keeps, the same way, so that an erasure reads every hold either before or after the change,
never in between (§31).

Lock order (deadlock-free because every transaction takes them in this order, never backwards):

1. `BULK_IMPORT`: exclusive for an applying import, shared for an erasure (and for the steps of an
   erasure request, which preview or run one, before they lock the customer). Ordinary writes do not
   take it, so a consent typed in by hand never waits minutes for an import.
2. The customer's row: FOR UPDATE by an erasure (`erase_subject`), FOR NO KEY UPDATE by a write
   (`lock_customer_for_write`). An import only checks its foreign keys (FOR KEY SHARE), which a
   write's NO KEY UPDATE does not block, so a write holding the row never waits for an import holding
   `BULK_IMPORT`; an erasure's FOR UPDATE does block those checks, which is why an erasure takes
   `BULK_IMPORT` first. Several customers: in ascending id order.
3. The customer's other rows (requests, complaints, consents, ...): a request service locks the
   customer before the request (requests_app/services/base.py `lock_request_with_customer`), as the erasure
   does before it anonymises the customer's requests.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connections
from django.utils.translation import gettext_lazy as _

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


def lock_customer(customer, using: str = "default"):
    """Lock the customer's row as a write does (FOR NO KEY UPDATE) and return it, fresh, or None when
    it no longer exists. Unlike `lock_customer_for_write` it does not refuse a tombstone: for writes
    that never attach data to the customer and must still wait for a running erasure (a legal hold's
    release, §31)."""
    from .models import Customer

    customer_id = getattr(customer, "pk", customer)
    connection = connections[using]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        raise RuntimeError("A row lock is only useful inside transaction.atomic().")
    if customer_id is None:
        return None
    return Customer.objects.using(using).select_for_update(no_key=True).filter(pk=customer_id).first()


def lock_customer_for_write(customer, using: str = "default"):
    """Lock the customer's row against a concurrent erasure and return it, fresh; refuse an erased one.

    Call inside the writing transaction, before locking or writing anything else of the customer (see
    the lock order above). Raises ValidationError (code "erased") when the customer is a tombstone or
    no longer exists (§38–39): an erasure cannot be undone by writing new data for the subject.
    """
    from .models import Customer

    customer = lock_customer(customer, using)
    if customer is None or customer.status == Customer.Status.TOMBSTONE:
        raise ValidationError(
            _("This customer was erased (§38–39): nothing can be recorded for them or changed on them."),
            code="erased",
        )
    return customer
