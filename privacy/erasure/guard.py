"""An erasure cannot be undone (§38–39, GDPR Art. 17): what it left behind stays as it left it.

- A tombstone (the customer row kept without personal data, `ERASED-<id>`) never changes again: no
  save refreshes it (the database refuses it too on PostgreSQL, migration 0008), nothing new is
  attached to it.
- A row the erasure anonymised or kept (`ErasedRow`), and any row still linked to a tombstone, keeps
  its personal fields and its customer link as they are; its other fields (a request's workflow
  status, a hold's release) may still move on.

`frozen_fields` is what the admin shows read-only; `refuse_undoing` is the same rule at every save of
a catalogued model, so a service, a form or a script that would write personal data back fails with a
ValidationError instead. Writes that attach data to a customer also lock the customer's row first
(`privacy.locks.lock_customer_for_write`), so that they cannot race an erasure.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

from .. import catalogue
from ..models import Customer, ErasedRow

TOMBSTONE_REFUSED = _("This customer was erased (§38–39): the tombstone cannot be changed.")
ROW_REFUSED = _(
    "This record was anonymised or kept by an erasure (§38–39): %(fields)s cannot be changed or "
    "attached to a customer again."
)


def _customer_link(entry: catalogue.Entry) -> models.Field | None:
    """The model's own foreign key on the way to the customer (`customer`, or `request` of a letter)."""
    if not entry.customer_path:
        return None
    return entry.model._meta.get_field(entry.customer_path.split("__")[0])


def is_tombstone(customer_id, using: str = "default") -> bool:
    if customer_id is None:
        return False
    return (
        Customer._base_manager.using(using).filter(pk=customer_id, status=Customer.Status.TOMBSTONE).exists()
    )


def _linked_customer_id(entry: catalogue.Entry, link_value, using: str):
    """The customer a row reaches through its link's value (None when the link is empty)."""
    if link_value is None:
        return None
    link = _customer_link(entry)
    rest = entry.customer_path.split("__", 1)[1] if "__" in entry.customer_path else ""
    if not rest:
        return link_value
    return (
        link.related_model._base_manager.using(using)
        .filter(pk=link_value)
        .values_list(rest, flat=True)
        .first()
    )


def left_by_erasure(model: type[models.Model], pk, using: str = "default") -> bool:
    """An erasure anonymised this row or kept it (it has an `ErasedRow`)."""
    return ErasedRow.objects.using(using).filter(model=model._meta.label, object_id=str(pk)).exists()


def frozen_fields(model: type[models.Model], pk, using: str = "default", *, instance=None) -> list[str]:
    """Names of the fields of row `pk` that nobody may change, as stored now: every field of a
    tombstone; the personal fields and the customer link of a row an erasure left, or of a row still
    linked to a tombstone; none otherwise (or for a model outside the catalogue).

    `instance`: the row as just read from the database (the admin's object), which saves re-reading
    its status or its link; never pass an instance whose fields the caller may have changed.
    """
    model = model._meta.concrete_model
    entry = catalogue.entry_for(model)
    if entry is None or pk is None:
        return []
    opts = model._meta
    if model is Customer:
        stored = instance.status if instance is not None else None
        if stored != Customer.Status.TOMBSTONE and (instance is not None or not is_tombstone(pk, using)):
            return []
        return [f.name for f in [*opts.concrete_fields, *opts.many_to_many] if not f.primary_key]
    link = _customer_link(entry)
    frozen = [*entry.fields, link.name] if link is not None else list(entry.fields)
    if left_by_erasure(model, pk, using):
        return frozen
    if link is not None:
        value = (
            getattr(instance, link.attname)
            if instance is not None
            else model._base_manager.using(using).filter(pk=pk).values_list(link.attname, flat=True).first()
        )
        if is_tombstone(_linked_customer_id(entry, value, using), using):
            return frozen
    return []


def refuse_undoing(sender, instance, raw=False, using="default", **kwargs) -> None:
    """pre_save of every catalogued model: refuse a save that would undo an erasure (see the module)."""
    if raw:
        return
    model = sender._meta.concrete_model
    entry = catalogue.entry_for(model)
    if entry is None:
        return
    existing = instance.pk is not None and not instance._state.adding
    if existing:
        frozen = frozen_fields(model, instance.pk, using)
        if frozen and model is Customer:
            raise ValidationError(TOMBSTONE_REFUSED, code="erased")
        if frozen:
            fields = [model._meta.get_field(name) for name in frozen]
            stored = (
                model._base_manager.using(using).filter(pk=instance.pk).values(*(f.attname for f in fields))
            )
            stored = stored.first() or {}
            # Blanking a frozen field erases more, which never undoes an erasure (the addressing an erasure
            # answer needed is scrubbed once the answer is sent, §42): only a value written back is refused.
            changed = [
                f
                for f in fields
                if f.attname in stored
                and stored[f.attname] != getattr(instance, f.attname)
                and getattr(instance, f.attname) not in (None, "")
            ]
            if changed:
                raise ValidationError(
                    ROW_REFUSED % {"fields": ", ".join(str(f.verbose_name) for f in changed)}, code="erased"
                )
            return
    link = _customer_link(entry)
    if link is None:
        return
    value = getattr(instance, link.attname)
    if existing:
        stored = model._base_manager.using(using).filter(pk=instance.pk).values_list(link.attname, flat=True)
        if stored.first() == value:
            return  # the link did not change
    if is_tombstone(_linked_customer_id(entry, value, using), using):
        raise ValidationError(
            _("This customer was erased (§38–39): nothing can be recorded for them or changed on them."),
            code="erased",
        )


def connect() -> None:
    """Guard every catalogued model (called once the catalogue is complete, in PrivacyConfig.ready)."""
    for entry in catalogue.entries():
        pre_save.connect(
            refuse_undoing, sender=entry.model, dispatch_uid=f"erasure-guard-{entry.label}", weak=False
        )
