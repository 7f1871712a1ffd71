"""The date the access answer names as the next deletion of this person's data (GDPR Art. 15(1)(d),
§31, §33, §34) is the night the sweep deletes it: kept by the run of the day before, gone in the run of
that day (and the day after, for a missed night)."""

import datetime

import pytest

from privacy.models import Contract, Invoice, Recording
from retention.selectors import subject_next_deletions

from .factories import active, invoice_on, old_customer, prepaid_customer, recording_on, riga, sweep

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


def _recording(day):
    customer = old_customer()
    recording = recording_on(day, customer=customer)
    Recording.objects.filter(pk=recording.pk).update(recorded_at=riga(day, 23, 59, 30))
    return customer, lambda: Recording.objects.filter(pk=recording.pk).exists()


def _invoice(day):
    customer = old_customer()
    invoice = invoice_on(day, customer=customer)
    return customer, lambda: Invoice.objects.filter(pk=invoice.pk).exists()


def _prepaid(day):
    customer = prepaid_customer(day)
    return customer, lambda: active(customer)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code, make, day, due",
    [
        # §33: a recording at 23:59 Riga on 31 August: kept through 28 February, deleted on 1 March
        ("recordings", _recording, D(2024, 8, 31), D(2025, 3, 1)),
        # §31.3 "vismaz 5 gadus", counted from the end of the invoice's year: an invoice of 29 February
        # 2020 is kept through 31 December 2025
        ("invoices", _invoice, D(2020, 2, 29), D(2026, 1, 1)),
        # §34: prepaid service last used on 29 February 2024: kept through 28 February 2026
        ("prepaid_customers", _prepaid, D(2024, 2, 29), D(2026, 3, 1)),
    ],
)
def test_the_named_date_is_the_night_the_sweep_deletes_the_data(rules, code, make, day, due):
    for run_on in (due - ONE_DAY, due, due + ONE_DAY):
        customer, alive = make(day)
        assert subject_next_deletions(customer)[code] == due
        sweep(code, run_on)
        assert alive() is (run_on < due), run_on


@pytest.mark.django_db
def test_no_date_where_nothing_is_due_an_open_debt_a_contract_in_force_or_a_disabled_rule(rules):
    """§31.2: an invoice with an open debt has no date; §34 does not apply to a postpaid customer; a rule
    switched off names no date."""
    customer = old_customer()
    invoice_on(D(2020, 1, 1), customer=customer, outstanding_debt=10)
    assert "invoices" not in subject_next_deletions(customer)
    postpaid = prepaid_customer(D(2024, 1, 1))
    Contract.objects.filter(customer=postpaid).update(type=Contract.Type.POSTPAID)
    assert "prepaid_customers" not in subject_next_deletions(postpaid)
    _customer, _alive = _recording(D(2024, 1, 1))
    rules["recordings"].enabled = False
    rules["recordings"].save()
    assert "recordings" not in subject_next_deletions(_customer)
