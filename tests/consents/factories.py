"""Factories for the consents app."""

import datetime

import factory
from django.utils import timezone

from consents.models import Action, AutomatedDecision, Channel, Consent, ConsentEvent, ConsentTopic
from tests.factories import CustomerFactory


def counts() -> dict:
    """Rows of the ledger, the current state and their histories."""
    return {
        "events": ConsentEvent.objects.count(),
        "event_history": ConsentEvent.history.count(),
        "consents": Consent.objects.count(),
        "consent_history": Consent.history.count(),
    }


def topic(code: str) -> ConsentTopic:
    """Topics are seeded by sync_reference (after migrate); tests fetch them by code."""
    return ConsentTopic.objects.get(code=code)


class ConsentEventFactory(factory.django.DjangoModelFactory):
    """A ledger event written straight to the table (no state update): for admin pages and history tests.

    Use consents.services.consent_give / consent_withdraw to record a decision the way the product does.
    """

    class Meta:
        model = ConsentEvent

    customer = factory.SubFactory(CustomerFactory)
    topic = factory.LazyFunction(lambda: topic("marketing_email"))
    action = Action.GIVEN
    channel = Channel.PORTAL
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    source = factory.Sequence(lambda n: f"form-{n}")


class AutomatedDecisionFactory(factory.django.DjangoModelFactory):
    """A decision on a provision of law (§17); use consents.automated_decisions to record one for real."""

    class Meta:
        model = AutomatedDecision

    customer = factory.SubFactory(CustomerFactory)
    decided_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    system = "credit-scoring"
    logic_version = "v1"
    matter = "service application"
    outcome = AutomatedDecision.Outcome.APPROVED
    ground = AutomatedDecision.Ground.LAW
    legal_provision = "Elektronisko sakaru likums"
    reference = factory.Sequence(lambda n: f"D-{n}")


def one_of_each_consent_kind(customer) -> None:
    """For tests/test_admin_pages.py: a ledger event with its current state, and an import record."""
    from consents.models import ConsentImport
    from consents.services import consent_give
    from tests.factories import UserFactory

    consent_give(
        actor=None, customer=customer, topic="marketing_email", channel=Channel.PORTAL, source="form-1"
    )
    ConsentImport.objects.create(original_name="portal.csv", uploaded_by=UserFactory(username="uploader"))
