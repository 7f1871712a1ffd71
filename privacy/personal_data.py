"""The privacy app's entries in the personal-data catalogue (see privacy/catalogue.py)."""

import datetime

from django.db.models import Q

from .catalogue import Erasure, register
from .models import Contract, Customer, Disclosure, Invoice, LegalHold, Objection, Recording
from .periods import accounting_duty_q, open_debt_q

register(
    Customer,
    customer_path="",
    fields={
        "first_name": 1,
        "last_name": 1,
        "personal_code": 1,
        "birth_date": 1,
        "id_document_number": 1,
        "address": 2,
        "phone": 2,
        "email": 2,
        "residency": 3,
        "deceased": 3,
        "disability": 3,
        "portal_user_number": 6,
    },
    erasure=Erasure.ANONYMISE,
    high_security=True,
    notes="Becomes a tombstone without personal data when something must be kept; deleted otherwise.",
)
register(
    Contract,
    customer_path="customer",
    fields={"service_address": 29},
    erasure=Erasure.DELETE,
    notes="An active contract is a basis to keep the customer (§31).",
)


def invoice_keep(today: datetime.date) -> dict[str, Q]:
    """§31: the Accounting Law keeps an invoice 5 years from its date; §31.2: an open debt keeps it.

    The same rules as retention's `invoices` rule (privacy/periods.py): an invoice is kept through its
    fifth anniversary and erased from the next day on.
    """
    return {"accounting_5y": accounting_duty_q(today), "open_debt": open_debt_q()}


register(
    Invoice,
    customer_path="customer",
    fields={"payer_name": 18, "billing_address": 18, "bank_account": 18},
    erasure=Erasure.KEEP,
    keep=invoice_keep,
    # The Accounting Law needs the buyer's name and address on the invoice; the bank account it does not.
    scrub_when_kept=("bank_account",),
    restricted_field="restricted_at",
    notes="Kept 5 years under the Accounting Law and while a debt is open (§31, §31.2).",
)
register(
    Recording,
    customer_path="customer",
    fields={"file": 26},
    erasure=Erasure.DELETE,
    high_security=True,
    notes="Deleted 6 months after the recording date (§33); the file goes with the row.",
)
register(
    Disclosure,
    customer_path="customer",
    fields={"request_reference": 21, "notes": 21},
    erasure=Erasure.DELETE,
)
register(
    LegalHold,
    customer_path="customer",
    fields={"reason": 21},
    erasure=Erasure.KEEP,
    keep=lambda today: {"hold_evidence": Q()},
    notes=(
        "A hold in force makes erasure refuse (§31); a released hold stays as evidence that it existed, "
        "so the customer is kept as a tombstone."
    ),
)
register(
    Objection,
    customer_path="customer",
    fields={"grounds": 21},
    erasure=Erasure.DELETE,
    notes="Objections (§38) go with the customer; the request they came with stays as the evidence.",
)
