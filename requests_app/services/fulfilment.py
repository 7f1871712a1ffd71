"""Carrying an evaluated request out (§38, §41): correcting the customer's data, building the data
package, setting or lifting the customer's flag, erasing; then the request is fulfilled."""

from __future__ import annotations

import hashlib
import tempfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.locks import lock_customer_for_write
from privacy.models import Customer

from .. import export
from ..models import ExportPackage, RectificationChange, SubjectRequest
from ..selectors import request_flag_set_by
from .base import CUSTOMER_FLAG, begin_step, lock_request_with_customer, reason_for, save_with_reason
from .erasure import erasure_carry_out

Status = SubjectRequest.Status
Type = SubjectRequest.Type

#: Customer fields a rectification request may correct (§38 "supplementing/rectification").
RECTIFIABLE_FIELDS = (
    *("first_name", "last_name", "personal_code", "birth_date", "id_document_number", "address"),
    *("phone", "email", "residency", "deceased", "disability", "preferred_language"),
)


def _lock_for_correction(subject_request: SubjectRequest) -> None:
    try:
        lock_request_with_customer(subject_request)
    except ValidationError as exc:
        if exc.code != "erased":
            raise
        raise ValidationError(
            _("The customer has been erased; there is nothing to correct."), code="erased"
        ) from exc


@transaction.atomic
def request_rectify(
    *, subject_request: SubjectRequest, actor, changes: dict[str, Any]
) -> list[RectificationChange]:
    """Apply a correction to the customer through a rectification request (§38).

    The customer's history row carries the request's reference as its change reason; one
    RectificationChange per field links the request to the before and after.
    """
    begin_step("rectify", subject_request, actor=actor, lock=_lock_for_correction)
    if not changes:
        raise ValidationError(_("Give at least one field and its corrected value."))
    unknown = sorted(set(changes) - set(RECTIFIABLE_FIELDS))
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be corrected through a request.") for name in unknown}
        )
    customer = lock_customer_for_write(subject_request.customer_id)
    before: dict[str, str] = {}
    for name, value in changes.items():
        fld = Customer._meta.get_field(name)
        try:
            new = fld.to_python(value)
        except ValidationError as exc:
            raise ValidationError({name: exc.messages}) from exc
        if new is None and not fld.null:
            new = "" if fld.empty_strings_allowed else new
        if getattr(customer, name) != new:
            before[name] = fld.value_to_string(customer)
            setattr(customer, name, new)
    if not before:
        raise ValidationError(_("The values given are the ones already held; nothing to correct."))
    save_with_reason(customer, actor=actor, reason=reason_for(subject_request, _("rectification")))
    history_row = Customer.history.filter(id=customer.pk).order_by("-history_id").first()
    applied = []
    for name, old in before.items():
        change = RectificationChange(
            request=subject_request,
            field_name=name,
            old_value=old,
            new_value=Customer._meta.get_field(name).value_to_string(customer),
            customer_history_id=history_row.history_id if history_row else None,
            applied_by=actor,
        )
        save_with_reason(change, actor=actor, reason=reason_for(subject_request, _("rectification")))
        applied.append(change)
    return applied


@transaction.atomic
def request_build_package(*, subject_request: SubjectRequest, actor) -> ExportPackage:
    """Build the subject's data package (access, copy, portability) into private storage.

    A copy request also gets the recording files; the others get their metadata only.
    """
    begin_step("package", subject_request, actor=actor, lock=lock_request_with_customer)
    return _build_package(subject_request, actor)


def _build_package(subject_request: SubjectRequest, actor) -> ExportPackage:
    include_files = subject_request.type == Type.COPY
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as spool:
        export.write_package(
            subject_request.customer, spool, include_files=include_files, reference=str(subject_request)
        )
        size = spool.tell()
        spool.seek(0)
        digest = hashlib.sha256()
        for chunk in iter(lambda: spool.read(1024 * 1024), b""):
            digest.update(chunk)
        spool.seek(0)
        package = ExportPackage(
            request=subject_request,
            size_bytes=size,
            sha256=digest.hexdigest(),
            includes_files=include_files,
            created_by=actor,
        )
        package.file.save("package.zip", File(spool), save=False)
    try:
        save_with_reason(package, actor=actor, reason=reason_for(subject_request, _("data package built")))
    except Exception:
        package.file.storage.delete(package.file.name)  # nothing half-written
        raise
    return package


def _apply_customer_flag(subject_request: SubjectRequest, actor) -> str:
    """Set or lift the restriction/objection flag on the customer; returns what was done (§38)."""
    field_name = CUSTOMER_FLAG[Type(subject_request.type)]
    customer = lock_customer_for_write(subject_request.customer_id)  # never on a tombstone (§38–39)
    current = getattr(customer, field_name)
    now = timezone.now()
    if subject_request.flag_action == SubjectRequest.FlagAction.LIFT:
        if current is None:
            raise ValidationError(_("The customer has no such flag to lift."))
        subject_request.lifts_request = request_flag_set_by(
            customer=customer, request_type=subject_request.type
        )
        setattr(customer, field_name, None)
        done = _("flag lifted")
    else:
        if current is not None:
            raise ValidationError(
                _("The customer's flag is already set since %(since)s.")
                % {"since": timezone.localtime(current).strftime("%Y-%m-%d %H:%M")}
            )
        setattr(customer, field_name, now)
        done = _("flag set")
    save_with_reason(
        customer, actor=actor, reason=reason_for(subject_request, f"{subject_request.type}: {done}")
    )
    subject_request.flag_applied_at = now
    return done


@transaction.atomic
def request_fulfil(
    *, subject_request: SubjectRequest, actor, notes: str = "", partly: bool = False
) -> SubjectRequest:
    """Carry the evaluated request out (§38, §41), by type:

    access/copy/portability: the data package (built now unless one exists); rectification: the
    correction must have been applied (`request_rectify`); restriction/objection: the flag on the
    customer is set or lifted; erasure: after approval by a second person, `privacy.erasure.erase_subject`
    (what a legal duty keeps makes it partly fulfilled, §39). `partly` needs notes saying what was not
    done and why.
    """
    begin_step("fulfil", subject_request, actor=actor, lock=lock_request_with_customer)
    if partly and not notes.strip():
        raise ValidationError({"notes": _("Say what was not done, and why (§39).")})
    kind = subject_request.type
    if kind in SubjectRequest.EXPORT_TYPES:
        if not subject_request.packages.exists():
            _build_package(subject_request, actor)
    elif kind in CUSTOMER_FLAG:
        _apply_customer_flag(subject_request, actor)
    elif kind == Type.ERASURE and erasure_carry_out(subject_request, actor):
        partly = True
        notes = notes or _("Kept under a legal duty (§39): see the erasure result.")
    outcome = SubjectRequest.Outcome.PARTLY_FULFILLED if partly else SubjectRequest.Outcome.FULFILLED
    subject_request.status = Status(outcome.value)
    subject_request.outcome = outcome
    subject_request.outcome_notes = notes.strip()
    subject_request.decided_at = timezone.now()
    subject_request.decided_by = actor
    save_with_reason(subject_request, actor=actor, reason=reason_for(subject_request, str(outcome.label)))
    return subject_request
