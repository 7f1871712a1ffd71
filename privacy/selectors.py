"""Reads that matter for the privacy app."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .catalogue import entry_for, restricted_q
from .models import Customer, LegalHold, Objection, PolicyVersion


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


# --- The export gate (§38–39) --------------------------------------------------------------------


class ExportPurpose:
    """Why data leaves the system; `export_rows` decides per purpose who may be in it."""

    #: CSV exports of the ledger, the consents, any admin export (file downloads of tables)
    STAFF_EXPORT = "staff_export"
    #: the commercial-notice audience (admin action, export_marketing_audience)
    MARKETING = "marketing"
    #: the subject's own data package and the letters answering their requests
    SUBJECT_ACCESS = "subject_access"
    #: a stored file of one record (a call recording)
    FILE_DOWNLOAD = "file_download"
    ALL = (STAFF_EXPORT, MARKETING, SUBJECT_ACCESS, FILE_DOWNLOAD)


def export_rows(queryset: models.QuerySet, *, purpose: str) -> models.QuerySet:
    """The one gate every export, download and package passes: the rows of `queryset` that may leave
    the system for `purpose` (§38–39).

    - STAFF_EXPORT, MARKETING: never a restricted customer (`restricted_since` set: a restriction
      request, §38, GDPR Art. 18(2) allows storage only), never an erasure's leftovers (tombstone, and
      rows kept under a legal duty carry their own restriction mark, §39), never a restricted row.
    - SUBJECT_ACCESS, explicitly allowed: the subject's own data package (access, copy, portability) and
      the letters answering their requests (§38, §42). A restriction limits what the controller does
      with the data, not the subject's right to receive it (GDPR Art. 15, 20), and what an erasure kept
      is still the subject's data, owed to them on access; so restricted and kept rows are included.
    - FILE_DOWNLOAD (a stored file of a restricted or erased customer): only while a legal hold in force
      keeps the customer or the record (§31), i.e. for a legal claim, which GDPR Art. 18(2) allows.

    Models outside the personal-data catalogue pass unchanged (they hold no one's personal data).
    """
    if purpose == ExportPurpose.SUBJECT_ACCESS:
        return queryset
    restricted = restricted_q(queryset.model)
    if purpose in (ExportPurpose.STAFF_EXPORT, ExportPurpose.MARKETING):
        return queryset.exclude(restricted)
    if purpose == ExportPurpose.FILE_DOWNLOAD:
        return queryset.filter(~restricted | _held_q(queryset.model))
    raise ValueError(f"Unknown export purpose {purpose!r}")


def exportable_customers(*, purpose: str) -> models.QuerySet[Customer]:
    """The customers who may appear in an export for `purpose` (see `export_rows`)."""
    return export_rows(Customer.objects.all(), purpose=purpose)


def _held_q(model: type[models.Model]) -> models.Q:
    """Q of the rows of a catalogued model kept by a legal hold in force, on the row or its customer."""
    entry = entry_for(model)
    held = models.Q(pk__in=[key for key in held_record_ids(model) if key.isdigit()])
    if entry is not None:
        path = f"{entry.customer_path}__in" if entry.customer_path else "pk__in"
        held |= models.Q(**{path: held_customer_ids()})
    return held


# --- Objections to processing (§38, §12) ---------------------------------------------------------


def objecting_customer_ids(*, clause: str) -> models.QuerySet:
    """Ids of the customers whose objection to the processing of legitimate interest §`clause` stands
    (received and undecided, or upheld): every selector feeding that processing leaves them out."""
    return Objection.objects.filter(interest__clause=clause, status__in=Objection.STANDING).values(
        "customer_id"
    )


def legitimate_interest_subjects(*, clause: str) -> models.QuerySet[Customer]:
    """The customers a processing based on legitimate interest §`clause` may use (segmentation §12.14,
    usage analysis §12.11, profiling for offers §12.13 and §12.16): never a restricted or erased one
    (the export gate) and never one whose objection to it stands (§38)."""
    return exportable_customers(purpose=ExportPurpose.STAFF_EXPORT).exclude(
        pk__in=objecting_customer_ids(clause=clause)
    )
