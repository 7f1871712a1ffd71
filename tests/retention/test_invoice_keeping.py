"""A kept invoice says it is kept, why and until when (§31), on the invoice admin and the customer
overview, with the sweep's own reasons and dates: what the screen says the nightly run does, the run
does.

§31.3: "saskaņā ar Grāmatvedības likumu, uzņēmumam izrakstītie rēķini jāglabā vismaz 5 gadus" (counted
from the end of the invoice year, privacy/periods.py); §31.2: "kamēr ... Balticom vai Klients var
īstenot savas leģitīmās intereses" (an open debt keeps the invoice however old).
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from privacy.models import Invoice
from retention import cutoffs
from retention.models import KeepReason, RetentionRule
from tests.factories import UserFactory
from tests.security.conftest import in_role

from .factories import (
    LegalHoldFactory,
    hold_record,
    invoice_on,
    old_customer,
    open_complaint,
    open_request,
    sweep,
)

pytestmark = pytest.mark.django_db

D = datetime.date
ISSUED = D(2020, 7, 16)  # the Accounting Law keeps it through 31 December 2025
DUTY_ENDS = D(2025, 12, 31)


@pytest.fixture
def night(monkeypatch):
    """The screens speak of the next nightly run: set its as-of day."""

    def set_night(day: datetime.date) -> datetime.date:
        monkeypatch.setattr(cutoffs, "next_nightly_as_of", lambda: day)
        return day

    return set_night


def _changelist(client, **params):
    return client.get(reverse("admin:privacy_invoice_changelist"), params).content.decode()


def _retention_cell(page: str, invoice: Invoice) -> str:
    """The text of the invoice's row from its number on (the retention column is the last one)."""
    row = page.split(f">{invoice.number}</a>", 1)[1].split("</tr>", 1)[0]
    return row.rsplit('class="field-retention">', 1)[1]


@pytest.mark.parametrize(
    ("as_of", "shown", "deleted"),
    [
        (D(2025, 12, 30), "kept until 2025-12-31: Accounting Law (§31.3)", False),  # the day before
        (D(2025, 12, 31), "kept until 2025-12-31: Accounting Law (§31.3)", False),  # the duty's last day
        (D(2026, 1, 1), "due: deleted by the run of 2026-01-01 (kept until 2025-12-31)", True),  # after
    ],
)
def test_31_3_the_invoice_list_says_until_when_and_the_run_does_what_it_says(
    rules, client, night, as_of, shown, deleted
):
    """§31.3 "rēķini jāglabā vismaz 5 gadus": the date on the list is the sweep's last day."""
    invoice = invoice_on(ISSUED)
    night(as_of)
    client.force_login(in_role("data_protection_officer"))
    assert shown in _retention_cell(_changelist(client), invoice)
    sweep(RetentionRule.Code.INVOICES, as_of)
    assert Invoice.objects.filter(pk=invoice.pk).exists() is not deleted


def _debt(customer, invoice):
    Invoice.objects.filter(pk=invoice.pk).update(outstanding_debt=Decimal("12.50"))


def _restricted(customer, invoice):
    customer.restricted_since = timezone.now()
    customer.save()


REASONS = {
    KeepReason.LEGAL_HOLD: lambda customer, invoice: LegalHoldFactory(customer=customer),
    "record_hold": lambda customer, invoice: hold_record(invoice),
    KeepReason.OPEN_DEBT: _debt,
    KeepReason.RESTRICTED: _restricted,
    KeepReason.OPEN_REQUEST: lambda customer, invoice: open_request(customer),
    KeepReason.OPEN_COMPLAINT: lambda customer, invoice: open_complaint(customer),
}


@pytest.mark.parametrize("why", list(REASONS))
def test_31_an_invoice_kept_past_its_window_names_the_reason_the_sweep_keeps_it(rules, client, night, why):
    """§31: past its 5 years an invoice is kept only while a reason lasts; the list names the one the
    sweep counts it under, and does not promise a deletion."""
    customer = old_customer()
    invoice = invoice_on(ISSUED, customer=customer)
    REASONS[why](customer, invoice)
    reason = KeepReason.LEGAL_HOLD if why == "record_hold" else why
    night(D(2026, 1, 1))
    client.force_login(in_role("customer_service"))
    cell = _retention_cell(_changelist(client), invoice)
    assert escape(f"kept past 2025-12-31 while this lasts: {KeepReason(reason).label}") in cell
    assert "due" not in cell
    run = sweep(RetentionRule.Code.INVOICES, D(2026, 1, 1))
    assert Invoice.objects.filter(pk=invoice.pk).exists()
    assert run.kept_by_reason == {reason: 1}


def test_31_2_a_recent_invoice_with_an_open_debt_is_kept_at_least_5_years(rules, client, night):
    """Inside the 5 years a debt does not end the keeping at the duty's end: "at least"."""
    customer = old_customer()
    invoice = invoice_on(D(2024, 3, 1), customer=customer, outstanding_debt=Decimal("3.00"))
    night(D(2026, 12, 4))
    client.force_login(in_role("customer_service"))
    cell = _retention_cell(_changelist(client), invoice)
    assert "kept at least until 2029-12-31: Accounting Law (§31.3); open debt (§31)" in cell


def test_31_a_longer_window_of_the_rule_is_the_date_shown_and_swept(rules, client, night):
    """The DPO may lengthen the invoices window (never shorten the Accounting Law's): the list follows."""
    RetentionRule.objects.filter(code=RetentionRule.Code.INVOICES).update(window_months=72)
    invoice = invoice_on(ISSUED)
    night(D(2026, 1, 1))
    client.force_login(in_role("customer_service"))
    assert "kept until 2026-12-31: Accounting Law (§31.3)" in _retention_cell(_changelist(client), invoice)
    sweep(RetentionRule.Code.INVOICES, D(2026, 1, 1))
    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_31_with_the_invoices_rule_off_nothing_is_promised_for_tonight(rules, client, night):
    RetentionRule.objects.filter(code=RetentionRule.Code.INVOICES).update(enabled=False)
    invoice = invoice_on(ISSUED)
    night(D(2026, 1, 1))
    client.force_login(in_role("customer_service"))
    cell = _retention_cell(_changelist(client), invoice)
    assert "past its window (2025-12-31); kept while the invoices rule is off" in cell


def test_31_the_invoice_page_says_it_too(rules, client, night):
    customer = old_customer()
    invoice = invoice_on(ISSUED, customer=customer)
    open_request(customer)
    night(D(2026, 1, 1))
    client.force_login(in_role("customer_service"))
    page = client.get(reverse("admin:privacy_invoice_change", args=[invoice.pk])).content.decode()
    assert f"kept past 2025-12-31 while this lasts: {KeepReason.OPEN_REQUEST.label}" in page


def test_31_the_customer_overview_says_it_with_the_same_words(rules, client, night):
    customer = old_customer()
    kept = invoice_on(ISSUED, customer=customer, outstanding_debt=Decimal("1.00"))
    due = invoice_on(D(2019, 5, 5), customer=customer)
    night(D(2026, 1, 1))
    client.force_login(UserFactory(username="root", is_superuser=True))
    page = client.get(reverse("customer-overview", args=[customer.pk])).content.decode()
    assert f"kept past 2025-12-31 while this lasts: {KeepReason.OPEN_DEBT.label}" in page
    assert "due: deleted by the run of 2026-01-01 (kept until 2024-12-31)" in page
    assert page.index(kept.number) < page.index("while this lasts") < page.index(due.number)


def test_an_invoice_of_year_9999_is_kept_past_the_calendar_and_the_pages_work(rules, client, night):
    """An extreme date typed into an invoice breaks no page: its window ends past the calendar, and it
    is kept to the calendar's last day."""
    invoice = invoice_on(D(9998, 6, 1))
    night(D(2026, 12, 4))
    client.force_login(in_role("data_protection_officer"))
    assert "kept until 9999-12-31" in _retention_cell(_changelist(client), invoice)
    page = client.get(reverse("admin:privacy_invoice_change", args=[invoice.pk]))
    assert page.status_code == 200 and "kept until 9999-12-31" in page.content.decode()


def test_the_invoice_list_costs_the_same_with_3_and_with_60_invoices(rules, client, night):
    """The reasons are one annotation on the page's query, the rule one query: not one per row."""
    night(D(2026, 1, 1))
    client.force_login(in_role("data_protection_officer"))
    counts = []
    for n in (3, 57):
        for _ in range(n):
            invoice_on(ISSUED)
        _changelist(client)
        with CaptureQueriesContext(connection) as captured:
            _changelist(client)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_reasons_are_worked_out_for_the_shown_page_only(rules, client, night):
    """The period links (first and last issue date, one probe per year) and the count read the invoices
    alone: at a million invoices the reasons' join to the customers turned the first/last-date look-up
    into a full scan (3.7 s a page). The page's own query carries the reasons."""
    night(D(2026, 1, 1))
    client.force_login(in_role("data_protection_officer"))
    held = invoice_on(ISSUED)
    LegalHoldFactory(customer=held.customer)
    invoice_on(D(2019, 3, 1))
    with CaptureQueriesContext(connection) as captured:
        page = _changelist(client)
    invoice_queries = [q["sql"] for q in captured.captured_queries if 'FROM "privacy_invoice"' in q["sql"]]
    bounds = [sql for sql in invoice_queries if 'MIN("privacy_invoice"."issue_date")' in sql]
    listed = [sql for sql in invoice_queries if '"privacy_invoice"."number"' in sql and "LIMIT" in sql]
    assert bounds and listed
    assert all('"privacy_customer"' not in sql and "CASE" not in sql for sql in bounds)
    assert all("CASE" in sql for sql in listed)
    assert "legal hold" in _retention_cell(page, held)
    searched = _changelist(client, q=held.number)  # a one-row result is listed without paging
    assert "legal hold" in _retention_cell(searched, held)
