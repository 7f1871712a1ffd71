"""Give and withdraw (§46–49, §58–60): the ledger, the current state and their history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consents.importer.reading import RIGA
from consents.models import Consent, ConsentEvent
from consents.services import consent_give, consent_withdraw
from privacy.models import Customer
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(username="agent")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=RIGA)


def _given_then_withdrawn(staff, topic: str, *, given_at, withdrawn_at, withdrawn_by: str):
    """A new customer consents to `topic` on the portal, then a withdrawal arrives by `withdrawn_by`."""
    customer = CustomerFactory()
    consent_give(actor=staff, customer=customer, topic=topic, channel="portal", occurred_at=given_at)
    consent_withdraw(
        actor=staff, customer=customer, topic=topic, channel=withdrawn_by, occurred_at=withdrawn_at
    )
    return customer


def test_withdrawal_stops_the_purpose_and_keeps_the_earlier_consent_in_the_ledger(staff):
    """§48–49: after a withdrawal the state is withdrawn; the earlier consent stays on record."""
    customer = _given_then_withdrawn(
        staff, "usage_analysis", given_at=at(2024, 1, 5), withdrawn_at=at(2024, 3, 1), withdrawn_by="phone"
    )

    consent = Consent.objects.get(customer=customer)
    assert (consent.status, consent.channel, consent.occurred_at) == ("withdrawn", "phone", at(2024, 3, 1))
    assert list(
        ConsentEvent.objects.filter(customer=customer)
        .order_by("occurred_at")
        .values_list("action", flat=True)
    ) == [
        "given",
        "withdrawn",
    ]
    history = list(Consent.history.filter(id=consent.pk).order_by("history_id"))
    assert [(h.history_type, h.status, h.history_user) for h in history] == [
        ("+", "given", staff),
        ("~", "withdrawn", staff),
    ]
    assert [h.history_user for h in ConsentEvent.history.filter(customer_id=customer.pk)] == [staff, staff]


def test_an_older_decision_is_recorded_without_overturning_the_state(staff):
    customer = _given_then_withdrawn(
        staff, "surveys", given_at=at(2024, 6, 1), withdrawn_at=at(2024, 1, 1), withdrawn_by="email"
    )

    assert Consent.objects.get(customer=customer).status == "given"
    assert ConsentEvent.objects.filter(customer=customer).count() == 2
    assert Consent.history.filter(customer_id=customer.pk).count() == 1


def test_the_policy_version_in_force_at_the_decision_is_linked(staff):
    """§68–71."""
    customer = CustomerFactory()
    old = consent_give(
        actor=staff, customer=customer, topic="surveys", channel="portal", occurred_at=at(2019, 1, 1)
    )
    new = consent_give(actor=staff, customer=customer, topic="partner_offers", channel="portal")
    assert (old.policy_version.label, new.policy_version.label) == ("2018-05-25", "2023-01-20")


def test_recording_the_same_decision_twice_changes_nothing(staff):
    customer = CustomerFactory()
    kwargs = {
        "actor": staff,
        "customer": customer,
        "topic": "surveys",
        "channel": "portal",
        "occurred_at": at(2024, 1, 1),
        "source": "f1",
    }
    first = consent_give(**kwargs)
    second = consent_give(**kwargs)
    assert first.pk == second.pk
    assert ConsentEvent.history.count() == 1


def test_a_decision_in_the_future_or_for_an_erased_customer_is_refused(staff):
    customer = CustomerFactory()
    with pytest.raises(ValidationError):
        consent_give(
            actor=staff,
            customer=customer,
            topic="surveys",
            channel="portal",
            occurred_at=timezone.now() + datetime.timedelta(minutes=5),
        )
    erased = CustomerFactory(status=Customer.Status.TOMBSTONE)
    with pytest.raises(ValidationError):
        consent_give(actor=staff, customer=erased, topic="surveys", channel="portal")
    assert ConsentEvent.objects.count() == 0


def test_recorded_at_and_captured_by_are_set_by_the_service(staff):
    customer = CustomerFactory()
    before = timezone.now()
    event = consent_withdraw(
        actor=staff, customer=customer, topic="marketing_sms", channel="phone", occurred_at=at(2024, 1, 1)
    )
    assert event.recorded_at >= before
    assert event.captured_by == staff
