"""The consents app's entries in the personal-data catalogue (see privacy/catalogue.py): Annex 1 cat. 28."""

from privacy.catalogue import Erasure, register

from .models import AutomatedDecision, Consent, ConsentEvent
from .selectors import withdrawn_channels

register(
    Consent,
    customer_path="customer",
    fields={"status": 28, "occurred_at": 28, "channel": 28, "source": 28},
    erasure=Erasure.DELETE,
    opt_outs=withdrawn_channels,
    history_by_id=True,
    notes="Current state per topic. Opt-outs of commercial notices outlive erasure in the suppression list.",
)
register(
    ConsentEvent,
    customer_path="customer",
    fields={"action": 28, "occurred_at": 28, "recorded_at": 28, "channel": 28, "source": 28},
    erasure=Erasure.DELETE,
    opt_outs=withdrawn_channels,
    history_by_id=True,
    notes="The append-only ledger of consent decisions (§46–49); goes only with the customer's erasure.",
)
register(
    AutomatedDecision,
    customer_path="customer",
    fields={
        "matter": 7,
        "outcome": 7,
        "contract_reference": 10,
        "human_review_requested_at": 21,
        "human_review_outcome": 21,
        "source": 7,
    },
    erasure=Erasure.DELETE,
    notes="Automated decisions with legal effect (§16–18): shown on access with the right to human review.",
)
