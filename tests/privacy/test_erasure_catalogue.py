"""Issue 5 item 1: every model with personal data is in the catalogue, and every catalogue entry can be
erased (fields exist, blank values exist, paths reach Customer); restriction leaves kept data out (item 6).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from privacy import catalogue
from privacy.erasure import blank_value, erase_subject
from privacy.models import Customer, Invoice
from tests.factories import CustomerFactory, InvoiceFactory

OUR_APPS = ["privacy", "consents", "requests_app", "retention"]

#: Models of ours with a field that looks personal but which are not about the data subjects of §5, or
#: hold only keyed hashes. Each needs a reason; everything else that looks personal must be catalogued.
EXEMPT = {
    "privacy.User": "staff accounts of the operator's employees, not data subjects of the register (§5)",
    "privacy.ErasureRecord": "keyed hashes (HMAC) of identifiers for replay, no readable personal data",
}

#: Field names that look personal (Annex 1 categories 1, 2, 4, 18): identification, contact, billing.
PERSONAL = re.compile(
    r"(^|_)(first|last|middle|full|sur|given|family|maiden|payer|holder|contact|person|requester|complainant)_?name$"
    r"|^name$|e_?mail|phone|mobile|msisdn|address|personal_code|birth|document|passport|iban|bank|signature"
    r"|(^|_)(surname|nationality|gender)$",
    re.IGNORECASE,
)
#: Looks personal, is not: the field's name matches the pattern, the content holds nothing about a subject.
NOT_PERSONAL = {
    "privacy.ErasureRecord.customer_number_hash",  # keyed hash
    "privacy.ErasureRecord.personal_code_hash",  # keyed hash
    "privacy.PendingFileDeletion.name",  # a random storage name (see recording_upload_to)
    "requests_app.SubjectRequest.identity_document_type",  # passport or ID card: a kind, not a number
    "requests_app.SubjectRequest.identity_document_differs",  # a yes/no flag, not a number
    "consents.ImportProfile.name",  # the name of a file layout ("E-mail platform unsubscribes")
}


def _our_models():
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model._meta.auto_created:
                continue
            yield model


def _path_to_customer(model, depth: int = 4, seen=None) -> str | None:
    """A chain of forward foreign keys from `model` to Customer, or None."""
    if model is Customer:
        return ""
    if depth == 0:
        return None
    seen = (seen or set()) | {model}
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.related_model is None or field.related_model in seen:
            continue
        rest = _path_to_customer(field.related_model, depth - 1, seen)
        if rest is not None:
            return f"{field.name}__{rest}".rstrip("_")
    return None


def _personal_looking_fields(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if PERSONAL.search(field.name) and f"{model._meta.label}.{field.name}" not in NOT_PERSONAL
    ]


def test_every_model_with_personal_data_is_catalogued():
    """Item 1: a model with a path to Customer, or a field that looks personal, is in the catalogue."""
    missing = []
    for model in _our_models():
        label = model._meta.label
        if catalogue.entry_for(model) is not None or label in EXEMPT:
            continue
        path = _path_to_customer(model)
        fields = _personal_looking_fields(model)
        if path is not None or fields:
            missing.append(f"{label} (path to Customer: {path!r}, personal-looking fields: {fields})")
    assert missing == [], "Register these in <app>/personal_data.py: " + "; ".join(missing)


def test_every_personal_looking_field_of_a_catalogued_model_is_listed():
    """A catalogued model lists each personal-looking field, so erasure blanks it and exports show it."""
    unlisted = [
        f"{entry.label}.{name}"
        for entry in catalogue.entries()
        for name in _personal_looking_fields(entry.model)
        if name not in entry.fields
    ]
    assert unlisted == []


def test_exemptions_are_still_needed():
    """An exemption for a model that no longer exists or is now catalogued is stale: remove it."""
    for label in EXEMPT:
        model = apps.get_model(label)
        assert catalogue.entry_for(model) is None, label


def _referenced_by_catalogued_models() -> set:
    return {
        field.related_model._meta.concrete_model
        for entry in catalogue.entries()
        for field in entry.model._meta.concrete_fields
        if field.is_relation and field.related_model is not None and field.related_model is not entry.model
    }


@pytest.mark.parametrize("entry", catalogue.entries(), ids=lambda e: e.label)
def test_entry_can_be_erased(entry):
    """Paths reach Customer; fields that erasure may blank have a blank value (item 2, 3): all of them for
    anonymised models and for models a kept row may point at, `scrub_when_kept` for kept ones."""
    if entry.customer_path:
        target = entry.model
        for step in entry.customer_path.split("__"):
            target = target._meta.get_field(step).related_model
        assert target is Customer
    else:
        assert entry.model is Customer
    may_blank = set(entry.scrub_when_kept)
    if entry.erasure == "anonymise" or entry.model in _referenced_by_catalogued_models():
        may_blank |= set(entry.fields)
    for name in may_blank:
        blank_value(entry.model._meta.get_field(name))  # raises when it cannot be blanked
    if entry.restricted_field:
        field = entry.model._meta.get_field(entry.restricted_field)
        assert isinstance(field, models.DateTimeField) and field.null


def test_register_rejects_inconsistent_declarations():
    with pytest.raises(ValueError, match="scrub_when_kept"):
        catalogue.register(
            Invoice, customer_path="customer", fields={}, erasure="keep", scrub_when_kept=("bank_account",)
        )
    with pytest.raises(ValueError, match="only apply"):
        catalogue.register(
            Invoice, customer_path="customer", fields={}, erasure="delete", keep=lambda today: {}
        )
    with pytest.raises(ValueError, match="nullable"):
        catalogue.register(
            Invoice, customer_path="customer", fields={}, erasure="keep", restricted_field="amount"
        )


@pytest.mark.django_db
def test_unrestricted_leaves_out_restricted_records_restricted_customers_and_tombstones():
    """Item 6, §38–39: exports and marketing selectors see neither kept invoices nor restricted people."""
    plain = CustomerFactory()
    restricted = CustomerFactory(restricted_since=timezone.now())
    erased = CustomerFactory()
    InvoiceFactory(customer=erased, issue_date=timezone.localdate() - datetime.timedelta(days=1))
    erase_subject(erased, reason="test", actor=None)
    kept_invoice = Invoice.objects.get(customer=erased)
    marked = InvoiceFactory(customer=plain)
    Invoice.objects.filter(pk=marked.pk).update(restricted_at=timezone.now())
    visible = InvoiceFactory(customer=plain)
    InvoiceFactory(customer=restricted)

    assert list(catalogue.unrestricted(Customer.objects.all())) == [plain]
    assert list(catalogue.unrestricted(Invoice.objects.all())) == [visible]
    assert kept_invoice.restricted_at is not None
