"""What keeps a record past its window (§31): a legal hold blocks every rule; a restriction, an open
request or complaint keep the customer's records; a contract in force, an open debt and a consent keep
a customer; an open debt keeps its invoice. Each kept record is counted under its reason."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from privacy.models import Contract, Customer, Invoice, Recording
from requests_app.models import Complaint, ExportPackage, SubjectRequest
from tests.factories import ContractFactory, CustomerFactory

from .factories import (
    AS_OF,
    LONG_PAST,
    LegalHoldFactory,
    active,
    age_history,
    former_customer,
    give_consent,
    hold_record,
    invoice_on,
    old_customer,
    open_complaint,
    open_request,
    package_answered_on,
    prepaid_customer,
    recording_on,
    sweep,
    withdraw_consent,
)

pytestmark = pytest.mark.django_db


def _subject(code):
    """(customer, the record the rule would handle, is-it-still-there) for each rule, all past due."""
    if code == "recordings":
        customer = old_customer()
        record = recording_on(LONG_PAST, customer=customer)
        return customer, record, lambda: Recording.objects.filter(pk=record.pk).exists()
    if code == "invoices":
        customer = old_customer()
        record = invoice_on(LONG_PAST, customer=customer)
        return customer, record, lambda: Invoice.objects.filter(pk=record.pk).exists()
    if code == "audit_history":
        customer = old_customer()
        record = ContractFactory(customer=customer)
        age_history(record, LONG_PAST)
        return customer, record, lambda: Contract.history.filter(id=record.pk).exists()
    if code == "data_packages":
        customer = old_customer()
        record = package_answered_on(LONG_PAST, customer=customer)
        return customer, record, lambda: ExportPackage.objects.filter(pk=record.pk).exists()
    customer = prepaid_customer(LONG_PAST) if code == "prepaid_customers" else former_customer(LONG_PAST)
    return customer, customer, lambda: active(customer)


ALL_RULES = [
    "recordings",
    "invoices",
    "audit_history",
    "prepaid_customers",
    "former_customers",
    "data_packages",
]


@pytest.mark.parametrize("code", ALL_RULES)
def test_without_a_reason_the_record_is_handled(rules, code):
    _customer, _record, alive = _subject(code)
    sweep(code, AS_OF)
    assert not alive()


@pytest.mark.parametrize("code", ALL_RULES)
def test_a_hold_on_the_customer_blocks_every_rule(rules, code):
    """§31: "A hold blocks every rule"."""
    customer, _record, alive = _subject(code)
    LegalHoldFactory(customer=customer)
    run = sweep(code, AS_OF)
    assert alive()
    assert run.kept_by_reason == {"legal_hold": run.kept} and run.kept >= 1
    assert run.deleted == run.anonymised == 0


def _restrict(customer, record):
    Customer.objects.filter(pk=customer.pk).update(restricted_since=timezone.now())


#: A reason that keeps a record, as (how it is set on the customer or the record, its name in the run).
KEEPERS = {
    # §31: a hold on the single record keeps it.
    "record_hold": (lambda customer, record: hold_record(record), "legal_hold"),
    # §38–41: the customer's records stay while a request of theirs is being handled.
    "open_request": (lambda customer, record: open_request(customer), "open_request"),
    # §38 / GDPR Art. 18(1)(c): restricted data is kept (stored, not used), not deleted.
    "restricted": (_restrict, "restricted"),
}


@pytest.mark.parametrize("keeper", list(KEEPERS))
@pytest.mark.parametrize("code", ALL_RULES)
def test_31_38_each_reason_keeps_the_record_and_is_counted_under_its_name(rules, code, keeper):
    customer, record, alive = _subject(code)
    keep, reason = KEEPERS[keeper]
    keep(customer, record)
    run = sweep(code, AS_OF)
    assert alive()
    assert run.kept_by_reason.get(reason, 0) >= 1


@pytest.mark.parametrize("code", ALL_RULES)
def test_a_released_or_lapsed_hold_no_longer_blocks(rules, code):
    customer, _record, alive = _subject(code)
    LegalHoldFactory(customer=customer, released_at=timezone.now())
    LegalHoldFactory(customer=customer, until=datetime.date(2024, 12, 31))
    sweep(code, AS_OF)
    assert not alive()


def test_a_hold_lapsing_before_a_past_as_of_day_but_in_force_today_still_blocks(rules):
    """A re-run for a past day never deletes what a hold in force today keeps."""
    customer, _record, alive = _subject("recordings")
    LegalHoldFactory(customer=customer, until=timezone.localdate())
    sweep("recordings", AS_OF)
    assert alive()


@pytest.mark.parametrize("code", ALL_RULES)
def test_an_answered_request_does_not_block(rules, code):
    customer, _record, alive = _subject(code)
    request = open_request(customer)
    SubjectRequest.objects.filter(pk=request.pk).update(
        status=SubjectRequest.Status.ANSWERED,
        answer_method=SubjectRequest.AnswerMethod.PORTAL,
        answered_on=datetime.date(2020, 1, 1),
    )
    sweep(code, AS_OF)
    assert not alive()


@pytest.mark.parametrize("code", ALL_RULES)
def test_an_open_complaint_blocks_and_a_closed_one_does_not(rules, code):
    """§43–44: the records are evidence while the complaint is open or with the inspectorate."""
    customer, _record, alive = _subject(code)
    complaint = open_complaint(customer)
    run = sweep(code, AS_OF)
    assert alive()
    assert "open_complaint" in run.kept_by_reason
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Complaint.Status.RESOLVED, resolution="Atbildēts.", resolved_on=datetime.date(2020, 2, 1)
    )
    sweep(code, AS_OF)
    assert not alive()


@pytest.mark.parametrize("code", ["prepaid_customers", "former_customers"])
def test_a_contract_in_force_keeps_the_customer(rules, code):
    """§31.1: while a (postpaid) contract is in force, the customer is kept. §34: a prepaid service's
    use, not its status, decides (tests/retention/test_scope.py)."""
    customer, _record, alive = _subject(code)
    ContractFactory(
        customer=customer,
        type=Contract.Type.POSTPAID,
        start_date=datetime.date(2010, 1, 1),
        status=Contract.Status.ACTIVE,
    )
    run = sweep(code, AS_OF)
    assert alive()
    assert run.kept_by_reason == {"active_contract": 1}


@pytest.mark.parametrize("status", [Contract.Status.ACTIVE, Contract.Status.SUSPENDED])
def test_a_contact_person_stays_while_their_customer_has_a_contract_in_force(rules, status):
    company = old_customer()
    ContractFactory(customer=company, status=status)
    person = CustomerFactory(
        kind=Customer.Kind.CONTACT_PERSON,
        belongs_to=company,
        registered_at=datetime.datetime(2010, 1, 1, tzinfo=datetime.UTC),
    )
    run = sweep("former_customers", AS_OF)
    assert active(person) and active(company)
    assert run.kept_by_reason == {"active_contract": 2}  # the company by its own contract, the person by it


@pytest.mark.parametrize("code", ["prepaid_customers", "former_customers"])
def test_an_open_debt_keeps_the_customer(rules, code):
    """§31: a claim can still be pursued."""
    customer, _record, alive = _subject(code)
    invoice_on(datetime.date(2012, 1, 1), customer=customer, outstanding_debt=Decimal("5.00"))
    run = sweep(code, AS_OF)
    assert alive()
    assert run.kept_by_reason == {"open_debt": 1}


def test_an_open_debt_keeps_its_invoice_but_not_the_customers_other_invoices(rules):
    """§31: invoices past 5 years are deleted unless a debt on them is open."""
    customer = old_customer()
    unpaid = invoice_on(LONG_PAST, customer=customer, outstanding_debt=Decimal("12.50"))
    paid = invoice_on(LONG_PAST, customer=customer)
    run = sweep("invoices", AS_OF)
    assert Invoice.objects.filter(pk=unpaid.pk).exists()
    assert not Invoice.objects.filter(pk=paid.pk).exists()
    assert run.kept_by_reason == {"open_debt": 1}


@pytest.mark.parametrize("code", ["prepaid_customers", "former_customers"])
def test_a_consent_in_force_keeps_the_customer_and_a_withdrawn_one_does_not(rules, code):
    """§31: consent to keep the data, where no other basis exists (§59: it outlives the contract)."""
    customer, _record, alive = _subject(code)
    give_consent(customer)
    run = sweep(code, AS_OF)
    assert alive()
    assert run.kept_by_reason == {"consent": 1}
    withdraw_consent(customer, datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC))
    sweep(code, AS_OF)
    assert not alive()


def test_an_active_contract_does_not_keep_a_recording(rules):
    """§33 recordings are deleted 6 months on, also for current customers: a contract is no basis for them."""
    customer = old_customer()
    ContractFactory(customer=customer, status=Contract.Status.ACTIVE)
    recording = recording_on(LONG_PAST, customer=customer)
    sweep("recordings", AS_OF)
    assert not Recording.objects.filter(pk=recording.pk).exists()


def test_a_customer_with_a_postpaid_contract_in_force_is_kept_by_it_not_left_out_of_34(rules):
    """§34, §31.1: a postpaid contract in force keeps a prepaid customer; it is counted as the reason."""
    customer = prepaid_customer(LONG_PAST)
    ContractFactory(customer=customer, start_date=datetime.date(2010, 1, 1), status=Contract.Status.ACTIVE)
    run = sweep("prepaid_customers", AS_OF)
    assert active(customer)
    assert (run.examined, run.kept_by_reason) == (1, {"active_contract": 1})


def test_the_reason_counted_is_the_first_that_applies(rules):
    """A held customer with an open request counts once, under the hold."""
    customer, _record, _alive = _subject("recordings")
    LegalHoldFactory(customer=customer)
    open_request(customer)
    run = sweep("recordings", AS_OF)
    assert run.kept_by_reason == {"legal_hold": 1}
    assert run.examined == run.kept == 1
