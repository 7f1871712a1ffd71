"""Writes that matter for the privacy app."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

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

    Refuses (ValidationError) a hold on both or neither, an id that is not a key of the record type
    and a record that does not exist: a hold that names nothing would keep nothing, and could stop
    the sweeps that read it. The messages never repeat what was typed (it may be personal data).
    """
    object_id = (object_id or "").strip()
    reason = (reason or "").strip()
    if (customer is None) == (content_type is None and not object_id):
        raise ValidationError(_("A hold is on a customer or on one record, not both."))
    if customer is None:
        if content_type is None:
            raise ValidationError({"content_type": _("Say which type of record is held.")})
        if not object_id:
            raise ValidationError({"object_id": _("Give the id of the record held.")})
        problem = record_hold_problem(content_type, object_id)
        if problem:
            raise ValidationError({"object_id": HOLD_PROBLEM_MESSAGES[problem]}, code=problem)
        object_id = str(record_key(content_type.model_class(), object_id))  # "007" holds record 7
    hold = LegalHold(
        customer=customer,
        content_type=content_type,
        object_id=object_id,
        reason=reason,
        until=until,
        set_by=actor,
    )
    hold.full_clean()
    hold._history_user = actor
    hold.save()
    return hold
