"""No write races an erasure (§38–39, §46–49; privacy/locks.py): a consent entered by hand while the
same customer is being erased ends either refused or erased with the rest, never as personal data on
the tombstone, never pointing at a customer who is gone, never a 500. Real PostgreSQL transactions on
two connections, as tests/consents/test_import_concurrency.py does for the bulk import.

Policy §48 (seed): "Klients jebkurā laikā var atsaukt savu piekrišanu"; §38: the right to erasure.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consents.models import Consent, ConsentEvent
from consents.services import consent_give
from privacy.erasure import erase_subject
from privacy.erasure.scan import leftovers, scan
from privacy.models import Customer
from requests_app import services as request_services
from requests_app.models import Complaint, SubjectRequest
from tests.consents.factories import topic
from tests.factories import CustomerFactory, InvoiceFactory, UserFactory
from tests.privacy.concurrency import ErasureInThread, InThread, register_access_request, waiting_for_a_lock
from tests.security.conftest import in_role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def _lock_timeout(milliseconds: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{milliseconds}ms'")


def _customer(kept: bool) -> Customer:
    """With an invoice of today the erasure keeps a tombstone (§31); without, the customer is purged."""
    customer = CustomerFactory()
    if kept:
        InvoiceFactory(customer=customer, issue_date=timezone.localdate())
    return customer


def _nothing_left(customer_id: int) -> None:
    assert not ConsentEvent.objects.filter(customer_id=customer_id).exists()
    assert not Consent.objects.filter(customer_id=customer_id).exists()
    # §32: the audit records of the erased consent stay, without its content (source, channel).
    history = ConsentEvent.history.filter(customer_id=customer_id)
    assert set(history.values_list("source", "channel")) <= {("", "")}
    assert leftovers() == []


def _give_consent(agent, customer):
    return consent_give(
        actor=agent, customer=customer, topic="marketing_email", channel="phone", source="call"
    )


def _register_complaint(agent, customer):
    return request_services.complaint_register(
        actor=agent, description="Anna Ozoliņa complains", customer=customer, complainant_name="Anna Ozoliņa"
    )


WRITERS = {"consent": _give_consent, "request": register_access_request, "complaint": _register_complaint}


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("kept", [True, False], ids=["tombstone", "purged"])
def test_a_write_racing_an_erasure_of_the_same_customer_is_refused_section_38_48(kept, writer):
    customer = _customer(kept)
    agent = UserFactory(username="agent")
    stale = Customer.objects.get(pk=customer.pk)  # the agent's screen, loaded before the erasure
    eraser = ErasureInThread(customer)
    eraser.start()
    assert eraser.erasing.wait(timeout=30)

    write = InThread(lambda: WRITERS[writer](agent, stale))
    write.start()
    assert waiting_for_a_lock(), "the write should wait for the erasure"
    eraser.release.set()
    eraser.join(timeout=30)
    write.join(timeout=30)

    assert isinstance(write.error, ValidationError), write.error
    assert "erased" in " ".join(write.error.messages)
    _nothing_left(customer.pk)
    assert not SubjectRequest.objects.filter(customer_id=customer.pk).exists()
    assert not Complaint.objects.filter(customer_id=customer.pk).exists()
    assert leftovers() == [] and scan(["Anna Ozoliņa", "anna@example.lv"]) == []


def test_an_erasure_waits_for_a_consent_being_given_and_then_erases_it():
    customer = _customer(kept=True)
    agent = UserFactory(username="agent")
    giving = threading.Event()
    release = threading.Event()

    def give():
        with transaction.atomic():
            consent_give(
                actor=agent, customer=customer, topic="marketing_email", channel="phone", source="call"
            )
            giving.set()
            release.wait(timeout=30)

    consent = InThread(give)
    consent.start()
    assert giving.wait(timeout=30)
    _lock_timeout(300)
    with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
        erase_subject(customer, reason="erasure request", actor=None)
    _lock_timeout(0)
    release.set()
    consent.join(timeout=30)
    assert consent.error is None and ConsentEvent.objects.filter(customer_id=customer.pk).count() == 1

    with transaction.atomic():
        erase_subject(customer, reason="erasure request", actor=None)
    _nothing_left(customer.pk)


@pytest.mark.parametrize("kept", [True, False], ids=["tombstone", "purged"])
def test_a_consent_typed_into_the_admin_during_an_erasure_gets_an_error_not_a_500(kept):
    customer = _customer(kept)
    agent = in_role("customer_service", "agent")
    eraser = ErasureInThread(customer)
    eraser.start()
    assert eraser.erasing.wait(timeout=30)

    def post():
        client = Client(raise_request_exception=False)
        client.force_login(agent)
        return client.post(
            reverse("admin:consents_consentevent_add"),
            {
                "customer": customer.pk,
                "topic": topic("marketing_phone").pk,
                "action": "given",
                "channel": "phone",
                "occurred_at_0": "2024-05-01",
                "occurred_at_1": "10:00:00",
                "source": "call-123",
            },
        )

    form = InThread(post)
    form.start()
    assert waiting_for_a_lock(), "the form should wait for the erasure"
    eraser.release.set()
    eraser.join(timeout=30)
    form.join(timeout=30)

    assert form.error is None, form.error
    assert form.result.status_code == 200  # the form again, with the reason; not saved, not a 500
    assert "erased" in form.result.content.decode()
    _nothing_left(customer.pk)
