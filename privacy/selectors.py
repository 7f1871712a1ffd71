"""Reads that matter for the privacy app."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import LegalHold, PolicyVersion


def legal_holds_in_force(*, on: datetime.date | None = None) -> models.QuerySet[LegalHold]:
    """Holds in force on a day (today by default): not released, and `until` not passed (§31)."""
    on = on or timezone.localdate()
    return LegalHold.objects.filter(released_at__isnull=True).filter(
        models.Q(until__isnull=True) | models.Q(until__gte=on)
    )


def held_customer_ids(*, on: datetime.date | None = None) -> models.QuerySet:
    """Ids of customers under a hold in force: a subquery, usable with `__in` on any table size."""
    return legal_holds_in_force(on=on).filter(customer__isnull=False).values("customer_id")


def held_record_ids(model: type[models.Model], *, on: datetime.date | None = None) -> set[str]:
    """Ids (as strings) of single records of `model` under a hold in force."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    return set(
        legal_holds_in_force(on=on).filter(content_type=content_type).values_list("object_id", flat=True)
    )


def policy_version_in_force(*, at: datetime.datetime | datetime.date) -> PolicyVersion | None:
    """The policy version in force at a moment (§68–71): the latest one effective on or before it."""
    day = timezone.localdate(at) if isinstance(at, datetime.datetime) else at
    return PolicyVersion.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
