"""What every write of the requests app shares: saving with an attributed, explained history row, and
locking a request (with its customer) in the order an erasure takes them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from privacy.history import save_with_history
from privacy.locks import lock_customer_for_write, lock_for_erasure
from privacy.models import Customer

from .. import deadlines, workflow
from ..models import SubjectRequest

Status = SubjectRequest.Status
Type = SubjectRequest.Type

#: Which flag on the customer each request type sets or lifts (§38).
CUSTOMER_FLAG = {Type.RESTRICTION: "restricted_since", Type.OBJECTION: "marketing_objection_since"}


def save_with_reason(obj, *, actor, reason: str) -> None:
    """Validate, then save with the history row attributed to `actor` and explained by `reason`."""
    save_with_history(obj, actor=actor, reason=reason)


def lock_request(subject_request: SubjectRequest) -> SubjectRequest:
    """Lock the request's row and bring the caller's instance up to date with it."""
    if subject_request.pk is None:
        raise ValidationError(_("The request has not been registered yet."))
    SubjectRequest.objects.select_for_update().filter(pk=subject_request.pk).values_list("pk").get()
    subject_request.refresh_from_db()
    return subject_request


def lock_request_with_customer(
    subject_request: SubjectRequest, customer: Customer | None = None
) -> Customer | None:
    """Lock the request's customer (and `customer`, about to be matched), then the request: the lock
    order of privacy/locks.py, the one an erasure follows, so the two never deadlock. An erasure
    request first takes the erasure's share of the bulk-import lock, which comes before any customer
    row. Refuses an erased customer (§38–39). Returns the request's customer, locked and fresh (None
    when unmatched)."""
    if subject_request.pk is None:
        raise ValidationError(_("The request has not been registered yet."))
    matched, kind = (
        SubjectRequest.objects.filter(pk=subject_request.pk).values_list("customer_id", "type").get()
    )
    if kind == Type.ERASURE:
        lock_for_erasure()
    wanted = {matched, getattr(customer, "pk", None)} - {None}
    locked = {pk: lock_customer_for_write(pk) for pk in sorted(wanted)}
    lock_request(subject_request)
    if subject_request.customer_id != matched:
        raise ValidationError(_("The request was matched to a customer meanwhile; try again."))
    return locked.get(matched)


def reason_for(subject_request: SubjectRequest, what: str) -> str:
    """A history row's change reason: the request's reference, then what happened."""
    return f"{subject_request}: {what}"


def begin_step(name: str, subject_request: SubjectRequest, *, actor, lock=lock_request, today=None) -> None:
    """Start a step of the table (requests_app/workflow.py): refuse whoever lacks its permission, lock
    the request (with `lock`), then refuse the step unless the fresh row allows it."""
    step = workflow.request_step(name)
    workflow.authorize(step, actor)
    lock(subject_request)
    workflow.require(step, subject_request, actor=actor, today=today)


def date_errors(field: str, day, *, missing: str, future: str, earliest, too_early: str) -> dict[str, str]:
    """The error of a date a step records (an answer, a letter sent, a complaint's dates), by field: it
    is given, not in the future (in Riga) and not before `earliest`."""
    if day is None:
        return {field: missing}
    if day > deadlines.today():
        return {field: future}
    if day < earliest:
        return {field: too_early}
    return {}
