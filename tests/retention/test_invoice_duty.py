"""One rule for invoices on both sides (§31.3, §31.2): erasure's keep rule and retention's `invoices`
rule count the Accounting Law's 5 years with the same function (privacy/periods.py), and both keep an
invoice with an open debt.

§31.3: "saskaņā ar Grāmatvedības likumu, uzņēmumam izrakstītie rēķini jāglabā vismaz 5 gadus". The
policy gives no start and "vismaz" (at least) rules out a reading that could delete early, so the years
count from the end of the calendar (reporting) year of the invoice date: an invoice of any day of 2020
is kept through 31 December 2025 and goes from 1 January 2026.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from privacy import catalogue
from privacy.erasure import erase_subject, erasure_plan
from privacy.models import Contract, Customer, Invoice
from privacy.periods import (
    accounting_duty_cutoff,
    is_expired,
    open_debt_q,
    under_accounting_duty,
    year_end,
)
from retention.models import KeepReason, RetentionRule
from retention.selectors import rule_targets

from .factories import active, former_customer, invoice_on, old_customer, sweep

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("issued", "on", "kept"),
    [
        (D(2020, 7, 16), D(2025, 7, 17), True),  # past the 5th anniversary: the year is not over
        (D(2020, 7, 16), D(2025, 12, 30), True),  # one day inside
        (D(2020, 7, 16), D(2025, 12, 31), True),  # the boundary day: the duty's last day
        (D(2020, 7, 16), D(2026, 1, 1), False),  # one day past
        (D(2020, 1, 1), D(2025, 1, 2), True),  # counted from the year's end, not the invoice's day
        (D(2020, 1, 1), D(2025, 12, 31), True),
        (D(2020, 1, 1), D(2026, 1, 1), False),
        (D(2020, 2, 29), D(2025, 3, 1), True),
        (D(2020, 12, 31), D(2025, 12, 31), True),
        (D(2020, 12, 31), D(2026, 1, 1), False),
    ],
)
def test_31_3_the_accounting_duty_counts_5_years_from_the_end_of_the_invoice_year(issued, on, kept):
    """§31.3 "rēķini jāglabā vismaz 5 gadus": the one function both erasure and retention ask."""
    assert under_accounting_duty(issued, on=on) is kept
    assert (issued > accounting_duty_cutoff(on)) is kept


@given(
    issued=st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)),
    on=st.dates(min_value=D(1995, 1, 1), max_value=D(2095, 12, 31)),
)
@example(issued=D(2024, 2, 29), on=D(2029, 12, 31))
@example(issued=D(2024, 2, 29), on=D(2030, 1, 1))
def test_the_duty_is_60_months_from_the_end_of_the_invoice_year(issued, on):
    """§31.3: the Accounting Law's 5 years are the `invoices` rule's 60-month window counted from 31
    December of the invoice's year, day for day, and never shorter than 60 months from its date."""
    assert under_accounting_duty(issued, on=on) is not is_expired(year_end(issued), as_of=on, months=60)
    if is_expired(issued, as_of=on, months=60) is False:
        assert under_accounting_duty(issued, on=on)


def _invoice_keep(on: datetime.date) -> dict:
    return catalogue.entry_for(Invoice).keep(on)


@pytest.mark.django_db
@pytest.mark.parametrize("on", [D(2025, 7, 16), D(2025, 3, 1), D(2024, 2, 29), D(2025, 11, 3)], ids=str)
def test_erasure_and_retention_keep_the_same_invoices_on_the_same_day(rules, on):
    """§31, §31.2: around the anniversary (and with an open debt) erasure's keep rule and the sweep's
    candidates and reasons split the same invoices the same way."""
    customer = old_customer()
    oldest_kept = accounting_duty_cutoff(on) + ONE_DAY  # 1 January of the oldest year still kept
    invoices = {
        "inside": invoice_on(oldest_kept + ONE_DAY, customer=customer),
        "oldest_kept": invoice_on(oldest_kept, customer=customer),
        "past": invoice_on(oldest_kept - ONE_DAY, customer=customer),
        "old_debt": invoice_on(D(2012, 1, 1), customer=customer, outstanding_debt=Decimal("5.00")),
    }
    ids = {invoice.pk: name for name, invoice in invoices.items()}

    keep = _invoice_keep(on)
    erasure_keeps = {
        ids[pk]: reason
        for reason, condition in keep.items()
        for pk in Invoice.objects.filter(condition, pk__in=ids).values_list("pk", flat=True)
    }
    (target,) = rule_targets(rule=RetentionRule.objects.get(code="invoices"), as_of=on)
    candidates = dict(target.classified().filter(pk__in=ids).values_list("pk", "keep_reason"))
    retention_handles = {ids[pk] for pk, reason in candidates.items() if not reason}
    retention_keeps = {ids[pk]: reason for pk, reason in candidates.items() if reason}

    assert erasure_keeps == {
        "inside": "accounting_5y",
        "oldest_kept": "accounting_5y",
        "old_debt": "open_debt",
    }
    assert retention_handles == {"past"}
    assert retention_keeps == {"old_debt": KeepReason.OPEN_DEBT}
    assert set(ids.values()) - set(erasure_keeps) == retention_handles


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("anniversary_offset", "kept"),
    [(1, True), (0, True), (-1, False)],
    ids=["2-january-of-the-oldest-kept-year", "1-january-of-it", "31-december-before"],
)
def test_erasure_today_and_tonight_s_sweep_agree_on_the_boundary(rules, anniversary_offset, kept):
    """§31.3 on the real clock: erasure (today in Riga) keeps exactly what the sweep as of today keeps."""
    today = timezone.localdate()
    # The first invoice day of the oldest year still kept (the day after the cutoff), and its neighbours.
    issued = accounting_duty_cutoff(today) + ONE_DAY + datetime.timedelta(days=anniversary_offset)
    erased_customer, swept_customer = old_customer(), old_customer()
    erased_invoice = invoice_on(issued, customer=erased_customer)
    swept_invoice = invoice_on(issued, customer=swept_customer)

    assert (
        erased_invoice.pk
        in erasure_plan(erased_customer)["privacy.Invoice"]["kept"].get("accounting_5y", set())
    ) is kept
    erase_subject(erased_customer, reason="test", actor=None)
    sweep("invoices", today)

    assert Invoice.objects.filter(pk=erased_invoice.pk).exists() is kept
    assert Invoice.objects.filter(pk=swept_invoice.pk).exists() is kept


@pytest.mark.django_db
def test_31_3_an_invoice_inside_5_years_keeps_the_invoice_not_the_former_customer(rules):
    """§31.3: the 5 years keep the invoices ("rēķini jāglabā vismaz 5 gadus"), not the person's other
    data; §31: "Pēc tam, kad nepastāv neviens no datu apstrādes tiesiskajiem pamatiem, Klienta personas
    dati tiek dzēsti." Today's code kept such a customer 5 years after their last invoice."""
    on = D(2025, 7, 16)
    customer = former_customer(D(2025, 6, 1))  # contract ended in 2010, last invoice last month, paid
    Contract.objects.filter(customer=customer).update(
        end_date=D(2025, 6, 30), last_service_use=D(2025, 6, 30)
    )
    invoice = Invoice.objects.get(customer=customer)

    run = sweep("former_customers", on)

    assert not active(customer)
    assert (run.anonymised, run.kept) == (1, 0)  # a tombstone carries the invoice the law keeps
    kept = Invoice.objects.get(pk=invoice.pk)
    assert kept.restricted_at is not None


@pytest.mark.django_db
def test_an_open_debt_keeps_an_invoice_and_its_customer_on_both_sides(rules):
    """§31.2: one definition of an open debt (privacy.periods.open_debt_q) for erasure and retention."""
    on = D(2025, 7, 16)
    customer = former_customer(D(2012, 1, 1))
    debt = invoice_on(D(2011, 1, 1), customer=customer, outstanding_debt=Decimal("0.01"))
    paid = invoice_on(D(2011, 1, 2), customer=customer)
    assert set(Invoice.objects.filter(open_debt_q(), customer=customer)) == {debt}

    run = sweep("former_customers", on)
    assert active(customer)
    assert run.kept_by_reason == {KeepReason.OPEN_DEBT: 1}

    sweep("invoices", on)
    assert set(Invoice.objects.filter(customer=customer)) == {debt}
    assert paid.pk not in set(Invoice.objects.values_list("pk", flat=True))
    record = erase_subject(Customer.objects.get(pk=customer.pk), reason="test", actor=None)
    assert record.kept == {"privacy.Invoice": {"open_debt": 1}}
