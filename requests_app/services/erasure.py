"""Erasure requests (§38, GDPR Art. 17): the dry run a second person approves (four eyes), the erasure
itself when the request is fulfilled, and removing what was held only to send the answer."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Letter, SubjectRequest
from .base import begin_step, lock_request_with_customer, reason_for, save_with_reason


def _erase(subject_request: SubjectRequest, actor, *, dry_run: bool):
    from privacy.erasure import erase_subject

    return erase_subject(
        subject_request.customer,
        reason=_("Erasure request %(request)s (§38)") % {"request": subject_request},
        actor=actor,
        request=subject_request,
        dry_run=dry_run,
    )


def erasure_preview(*, subject_request: SubjectRequest, actor) -> dict[str, Any]:
    """What erasing this request's customer would erase and keep, and why (a dry run, nothing written)."""
    if subject_request.type != SubjectRequest.Type.ERASURE or subject_request.customer_id is None:
        raise ValidationError(_("Only an erasure request of a matched customer has an erasure preview."))
    record = _erase(subject_request, actor, dry_run=True)
    return _erasure_summary(record)


def _erasure_summary(record) -> dict[str, Any]:
    """An ErasureRecord's counts (no personal data): erased = deleted or anonymised rows per model."""
    return {
        "erased": dict(record.erased or {}),
        "anonymised": dict(getattr(record, "anonymised", None) or {}),
        "kept": dict(record.kept or {}),
        "record": record.pk,
    }


@transaction.atomic
def request_approve_erasure(*, subject_request: SubjectRequest, actor) -> SubjectRequest:
    """Four eyes: a second staff member with `requests_app.approve_erasure` approves the erasure.

    The approver is neither who registered nor who evaluated the request; the dry run they approve
    (what will be erased and kept, and why) is stored with the approval.
    """
    # The dry run locks the customer row: the request is locked with it, in the same order.
    begin_step("approve-erasure", subject_request, actor=actor, lock=lock_request_with_customer)
    subject_request.erasure_preview = erasure_preview(subject_request=subject_request, actor=actor)
    subject_request.erasure_approved_at = timezone.now()
    subject_request.erasure_approved_by = actor
    save_with_reason(subject_request, actor=actor, reason=reason_for(subject_request, _("erasure approved")))
    return subject_request


def erasure_carry_out(subject_request: SubjectRequest, actor) -> bool:
    """Erase the approved request's customer (`privacy.erasure.erase_subject`) and keep on the request
    what its answer needs; returns whether a legal duty kept some of the customer's records (§39)."""
    from ..letters import letter_addressing

    name, address, language = letter_addressing(subject_request)  # before the erasure blanks them
    record = _erase(subject_request, actor, dry_run=False)
    subject_request.refresh_from_db()  # the erasure may have anonymised this request itself
    # Held on the request only until the answer is recorded as sent (request_answer scrubs them, §42).
    # Written by an update: the erasure guard refuses a save that writes personal data back onto a row
    # an erasure anonymised, and this is the one write that is meant to (privacy/erasure/guard.py).
    held = {
        "answer_recipient_name": name,
        "answer_recipient_address": address,
        "answer_language": language,
    }
    SubjectRequest.objects.filter(pk=subject_request.pk).update(**held)
    for field, value in held.items():
        setattr(subject_request, field, value)
    subject_request.erasure_result = _erasure_summary(record)
    return _kept_beyond_evidence(subject_request.erasure_result["kept"])


def _kept_beyond_evidence(kept: dict) -> bool:
    """Something of the customer's own records was kept (not only this app's evidence of the request)."""
    return any(reasons for label, reasons in kept.items() if not label.startswith("requests_app."))


def scrub_answer_addressing(subject_request: SubjectRequest, actor) -> None:
    """Once the answer to an erasure has gone out, the name, address and language held for it go too,
    from the request and its history, and so do the letter files that carried them (§38, GDPR Art. 17)."""
    from privacy.erasure import scrub_rows

    if not (subject_request.answer_recipient_name or subject_request.answer_recipient_address):
        return
    reason = reason_for(subject_request, _("answer sent: the addressing held for it removed"))
    scrub_rows(
        SubjectRequest,
        [subject_request.pk],
        blank=("answer_recipient_name", "answer_recipient_address", "answer_language"),
        actor=actor,
        reason=reason,
    )
    letters = subject_request.letters.exclude(pdf="", html="").values_list("pk", flat=True)
    scrub_rows(Letter, list(letters), blank=("pdf", "html"), actor=actor, reason=reason)
    subject_request.refresh_from_db()
