"""Demo consents for the first demo customers, so the consent screens of `make run` show something:
given and withdrawn decisions per topic, through several channels, over the last year (§46–50, §60)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from privacy.demo.staff import demo_users
from privacy.models import Customer
from privacy.roles import AGENT

from . import services
from .models import Action, Channel, ConsentEvent

DEMO_SOURCE = "demo data"

#: (topic, channel, days ago given, days ago withdrawn or None), cycled over the customers.
PATTERN = (
    ("marketing_email", Channel.PORTAL, 300, None),
    ("marketing_sms", Channel.APPLICATION_FORM, 200, 20),
    ("usage_analysis", Channel.APP, 120, None),
    ("partner_offers", Channel.PHONE, 90, 1),
    ("personalised_ads", Channel.BANNER, 60, None),
    ("surveys", Channel.EMAIL, 30, None),
)


@transaction.atomic
def demo_consents_ensure(*, customers: int = 20) -> int:
    """Record the demo decisions for up to `customers` active demo customers; a second run adds nothing.
    Returns the number of ledger events written."""
    if ConsentEvent.objects.filter(source=DEMO_SOURCE).exists():
        return 0
    agents = demo_users(AGENT.key)
    actor = agents[0] if agents else None
    now = timezone.now()
    written = 0
    people = Customer.objects.filter(status=Customer.Status.ACTIVE, customer_number__startswith="C").order_by(
        "customer_number"
    )[:customers]
    for n, customer in enumerate(people):
        for offset in range(2):
            topic, channel, given, withdrawn = PATTERN[(n + offset * 3) % len(PATTERN)]
            events = [(Action.GIVEN, given)] + ([(Action.WITHDRAWN, withdrawn)] if withdrawn else [])
            for action, days in events:
                services.consent_record(
                    actor=actor,
                    customer=customer,
                    topic=topic,
                    action=action,
                    channel=channel,
                    occurred_at=now - datetime.timedelta(days=days, hours=n),
                    source=DEMO_SOURCE,
                )
                written += 1
    return written
