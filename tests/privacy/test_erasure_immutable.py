"""An erasure cannot be undone (§38–39, GDPR Art. 17): a tombstone and the rows an erasure anonymised or
kept are immutable for everyone, in the admin (forged POSTs by an agent, the DPO and a superuser change
nothing), in the services (a clear ValidationError) and, for the tombstone, in PostgreSQL itself.

Policy §38 (seed, Latvian original): the subject has the right to "pieprasīt savu personas datu
dzēšanu"; what is erased stays erased."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from consents.models import ConsentEvent
from consents.services import consent_give
from privacy.erasure import erase_subject
from privacy.models import Contract, Customer, ErasedRow, Invoice
from requests_app import services as request_services
from requests_app.models import Complaint, SubjectRequest
from tests.factories import CustomerFactory, InvoiceFactory, UserFactory
from tests.privacy.concurrency import register_access_request
from tests.security.conftest import in_role

pytestmark = pytest.mark.django_db


class _FormValues(HTMLParser):
    """The values a browser would submit from the admin's change form, as the page shows them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _forged_post(client, url: str, changes: dict) -> int:
    """POST the change form as shown, with `changes` typed in; returns the status code."""
    page = client.get(url)
    parser = _FormValues()
    parser.feed(page.content.decode())
    data = {name: values if len(values) != 1 else values[0] for name, values in parser.data.items()}
    data.update(changes)
    data["_save"] = "Save"
    return client.post(url, data).status_code


def _tombstone(**customer) -> Customer:
    """A customer erased with a kept invoice (Accounting Law, §31): kept as a tombstone."""
    invoice = InvoiceFactory(
        issue_date=timezone.localdate(), bank_account="LV80BANK0000435195001", **customer
    )
    erase_subject(invoice.customer, reason="erasure request", actor=UserFactory(username="eraser"))
    return Customer.objects.get(pk=invoice.customer_id)


PERSONAL = {
    "customer_number": "C-RESTORED",
    "first_name": "Anna",
    "last_name": "Ozoliņa",
    "email": "anna@example.lv",
    "phone": "+37129123456",
    "personal_code": "010190-12345",
    "address": "Brīvības iela 1",
}


def _unchanged(tombstone: Customer) -> None:
    fresh = Customer.objects.get(pk=tombstone.pk)
    assert fresh.status == Customer.Status.TOMBSTONE
    assert fresh.customer_number == f"ERASED-{tombstone.pk}"
    assert (
        fresh.first_name,
        fresh.last_name,
        fresh.email,
        fresh.phone,
        fresh.personal_code,
        fresh.address,
    ) == (
        "",
        "",
        "",
        "",
        "",
        "",
    )


def _superuser():
    return UserFactory(username="root", is_superuser=True)


@pytest.mark.parametrize("who", ["customer_service", "data_protection_officer", "superuser"])
def test_a_forged_post_cannot_type_personal_data_back_into_a_tombstone_section_38(client, who):
    tombstone = _tombstone()
    client.force_login(_superuser() if who == "superuser" else in_role(who))
    url = reverse("admin:privacy_customer_change", args=[tombstone.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="_save"' not in page.content  # view only, no Save
    assert _forged_post(client, url, PERSONAL) == 403
    _unchanged(tombstone)
    assert (
        client.post(
            reverse("admin:privacy_customer_delete", args=[tombstone.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Customer.objects.filter(pk=tombstone.pk).exists()


def test_a_forged_post_cannot_restore_what_an_erasure_scrubbed_from_a_kept_invoice_section_39(client):
    tombstone = _tombstone()
    invoice = Invoice.objects.get(customer=tombstone)
    assert invoice.bank_account == ""  # §39: the Accounting Law does not need it
    client.force_login(_superuser())
    url = reverse("admin:privacy_invoice_change", args=[invoice.pk])
    other = CustomerFactory()
    _forged_post(client, url, {"bank_account": "LV80BANK0000435195001", "customer": other.pk})
    invoice.refresh_from_db()
    assert (invoice.bank_account, invoice.customer_id) == ("", tombstone.pk)


@pytest.mark.parametrize("who", ["customer_service", "data_protection_officer", "superuser"])
def test_a_forged_post_cannot_restore_the_requester_on_a_request_an_erasure_anonymised(client, who):
    customer = CustomerFactory()
    InvoiceFactory(customer=customer, issue_date=timezone.localdate())
    agent = in_role("customer_service", "intake")
    pending = register_access_request(agent, customer)
    erase_subject(customer, reason="erasure request", actor=agent)
    pending.refresh_from_db()
    assert (pending.customer_id, pending.requester_name) == (None, "")
    assert ErasedRow.objects.filter(model="requests_app.SubjectRequest", object_id=str(pending.pk)).exists()
    client.force_login(_superuser() if who == "superuser" else in_role(who))
    url = reverse("admin:requests_app_subjectrequest_change", args=[pending.pk])
    _forged_post(
        client,
        url,
        {
            "requester_name": "Anna Ozoliņa",
            "requester_email": "anna@example.lv",
            "customer": CustomerFactory().pk,
        },
    )
    pending.refresh_from_db()
    assert (pending.requester_name, pending.requester_email, pending.customer_id) == ("", "", None)


def test_services_refuse_to_attach_anything_to_a_tombstone(db):
    agent = in_role("customer_service", "intake")
    customer = CustomerFactory()
    InvoiceFactory(customer=customer, issue_date=timezone.localdate())
    stale = Customer.objects.get(pk=customer.pk)  # loaded before the erasure, still says "active"
    erase_subject(customer, reason="erasure request", actor=agent)

    with pytest.raises(ValidationError, match="erased"):
        consent_give(actor=agent, customer=stale, topic="marketing_email", channel="portal")
    with pytest.raises(ValidationError, match="erased"):
        request_services.request_register(
            actor=agent, type=SubjectRequest.Type.ACCESS, channel=SubjectRequest.Channel.EMAIL, customer=stale
        )
    with pytest.raises(ValidationError, match="erased"):
        request_services.complaint_register(actor=agent, description="Why?", customer=stale)
    with pytest.raises(ValidationError, match="erased"):
        Contract.objects.create(
            customer=stale, number="L1", type="postpaid", service_name="TV", start_date="2024-01-01"
        )
    assert not ConsentEvent.objects.filter(customer_id=customer.pk).exists()
    assert not SubjectRequest.objects.filter(customer_id=customer.pk).exists()
    assert not Complaint.objects.filter(customer_id=customer.pk).exists()


def test_a_save_cannot_change_a_tombstone_or_an_anonymised_row(db):
    tombstone = _tombstone()
    stale = Customer.objects.get(pk=tombstone.pk)
    stale.first_name = "Anna"
    with pytest.raises(ValidationError, match="tombstone"):
        stale.save()
    _unchanged(tombstone)
    invoice = Invoice.objects.get(customer=tombstone)
    invoice.bank_account = "LV80BANK0000435195001"
    with pytest.raises(ValidationError, match="erasure"):
        invoice.save()
    invoice.refresh_from_db()
    assert invoice.bank_account == ""


def test_postgresql_refuses_a_raw_update_of_a_tombstone_but_not_a_repeated_erasure(db):
    tombstone = _tombstone()
    with pytest.raises(IntegrityError, match="tombstone"), transaction.atomic():
        Customer.objects.filter(pk=tombstone.pk).update(first_name="Anna")
    with (
        pytest.raises(IntegrityError, match="tombstone"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE privacy_customer SET customer_number = 'C-RESTORED' WHERE id = %s", [tombstone.pk]
        )
    with pytest.raises(IntegrityError, match="tombstone"), transaction.atomic():
        Customer.objects.filter(pk=tombstone.pk).update(status=Customer.Status.ACTIVE)
    _unchanged(tombstone)
    # An erasure repeated on the tombstone (a replay, a retention run) changes nothing and passes.
    erase_subject(tombstone, reason="replay", actor=None)
    _unchanged(tombstone)


def test_the_scan_finds_orphans_and_personal_data_written_back_behind_the_guards(db):
    """`leftovers()` (manage.py erasure_scan): what a path around the services would leave is found."""
    from privacy.erasure.scan import leftovers

    customer = CustomerFactory()
    InvoiceFactory(customer=customer, issue_date=timezone.localdate())
    pending = request_services.request_register(
        actor=UserFactory(username="intake"),
        type=SubjectRequest.Type.ACCESS,
        channel=SubjectRequest.Channel.EMAIL,
        customer=customer,
        requester_name="Anna Ozoliņa",
    )
    gone = CustomerFactory()
    gone_id = gone.pk
    erase_subject(customer, reason="erasure request", actor=None)
    erase_subject(gone, reason="erasure request", actor=None)  # nothing kept: purged
    assert leftovers() == []

    SubjectRequest.objects.filter(pk=pending.pk).update(requester_name="Anna Ozoliņa")  # no signals
    ConsentEvent.objects.bulk_create(  # the ledger has no foreign-key constraint (import speed)
        [
            ConsentEvent(
                customer_id=gone_id,
                topic=ConsentEvent._meta.get_field("topic").related_model.objects.first(),
                action="given",
                channel="phone",
                occurred_at=timezone.now(),
                recorded_at=timezone.now(),
                source="call",
            )
        ]
    )
    found = {(leftover.model, leftover.problem, leftover.field) for leftover in leftovers()}
    assert found == {
        ("requests_app.SubjectRequest", "personal_data_after_erasure", "requester_name"),
        ("consents.ConsentEvent", "orphan", "customer"),
    }


def test_a_superuser_cannot_delete_a_record_an_erasure_kept_under_a_hold_section_31(client):
    """A disclosure under a legal hold in force stays on the tombstone (§31): neither its delete page nor
    the changelist's bulk delete removes it, not even for a superuser."""
    from django.contrib.contenttypes.models import ContentType

    from privacy.models import DataCategory, Disclosure, LegalHold, Recipient

    root = _superuser()
    customer = CustomerFactory()
    InvoiceFactory(customer=customer, issue_date=timezone.localdate())
    disclosure = Disclosure.objects.create(
        customer=customer, recipient=Recipient.objects.first(), ground="26.3", disclosed_on="2025-01-10"
    )
    disclosure.data_categories.set([DataCategory.objects.first()])
    LegalHold.objects.create(
        content_type=ContentType.objects.get_for_model(Disclosure),
        object_id=str(disclosure.pk),
        reason="court order",
        set_by=root,
    )
    erase_subject(customer, reason="erasure request", actor=root)
    client.force_login(root)
    assert client.get(reverse("admin:privacy_disclosure_delete", args=[disclosure.pk])).status_code == 403
    response = client.post(
        reverse("admin:privacy_disclosure_changelist"),
        {"action": "delete_selected", "_selected_action": [disclosure.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Disclosure.objects.filter(pk=disclosure.pk, customer=customer).exists()
