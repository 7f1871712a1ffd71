"""Verifying the requester's identity (§40, §41): how, and by whom, by the channel the request came
through."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.models import Customer

from ..models import SubjectRequest
from .base import begin_step, lock_request_with_customer, reason_for, save_with_reason


@transaction.atomic
def request_verify_identity(
    *,
    subject_request: SubjectRequest,
    actor,
    customer: Customer | None = None,
    document_type: str = "",
    document_number: str = "",
    document_mismatch_reason: str = "",
    signature_validation: str = "",
    portal_session_id: str = "",
) -> SubjectRequest:
    """Record how and by whom the requester's identity was verified (§40, §41).

    In person: the identity document's type and number were checked, and compared with the number on
    the customer's record: a different number is accepted only with `document_mismatch_reason` (a new
    passport, say), flagged on the request and written into its history. Email: the qualified
    e-signature was validated (how, and the result). Portal: the authenticated session's id.
    """
    begin_step(
        "verify",
        subject_request,
        actor=actor,
        lock=lambda locked: lock_request_with_customer(locked, customer),
    )
    if customer is not None:
        if subject_request.customer_id not in (None, customer.pk):
            raise ValidationError(
                {"customer": _("The request is already matched to another customer; correct that first.")}
            )
        subject_request.customer = customer
    if subject_request.customer_id is None:
        raise ValidationError({"customer": _("Match the requester to a customer to verify their identity.")})
    channel = subject_request.channel
    errors = {}
    if channel == SubjectRequest.Channel.IN_PERSON:
        if not document_type:
            errors["document_type"] = _("In person: which identity document was checked (§40.1).")
        if not document_number.strip():
            errors["document_number"] = _("In person: the number of the identity document checked (§40.1).")
        subject_request.identity_document_type = document_type
        subject_request.identity_document_number = document_number.strip()
        on_record = subject_request.customer.id_document_number
        differs = bool(document_number.strip() and on_record.strip()) and not same_document_number(
            document_number, on_record
        )
        subject_request.identity_document_differs = differs
        subject_request.identity_mismatch_reason = document_mismatch_reason.strip() if differs else ""
        if differs and not subject_request.identity_mismatch_reason:
            errors["document_mismatch_reason"] = _(
                "This document number is not the one on the customer's record: check the document again, "
                "and say why you accept it (§41)."
            )
    elif channel == SubjectRequest.Channel.EMAIL:
        if not signature_validation.strip():
            errors["signature_validation"] = _(
                "Email: how the qualified e-signature was validated, and the result (§40.2)."
            )
        subject_request.signature_validation = signature_validation.strip()
    elif channel == SubjectRequest.Channel.PORTAL:
        if not portal_session_id.strip():
            errors["portal_session_id"] = _("Portal: the id of the authenticated session (§40.3).")
        subject_request.portal_session_id = portal_session_id.strip()
    if errors:
        raise ValidationError(errors)
    subject_request.status = SubjectRequest.Status.IDENTITY_VERIFIED
    subject_request.verified_at = timezone.now()
    subject_request.verified_by = actor
    what = (
        _("identity verified with a document that differs from the customer's record (reason recorded)")
        if subject_request.identity_document_differs
        else _("identity verified")
    )
    save_with_reason(subject_request, actor=actor, reason=reason_for(subject_request, what))
    return subject_request


def same_document_number(typed: str, on_record: str) -> bool:
    """Two identity-document numbers are the same whatever their case, spaces and dashes ("lv 12-34"
    is "LV1234")."""

    def plain(number: str) -> str:
        return "".join(ch for ch in number.upper() if ch.isalnum())

    return plain(typed) == plain(on_record)
