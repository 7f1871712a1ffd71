"""Nothing personal is left anywhere (§38–39): erase a customer with data in every catalogued model
(with history and edits, and an admin log entry), then scan EVERY text column of EVERY table of
PostgreSQL (history tables and `django_admin_log` included) for their name, personal code, phones,
emails, document number and address.
They may be found only in rows kept for a stated legal reason (§31, §39); with no reason to keep,
nowhere at all.

The table list comes from information_schema and the data from the catalogue, so models other apps add
later are covered automatically: a catalogued model without a builder below (or an `ERASURE_BUILDERS`
entry in `tests/<app>/factories.py`) fails `test_every_catalogued_model_has_a_builder`.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from privacy import catalogue
from privacy.erasure import erase_subject, erasure_plan
from privacy.erasure.purge import history_model
from privacy.erasure.scan import leftovers, scan
from privacy.erasure.subject import _STRIPPED
from privacy.models import Customer, Disclosure, Invoice, LegalHold, Recipient, Recording
from privacy.periods import accounting_duty_q, add_months, open_debt_q
from privacy.suppression import is_suppressed
from tests.factories import (
    ContractFactory,
    CustomerFactory,
    InvoiceFactory,
    RecordingFactory,
    UserFactory,
    written_forms,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Subject:
    """Identifiers unique in the test database, so any hit is this person's."""

    first_name: str = "Eleonora"
    last_name: str = "Vītoliņa-Krūmiņa"
    personal_code: str = "290875-10293"
    old_phone: str = "+37122334455"
    phone: str = "+37126451873"
    old_email: str = "e.vitolina@example.lv"
    email: str = "eleonora.vk@example.lv"
    document: str = "PA7734521"
    address: str = "Vītoliņu iela 17-4, Cēsis"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def needles(self) -> list[str]:
        """What the scan looks for: every identifier, phones also in their national 8-digit form."""
        return written_forms(
            first_name=self.first_name,
            last_name=self.last_name,
            personal_code=self.personal_code,
            phones=(self.old_phone, self.phone),
            others=(self.old_email, self.email, self.document, self.address),
        )


WHO = Subject()


# --- Builders: one per catalogued model; `keep=True` also creates what a legal duty keeps ----------


def _edited(obj, **fields) -> list:
    """`obj` saved again with `fields` changed: a second version in its history, for the scan to find."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    return [obj]


def _contract(customer, keep):
    contract = ContractFactory(customer=customer, service_address="Nowhere 1")
    return _edited(contract, service_address=WHO.address)


def _invoice(customer, keep):
    issued = (
        timezone.localdate() - datetime.timedelta(days=40) if keep else add_months(timezone.localdate(), -72)
    )
    invoice = InvoiceFactory(
        customer=customer,
        contract=customer.contracts.first(),
        issue_date=issued,
        payer_name=WHO.full_name,
        billing_address=WHO.address,
        bank_account="LV10HABA0551000000001",
    )
    return _edited(invoice, paid_date=issued)


def _recording(customer, keep):
    recording = RecordingFactory(customer=customer)
    recording.file.save("call.mp3", ContentFile(b"audio"), save=True)
    return _edited(recording, duration_seconds=120)


def _disclosure(customer, keep):
    if not keep:
        return []  # §26: a disclosure is evidence kept on erasure: none in the nothing-to-keep case
    recipient, _ = Recipient.objects.get_or_create(
        code="police", defaults={"role": "authority", "name_lv": "Policija", "name_en": "Police"}
    )
    made = []
    for held in [False, True] if keep else [False]:
        disclosure = Disclosure.objects.create(
            customer=customer,
            recipient=recipient,
            ground=Disclosure.Ground.LAW,
            request_reference=f"Case of {WHO.document}",
            disclosed_on=datetime.date(2025, 3, 1),
            notes=f"Asked about {WHO.full_name}, {WHO.personal_code}",
        )
        disclosure.data_categories.set([1, 2])
        disclosure.notes += f"; phone {WHO.phone}"
        disclosure.save()
        if held:  # a hold on this one record (§31): kept as it is
            LegalHold.objects.create(
                content_type=ContentType.objects.get_for_model(Disclosure),
                object_id=str(disclosure.pk),
                reason="Police investigation 12/2025",
                set_by=UserFactory(),
            )
        made.append(disclosure)
    return made


def _legal_hold(customer, keep):
    if not keep:
        return []  # any hold on the customer is evidence kept (§31): none in the nothing-to-keep case
    hold = LegalHold.objects.create(
        customer=customer, reason=f"Claim against {WHO.full_name}", set_by=UserFactory()
    )
    return _edited(hold, released_at=timezone.now())


def _subject_request(customer, keep):
    from tests.requests_app.factories import SubjectRequestFactory

    request = SubjectRequestFactory(
        customer=customer,
        requester_name=WHO.full_name,
        requester_email=WHO.email,
        requester_phone=WHO.phone,
        requester_address=WHO.address,
        details=f"I, {WHO.full_name} ({WHO.personal_code}), ask for erasure.",
        identity_document_number=WHO.document,
    )
    return _edited(request, requester_phone=WHO.old_phone)


def _rectification(customer, keep):
    from tests.requests_app.factories import RectificationChangeFactory

    change = RectificationChangeFactory(
        request=_subject_request(customer, keep)[0], old_value=WHO.old_phone, new_value=WHO.phone
    )
    return _edited(change)


def _export_package(customer, keep):
    from tests.requests_app.factories import ExportPackageFactory

    package = ExportPackageFactory(request=_subject_request(customer, keep)[0])
    return _edited(package)


def _complaint(customer, keep):
    from tests.requests_app.factories import ComplaintFactory

    complaint = ComplaintFactory(
        customer=customer,
        complainant_name=WHO.full_name,
        complainant_contact=WHO.email,
        description=f"{WHO.full_name} was not answered in time",
    )
    return _edited(complaint, complainant_contact=f"{WHO.email}, {WHO.phone}")


def _consents(customer, keep):
    from consents.models import Channel, Consent, ConsentEvent
    from consents.services import consent_give, consent_withdraw

    moment = timezone.now() - datetime.timedelta(days=3)
    consent_give(
        actor=None,
        customer=customer,
        topic="marketing_email",
        channel=Channel.EMAIL,
        occurred_at=moment,
        source=f"mail from {WHO.email}",
    )
    consent_withdraw(
        actor=None,
        customer=customer,
        topic="marketing_email",
        channel=Channel.PHONE,
        occurred_at=moment + datetime.timedelta(days=1),
        source=f"call from {WHO.phone}",
    )
    return list(ConsentEvent.objects.filter(customer=customer)) + list(
        Consent.objects.filter(customer=customer)
    )


def _objection(customer, keep):
    """§38, §12: an objection in the customer's own words (deleted with them)."""
    from privacy.models import LegitimateInterest, Objection

    interest = LegitimateInterest.objects.order_by("pk").first()
    return [Objection.objects.create(customer=customer, interest=interest, grounds=f"I am {WHO.full_name}")]


def _automated_decision(customer, keep):
    """§16–18: a decision about the customer's application, with a human review they asked for."""
    from tests.consents.factories import AutomatedDecisionFactory

    return [
        AutomatedDecisionFactory(
            customer=customer,
            matter=f"application of {WHO.full_name}",
            human_review_requested_at=timezone.now(),
            human_review_outcome=f"reviewed for {WHO.email}",
        )
    ]


BUILDERS = {
    "privacy.Objection": _objection,
    "consents.AutomatedDecision": _automated_decision,
    "privacy.Contract": _contract,
    "privacy.Invoice": _invoice,
    "privacy.Recording": _recording,
    "privacy.Disclosure": _disclosure,
    "privacy.LegalHold": _legal_hold,
    "requests_app.SubjectRequest": _subject_request,
    "requests_app.RectificationChange": _rectification,
    "requests_app.ExportPackage": _export_package,
    "requests_app.Complaint": _complaint,
    "consents.ConsentEvent": _consents,
    "consents.Consent": lambda customer, keep: [],  # built with the events (the service keeps them in step)
}


def _builders() -> dict:
    """Ours, overridden or extended by `ERASURE_BUILDERS` in tests/<app>/factories.py of any app."""
    builders = dict(BUILDERS)
    for app_label in {entry.model._meta.app_label for entry in catalogue.entries()}:
        try:
            module = importlib.import_module(f"tests.{app_label}.factories")
        except ModuleNotFoundError:
            continue
        builders.update(getattr(module, "ERASURE_BUILDERS", {}))
    return builders


def test_every_catalogued_model_has_a_builder():
    """A model added to the catalogue must join the scan: give it a builder, or this fails loudly."""
    labels = {entry.label for entry in catalogue.entries()} - {"privacy.Customer"}
    missing = sorted(labels - set(_builders()))
    assert missing == [], (
        f"No erasure-scan builder for {missing}: add one to BUILDERS in {__name__} or to "
        "ERASURE_BUILDERS in tests/<app>/factories.py (a callable (customer, keep) -> [objects])."
    )


# --- The scenario -----------------------------------------------------------------------------------


def _admin_edit_customer(client, customer) -> None:
    """A real admin edit (phone and email change): history with the old values and a LogEntry."""
    url = reverse("admin:privacy_customer_change", args=[customer.pk])
    page = client.get(url)
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = (
                    [str(v) for v in value] if isinstance(value, list) else str(value)
                )

    put(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        put(inline.formset.management_form)
        for form in inline.formset.forms:
            put(form)
    data.update(phone=WHO.phone, email=WHO.email)
    response = client.post(url, data)
    assert response.status_code == 302, getattr(response.context, "get", lambda *_: None)("errors")


def _build(client, staff, *, keep: bool):
    customer = CustomerFactory(
        first_name=WHO.first_name,
        last_name=WHO.last_name,
        personal_code=WHO.personal_code,
        phone=WHO.old_phone,
        email=WHO.old_email,
        id_document_number=WHO.document,
        address=WHO.address,
    )
    _admin_edit_customer(client, customer)
    built = {}
    for entry in catalogue.entries():
        if entry.model is Customer:
            continue
        objects = _builders()[entry.label](customer, keep)
        for obj in objects:
            obj.save()  # one more edit: history holds several versions of every row
            LogEntry.objects.create(
                user=staff,
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                object_repr=f"{obj} ({WHO.full_name})"[:200],
                action_flag=CHANGE,
                change_message=f"Changed for {WHO.full_name}, {WHO.phone}",
            )
        built[entry.label] = objects
    return Customer.objects.get(pk=customer.pk), built


def _tables():
    """db_table -> (catalogue entry, is it the history table)."""
    tables = {}
    for entry in catalogue.entries():
        tables[entry.model._meta.db_table] = (entry, False)
        hmodel = history_model(entry.model)
        if hmodel is not None:
            tables[hmodel._meta.db_table] = (entry, True)
    return tables


def _object_id(entry, is_history: bool, key: str):
    if not is_history:
        return entry.model._meta.pk.to_python(key)
    return history_model(entry.model).objects.filter(history_id=int(key)).values_list("id", flat=True).first()


def _judge(hits, plan) -> tuple[list, list]:
    """Split hits: allowed (a row kept for a stated reason, a column the duty keeps) and violations."""
    tables = _tables()
    allowed, violations = [], []
    for hit in hits:
        if hit.table not in tables:
            violations.append((hit, "not a catalogued table"))
            continue
        entry, is_history = tables[hit.table]
        object_id = _object_id(entry, is_history, hit.key)
        reasons = [r for r, ids in plan.get(entry.label, {}).get("kept", {}).items() if object_id in ids]
        if not reasons:
            violations.append((hit, "row not kept"))
        elif reasons[0] in _STRIPPED:
            violations.append((hit, f"row kept as {reasons[0]} must hold no personal data"))
        elif reasons[0] != "legal_hold" and hit.column in {
            entry.model._meta.get_field(name).column for name in entry.scrub_when_kept
        }:
            violations.append((hit, f"{hit.column} is not needed by {reasons[0]}"))
        else:
            allowed.append((hit, reasons[0]))
    return allowed, violations


@pytest.fixture
def staff_client(client):
    staff = UserFactory(username="dpo", is_superuser=True)
    client.force_login(staff)
    return client, staff


def _assert_every_model_has_data_and_history(customer, built, hits_before):
    tables_hit = {hit.table for hit in hits_before}
    assert {"privacy_customer", "privacy_historicalcustomer", "django_admin_log"} <= tables_hit
    for entry in catalogue.entries():
        if entry.model is Customer or not built.get(entry.label):
            continue
        rows = entry.model._base_manager.filter(entry.customer_filter([customer.pk]))
        assert rows.exists(), entry.label
        hmodel = history_model(entry.model)
        assert hmodel.objects.filter(id__in=rows.values("pk")).count() >= 2 * rows.count(), entry.label
        text_fields = [
            name
            for name in entry.fields
            if entry.model._meta.get_field(name).get_internal_type()
            in {"CharField", "TextField", "EmailField"}
            and not entry.model._meta.get_field(name).choices
        ]
        if text_fields:  # the builder put the subject's data where the model holds personal text
            assert entry.model._meta.db_table in tables_hit, entry.label
            assert hmodel._meta.db_table in tables_hit, entry.label


def test_erasure_with_something_to_keep_leaves_data_only_in_kept_rows(
    staff_client, django_capture_on_commit_callbacks
):
    """§31, §39: a young invoice (Accounting Law), a record under a hold and a released hold stay, each for
    a stated reason; everything else, in every table, history and the admin log, is gone."""
    client, staff = staff_client
    customer, built = _build(client, staff, keep=True)
    missing = sorted(e.label for e in catalogue.entries() if e.model is not Customer and not built[e.label])
    assert missing in ([], ["consents.Consent"]), missing  # data in every catalogued model
    hits_before = scan(WHO.needles())
    _assert_every_model_has_data_and_history(customer, built, hits_before)
    files = [r.file.name for r in Recording.objects.filter(customer=customer)]
    plan = erasure_plan(customer)

    with django_capture_on_commit_callbacks(execute=True):
        record = erase_subject(customer, reason="erasure request", actor=staff)

    allowed, violations = _judge(scan(WHO.needles()), plan)
    assert violations == []
    assert leftovers() == []  # what stays is accounted for by the erasure, and holds nothing it may not
    reasons = {(hit.table, hit.column, reason) for hit, reason in allowed}
    assert ("privacy_invoice", "payer_name", "accounting_5y") in reasons
    assert ("privacy_historicalinvoice", "billing_address", "accounting_5y") in reasons
    assert ("privacy_disclosure", "notes", "legal_hold") in reasons
    # A released hold stays as evidence, without its reason ("court order re <name>" is about the person).
    assert not [hit for hit, _reason in allowed if (hit.table, hit.column) == ("privacy_legalhold", "reason")]
    assert record.tombstone
    assert Customer.objects.get(pk=customer.pk).status == Customer.Status.TOMBSTONE
    assert Invoice.objects.get(customer=customer).restricted_at is not None
    assert not any(default_storage.exists(name) for name in files)
    assert is_suppressed(channel="email", email=WHO.email)  # the withdrawal outlives the erasure


def test_erasure_with_nothing_to_keep_leaves_nothing_at_all(staff_client, django_capture_on_commit_callbacks):
    """§31: "when no basis remains, delete": the scan finds the subject nowhere, history and log included."""
    client, staff = staff_client
    customer, built = _build(client, staff, keep=False)
    hits_before = scan(WHO.needles())
    _assert_every_model_has_data_and_history(customer, built, hits_before)
    assert not Invoice.objects.filter(accounting_duty_q(timezone.localdate()), customer=customer)
    assert not Invoice.objects.filter(open_debt_q(), customer=customer)

    with django_capture_on_commit_callbacks(execute=True):
        record = erase_subject(customer, reason="erasure request", actor=staff)

    assert scan(WHO.needles()) == []
    assert leftovers() == []
    assert record.kept == {}
