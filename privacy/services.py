"""Writes that matter for the privacy app."""

from django.db import transaction

from .models import AccessLog, User


@transaction.atomic
def access_log_record(*, actor: User, obj, action: str = AccessLog.Action.DOWNLOAD) -> AccessLog:
    """Record that `actor` opened (or was refused) a personal file (§22)."""
    return AccessLog.objects.create(
        user=actor if actor.is_authenticated else None,
        action=action,
        object_label=obj._meta.label,
        object_id=str(obj.pk),
    )
