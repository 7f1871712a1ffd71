"""The privacy app's entries in the personal-data catalogue (see privacy/catalogue.py)."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
    history_tokens=("customer_number",),
    record_categories=(5,),
    notes="Becomes a tombstone without personal data when something must be kept; deleted otherwise.",
)
register(
    Contract,
    customer_path="customer",
    fields={"service_address": 29},
    erasure=Erasure.DELETE,
    record_categories=(8, 10),
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
    record_categories=(18,),
    notes="Kept 5 years under the Accounting Law and while a debt is open (§31, §31.2).",
)
register(
    Recording,
    customer_path="customer",
    fields={"file": 26},
    erasure=Erasure.DELETE,
    high_security=True,
    record_categories=(26,),
    notes="Deleted 6 months after the recording date (§33); the file goes with the row.",
)
register(
    Disclosure,
    customer_path="customer",
    fields={"request_reference": 21, "notes": 21},
    erasure=Erasure.KEEP,
    keep=lambda today: {"disclosure_evidence": Q()},
    # The evidence that the disclosure was lawful (ground, recipient, legal reference, the request it
    # answered, date, categories) stays; free-text notes about the subject go.
    scrub_when_kept=("notes",),
    notes="§26: kept on erasure, attached to the tombstone, as evidence that the disclosure was lawful.",
    # §26.3, §39: what persons entitled by law asked for is not revealed to the subject; the staff's
    # notes on any disclosure are internal.
    withhold=lambda: Q(ground=Disclosure.Ground.LAW),
    withheld_fields=("notes",),
    withhold_reason=_(
        "disclosures to persons entitled by law on their request (§26.3) and internal notes are not "
        "revealed to the subject (§39)"
    ),
)
register(
    LegalHold,
    customer_path="customer",
    fields={"reason": 21},
    erasure=Erasure.KEEP,
    keep=lambda today: {"hold_evidence": Q()},
    # The reason names the person and what is said about them ("court order re …"): the evidence that a
    # hold existed keeps its dates, not its reason; the package never shows it.
    scrub_when_kept=("reason",),
    withhold=lambda: Q(pk__isnull=False),  # every row (an empty Q would exclude nothing)
    withheld_fields=("reason",),
    withhold_reason=_("legal holds and their reasons are not revealed to the subject (§31, §39)"),
    notes=(
        "A hold in force makes erasure refuse (§31); a released hold stays as evidence that it existed, "
        "without its reason, so the customer is kept as a tombstone."
    ),
)
register(
    Objection,
    customer_path="customer",
    fields={"grounds": 21},
    erasure=Erasure.DELETE,
    notes="Objections (§38) go with the customer; the request they came with stays as the evidence.",
)
