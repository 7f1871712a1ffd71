"""`erase_subject`: erase everything the catalogue lists, keep what a legal duty keeps (§31, §38–39)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from privacy import catalogue
from privacy.erasure import ERASED_REPR, ErasureRefused, erase_subject
from privacy.models import Contract, Customer, ErasureRecord, Invoice, LegalHold, Recording
from privacy.periods import accounting_duty_cutoff, add_months
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory, RecordingFactory, UserFactory

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _old_paid_invoice(customer, **kwargs):
    return InvoiceFactory(customer=customer, issue_date=add_months(_today(), -72), **kwargs)


class _Request:
    """Stands in for the requests app's SubjectRequest: a pk and a str without personal data."""

    pk = 4711

    def __str__(self):
        return "DSR-2025-0042"


def test_nothing_to_keep_deletes_the_customer_and_keeps_only_blank_audit_records():
    """§31: when no basis remains, delete: the customer row and its records go. §32: their audit
    records stay until their own window ends, without personal content: who, when, which id, what
    kind of change (a "-" row for the deletion); the customer number becomes ERASED-<id>."""
    staff = UserFactory()
    customer = CustomerFactory()
    customer.phone = "+37120000009"
    customer.save()
    contract = ContractFactory(customer=customer)
    recording = RecordingFactory(customer=customer)
    invoice = _old_paid_invoice(customer)

    record = erase_subject(customer, reason="erasure request", actor=staff, request=_Request())

    assert not Customer.objects.filter(pk=customer.pk).exists()
    history = Customer.history.filter(id=customer.pk)
    assert history.count() == 3
    assert set(history.values_list("customer_number", flat=True)) == {f"ERASED-{customer.pk}"}
    assert set(history.values_list("phone", "first_name", "last_name", "email", "personal_code")) == {
        ("", "", "", "", "")
    }
    assert history.latest().history_type == "-" and history.latest().history_user == staff
    for model, obj, field in [
        (Contract, contract, "service_address"),
        (Recording, recording, "file"),
        (Invoice, invoice, "payer_name"),
    ]:
        assert not model.objects.filter(pk=obj.pk).exists()
        assert model.history.filter(id=obj.pk, history_type="-").count() == 1
        assert not model.history.filter(id=obj.pk).exclude(**{field: ""}).exists()
    assert record.pk is not None
    assert record.tombstone is False
    assert record.erased == {
        "privacy.Customer": 1,
        "privacy.Contract": 1,
        "privacy.Recording": 1,
        "privacy.Invoice": 1,
    }
    assert record.kept == {}
    assert record.actor == staff
    assert record.request_reference == "DSR-2025-0042"
    assert record.request_id == 4711
    assert len(record.customer_number_hash) == 64 and len(record.personal_code_hash) == 64


def test_young_invoice_is_kept_restricted_without_bank_account_and_customer_becomes_tombstone():
    """§31, §39: an invoice younger than 5 years stays (restricted); the buyer's name and address stay on
    it (Accounting Law), the bank account goes, in history too; the customer becomes a tombstone."""
    customer = CustomerFactory(first_name="Anna", last_name="Liepa", restricted_since=None)
    contract = ContractFactory(customer=customer, service_address="Liepu iela 3")
    invoice = InvoiceFactory(
        customer=customer,
        contract=contract,
        issue_date=_today() - datetime.timedelta(days=30),
        payer_name="Anna Liepa",
        billing_address="Liepu iela 3",
        bank_account="LV80BANK0000435195001",
    )
    invoice.amount = Decimal("20.00")
    invoice.save()

    record = erase_subject(customer, reason="request", actor=None)

    invoice.refresh_from_db()
    assert invoice.restricted_at is not None
    assert invoice.bank_account == ""
    assert invoice.payer_name == "Anna Liepa"
    assert {h.bank_account for h in Invoice.history.filter(id=invoice.pk)} == {""}
    contract.refresh_from_db()  # needed by the kept invoice: kept, its address removed
    assert contract.service_address == ""
    assert {h.service_address for h in Contract.history.filter(id=contract.pk)} == {""}

    tomb = Customer.objects.get(pk=customer.pk)
    assert tomb.status == Customer.Status.TOMBSTONE
    assert tomb.customer_number == f"ERASED-{customer.pk}"
    assert tomb.restricted_since is not None
    entry = catalogue.entry_for(Customer)
    for name in entry.fields:
        assert getattr(tomb, name) in ("", None, False), name
    for old in Customer.history.filter(id=customer.pk):
        assert old.customer_number == f"ERASED-{customer.pk}"
        assert old.first_name == old.last_name == old.personal_code == old.email == ""
    assert record.tombstone is True
    assert record.kept == {
        "privacy.Invoice": {"accounting_5y": 1},
        "privacy.Contract": {"needed_by_kept_record": 1},
    }
    assert record.anonymised == {"privacy.Customer": 1}


@pytest.mark.parametrize(
    ("days_after_cutoff", "kept"),
    [(2, True), (1, True), (0, False)],
    ids=["2-january-of-the-oldest-kept-year", "1-january-of-it", "31-december-before-it"],
)
def test_invoice_five_year_window(days_after_cutoff, kept):
    """§31.3 "rēķini jāglabā vismaz 5 gadus", counted from the end of the invoice's calendar year: an
    invoice of any day of a year is kept until 5 years after its 31 December and erased from the day
    after (the retention `invoices` rule's boundary, privacy/periods.py)."""
    customer = CustomerFactory()
    cutoff = accounting_duty_cutoff(_today())
    assert (cutoff.month, cutoff.day) == (12, 31) and cutoff.year == _today().year - 6
    issued = cutoff + datetime.timedelta(days=days_after_cutoff)
    invoice = InvoiceFactory(customer=customer, issue_date=issued)
    record = erase_subject(customer, reason="test", actor=None)
    assert Invoice.objects.filter(pk=invoice.pk).exists() is kept
    assert Customer.objects.filter(pk=customer.pk).exists() is kept
    assert ("privacy.Invoice" in record.kept) is kept


def test_old_invoice_with_open_debt_is_kept():
    """§31.2: a debt under collection keeps the invoice however old it is."""
    customer = CustomerFactory()
    debt = _old_paid_invoice(customer, outstanding_debt=Decimal("12.50"))
    paid = _old_paid_invoice(customer)
    record = erase_subject(customer, reason="test", actor=None)
    assert Invoice.objects.filter(pk=debt.pk).exists()
    assert not Invoice.objects.filter(pk=paid.pk).exists()
    assert record.kept == {"privacy.Invoice": {"open_debt": 1}}
    assert record.erased["privacy.Invoice"] == 1


def test_customer_hold_refuses_and_changes_nothing():
    """§31: a hold on the customer blocks every erasure; the refusal says why and writes nothing."""
    staff = UserFactory()
    customer = CustomerFactory()
    LegalHold.objects.create(customer=customer, reason="court case", set_by=staff)
    with pytest.raises(ErasureRefused, match="legal hold"):
        erase_subject(customer, reason="test", actor=staff)
    with pytest.raises(ErasureRefused):
        erase_subject(customer, reason="test", actor=staff, dry_run=True)
    assert Customer.objects.get(pk=customer.pk).first_name == customer.first_name
    assert not ErasureRecord.objects.exists()


@pytest.mark.parametrize(("until_offset", "refused"), [(-1, False), (0, True), (1, True)])
def test_customer_hold_until_a_day(until_offset, refused):
    """A hold with an end date is in force up to and including that day."""
    staff = UserFactory()
    customer = CustomerFactory()
    LegalHold.objects.create(
        customer=customer,
        reason="audit",
        set_by=staff,
        until=_today() + datetime.timedelta(days=until_offset),
    )
    if refused:
        with pytest.raises(ErasureRefused):
            erase_subject(customer, reason="test", actor=staff)
    else:
        record = erase_subject(customer, reason="test", actor=staff)
        assert record.kept == {"privacy.LegalHold": {"hold_evidence": 1}}
        assert Customer.objects.get(pk=customer.pk).status == Customer.Status.TOMBSTONE


def test_released_hold_stays_as_evidence_and_the_customer_becomes_a_tombstone():
    staff = UserFactory()
    customer = CustomerFactory()
    hold = LegalHold.objects.create(customer=customer, reason="x", set_by=staff, released_at=timezone.now())
    erase_subject(customer, reason="test", actor=staff)
    assert LegalHold.objects.filter(pk=hold.pk, customer_id=customer.pk).exists()


def test_record_hold_keeps_that_record_untouched():
    """§31: a hold on one record keeps it as it is; everything else goes."""
    staff = UserFactory()
    customer = CustomerFactory()
    held = RecordingFactory(customer=customer)
    other = RecordingFactory(customer=customer)
    LegalHold.objects.create(
        content_type=ContentType.objects.get_for_model(Recording),
        object_id=str(held.pk),
        reason="police request",
        set_by=staff,
    )
    record = erase_subject(customer, reason="test", actor=staff)
    assert Recording.objects.filter(pk=held.pk).exists()
    assert not Recording.objects.filter(pk=other.pk).exists()
    assert record.kept == {"privacy.Recording": {"legal_hold": 1}}
    assert Customer.objects.get(pk=customer.pk).status == Customer.Status.TOMBSTONE


def test_dry_run_reports_the_same_counts_and_changes_nothing():
    """Item 5: the DPO sees what will be erased and kept before approving; nothing is written."""
    customer = CustomerFactory()
    ContractFactory.create_batch(2, customer=customer)
    InvoiceFactory(customer=customer, issue_date=_today())
    _old_paid_invoice(customer)
    before = (Customer.history.count(), Contract.history.count(), Invoice.history.count())

    preview = erase_subject(customer, reason="test", actor=None, dry_run=True)

    assert preview.pk is None
    assert not ErasureRecord.objects.exists()
    assert Customer.objects.get(pk=customer.pk).status == Customer.Status.ACTIVE
    assert (Customer.history.count(), Contract.history.count(), Invoice.history.count()) == before
    assert Invoice.objects.filter(customer=customer, restricted_at__isnull=True).count() == 2

    done = erase_subject(customer, reason="test", actor=None)
    assert (preview.erased, preview.kept, preview.anonymised, preview.tombstone) == (
        done.erased,
        done.kept,
        done.anonymised,
        done.tombstone,
    )


def test_erasure_record_holds_no_personal_data():
    customer = CustomerFactory(first_name="Mārtiņš", personal_code="120385-11111", customer_number="K0001234")
    record = erase_subject(customer, reason="request", actor=None, request=_Request())
    flat = str(ErasureRecord.objects.filter(pk=record.pk).values().get())
    for value in ["Mārtiņš", "120385-11111", "12038511111", "K0001234", customer.email, customer.phone]:
        assert value not in flat


def test_erasing_a_tombstone_again_deletes_it_once_the_duty_has_ended():
    """When the kept invoice is gone (retention), a second erasure removes the tombstone too."""
    customer = CustomerFactory()
    invoice = InvoiceFactory(customer=customer, issue_date=_today())
    erase_subject(customer, reason="request", actor=None)
    Invoice.objects.filter(pk=invoice.pk).update(issue_date=add_months(_today(), -72))
    second = erase_subject(Customer.objects.get(pk=customer.pk), reason="retention", actor=None)
    assert not Customer.objects.filter(pk=customer.pk).exists()
    assert second.customer_number_hash == ""


def test_reason_is_required():
    with pytest.raises(ValidationError):
        erase_subject(CustomerFactory(), reason="  ", actor=None)


def test_admin_log_of_the_customer_and_kept_records_is_scrubbed():
    """Item 7: the admin's action log no longer names the erased customer, even for kept records."""
    staff = UserFactory()
    customer = CustomerFactory(first_name="Zane", last_name="Ozola")
    invoice = InvoiceFactory(customer=customer, issue_date=_today())
    for obj, text in [(customer, "Zane Ozola"), (invoice, "Invoice of Zane Ozola")]:
        LogEntry.objects.create(
            user=staff,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=text,
            action_flag=CHANGE,
            change_message="Zane Ozola",
        )
    erase_subject(customer, reason="test", actor=staff)
    assert set(LogEntry.objects.values_list("object_repr", "change_message")) == {(ERASED_REPR, "")}


def test_revert_from_history_cannot_bring_an_erased_customer_back(client):
    """Item 7: revert is disabled in the admin, and the history it would revert from is blank (§32:
    the audit records of a deleted customer stay, without personal data)."""
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(root)
    gone = CustomerFactory(first_name="Gone")
    gone_version = gone.history.first().history_id
    kept = CustomerFactory(first_name="Kept")
    InvoiceFactory(customer=kept, issue_date=_today())
    kept_version = kept.history.earliest("history_date").history_id

    erase_subject(gone, reason="test", actor=root)
    erase_subject(kept, reason="test", actor=root)

    url = reverse("admin:privacy_customer_simple_history", args=[gone.pk, gone_version])
    page = client.get(url)
    assert page.status_code in (200, 404)
    assert "Gone" not in page.content.decode().split("<h1>", 1)[-1].split("</form>")[0]
    assert client.post(
        url, {"first_name": "Gone", "customer_number": "X2", "_continue": "1"}
    ).status_code in (
        403,
        404,
    )
    assert not Customer.objects.filter(pk=gone.pk).exists()
    url = reverse("admin:privacy_customer_simple_history", args=[kept.pk, kept_version])
    page = client.get(url)
    assert page.status_code == 200
    assert "Kept" not in page.content.decode().split("<h1>", 1)[-1].split("</form>")[0]
    response = client.post(url, {"first_name": "Kept", "customer_number": "X1", "_continue": "1"})
    assert response.status_code == 403
    assert Customer.objects.get(pk=kept.pk).first_name == ""
