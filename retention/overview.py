"""The whole person on one page (§36–37: staff answer a data subject from everything held on them).

    customer_overview(customer, *, user, invoice_page=1, history_page=1) -> dict

A selector: reads only. It lives in `retention` because it reads all three other apps (privacy, consents,
requests_app) and only `retention` may import them all (the import-linter layers in pyproject.toml), and
because whether an invoice is kept, why and until when, is retention's knowledge (§31).

Each section is there only if `user` may view that model; special-category fields (Annex 1 cat. 3) only
for holders of `privacy.view_special_categories` (privacy/special_categories.py). Every section is one
query (or two: rows and totals), whatever the number of rows: invoices and the history timeline are
paged (PAGE_SIZE), so the page costs the same with ten invoices or ten thousand.
"""

from __future__ import annotations

import datetime
import heapq
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.template.defaultfilters import yesno
from django.utils.translation import gettext_lazy as _

from consents.models import Consent
from privacy.models import Contract, Customer, Disclosure, ErasureRecord, Invoice, LegalHold, Recording
from privacy.periods import add_months, today
from privacy.special_categories import hidden_fields
from requests_app.models import Complaint, SubjectRequest

from .models import RetentionRule
from .selectors import InvoiceKeeping

PAGE_SIZE = 20
#: §33: recordings are deleted 6 months after they were made.
RECORDING_MONTHS = 6

IDENTITY_FIELDS = [
    "customer_number",
    "kind",
    "lifecycle",
    "status",
    "first_name",
    "last_name",
    "personal_code",
    "birth_date",
    "id_document_number",
    "address",
    "phone",
    "email",
    "preferred_language",
    "portal_user_number",
    "registered_at",
    "residency",
    "deceased",
    "disability",
    "restricted_since",
    "marketing_objection_since",
]


@dataclass
class TimelineEntry:
    when: datetime.datetime
    what: str
    label: str
    change: str
    actor: object
    reason: str


def can_view(user, model) -> bool:
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


def _recording_months() -> int:
    """The recordings rule's window in months (one query)."""
    window = (
        RetentionRule.objects.filter(code=RetentionRule.Code.RECORDINGS)
        .values_list("window_months", flat=True)
        .first()
    )
    return window or RECORDING_MONTHS


def _identity(customer: Customer, user) -> list[tuple]:
    hidden = set(hidden_fields(user, Customer))
    rows = []
    for name in IDENTITY_FIELDS:
        if name in hidden:
            continue
        field = Customer._meta.get_field(name)
        value = getattr(customer, f"get_{name}_display")() if field.choices else getattr(customer, name)
        if isinstance(value, bool):
            value = yesno(value)
        rows.append((field.verbose_name, value))
    return rows


def _page(number, count: int) -> int:
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    last = max(1, -(-count // PAGE_SIZE))
    return min(max(1, number), last)


def _invoices(customer: Customer, page) -> dict:
    """The customer's invoices, paged and totalled; each says what keeps it and until when, as the
    retention sweep decides it (§31, §31.2, §31.3: `InvoiceKeeping`)."""
    invoices = Invoice.objects.filter(customer=customer)
    totals = invoices.aggregate(count=Count("pk"), amount=Sum("amount"), debt=Sum("outstanding_debt"))
    number = _page(page, totals["count"])
    keeping = InvoiceKeeping()
    rows = list(
        keeping.annotate(invoices).order_by("-issue_date", "-id")[
            (number - 1) * PAGE_SIZE : number * PAGE_SIZE
        ]
    )
    for invoice in rows:
        invoice.retention = keeping.of(invoice)
    return {
        "rows": rows,
        "totals": totals,
        "page": number,
        "pages": max(1, -(-totals["count"] // PAGE_SIZE)),
    }


def _recordings(customer: Customer) -> list[Recording]:
    months = _recording_months()
    rows = list(Recording.objects.filter(customer=customer).order_by("-recorded_at", "-id")[:PAGE_SIZE])
    for recording in rows:
        recording.delete_on = add_months(recording.recorded_at.date(), months)
    return rows


def _timeline(customer: Customer, user, page) -> dict:
    """Changes from the history tables, newest first, with the acting staff member (§22, §32).

    Each table gives its newest `page * PAGE_SIZE` rows (one query each), merged here: the page's cost
    grows with the page number, not with the customer's records."""
    number = _page(page, 10**9)
    wanted = number * PAGE_SIZE
    sources = [(Customer.history.filter(id=customer.pk), Customer, str)]
    if can_view(user, Contract):
        sources.append((Contract.history.filter(customer_id=customer.pk), Contract, lambda h: h.number))
    if can_view(user, LegalHold):
        sources.append(
            (LegalHold.history.filter(customer_id=customer.pk), LegalHold, lambda h: h.reason[:60])
        )
    if can_view(user, SubjectRequest):
        sources.append(
            (
                SubjectRequest.history.filter(customer_id=customer.pk),
                SubjectRequest,
                lambda h: h.get_type_display(),
            )
        )
    if can_view(user, Complaint):
        sources.append(
            (Complaint.history.filter(customer_id=customer.pk), Complaint, lambda h: h.get_status_display())
        )
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    streams = []
    for queryset, model, label in sources:
        rows = queryset.select_related("history_user").order_by("-history_date", "-history_id")[: wanted + 1]
        streams.append(
            [
                TimelineEntry(
                    row.history_date,
                    model._meta.verbose_name,
                    label(row) if model is not Customer else row.customer_number,
                    kinds.get(row.history_type, row.history_type),
                    row.history_user,
                    row.history_change_reason or "",
                )
                for row in rows
            ]
        )
    merged = list(heapq.merge(*streams, key=lambda entry: entry.when, reverse=True))
    return {
        "rows": merged[(number - 1) * PAGE_SIZE : wanted],
        "page": number,
        "has_next": len(merged) > wanted,
    }


def customer_overview(customer: Customer, *, user, invoice_page=1, history_page=1) -> dict:
    """Everything held on `customer` that `user` may see, by section (see the module docstring)."""
    sections: dict = {"identity": _identity(customer, user), "customer": customer}
    if can_view(user, Consent):
        sections["consents"] = list(
            Consent.objects.filter(customer=customer)
            .select_related("topic", "policy_version")
            .order_by("topic__code")
        )
    if can_view(user, SubjectRequest):
        sections["requests"] = list(
            SubjectRequest.objects.filter(customer=customer).order_by("-received_at", "-id")[:PAGE_SIZE]
        )
    if can_view(user, Complaint):
        sections["complaints"] = list(
            Complaint.objects.filter(customer=customer).order_by("-received_at", "-id")[:PAGE_SIZE]
        )
    if can_view(user, Contract):
        sections["contracts"] = list(
            Contract.objects.filter(customer=customer).order_by("-start_date", "-id")
        )
    if can_view(user, Invoice):
        sections["invoices"] = _invoices(customer, invoice_page)
    if can_view(user, Recording):
        sections["recordings"] = _recordings(customer)
    if can_view(user, Disclosure):
        sections["disclosures"] = list(
            Disclosure.objects.filter(customer=customer)
            .select_related("recipient")
            .order_by("-disclosed_on")[:PAGE_SIZE]
        )
    if can_view(user, LegalHold):
        sections["holds"] = list(LegalHold.objects.filter(customer=customer).select_related("set_by"))
    if can_view(user, ErasureRecord):
        sections["erasures"] = list(ErasureRecord.objects.filter(subject_id=customer.pk))
    sections["timeline"] = _timeline(customer, user, history_page)
    sections["today"] = today()
    return sections
