"""Writes that matter for the privacy app."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import catalogue
from .history import save_with_history
from .locks import lock_customer, lock_customer_for_write
from .models import AccessLog, Customer, LegalHold, User
from .selectors import HOLD_INVALID_ID, HOLD_NO_RECORD, HOLD_UNKNOWN_TYPE, record_hold_problem, record_key


@transaction.atomic
def access_log_record(*, actor: User, obj, action: str = AccessLog.Action.DOWNLOAD) -> AccessLog:
    """Record that `actor` opened (or was refused) a personal file (§22)."""
    return AccessLog.objects.create(
        user=actor if actor.is_authenticated else None,
        action=action,
        object_label=obj._meta.label,
        object_id=str(obj.pk),
    )


#: What the hold form and `legal_hold_set` say for each reason a record hold names no record.
HOLD_PROBLEM_MESSAGES = {
    HOLD_UNKNOWN_TYPE: _("This record type no longer exists."),
    HOLD_INVALID_ID: _(
        "This is not an id of this record type (a customer number is not a record id: to hold a "
        "customer, give their customer number above)."
    ),
    HOLD_NO_RECORD: _("No record of this type has this id."),
}


@transaction.atomic
def legal_hold_set(
    *,
    actor: User,
    reason: str,
    customer: Customer | None = None,
    content_type: ContentType | None = None,
    object_id: str = "",
    until: datetime.date | None = None,
) -> LegalHold:
    """Set a legal hold (§31) on a customer, or on one record that exists (type and id).

    Refuses (ValidationError) a hold on both or neither, an id that is not a key of the record type,
    a record that does not exist and an erased customer (a tombstone, §38–39): a hold that names
    nothing would keep nothing, and could stop the sweeps that read it. The messages never repeat what
    was typed (it may be personal data). Locks the customer kept (or the record's customer) first, so
    a running erasure finishes before the hold is checked and set (privacy/locks.py).
    """
    object_id = (object_id or "").strip()
    reason = (reason or "").strip()
    if (customer is None) == (content_type is None and not object_id):
        raise ValidationError(_("A hold is on a customer or on one record, not both."))
    if customer is not None:
        customer = lock_customer_for_write(customer)
    else:
        if content_type is None:
            raise ValidationError({"content_type": _("Say which type of record is held.")})
        if not object_id:
            raise ValidationError({"object_id": _("Give the id of the record held.")})
        model = content_type.model_class()
        key = record_key(model, object_id) if model is not None else None
        if key is not None:
            lock_customer(_record_customer_id(model, key))
        problem = record_hold_problem(content_type, object_id)
        if problem:
            raise ValidationError({"object_id": HOLD_PROBLEM_MESSAGES[problem]}, code=problem)
        object_id = str(key)  # "007" holds record 7
    hold = LegalHold(
        customer=customer,
        content_type=content_type,
        object_id=object_id,
        reason=reason,
        until=until,
        set_by=actor,
    )
    save_with_history(hold, actor=actor)
    return hold


def _record_customer_id(model, key):
    """The customer a catalogued record belongs to (the record itself for a customer), else None."""
    entry = catalogue.entry_for(model)
    if entry is None:
        return None
    if not entry.customer_path:
        return key
    return model._base_manager.filter(pk=key).values_list(entry.customer_path, flat=True).first()


def _hold_customer_id(hold: LegalHold):
    """The customer whose data the hold keeps: its own, or its record's."""
    if hold.customer_id is not None:
        return hold.customer_id
    model = hold.content_type.model_class() if hold.content_type_id else None
    key = record_key(model, hold.object_id) if model is not None else None
    return _record_customer_id(model, key) if key is not None else None


#: The permission that releases a hold: the admin's "change", as the roles grant it (privacy/roles.py).
RELEASE_HOLD = "privacy.change_legalhold"


@transaction.atomic
def legal_hold_release(*, hold: LegalHold, actor: User) -> LegalHold:
    """Release a legal hold (§31) now: from then on it keeps nothing, and what it kept follows its own
    rules again (the retention windows, an erasure). The hold itself stays, as evidence.

    Needs `privacy.change_legalhold`: a release lets deletion go ahead, so whoever calls it (the admin,
    a script) is checked here. Refuses a hold already released: the first release (when, by whom) is
    the record and is never overwritten. Locks the kept customer's row first (privacy/locks.py), so a
    running erasure of the customer finishes before the release; when that erasure (or an earlier one)
    erased the customer, the released hold keeps no reason, as an erasure leaves released holds (§31,
    §38–39: the reason is about the person).
    """
    if actor is None or not actor.has_perm(RELEASE_HOLD):
        raise PermissionDenied(_("Releasing a legal hold needs the permission to change legal holds."))
    hold = LegalHold.objects.select_related("content_type").get(pk=hold.pk)  # its target never changes
    customer = lock_customer(_hold_customer_id(hold))
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise ValidationError(
            _("This hold was already released on %(date)s.")
            % {"date": f"{timezone.localtime(hold.released_at):%Y-%m-%d %H:%M}"},
            code="released",
        )
    hold.released_at = timezone.now()
    # An erasure may have blanked the reason of a hold whose end had passed: the release still goes.
    save_with_history(hold, actor=actor, reason="released", exclude=["reason"])
    if _erased(hold, customer):
        from .erasure import scrub_rows

        scrub_rows(LegalHold, [hold.pk], blank=("reason",), actor=actor, reason="released after erasure")
        hold.refresh_from_db()
    return hold


def _erased(hold: LegalHold, customer: Customer | None) -> bool:
    """The hold's customer is a tombstone, or an erasure left the record it holds."""
    from .erasure.guard import left_by_erasure

    if customer is not None and customer.status == Customer.Status.TOMBSTONE:
        return True
    model = hold.content_type.model_class() if hold.content_type_id else None
    return model is not None and left_by_erasure(model, hold.object_id)
