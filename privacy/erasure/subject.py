"""`erase_subject`: erase a data subject through the catalogue, keeping what a legal duty keeps (§31, §38–39).

Per catalogued model, the customer's rows are planned into: kept (with a reason, marked restricted,
the personal fields the duty does not need removed), anonymised (personal fields blanked), or deleted
(with `purge`: history, files and admin-log text go too). What is kept:

- `legal_hold`: a record under a legal hold in force, untouched (§31). A hold on the customer itself
  makes erasure refuse (`ErasureRefused`): "a hold on a customer blocks every erasure".
- the catalogue's `keep` rules (invoices within 5 years of their date, open debts: §31, §31.2), with the
  entry's `scrub_when_kept` fields removed;
- `erasure_request`: the request object passed in, when its catalogue entry would delete it: it is
  the evidence that the request was handled (GDPR Art. 5(2)), kept with its personal fields removed;
- `needed_by_kept_record`: a row a kept row points at (a contract of a kept invoice), with all its
  personal fields removed.

The customer becomes a tombstone (no personal data, `ERASED-<id>`, restricted) when anything linked to
it is kept, and is purged otherwise. Opt-outs go to the suppression list first (keyed hashes only).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import catalogue
from ..locks import lock_for_erasure
from ..models import Customer, ErasedRow, ErasureRecord, LegalHold
from ..selectors import held_customer_ids, held_record_keys, legal_holds_in_force
from ..suppression import CHANNELS, suppression_add
from .ledger import customer_number_hash, personal_code_hash
from .purge import purge, scrub_admin_log, scrub_rows

#: Why a row was kept, as stored in `ErasureRecord.kept`; the admin shows the label.
KEEP_REASONS = {
    "legal_hold": _("§31 a legal hold is in force on the record"),
    "accounting_5y": _("§31 Accounting Law: invoice within 5 years of its date"),
    "open_debt": _("§31.2 open debt under collection"),
    "legal_duty": _("§31 kept under a legal duty"),
    "hold_evidence": _("§31 record of a released legal hold"),
    "disclosure_evidence": _("§26 evidence that a disclosure was lawful (notes removed)"),
    "erasure_request": _("GDPR Art. 5(2): the request being fulfilled (personal fields removed)"),
    "needed_by_kept_record": _("needed by a record kept under a legal duty (personal fields removed)"),
}
#: Reasons that keep a row exactly as it is (evidence), and the one that strips all its personal fields.
_UNTOUCHED = {"legal_hold"}
_STRIPPED = {"needed_by_kept_record", "erasure_request"}

TOMBSTONE_PREFIX = "ERASED-"


def reason_label(code: str) -> str:
    return str(KEEP_REASONS.get(code, code))


class ErasureRefused(ValidationError):
    """The subject cannot be erased now (a legal hold on the customer, §31)."""


@dataclass
class _Plan:
    entry: catalogue.Entry
    ids: set
    kept: dict[str, set] = field(default_factory=dict)
    detach: str = ""  # attname of a nullable FK to Customer that anonymisation sets to NULL

    @property
    def model(self) -> type[models.Model]:
        return self.entry.model._meta.concrete_model

    def kept_ids(self) -> set:
        return set().union(*self.kept.values()) if self.kept else set()

    def removable(self) -> set:
        return self.ids - self.kept_ids()

    def keep(self, reason: str, ids) -> bool:
        ids = set(ids) & self.removable()
        if ids:
            self.kept.setdefault(reason, set()).update(ids)
        return bool(ids)

    @property
    def anonymises(self) -> bool:
        return self.entry.erasure == catalogue.Erasure.ANONYMISE

    def anonymise_ids(self) -> set:
        return self.removable() if self.anonymises else set()

    def delete_ids(self) -> set:
        return set() if self.anonymises else self.removable()

    def surviving_ids(self) -> set:
        return self.kept_ids() | self.anonymise_ids()

    def needs_customer(self) -> bool:
        return bool(self.kept) or bool(self.anonymise_ids() and not self.detach)


def _refuse_if_held(customer: Customer) -> None:
    on_customer = held_customer_ids().filter(customer_id=customer.pk).exists()
    if on_customer or customer.pk in held_record_keys(Customer):
        raise ErasureRefused(
            _("Customer #%(id)s is under a legal hold in force (§31): release the hold before erasing."),
            code="legal_hold",
            params={"id": customer.pk},
        )


def _detach_field(entry: catalogue.Entry) -> str:
    path = entry.customer_path
    if not path or "__" in path:
        return ""
    fk = entry.model._meta.get_field(path)
    return fk.attname if fk.null and not entry.model._meta.get_field(path).primary_key else ""


def _plan(customer: Customer, request) -> dict[str, _Plan]:
    today = timezone.localdate()
    plans: dict[str, _Plan] = {}
    for entry in catalogue.entries():
        model = entry.model._meta.concrete_model
        if model is Customer:
            continue
        rows = model._base_manager.filter(entry.customer_filter([customer.pk]))
        plan = _Plan(entry, set(rows.values_list("pk", flat=True)))
        plan.detach = _detach_field(entry) if plan.anonymises else ""
        plans[entry.label] = plan
        if not plan.ids:
            continue
        held = held_record_keys(model)
        if held:
            plan.keep("legal_hold", plan.ids & held)
        if entry.erasure == catalogue.Erasure.KEEP:
            if entry.keep is None:
                plan.keep("legal_duty", plan.ids)
            else:
                for reason, condition in entry.keep(today).items():
                    if plan.removable():
                        plan.keep(reason, rows.filter(condition).values_list("pk", flat=True))
        if isinstance(request, model):
            plan.keep("erasure_request", {request.pk} & plan.delete_ids())
    _close_over_references(plans)
    return plans


def _foreign_keys(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None]


def _close_over_references(plans: dict[str, _Plan]) -> None:
    """A surviving row keeps the catalogued rows it points at (they would otherwise block or cascade)."""
    by_model = {plan.model: plan for plan in plans.values()}
    changed = True
    while changed:
        changed = False
        for plan in plans.values():
            surviving = plan.surviving_ids()
            if not surviving:
                continue
            for fk in _foreign_keys(plan.model):
                target = by_model.get(fk.related_model._meta.concrete_model)
                if target is None or target is plan or not target.delete_ids():
                    continue
                referenced = (
                    plan.model._base_manager.filter(pk__in=surviving)
                    .exclude(**{fk.attname: None})
                    .values_list(fk.attname, flat=True)
                )
                # Anonymised rows survive anyway; only rows about to be deleted need keeping.
                changed |= target.keep("needed_by_kept_record", set(referenced) & target.delete_ids())


def _execution_order(plans: dict[str, _Plan]) -> list[_Plan]:
    """Rows that point at other catalogued rows go first, so nothing is blocked by PROTECT."""
    labels = {plan.model: label for label, plan in plans.items()}
    graph: dict[str, set[str]] = {label: set() for label in plans}
    for label, plan in plans.items():
        for fk in _foreign_keys(plan.model):
            target = labels.get(fk.related_model._meta.concrete_model)
            if target and target != label:
                graph[target].add(label)
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError:
        order = list(plans)
    return [plans[label] for label in order]


def _opt_out_channels(customer: Customer) -> set[str]:
    channels: set[str] = set()
    for entry in catalogue.entries():
        if entry.opt_outs is None:
            continue
        found = set(entry.opt_outs(customer) or ())
        unknown = found - set(CHANNELS)
        if unknown:
            raise ValueError(f"{entry.label}: opt_outs returned unknown channel(s) {sorted(unknown)}")
        channels |= found
    if customer.marketing_objection_since:
        channels |= set(CHANNELS)  # §38: an objection to direct marketing covers every channel
    return channels


def _counts(plans: dict[str, _Plan], tombstone: bool) -> tuple[dict, dict, dict]:
    erased, anonymised, kept = {}, {}, {}
    for label, plan in plans.items():
        removed = len(plan.removable())
        if removed:
            erased[label] = removed
        if plan.anonymise_ids():
            anonymised[label] = len(plan.anonymise_ids())
        if plan.kept:
            kept[label] = {reason: len(ids) for reason, ids in plan.kept.items()}
    label = Customer._meta.label
    erased[label] = 1
    if tombstone:
        anonymised[label] = 1
    return erased, anonymised, kept


def _execute(plan: _Plan, *, actor, change_reason: str, now) -> None:
    entry, model = plan.entry, plan.model
    for reason, ids in plan.kept.items():
        if reason in _UNTOUCHED:
            blank = ()
        elif reason in _STRIPPED:
            blank = tuple(entry.fields)
        else:
            blank = entry.scrub_when_kept
        mark = entry.restricted_field
        set_values = {mark: Coalesce(models.F(mark), models.Value(now))} if mark else {}
        if blank or set_values:
            scrub_rows(model, ids, blank=blank, set_values=set_values, actor=actor, reason=change_reason)
        else:
            scrub_admin_log(model, list(ids))
    anonymise = plan.anonymise_ids()
    if anonymise:
        detach = {plan.detach: None} if plan.detach else {}
        scrub_rows(
            model,
            anonymise,
            blank=tuple(entry.fields),
            set_values=detach,
            history_values=detach,
            actor=actor,
            reason=change_reason,
        )
    delete = plan.delete_ids()
    if delete:
        purge(model, delete, actor=actor, reason=change_reason)


def _mark_left_rows(plans: dict[str, _Plan], record: ErasureRecord) -> None:
    """Record which rows this erasure kept or anonymised: they stay as left (privacy/erasure/guard.py)."""
    rows = [
        ErasedRow(erasure=record, model=plan.entry.label, object_id=str(pk), how=how)
        for plan in plans.values()
        for how, ids in [*plan.kept.items(), ("anonymised", plan.anonymise_ids())]
        for pk in ids
    ]
    ErasedRow.objects.bulk_create(rows, batch_size=1000)


def _make_tombstone(customer: Customer, *, actor, change_reason: str, now) -> None:
    """The customer row stays only as the anchor of kept records: no personal data, restricted."""
    entry = catalogue.entry_for(Customer)
    token = f"{TOMBSTONE_PREFIX}{customer.pk}"
    scrub_rows(
        Customer,
        [customer.pk],
        blank=tuple(entry.fields),
        set_values={
            "customer_number": token,
            "status": Customer.Status.TOMBSTONE,
            "lifecycle": Customer.Lifecycle.FORMER,
            "preferred_language": Customer._meta.get_field("preferred_language").get_default(),
            "belongs_to_id": None,
            "marketing_objection_since": None,
            "restricted_since": Coalesce(models.F("restricted_since"), models.Value(now)),
        },
        history_values={"customer_number": token, "belongs_to_id": None, "marketing_objection_since": None},
        actor=actor,
        reason=change_reason,
    )


def _released_record_holds(customer: Customer, plans: dict[str, _Plan]) -> list:
    """Holds no longer in force on one of the subject's records (or on the customer row): their reason
    is about the person ("court order re …") and goes; the hold stays as evidence (§31). A hold in
    force keeps its record untouched, and its reason with it, until it is released."""
    targets = [(Customer, {customer.pk})] + [(plan.model, plan.ids) for plan in plans.values() if plan.ids]
    in_force = legal_holds_in_force().values("pk")
    found: list = []
    for model, ids in targets:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
        found += (
            LegalHold.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in ids])
            .exclude(pk__in=in_force)
            .exclude(reason="")
            .values_list("pk", flat=True)
        )
    return found


def erasure_plan(customer: Customer, *, request=None) -> dict[str, dict]:
    """What `erase_subject` would do, row by row: {label: {"deleted": ids, "anonymised": ids,
    "kept": {reason: ids}}} (the customer row itself not included). Reads only."""
    return {
        label: {"deleted": plan.delete_ids(), "anonymised": plan.anonymise_ids(), "kept": plan.kept}
        for label, plan in _plan(customer, request).items()
    }


def _staff(actor):
    return actor if getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None) else None


@transaction.atomic
def erase_subject(
    customer: Customer,
    *,
    reason: str,
    actor,
    request=None,
    dry_run: bool = False,
    replay_of: uuid.UUID | None = None,
) -> ErasureRecord:
    """Erase a data subject (§38–39, GDPR Art. 17) and return the erasure record.

    `reason` says why (no personal data); `request` is any object with `.pk` whose `str()` holds no
    personal data (the SubjectRequest). `dry_run` returns the same counts, unsaved, and changes nothing.
    Raises ErasureRefused while a legal hold is in force on the customer (§31).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the subject is erased.")})
    if not dry_run:
        lock_for_erasure()  # a running bulk import finishes first (privacy/locks.py)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    _refuse_if_held(customer)
    plans = _plan(customer, request)
    tombstone = any(plan.needs_customer() for plan in plans.values())
    erased, anonymised, kept = _counts(plans, tombstone)
    record_holds = _released_record_holds(customer, plans)
    if record_holds:
        label = LegalHold._meta.label
        anonymised[label] = anonymised.get(label, 0) + len(record_holds)
    channels = _opt_out_channels(customer)
    request_id = getattr(request, "pk", None) if request is not None else None
    is_tombstone = customer.status == Customer.Status.TOMBSTONE
    record = ErasureRecord(
        uuid=uuid.uuid4(),
        actor=_staff(actor),
        reason=reason[:200],
        request_reference=str(request)[:100] if request is not None else "",
        request_id=request_id if isinstance(request_id, int) else None,
        subject_id=customer.pk,
        tombstone=tombstone,
        erased=erased,
        anonymised=anonymised,
        kept=kept,
        suppressed_channels=sorted(channels),
        customer_number_hash="" if is_tombstone else customer_number_hash(customer.customer_number),
        personal_code_hash=personal_code_hash(customer.personal_code),
        replay_of=replay_of,
    )
    record.full_clean()
    if dry_run:
        return record
    record.save()
    suppression_add(channels=channels, email=customer.email, phone=customer.phone, erasure=record)
    now = timezone.now()
    change_reason = f"erasure {record.uuid}"
    for plan in _execution_order(plans):
        _execute(plan, actor=record.actor, change_reason=change_reason, now=now)
    if record_holds:
        scrub_rows(LegalHold, record_holds, blank=("reason",), actor=record.actor, reason=change_reason)
    _mark_left_rows(plans, record)
    if tombstone:
        _make_tombstone(customer, actor=record.actor, change_reason=change_reason, now=now)
    else:
        purge(Customer, [customer.pk], actor=record.actor, reason=change_reason)
    return record
