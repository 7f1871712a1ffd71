"""The privacy app's entries in the personal-data catalogue (see privacy/catalogue.py)."""

from .catalogue import Erasure, register
from .models import Contract, Customer, Disclosure, Invoice, Recording

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
register(
    Invoice,
    customer_path="customer",
    fields={"payer_name": 18, "billing_address": 18, "bank_account": 18},
    erasure=Erasure.KEEP,
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
