"""Registering a data-subject request as received (§38, §40); the answer is due one calendar month
later (§41)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.locks import lock_customer_for_write
from privacy.models import Customer

from .. import deadlines
from ..models import SubjectRequest
from .base import CUSTOMER_FLAG, save_with_reason
from .deadline_flags import reflag

#: What intake records about the requester as they gave it (free text, editable while the request runs).
INTAKE_TEXT_FIELDS = (
    "requester_name",
    "requester_email",
    "requester_phone",
    "requester_address",
    "details",
    "preferred_answer_method",
)


def request_intake_errors(
    *,
    type: str,  # noqa: A002
    flag_action: str,
    received_at,
    customer: Customer | None,
    requester_name: str,
) -> dict[str, str]:
    """What is wrong with a request's intake data, by field (empty when nothing)."""
    errors = {}
    if customer is None and not (requester_name or "").strip():
        errors["requester_name"] = _("Match a customer or give the requester's name.")
    if received_at and received_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["received_at"] = _("A request cannot be received in the future.")
    if flag_action and type not in CUSTOMER_FLAG:
        errors["flag_action"] = _("Only restriction and objection requests set or lift a customer flag.")
    return errors


@transaction.atomic
def request_register(
    *,
    actor,
    type: str,  # noqa: A002 - the issue's word for it
    channel: str,
    received_at: datetime.datetime | None = None,
    customer: Customer | None = None,
    flag_action: str = "",
    **requester: str,
) -> SubjectRequest:
    """Register a request as received (§38, §40); the answer is due one calendar month later (§41).

    `requester`: what intake records as the requester gave it, by the names of INTAKE_TEXT_FIELDS.
    """
    unknown = sorted(set(requester) - set(INTAKE_TEXT_FIELDS))
    if unknown:
        raise TypeError(f"request_register() got unexpected keyword arguments {unknown}")
    texts = {name: requester.get(name) or "" for name in INTAKE_TEXT_FIELDS}
    received_at = received_at or timezone.now()
    errors = request_intake_errors(
        type=type,
        flag_action=flag_action,
        received_at=received_at,
        customer=customer,
        requester_name=texts["requester_name"],
    )
    if errors:
        raise ValidationError(errors)
    if customer is not None:
        customer = lock_customer_for_write(customer)  # not an erased one, not while it is erased (§38–39)
    if type in CUSTOMER_FLAG:
        flag_action = flag_action or SubjectRequest.FlagAction.SET
    subject_request = SubjectRequest(
        type=type, channel=channel, received_at=received_at, customer=customer, **texts
    )
    subject_request.flag_action = flag_action
    subject_request.registered_by = actor
    subject_request.due_at = deadlines.due_date(received_at)
    subject_request.status = SubjectRequest.Status.RECEIVED
    reflag(subject_request, on=deadlines.today())
    save_with_reason(subject_request, actor=actor, reason=_("registered"))
    return subject_request
