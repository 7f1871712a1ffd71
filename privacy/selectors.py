"""Reads that matter for the privacy app."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router
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


def record_key(model: type[models.Model], raw: str):
    """The primary-key value `raw` (a hold's record id, as typed) stands for in `model`, or None when no
    row of `model` could have it: a customer number typed into an integer id, a number out of the
    column's range (§31 holds name one record)."""
    field = model._meta.pk
    try:
        value = field.to_python((raw or "").strip())
    except (ValidationError, TypeError, ValueError):
        return None
    if value is None or value == "":
        return None
    if isinstance(value, int):
        connection = connections[router.db_for_read(model)]
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            return None
    return value


def held_record_keys(model: type[models.Model], *, on: datetime.date | None = None) -> set:
    """Primary keys of records of `model` under a hold in force, as the key's own type. A hold whose
    id cannot be a key of `model` names no row and is left out (`invalid_record_holds` reports it):
    one mistyped hold never stops a sweep or an erasure (§31)."""
    keys = {record_key(model, raw) for raw in held_record_ids(model, on=on)}
    keys.discard(None)
    return keys


#: Why a hold on one record names none (`record_hold_problem`).
HOLD_UNKNOWN_TYPE = "unknown_record_type"
HOLD_INVALID_ID = "invalid_record_id"
HOLD_NO_RECORD = "no_such_record"


def record_hold_problem(content_type: ContentType | None, object_id: str) -> str:
    """ "" when (`content_type`, `object_id`) names an existing record, else why not (one of the
    HOLD_* codes): a record type no longer in the code, an id that cannot be a key of the type, or no
    record with that id."""
    model = content_type.model_class() if content_type is not None else None
    if model is None:
        return HOLD_UNKNOWN_TYPE
    key = record_key(model, object_id)
    if key is None:
        return HOLD_INVALID_ID
    if not model._base_manager.filter(pk=key).exists():
        return HOLD_NO_RECORD
    return ""


def invalid_record_holds(
    *, on: datetime.date | None = None, labels: set[str] | None = None
) -> list[tuple[LegalHold, str]]:
    """Holds in force on one record that name no record, with the problem code, in id order;
    `labels` limits them to record types ("privacy.Recording"). Reads a few rows per hold: holds are few."""
    holds = legal_holds_in_force(on=on).filter(content_type__isnull=False).select_related("content_type")
    by_model: dict = {}
    found = []
    for hold in holds.order_by("pk"):
        model = hold.content_type.model_class()
        if labels is not None and (model is None or model._meta.label not in labels):
            continue
        key = record_key(model, hold.object_id) if model is not None else None
        if model is None:
            found.append((hold, HOLD_UNKNOWN_TYPE))
        elif key is None:
            found.append((hold, HOLD_INVALID_ID))
        else:
            by_model.setdefault(model, []).append((hold, key))
    for model, pairs in by_model.items():  # one query per record type
        existing = set(
            model._base_manager.filter(pk__in=[key for _hold, key in pairs]).values_list("pk", flat=True)
        )
        found += [(hold, HOLD_NO_RECORD) for hold, key in pairs if key not in existing]
    return sorted(found, key=lambda pair: pair[0].pk)


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
    held = models.Q(pk__in=held_record_keys(model))
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
