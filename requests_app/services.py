"""Writes for data-subject requests (§38–42) and complaints (§43–44).

Every transition is one transaction, takes the acting staff member (`actor`), re-reads the request under
a row lock, refuses what the workflow does not allow with a ValidationError that says why, and leaves one
history row naming the transition. The admin, the tasks and the commands call these; nothing else
writes a request's status.

    received -> identity verified -> in evaluation -> fulfilled / partly fulfilled / refused -> answered
"""

from __future__ import annotations

import datetime
import hashlib
import tempfile
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.access_answer import withheld_items
from privacy.locks import lock_customer_for_write, lock_for_erasure
from privacy.models import Customer

from . import deadlines, export
from .models import Complaint, ExportPackage, Letter, RectificationChange, SubjectRequest

Status = SubjectRequest.Status
Type = SubjectRequest.Type

#: Customer fields a rectification request may correct (§38 "supplementing/rectification").
RECTIFIABLE_FIELDS = (
    "first_name",
    "last_name",
    "personal_code",
    "birth_date",
    "id_document_number",
    "address",
    "phone",
    "email",
    "residency",
    "deceased",
    "disability",
    "preferred_language",
)

#: Which flag on the customer each request type sets or lifts (§38).
CUSTOMER_FLAG = {Type.RESTRICTION: "restricted_since", Type.OBJECTION: "marketing_objection_since"}


# --- helpers -------------------------------------------------------------------------------------


#: The permission to take a request beyond intake (see `_require_decider`).
DECIDE = "requests_app.decide_subjectrequest"


def _save(obj, *, actor, reason: str) -> None:
    """Validate, then save with the history row attributed to `actor` and explained by `reason`."""
    obj.full_clean()
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor
    obj._change_reason = reason
    obj.save()
    del obj._change_reason


def _lock(subject_request: SubjectRequest) -> SubjectRequest:
    """Lock the request's row and bring the caller's instance up to date with it."""
    if subject_request.pk is None:
        raise ValidationError(_("The request has not been registered yet."))
    SubjectRequest.objects.select_for_update().filter(pk=subject_request.pk).values_list("pk").get()
    subject_request.refresh_from_db()
    return subject_request


def _lock_with_customer(subject_request: SubjectRequest, customer: Customer | None = None) -> Customer | None:
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
    _lock(subject_request)
    if subject_request.customer_id != matched:
        raise ValidationError(_("The request was matched to a customer meanwhile; try again."))
    return locked.get(matched)


def _require_status(subject_request: SubjectRequest, allowed, action: str) -> None:
    if subject_request.status in allowed:
        return
    raise ValidationError(
        _("%(request)s is “%(status)s”: it cannot be %(action)s now (only when %(allowed)s).")
        % {
            "request": subject_request,
            "status": subject_request.get_status_display(),
            "action": action,
            "allowed": _(" or ").join(str(Status(s).label) for s in allowed),
        },
        code="invalid_transition",
    )


def _require_decider(actor) -> None:
    """Evaluating, extending, correcting, packaging, fulfilling, refusing and answering decide a request
    (§38–42): the data protection officer's work, not intake's (registration and the identity check;
    privacy/roles.py)."""
    if actor is None or not actor.has_perm(DECIDE):
        raise PermissionDenied(_("Deciding a data-subject request needs the permission to decide requests."))


def _require_verified(subject_request: SubjectRequest) -> None:
    """§41: nothing is fulfilled before the identity is verified."""
    if subject_request.verified_at is None or subject_request.customer_id is None:
        raise ValidationError(
            _(
                "%(request)s: the requester's identity is not verified; "
                "nothing is fulfilled before that (§41)."
            )
            % {"request": subject_request},
            code="not_verified",
        )


def _reason(subject_request: SubjectRequest, what: str) -> str:
    return f"{subject_request}: {what}"


def deadline_flag_for(subject_request: SubjectRequest, *, on: datetime.date) -> str:
    """The deadline flag a request should carry on a day."""
    days = subject_request.days_left(on)
    if days is None:
        return SubjectRequest.DeadlineFlag.NONE
    if days < 0:
        return SubjectRequest.DeadlineFlag.OVERDUE
    if days <= deadlines.DUE_SOON_DAYS:
        return SubjectRequest.DeadlineFlag.DUE_SOON
    return SubjectRequest.DeadlineFlag.NONE


def _reflag(subject_request: SubjectRequest, *, on: datetime.date) -> None:
    """Bring the stored deadline flag up to date at once (the nightly task does it for the rest)."""
    flag = deadline_flag_for(subject_request, on=on)
    if flag != subject_request.deadline_flag:
        subject_request.deadline_flag = flag
        subject_request.deadline_flagged_on = on


# --- intake --------------------------------------------------------------------------------------


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
    requester_name: str = "",
    requester_email: str = "",
    requester_phone: str = "",
    requester_address: str = "",
    details: str = "",
    preferred_answer_method: str = "",
    flag_action: str = "",
) -> SubjectRequest:
    """Register a request as received (§38, §40); the answer is due one calendar month later (§41)."""
    received_at = received_at or timezone.now()
    errors = request_intake_errors(
        type=type,
        flag_action=flag_action,
        received_at=received_at,
        customer=customer,
        requester_name=requester_name,
    )
    if errors:
        raise ValidationError(errors)
    if customer is not None:
        customer = lock_customer_for_write(customer)  # not an erased one, not while it is erased (§38–39)
    if type in CUSTOMER_FLAG:
        flag_action = flag_action or SubjectRequest.FlagAction.SET
    subject_request = SubjectRequest(
        type=type,
        channel=channel,
        received_at=received_at,
        customer=customer,
        requester_name=requester_name,
        requester_email=requester_email,
        requester_phone=requester_phone,
        requester_address=requester_address,
        details=details,
        preferred_answer_method=preferred_answer_method,
        flag_action=flag_action,
        registered_by=actor,
        due_at=deadlines.due_date(received_at),
        status=Status.RECEIVED,
    )
    _reflag(subject_request, on=deadlines.today())
    _save(subject_request, actor=actor, reason=_("registered"))
    return subject_request


# --- the workflow --------------------------------------------------------------------------------


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
    _lock_with_customer(subject_request, customer)
    _require_status(subject_request, [Status.RECEIVED], _("verified"))
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
    subject_request.status = Status.IDENTITY_VERIFIED
    subject_request.verified_at = timezone.now()
    subject_request.verified_by = actor
    what = (
        _("identity verified with a document that differs from the customer's record (reason recorded)")
        if subject_request.identity_document_differs
        else _("identity verified")
    )
    _save(subject_request, actor=actor, reason=_reason(subject_request, what))
    return subject_request


def same_document_number(typed: str, on_record: str) -> bool:
    """Two identity-document numbers are the same whatever their case, spaces and dashes ("lv 12-34"
    is "LV1234")."""

    def plain(number: str) -> str:
        return "".join(ch for ch in number.upper() if ch.isalnum())

    return plain(typed) == plain(on_record)


@transaction.atomic
def request_start_evaluation(*, subject_request: SubjectRequest, actor) -> SubjectRequest:
    """The verified request is being evaluated (§41)."""
    _require_decider(actor)
    _lock(subject_request)
    if subject_request.status == Status.RECEIVED:
        _require_verified(subject_request)
    _require_status(subject_request, [Status.IDENTITY_VERIFIED], _("put into evaluation"))
    subject_request.status = Status.IN_EVALUATION
    subject_request.evaluation_started_at = timezone.now()
    subject_request.evaluated_by = actor
    if subject_request.type in SubjectRequest.EXPORT_TYPES:
        # §39: what the answer will not reveal, listed for the DPO; the history row of this step keeps
        # the list. The reason stays the same either way: the subject's package carries their request's
        # history, and a different wording would tell them something is withheld.
        subject_request.withheld = withheld_items(subject_request.customer)
    _save(subject_request, actor=actor, reason=_reason(subject_request, _("evaluation started")))
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
    _require_decider(actor)
    _lock(subject_request)
    _require_status(
        subject_request, [Status.RECEIVED, Status.IDENTITY_VERIFIED, Status.IN_EVALUATION], _("extended")
    )
    today = today or deadlines.today()
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
    if today > subject_request.due_at:
        errors["__all__"] = _(
            "The first month ended on %(due)s: an extension can only be decided and told within it."
        ) % {"due": subject_request.due_at.isoformat()}
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
    _reflag(subject_request, on=today)
    _save(
        subject_request,
        actor=actor,
        reason=_reason(
            subject_request, _("deadline extended to %(date)s") % {"date": subject_request.deadline}
        ),
    )
    return subject_request


@transaction.atomic
def request_rectify(
    *, subject_request: SubjectRequest, actor, changes: dict[str, Any]
) -> list[RectificationChange]:
    """Apply a correction to the customer through a rectification request (§38).

    The customer's history row carries the request's reference as its change reason; one
    RectificationChange per field links the request to the before and after.
    """
    _require_decider(actor)
    try:
        _lock_with_customer(subject_request)
    except ValidationError as exc:
        if exc.code != "erased":
            raise
        raise ValidationError(
            _("The customer has been erased; there is nothing to correct."), code="erased"
        ) from exc
    if subject_request.type != Type.RECTIFICATION:
        raise ValidationError(_("Only a rectification request corrects the customer's data."))
    _require_verified(subject_request)
    _require_status(subject_request, [Status.IN_EVALUATION], _("used to correct data"))
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
    _save(customer, actor=actor, reason=_reason(subject_request, _("rectification")))
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
        _save(change, actor=actor, reason=_reason(subject_request, _("rectification")))
        applied.append(change)
    return applied


@transaction.atomic
def request_build_package(*, subject_request: SubjectRequest, actor) -> ExportPackage:
    """Build the subject's data package (access, copy, portability) into private storage.

    A copy request also gets the recording files; the others get their metadata only.
    """
    _require_decider(actor)
    _lock_with_customer(subject_request)
    if subject_request.type not in SubjectRequest.EXPORT_TYPES:
        raise ValidationError(_("Only access, copy and portability requests get a data package."))
    _require_verified(subject_request)
    _require_status(
        subject_request,
        [Status.IN_EVALUATION, Status.FULFILLED, Status.PARTLY_FULFILLED],
        _("packaged"),
    )
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
        _save(package, actor=actor, reason=_reason(subject_request, _("data package built")))
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
        from .selectors import request_flag_set_by

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
    _save(customer, actor=actor, reason=_reason(subject_request, f"{subject_request.type}: {done}"))
    subject_request.flag_applied_at = now
    return done


def _erasure_reason(subject_request: SubjectRequest) -> str:
    return _("Erasure request %(request)s (§38)") % {"request": subject_request}


def _erase(subject_request: SubjectRequest, actor, *, dry_run: bool):
    from privacy.erasure import erase_subject

    return erase_subject(
        subject_request.customer,
        reason=_erasure_reason(subject_request),
        actor=actor,
        request=subject_request,
        dry_run=dry_run,
    )


def erasure_preview(*, subject_request: SubjectRequest, actor) -> dict[str, Any]:
    """What erasing this request's customer would erase and keep, and why (a dry run, nothing written)."""
    if subject_request.type != Type.ERASURE or subject_request.customer_id is None:
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


def is_second_person(subject_request: SubjectRequest, actor) -> bool:
    """Four eyes: `actor` neither registered nor evaluated the request, so may approve its erasure."""
    return actor.pk not in (subject_request.registered_by_id, subject_request.evaluated_by_id)


@transaction.atomic
def request_approve_erasure(*, subject_request: SubjectRequest, actor) -> SubjectRequest:
    """Four eyes: a second staff member with `requests_app.approve_erasure` approves the erasure.

    The approver is neither who registered nor who evaluated the request; the dry run they approve
    (what will be erased and kept, and why) is stored with the approval.
    """
    _lock_with_customer(subject_request)  # the dry run locks the customer row: in the same order
    if subject_request.type != Type.ERASURE:
        raise ValidationError(_("Only erasure requests need approval."))
    if not actor.has_perm("requests_app.approve_erasure"):
        raise PermissionDenied(_("Approving an erasure needs the permission to approve erasures."))
    _require_verified(subject_request)
    _require_status(subject_request, [Status.IN_EVALUATION], _("approved"))
    if subject_request.erasure_approved_at is not None:
        raise ValidationError(_("This erasure is already approved."))
    if not is_second_person(subject_request, actor):
        raise ValidationError(
            _(
                "Four eyes: the approver must be a second person, not who registered or evaluated "
                "the request."
            ),
            code="four_eyes",
        )
    subject_request.erasure_preview = erasure_preview(subject_request=subject_request, actor=actor)
    subject_request.erasure_approved_at = timezone.now()
    subject_request.erasure_approved_by = actor
    _save(subject_request, actor=actor, reason=_reason(subject_request, _("erasure approved")))
    return subject_request


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
    _require_decider(actor)
    _lock_with_customer(subject_request)
    _require_verified(subject_request)
    _require_status(subject_request, [Status.IN_EVALUATION], _("fulfilled"))
    if partly and not notes.strip():
        raise ValidationError({"notes": _("Say what was not done, and why (§39).")})
    kind = subject_request.type
    if kind in SubjectRequest.EXPORT_TYPES:
        if not subject_request.packages.exists():
            _build_package(subject_request, actor)
    elif kind == Type.RECTIFICATION:
        if not subject_request.rectifications.exists():
            raise ValidationError(_("Apply the correction first: no field has been corrected through it."))
    elif kind in CUSTOMER_FLAG:
        _apply_customer_flag(subject_request, actor)
    elif kind == Type.ERASURE:
        if subject_request.erasure_approved_at is None:
            raise ValidationError(
                _("An erasure needs the approval of a second staff member (four eyes) first."),
                code="not_approved",
            )
        if not actor.has_perm("requests_app.approve_erasure"):
            raise ValidationError(
                _("Only the data protection officer carries out an erasure."), code="not_permitted"
            )
        from .letters import letter_addressing

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
        if _kept_beyond_evidence(subject_request.erasure_result["kept"]):
            partly = True
            notes = notes or _("Kept under a legal duty (§39): see the erasure result.")
    outcome = SubjectRequest.Outcome.PARTLY_FULFILLED if partly else SubjectRequest.Outcome.FULFILLED
    subject_request.status = Status(outcome.value)
    subject_request.outcome = outcome
    subject_request.outcome_notes = notes.strip()
    subject_request.decided_at = timezone.now()
    subject_request.decided_by = actor
    _save(subject_request, actor=actor, reason=_reason(subject_request, str(outcome.label)))
    return subject_request


@transaction.atomic
def request_record_objection(*, subject_request: SubjectRequest, actor, interest, grounds: str = ""):
    """§38 "iebilst pret datu apstrādi": record the objection of an objection request to one processing
    based on a legitimate interest (§12); it stands until the DPO decides it (privacy/objections.py)."""
    from privacy.objections import objection_record

    _lock(subject_request)
    if subject_request.type != Type.OBJECTION:
        raise ValidationError(_("Only an objection request objects to a processing."))
    _require_verified(subject_request)
    return objection_record(
        actor=actor,
        customer=subject_request.customer,
        interest=interest,
        grounds=grounds,
        request_id=subject_request.pk,
        request_reference=str(subject_request),
    )


def _kept_beyond_evidence(kept: dict) -> bool:
    """Something of the customer's own records was kept (not only this app's evidence of the request)."""
    return any(reasons for label, reasons in kept.items() if not label.startswith("requests_app."))


@transaction.atomic
def request_refuse(*, subject_request: SubjectRequest, actor, reason: str) -> SubjectRequest:
    """Refuse the request, with its reason (§39: it conflicts with a legal duty or the contract; or the
    requester's identity could not be verified, §41)."""
    _require_decider(actor)
    _lock(subject_request)
    _require_status(
        subject_request, [Status.RECEIVED, Status.IDENTITY_VERIFIED, Status.IN_EVALUATION], _("refused")
    )
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("A refusal needs its reason (§39).")}, code="reason_required")
    subject_request.status = Status.REFUSED
    subject_request.outcome = SubjectRequest.Outcome.REFUSED
    subject_request.refusal_reason = reason.strip()
    subject_request.decided_at = timezone.now()
    subject_request.decided_by = actor
    _save(subject_request, actor=actor, reason=_reason(subject_request, _("refused")))
    return subject_request


@transaction.atomic
def request_answer(
    *, subject_request: SubjectRequest, actor, method: str, answered_on: datetime.date
) -> SubjectRequest:
    """Record that the answer went out, how (§42: registered letter, portal, in person) and when."""
    _require_decider(actor)
    _lock(subject_request)
    _require_status(subject_request, SubjectRequest.DECIDED_STATUSES, _("answered"))
    errors = {}
    if method not in SubjectRequest.AnswerMethod.values:
        errors["method"] = _("Registered letter, Mans Balticom or in person (§42).")
    elif subject_request.preferred_answer_method and method != subject_request.preferred_answer_method:
        errors["method"] = _("The customer chose “%(chosen)s” (§42).") % {
            "chosen": subject_request.get_preferred_answer_method_display()
        }
    if answered_on is None:
        errors["answered_on"] = _("The date the answer was sent or handed over.")
    elif answered_on > deadlines.today():
        errors["answered_on"] = _("The answer date cannot be in the future.")
    elif answered_on < deadlines.local_date(subject_request.received_at):
        errors["answered_on"] = _("The answer cannot precede the request.")
    if errors:
        raise ValidationError(errors)
    subject_request.status = Status.ANSWERED
    subject_request.answer_method = method
    subject_request.answered_on = answered_on
    subject_request.answered_by = actor
    _reflag(subject_request, on=deadlines.today())
    _save(subject_request, actor=actor, reason=_reason(subject_request, _("answered")))
    _scrub_answer_addressing(subject_request, actor)
    return subject_request


def _scrub_answer_addressing(subject_request: SubjectRequest, actor) -> None:
    """Once the answer to an erasure has gone out, the name, address and language held for it go too,
    from the request and its history, and so do the letter files that carried them (§38, GDPR Art. 17)."""
    from privacy.erasure import scrub_rows

    if not (subject_request.answer_recipient_name or subject_request.answer_recipient_address):
        return
    reason = _reason(subject_request, _("answer sent: the addressing held for it removed"))
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


# --- the nightly deadline check --------------------------------------------------------------------


@transaction.atomic
def requests_flag_deadlines(*, on: datetime.date | None = None) -> dict[str, int]:
    """Mark open requests due within 7 days and overdue ones (and clear flags no longer true).

    Returns counts only. Only rows whose flag changes are written (one history row each), so a rerun
    the same day writes nothing.
    """
    from .selectors import requests_with_deadline

    on = on or deadlines.today()
    counts = {"due_soon": 0, "overdue": 0, "newly_due_soon": 0, "newly_overdue": 0, "cleared": 0}
    candidates = requests_with_deadline().filter(
        Q(status__in=SubjectRequest.OPEN_STATUSES) | ~Q(deadline_flag=SubjectRequest.DeadlineFlag.NONE)
    )
    for subject_request in candidates.select_for_update().order_by("pk"):
        flag = deadline_flag_for(subject_request, on=on)
        if flag:
            counts[flag] += 1
        if flag == subject_request.deadline_flag:
            continue
        counts[f"newly_{flag}" if flag else "cleared"] += 1
        subject_request.deadline_flag = flag
        subject_request.deadline_flagged_on = on
        _save(subject_request, actor=None, reason=_reason(subject_request, _("nightly deadline check")))
    return counts


def dpo_digest_send(*, on: datetime.date | None = None) -> bool:
    """Email the DPO the overdue and due-soon requests, when `DPO_DIGEST_EMAIL` is set.

    References, types, statuses and deadlines only: no personal data leaves in the email.
    """
    from .selectors import requests_due_soon, requests_overdue

    recipient = getattr(settings, "DPO_DIGEST_EMAIL", "")
    if not recipient:
        return False
    on = on or deadlines.today()
    overdue = list(requests_overdue(on=on).order_by("current_deadline", "pk"))
    due_soon = list(requests_due_soon(on=on).order_by("current_deadline", "pk"))
    if not overdue and not due_soon:
        return False
    lines = [_("Data-subject requests on %(day)s") % {"day": on.isoformat()}, ""]
    for title, rows in ((_("Overdue"), overdue), (_("Due within 7 days"), due_soon)):
        lines.append(f"{title}: {len(rows)}")
        for row in rows:
            lines.append(
                f"  {row}  {row.get_type_display()}  {row.get_status_display()}  "
                f"{_('due')} {row.deadline.isoformat()}  ({row.days_left(on):+d})"
            )
        lines.append("")
    send_mail(
        subject=_("Requests: %(overdue)d overdue, %(soon)d due within 7 days")
        % {"overdue": len(overdue), "soon": len(due_soon)},
        message="\n".join(lines),
        from_email=None,
        recipient_list=[recipient],
    )
    return True


# --- complaints (§43–44) ----------------------------------------------------------------------------


def _require_dpo(user) -> None:
    if user is None or not user.has_perm("requests_app.handle_complaint"):
        raise PermissionDenied(_("Complaints are handled by the data protection officer (§43)."))


def _lock_complaint(complaint: Complaint) -> Complaint:
    Complaint.objects.select_for_update().filter(pk=complaint.pk).values_list("pk").get()
    complaint.refresh_from_db()
    return complaint


def _require_complaint_status(complaint: Complaint, allowed, action: str) -> None:
    if complaint.status not in allowed:
        raise ValidationError(
            _("%(complaint)s is “%(status)s”: it cannot be %(action)s now.")
            % {"complaint": complaint, "status": complaint.get_status_display(), "action": action},
            code="invalid_transition",
        )


def _check_date(name: str, day: datetime.date | None, complaint: Complaint) -> dict:
    if day is None:
        return {name: _("The date is required.")}
    if day > deadlines.today():
        return {name: _("The date cannot be in the future.")}
    if day < deadlines.local_date(complaint.received_at):
        return {name: _("The date cannot precede the complaint.")}
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
    if customer is None and request is None and not complainant_name.strip():
        raise ValidationError({"complainant_name": _("Match a customer or give the complainant's name.")})
    if handled_by is not None:
        _require_dpo(handled_by)
    if request is not None and customer is None:
        customer = request.customer
    if customer is not None:
        customer = lock_customer_for_write(customer)  # not an erased one, not while it is erased (§38–39)
    complaint = Complaint(
        description=description,
        customer=customer,
        request=request,
        complainant_name=complainant_name,
        complainant_contact=complainant_contact,
        received_at=received_at or timezone.now(),
        handled_by=handled_by,
        registered_by=actor,
    )
    _save(complaint, actor=actor, reason=_("registered"))
    return complaint


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor, dpo) -> Complaint:
    """Hand the complaint to a data protection officer (§43)."""
    _lock_complaint(complaint)
    _require_complaint_status(complaint, [Complaint.Status.OPEN, Complaint.Status.ESCALATED], _("assigned"))
    _require_dpo(dpo)
    complaint.handled_by = dpo
    _save(complaint, actor=actor, reason=_("assigned to the data protection officer"))
    return complaint


@transaction.atomic
def complaint_resolve(
    *, complaint: Complaint, actor, resolution: str, resolved_on: datetime.date
) -> Complaint:
    """The data protection officer resolves the complaint (§43)."""
    _lock_complaint(complaint)
    _require_dpo(actor)
    _require_complaint_status(complaint, [Complaint.Status.OPEN], _("resolved"))
    errors = _check_date("resolved_on", resolved_on, complaint)
    if not resolution or not resolution.strip():
        errors["resolution"] = _("Say how the complaint was resolved.")
    if errors:
        raise ValidationError(errors)
    complaint.status = Complaint.Status.RESOLVED
    complaint.resolution = resolution.strip()
    complaint.resolved_on = resolved_on
    complaint.handled_by = complaint.handled_by or actor
    _save(complaint, actor=actor, reason=_("resolved"))
    return complaint


@transaction.atomic
def complaint_escalate(
    *, complaint: Complaint, actor, escalated_on: datetime.date, authority_reference: str = ""
) -> Complaint:
    """Record that the complaint went to Datu valsts inspekcija, and when (§44)."""
    _lock_complaint(complaint)
    _require_complaint_status(complaint, [Complaint.Status.OPEN, Complaint.Status.RESOLVED], _("escalated"))
    errors = _check_date("escalated_on", escalated_on, complaint)
    if errors:
        raise ValidationError(errors)
    complaint.status = Complaint.Status.ESCALATED
    complaint.escalated_on = escalated_on
    complaint.authority_reference = authority_reference.strip()
    _save(complaint, actor=actor, reason=_("escalated to Datu valsts inspekcija"))
    return complaint


@transaction.atomic
def complaint_record_authority_reply(*, complaint: Complaint, actor, replied_on: datetime.date) -> Complaint:
    """Record the date the operator answered the inspectorate's inquiry (§44)."""
    _lock_complaint(complaint)
    _require_complaint_status(complaint, [Complaint.Status.ESCALATED], _("answered to the inspectorate"))
    errors = _check_date("replied_on", replied_on, complaint)
    if not errors and replied_on < complaint.escalated_on:
        errors = {"replied_on": _("The reply cannot precede the escalation.")}
    if errors:
        raise ValidationError(errors)
    complaint.authority_replied_on = replied_on
    _save(complaint, actor=actor, reason=_("reply to the inspectorate recorded"))
    return complaint


@transaction.atomic
def complaint_record_authority_decision(
    *, complaint: Complaint, actor, decision: str, decided_on: datetime.date
) -> Complaint:
    """Record the inspectorate's decision and its date; the complaint is closed (§44)."""
    _lock_complaint(complaint)
    _require_complaint_status(complaint, [Complaint.Status.ESCALATED], _("closed"))
    errors = _check_date("decided_on", decided_on, complaint)
    if not errors and decided_on < complaint.escalated_on:
        errors = {"decided_on": _("The decision cannot precede the escalation.")}
    if not decision or not decision.strip():
        errors["decision"] = _("Summarise the inspectorate's decision.")
    if errors:
        raise ValidationError(errors)
    complaint.status = Complaint.Status.CLOSED
    complaint.authority_decision = decision.strip()
    complaint.authority_decided_on = decided_on
    _save(complaint, actor=actor, reason=_("inspectorate's decision recorded"))
    return complaint
