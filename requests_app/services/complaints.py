"""Complaints to the data protection officer (§43) and their escalation to Datu valsts inspekcija
(§44). Each step locks the complaint and asks the table of steps (requests_app/workflow.py)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.locks import lock_customer_for_write
from privacy.models import Customer

from .. import deadlines, workflow
from ..models import Complaint, SubjectRequest
from .base import date_errors, save_with_reason


def _require_dpo(user) -> None:
    """The person a complaint is handed to must be a data protection officer (§43)."""
    workflow.authorize(workflow.complaint_step("resolve"), user)


def _begin(name: str, complaint: Complaint, actor) -> None:
    """Lock the complaint, then refuse the step unless the table of steps allows it."""
    step = workflow.complaint_step(name)
    Complaint.objects.select_for_update().filter(pk=complaint.pk).values_list("pk").get()
    complaint.refresh_from_db()
    workflow.require(step, complaint, actor=actor)


def _check_date(name: str, day: datetime.date | None, complaint: Complaint) -> dict:
    return date_errors(
        name,
        day,
        missing=_("The date is required."),
        future=_("The date cannot be in the future."),
        earliest=deadlines.local_date(complaint.received_at),
        too_early=_("The date cannot precede the complaint."),
    )


def _text_error(name: str, text: str | None, message: str) -> dict:
    return {} if (text or "").strip() else {name: message}


def _record(complaint: Complaint, actor, errors: dict, reason: str, **changes) -> Complaint:
    """Refuse the step with `errors`, if any; else write `changes` with one history row saying why."""
    if errors:
        raise ValidationError(errors)
    for field, value in changes.items():
        setattr(complaint, field, value)
    save_with_reason(complaint, actor=actor, reason=reason)
    return complaint


def complaint_intake_errors(
    *, customer: Customer | None, request: SubjectRequest | None, complainant_name: str
) -> dict[str, str]:
    """What is wrong with a complaint's intake data, by field (empty when nothing)."""
    if customer is None and request is None and not (complainant_name or "").strip():
        return {"complainant_name": _("Match a customer or give the complainant's name.")}
    return {}


@transaction.atomic
def complaint_register(
    *,
    actor,
    description: str,
    customer: Customer | None = None,
    request: SubjectRequest | None = None,
    complainant_name: str = "",
    complainant_contact: str = "",
    received_at: datetime.datetime | None = None,
    handled_by=None,
) -> Complaint:
    """Register a complaint to the controller and its data protection officer (§43)."""
    errors = complaint_intake_errors(customer=customer, request=request, complainant_name=complainant_name)
    if errors:
        raise ValidationError(errors)
    if handled_by is not None:
        _require_dpo(handled_by)
    if request is not None and customer is None:
        customer = request.customer
    if customer is not None:
        customer = lock_customer_for_write(customer)  # not an erased one, not while it is erased (§38–39)
    complaint = Complaint(description=description, customer=customer, request=request, registered_by=actor)
    return _record(
        complaint,
        actor,
        {},
        _("registered"),
        complainant_name=complainant_name,
        complainant_contact=complainant_contact,
        received_at=received_at or timezone.now(),
        handled_by=handled_by,
    )


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor, dpo) -> Complaint:
    """Hand the complaint to a data protection officer (§43)."""
    _begin("assign", complaint, actor)
    _require_dpo(dpo)
    return _record(complaint, actor, {}, _("assigned to the data protection officer"), handled_by=dpo)


@transaction.atomic
def complaint_resolve(
    *, complaint: Complaint, actor, resolution: str, resolved_on: datetime.date
) -> Complaint:
    """The data protection officer resolves the complaint (§43)."""
    _begin("resolve", complaint, actor)
    errors = _check_date("resolved_on", resolved_on, complaint)
    errors |= _text_error("resolution", resolution, _("Say how the complaint was resolved."))
    resolved = {
        "status": Complaint.Status.RESOLVED,
        "resolution": (resolution or "").strip(),
        "resolved_on": resolved_on,
        "handled_by": complaint.handled_by or actor,
    }
    return _record(complaint, actor, errors, _("resolved"), **resolved)


@transaction.atomic
def complaint_escalate(
    *, complaint: Complaint, actor, escalated_on: datetime.date, authority_reference: str = ""
) -> Complaint:
    """Record that the complaint went to Datu valsts inspekcija, and when (§44)."""
    _begin("escalate", complaint, actor)
    return _record(
        complaint,
        actor,
        _check_date("escalated_on", escalated_on, complaint),
        _("escalated to Datu valsts inspekcija"),
        status=Complaint.Status.ESCALATED,
        escalated_on=escalated_on,
        authority_reference=authority_reference.strip(),
    )


@transaction.atomic
def complaint_record_authority_reply(*, complaint: Complaint, actor, replied_on: datetime.date) -> Complaint:
    """Record the date the operator answered the inspectorate's inquiry (§44)."""
    _begin("authority-reply", complaint, actor)
    errors = _check_date("replied_on", replied_on, complaint)
    if not errors and replied_on < complaint.escalated_on:
        errors = {"replied_on": _("The reply cannot precede the escalation.")}
    return _record(
        complaint, actor, errors, _("reply to the inspectorate recorded"), authority_replied_on=replied_on
    )


@transaction.atomic
def complaint_record_authority_decision(
    *, complaint: Complaint, actor, decision: str, decided_on: datetime.date
) -> Complaint:
    """Record the inspectorate's decision and its date; the complaint is closed (§44)."""
    _begin("authority-decision", complaint, actor)
    errors = _check_date("decided_on", decided_on, complaint)
    if not errors and decided_on < complaint.escalated_on:
        errors = {"decided_on": _("The decision cannot precede the escalation.")}
    errors |= _text_error("decision", decision, _("Summarise the inspectorate's decision."))
    closed = {
        "status": Complaint.Status.CLOSED,
        "authority_decision": (decision or "").strip(),
        "authority_decided_on": decided_on,
    }
    return _record(complaint, actor, errors, _("inspectorate's decision recorded"), **closed)
