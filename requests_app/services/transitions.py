"""The steps that decide a request (§38–42) other than carrying it out: evaluating, extending the
deadline, refusing, recording an objection, and recording the answer. Each takes the acting staff member,
locks the request and asks the table of steps (requests_app/workflow.py) whether it may be taken."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.access_answer import withheld_items

from .. import deadlines, workflow
from ..models import SubjectRequest
from .base import begin_step, date_errors, lock_request, reason_for, save_with_reason
from .deadline_flags import reflag
from .erasure import scrub_answer_addressing

Status = SubjectRequest.Status


@transaction.atomic
def request_start_evaluation(*, subject_request: SubjectRequest, actor) -> SubjectRequest:
    """The verified request is being evaluated (§41)."""
    begin_step("evaluate", subject_request, actor=actor)
    subject_request.status = Status.IN_EVALUATION
    subject_request.evaluation_started_at = timezone.now()
    subject_request.evaluated_by = actor
    if subject_request.type in SubjectRequest.EXPORT_TYPES:
        # §39: what the answer will not reveal, listed for the DPO; the history row of this step keeps
        # the list. The reason stays the same either way: the subject's package carries their request's
        # history, and a different wording would tell them something is withheld.
        subject_request.withheld = withheld_items(subject_request.customer)
    save_with_reason(
        subject_request, actor=actor, reason=reason_for(subject_request, _("evaluation started"))
    )
    return subject_request


@transaction.atomic
def request_extend(
    *,
    subject_request: SubjectRequest,
    actor,
    months: int,
    reason: str,
    notified_on: datetime.date,
    today: datetime.date | None = None,
) -> SubjectRequest:
    """Extend the deadline by up to two further months in all (GDPR Art. 12(3), §41).

    Only while the first month runs, and the customer must have been told (with the reason) within it:
    `notified_on` falls between receipt and the first deadline, and is not in the future.
    """
    today = today or deadlines.today()
    begin_step("extend", subject_request, actor=actor, today=today)
    received_on = deadlines.local_date(subject_request.received_at)
    errors = {}
    if not reason or not reason.strip():
        errors["reason"] = _("Say why the request needs more time (complex or numerous requests).")
    if not isinstance(months, int) or months < 1:
        errors["months"] = _("Extend by one or two months.")
    elif subject_request.extension_months + months > deadlines.MAX_EXTENSION_MONTHS:
        errors["months"] = _(
            "At most two further months in all; this request is already extended by %(done)d."
        ) % {"done": subject_request.extension_months}
    if notified_on is None:
        errors["notified_on"] = _("The date the customer was told of the extension and why.")
    elif notified_on < received_on or notified_on > subject_request.due_at:
        errors["notified_on"] = _(
            "The customer must be told within the first month: between %(received)s and %(due)s."
        ) % {"received": received_on.isoformat(), "due": subject_request.due_at.isoformat()}
    elif notified_on > today:
        errors["notified_on"] = _(
            "The customer must already have been told: the date cannot be in the future."
        )
    if errors:
        raise ValidationError(errors)
    subject_request.extension_months += months
    subject_request.extended_due_at = deadlines.extended_due_date(
        subject_request.received_at, subject_request.extension_months
    )
    subject_request.extension_reason = reason.strip()
    subject_request.extension_notified_on = notified_on
    subject_request.extended_by = actor
    reflag(subject_request, on=today)
    save_with_reason(
        subject_request,
        actor=actor,
        reason=reason_for(
            subject_request, _("deadline extended to %(date)s") % {"date": subject_request.deadline}
        ),
    )
    return subject_request


@transaction.atomic
def request_record_objection(*, subject_request: SubjectRequest, actor, interest, grounds: str = ""):
    """§38 "iebilst pret datu apstrādi": record the objection of an objection request to one processing
    based on a legitimate interest (§12); it stands until the DPO decides it (privacy/objections.py)."""
    from privacy.objections import objection_record

    lock_request(subject_request)
    if subject_request.type != SubjectRequest.Type.OBJECTION:
        raise ValidationError(_("Only an objection request objects to a processing."))
    workflow.VERIFIED.require(subject_request)
    return objection_record(
        actor=actor,
        customer=subject_request.customer,
        interest=interest,
        grounds=grounds,
        request_id=subject_request.pk,
        request_reference=str(subject_request),
    )


@transaction.atomic
def request_refuse(*, subject_request: SubjectRequest, actor, reason: str) -> SubjectRequest:
    """Refuse the request, with its reason (§39: it conflicts with a legal duty or the contract; or the
    requester's identity could not be verified, §41)."""
    begin_step("refuse", subject_request, actor=actor)
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("A refusal needs its reason (§39).")}, code="reason_required")
    subject_request.status = Status.REFUSED
    subject_request.outcome = SubjectRequest.Outcome.REFUSED
    subject_request.refusal_reason = reason.strip()
    subject_request.decided_at = timezone.now()
    subject_request.decided_by = actor
    save_with_reason(subject_request, actor=actor, reason=reason_for(subject_request, _("refused")))
    return subject_request


@transaction.atomic
def request_answer(
    *, subject_request: SubjectRequest, actor, method: str, answered_on: datetime.date
) -> SubjectRequest:
    """Record that the answer went out, how (§42: registered letter, portal, in person) and when."""
    begin_step("answer", subject_request, actor=actor)
    errors = {}
    if method not in SubjectRequest.AnswerMethod.values:
        errors["method"] = _("Registered letter, Mans Balticom or in person (§42).")
    elif subject_request.preferred_answer_method and method != subject_request.preferred_answer_method:
        errors["method"] = _("The customer chose “%(chosen)s” (§42).") % {
            "chosen": subject_request.get_preferred_answer_method_display()
        }
    errors |= date_errors(
        "answered_on",
        answered_on,
        missing=_("The date the answer was sent or handed over."),
        future=_("The answer date cannot be in the future."),
        earliest=deadlines.local_date(subject_request.received_at),
        too_early=_("The answer cannot precede the request."),
    )
    if errors:
        raise ValidationError(errors)
    subject_request.status = Status.ANSWERED
    subject_request.answer_method = method
    subject_request.answered_on = answered_on
    subject_request.answered_by = actor
    reflag(subject_request, on=deadlines.today())
    save_with_reason(subject_request, actor=actor, reason=reason_for(subject_request, _("answered")))
    scrub_answer_addressing(subject_request, actor)
    return subject_request
