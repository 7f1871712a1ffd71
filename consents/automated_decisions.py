"""Recording automated decisions with legal or similar effect (§16–18): one service call for every
system that decides (the `record_automated_decision` command wraps it, one decision or a CSV file).

§17: "Automatizētu lēmumu pieņemšana, kas Klientam rada tiesiskās sekas ... var tikt veikta tikai līguma
starp Balticom un Klientu noslēgšanas vai izpildes gaitā, pamatojoties uz Klienta nepārprotamu piekrišanu
vai ārējos normatīvajos aktos noteiktajos gadījumos." A decision without such a ground is refused.
"""

from __future__ import annotations

import csv
import datetime
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from privacy.models import Customer

from .models import Action, AutomatedDecision, ConsentEvent, ConsentTopic

#: The consent topic of §16–18 (consents/reference_data.py).
TOPIC = "automated_decisions"
CSV_COLUMNS = (
    "customer_number",
    "decided_at",
    "system",
    "logic_version",
    "matter",
    "outcome",
    "ground",
    "contract_reference",
    "legal_provision",
    "reference",
)


def consent_in_force(customer: Customer, at: datetime.datetime) -> ConsentEvent | None:
    """The customer's explicit consent to automated decisions in force at `at`: the latest decision at
    or before that moment, if it is a consent (at the same moment a withdrawal wins, §48)."""
    latest = (
        ConsentEvent.objects.filter(customer=customer, topic__code=TOPIC, occurred_at__lte=at)
        .order_by("-occurred_at", "-action")  # "withdrawn" sorts after "given": first at a tie
        .first()
    )
    return latest if latest is not None and latest.action == Action.GIVEN else None


@transaction.atomic
def automated_decision_record(
    *,
    actor,
    customer: Customer,
    decided_at: datetime.datetime,
    system: str,
    logic_version: str,
    matter: str,
    outcome: str,
    ground: str,
    reference: str,
    contract_reference: str = "",
    legal_provision: str = "",
    source: str = "",
) -> AutomatedDecision:
    """Record one automated decision (§16–18); refuse it (ValidationError) without its ground.

    Recording the same (system, reference) again returns the first record and changes nothing."""
    existing = AutomatedDecision.objects.filter(system=system, reference=reference).first()
    if existing is not None:
        return existing
    errors: dict[str, str] = {}
    if decided_at is None or timezone.is_naive(decided_at):
        errors["decided_at"] = _("The moment of the decision, with its time zone.")
    elif decided_at > timezone.now():
        errors["decided_at"] = _("A decision cannot lie in the future.")
    if customer.status == Customer.Status.TOMBSTONE:
        errors["customer"] = _("This customer was erased; no decisions are recorded for them.")
    consent = None
    if ground == AutomatedDecision.Ground.CONTRACT_CONSENT:
        if not contract_reference.strip():
            errors["contract_reference"] = _(
                "§17: name the contract (or application) the decision is part of."
            )
        if "decided_at" not in errors:
            consent = consent_in_force(customer, decided_at)
            if consent is None:
                errors["ground"] = _(
                    "§17: the customer had not given explicit consent to automated decisions at that moment."
                )
    elif ground == AutomatedDecision.Ground.LAW:
        if not legal_provision.strip():
            errors["legal_provision"] = _("§17: name the provision of law that allows the decision.")
    else:
        errors["ground"] = _(
            "An automated decision needs its ground: a contract and the customer's explicit consent, "
            "or a provision of law (§17)."
        )
    if errors:
        raise ValidationError(errors, code="no_ground")
    decision = AutomatedDecision(
        customer=customer,
        decided_at=decided_at,
        system=system.strip(),
        logic_version=logic_version.strip(),
        matter=matter.strip(),
        outcome=outcome,
        ground=ground,
        contract_reference=contract_reference.strip()
        if ground == AutomatedDecision.Ground.CONTRACT_CONSENT
        else "",
        consent_event_id=consent.pk if consent else None,
        consent_given_at=consent.occurred_at if consent else None,
        legal_provision=legal_provision.strip() if ground == AutomatedDecision.Ground.LAW else "",
        reference=reference.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
        source=source[:255],
    )
    decision.full_clean()
    if getattr(actor, "is_authenticated", False):
        decision._history_user = actor
    decision._change_reason = _("automated decision recorded (§16–18)")
    decision.save()
    return decision


@transaction.atomic
def automated_decisions_import(*, actor, text: str, file_name: str) -> tuple[int, list[str]]:
    """Record every decision of a CSV file (columns CSV_COLUMNS, UTF-8); all or nothing: any invalid
    line records nothing and its errors are returned as "line N: ..."."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [name for name in CSV_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        return 0, [_("line 1: missing columns: %(columns)s") % {"columns": ", ".join(missing)}]
    errors: list[str] = []
    recorded = 0
    for line, row in enumerate(reader, start=2):
        try:
            with transaction.atomic():
                customer = Customer.objects.filter(
                    customer_number=(row["customer_number"] or "").strip()
                ).first()
                if customer is None:
                    raise ValidationError({"customer_number": _("Unknown customer.")})
                moment = parse_datetime((row["decided_at"] or "").strip())
                automated_decision_record(
                    actor=actor,
                    customer=customer,
                    decided_at=moment,
                    system=row["system"] or "",
                    logic_version=row["logic_version"] or "",
                    matter=row["matter"] or "",
                    outcome=(row["outcome"] or "").strip(),
                    ground=(row["ground"] or "").strip(),
                    reference=row["reference"] or "",
                    contract_reference=row["contract_reference"] or "",
                    legal_provision=row["legal_provision"] or "",
                    source=f"{file_name}:{line}",
                )
                recorded += 1
        except (ValidationError, ValueError) as exc:
            messages = getattr(exc, "message_dict", None) or {"": getattr(exc, "messages", [str(exc)])}
            for column, texts in messages.items():
                errors.extend(f"line {line}: {column}: {text}" for text in texts)
    if errors:
        transaction.set_rollback(True)
        return 0, errors
    return recorded, []


def automated_decisions_topic() -> ConsentTopic:
    return ConsentTopic.objects.get(code=TOPIC)
