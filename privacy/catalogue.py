"""The personal-data catalogue: one place that says, for every model holding personal data, how it
reaches a customer, which fields are personal (with their Annex 1 category) and how it is erased.

Each app declares its models in a `personal_data.py` module, discovered at start-up the way `admin.py`
is, so `privacy` never imports the other apps. The access export, erasure, restriction, retention and
the history scrub all walk this catalogue.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class Erasure(models.TextChoices):
    """What erasure does to a row of a catalogued model."""

    DELETE = "delete", _("delete the row")
    ANONYMISE = "anonymise", _("anonymise the personal fields")
    KEEP = "keep", _("keep under a legal duty (restricted)")


@dataclass(frozen=True)
class Entry:
    model: type[models.Model]
    #: ORM path from this model to `Customer` ("" for Customer itself, "customer", "request__customer").
    customer_path: str
    #: personal field name -> Annex 1 category number.
    fields: dict[str, int]
    erasure: str
    #: §32: history of this model is kept 18 months instead of 12 (high-security records).
    high_security: bool = False
    notes: str = ""
    #: Given a customer, the commercial-notice channels ("email", "sms", "phone") they opted out of;
    #: erasure keeps these in the suppression list (keyed hashes only) so the opt-out outlives the data.
    opt_outs: Callable | None = None
    #: For `Erasure.KEEP`: given today's date, {reason code: Q of the rows a legal duty keeps}. Rows
    #: matching no reason are deleted; without `keep`, every row is kept (reason "legal_duty").
    keep: Callable[[datetime.date], dict[str, models.Q]] | None = None
    #: Personal fields blanked on rows kept under a legal duty (those the duty does not need, §39).
    scrub_when_kept: tuple[str, ...] = ()
    #: A nullable DateTimeField set when erasure keeps a row: marks it restricted (§38–39).
    restricted_field: str = ""
    #: Read this model's history by the ids of the customer's live rows, not by the customer column
    #: (which bulk history tables leave unindexed). Complete only because such rows go with their
    #: history, never alone: hence only for `Erasure.DELETE` entries.
    history_by_id: bool = False
    #: Identifying text fields (not personal fields to blank) that a gone row's history rows keep as
    #: "ERASED-<id>", as a tombstone's customer number (§32: the audit record stays, the person goes).
    history_tokens: tuple[str, ...] = ()
    #: Annex 1 categories that a row of this model is data of, whatever its fields hold (a contract is
    #: service and contract data, cat. 8 and 10): the access answer names them (GDPR Art. 15(1)(b)).
    record_categories: tuple[int, ...] = ()
    #: §39: a Q of the rows the subject is not told about (a disclosure to persons entitled by law on
    #: their request, §26.3; a legal hold): left out of the package and the answer, listed for the DPO.
    withhold: Callable[[], models.Q] | None = None
    #: §39: fields never shown to the subject (internal notes); blanked in the package.
    withheld_fields: tuple[str, ...] = ()
    #: Why (shown to the DPO at evaluation and recorded in the request's history).
    withhold_reason: str = ""

    @property
    def label(self) -> str:
        return self.model._meta.label

    def customer_filter(self, customer_ids) -> models.Q:
        """Q selecting this model's rows that belong to any of the given customer ids."""
        lookup = f"{self.customer_path}__in" if self.customer_path else "pk__in"
        return models.Q(**{lookup: customer_ids})

    def special_fields(self) -> list[str]:
        """Fields of Annex 1 category 3 (special categories), hidden without a dedicated permission."""
        return [name for name, category in self.fields.items() if category == 3]


_registry: dict[str, Entry] = {}


def register(
    model: type[models.Model],
    *,
    customer_path: str,
    fields: dict[str, int],
    erasure: str,
    high_security: bool = False,
    notes: str = "",
    opt_outs: Callable | None = None,
    keep: Callable[[datetime.date], dict[str, models.Q]] | None = None,
    scrub_when_kept: tuple[str, ...] | list[str] = (),
    restricted_field: str = "",
    history_by_id: bool = False,
    history_tokens: tuple[str, ...] | list[str] = (),
    record_categories: tuple[int, ...] | list[int] = (),
    withhold: Callable[[], models.Q] | None = None,
    withheld_fields: tuple[str, ...] | list[str] = (),
    withhold_reason: str = "",
) -> Entry:
    """Declare a model holding personal data. Field names and categories are checked at once."""
    for name, category in fields.items():
        model._meta.get_field(name)  # raises FieldDoesNotExist on a typo
        if not 1 <= category <= 32:
            raise ValueError(f"{model._meta.label}.{name}: Annex 1 has categories 1–32, not {category}")
    if erasure not in Erasure.values:
        raise ValueError(f"{model._meta.label}: unknown erasure {erasure!r}")
    for name in scrub_when_kept:
        if name not in fields:
            raise ValueError(
                f"{model._meta.label}.{name}: scrub_when_kept names a field not listed in fields"
            )
    if restricted_field and not model._meta.get_field(restricted_field).null:
        raise ValueError(f"{model._meta.label}.{restricted_field}: a restriction mark must be nullable")
    if keep is not None and erasure != Erasure.KEEP:
        raise ValueError(f"{model._meta.label}: `keep` rules only apply to erasure=Erasure.KEEP")
    for name in history_tokens:
        if not isinstance(model._meta.get_field(name), models.CharField):
            raise ValueError(f"{model._meta.label}.{name}: history_tokens names a text field")
    if history_by_id and erasure != Erasure.DELETE:
        raise ValueError(f"{model._meta.label}: history_by_id needs erasure=Erasure.DELETE")
    for category in record_categories:
        if not 1 <= category <= 32:
            raise ValueError(f"{model._meta.label}: Annex 1 has categories 1–32, not {category}")
    for name in withheld_fields:
        model._meta.get_field(name)
    if (withhold is not None or withheld_fields) and not withhold_reason:
        raise ValueError(f"{model._meta.label}: say why it is withheld (withhold_reason, §39)")
    entry = Entry(
        model,
        customer_path,
        dict(fields),
        erasure,
        high_security,
        notes,
        opt_outs,
        keep,
        tuple(scrub_when_kept),
        restricted_field,
        history_by_id,
        tuple(history_tokens),
        tuple(record_categories),
        withhold,
        tuple(withheld_fields),
        withhold_reason,
    )
    _registry[entry.label] = entry
    return entry


def entries() -> list[Entry]:
    """All catalogued models, Customer first, then in registration order."""
    return list(_registry.values())


def entry_for(model: type[models.Model]) -> Entry | None:
    return _registry.get(model._meta.label)


def autodiscover() -> None:
    autodiscover_modules("personal_data")


def restricted_q(model: type[models.Model]) -> models.Q:
    """Q of the rows of `model` that are restricted (§38–39): the row's own mark, or its customer's.

    A customer is restricted when `restricted_since` is set (a restriction request) or when it is an
    erasure tombstone. For a model outside the catalogue the Q matches nothing.
    """
    entry = entry_for(model)
    if entry is None:
        return models.Q(pk__in=[])
    prefix = f"{entry.customer_path}__" if entry.customer_path else ""
    restricted = models.Q(**{f"{prefix}restricted_since__isnull": False}) | models.Q(
        **{f"{prefix}status": "tombstone"}
    )
    if entry.restricted_field:
        restricted |= models.Q(**{f"{entry.restricted_field}__isnull": False})
    return restricted


def unrestricted(queryset: models.QuerySet) -> models.QuerySet:
    """Leave restricted records and restricted customers' records out (§38–39, issue 5 item 6).

    Exports and marketing selectors pass every catalogued queryset through this.
    """
    return queryset.exclude(restricted_q(queryset.model))
