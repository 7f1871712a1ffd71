"""Factories for the requests app. They write rows directly (for pages, exports and history tests);
tests of the workflow go through requests_app.services the way the product does."""

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from consents.models import Action, Channel
from privacy.models import Customer, DataCategory, Disclosure, LegalHold, Recipient
from requests_app import deadlines, services
from requests_app.models import Complaint, ExportPackage, RectificationChange, SubjectRequest
from tests.consents.factories import ConsentEventFactory
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory, RecordingFactory, UserFactory


def riga(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """An aware moment in Riga."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=deadlines.RIGA)


class SubjectRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubjectRequest

    type = SubjectRequest.Type.ACCESS
    channel = SubjectRequest.Channel.PORTAL
    customer = factory.SubFactory(CustomerFactory)
    details = "Lūdzu, izsniedziet manus datus."
    received_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda o: deadlines.due_date(o.received_at))
    registered_by = factory.SubFactory(UserFactory)


def in_evaluation(subject_request, *, verified_by, evaluated_by=None, document_type: str = "passport"):
    """Verify the requester in person with the document on their record (§40.1), then start the
    evaluation (§41), through the services as the product does."""
    services.request_verify_identity(
        subject_request=subject_request,
        actor=verified_by,
        document_type=document_type,
        document_number=subject_request.customer.id_document_number,
    )
    return services.request_start_evaluation(
        subject_request=subject_request, actor=evaluated_by or verified_by
    )


class RectificationChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RectificationChange

    request = factory.SubFactory(SubjectRequestFactory, type=SubjectRequest.Type.RECTIFICATION)
    field_name = "phone"
    old_value = "+37120000000"
    new_value = "+37129999999"
    applied_by = factory.SubFactory(UserFactory)


class ExportPackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportPackage

    request = factory.SubFactory(SubjectRequestFactory)
    file = factory.LazyFunction(lambda: ContentFile(b"PK\x05\x06" + b"\x00" * 18, name="package.zip"))
    size_bytes = 22
    sha256 = "0" * 64
    created_by = factory.SubFactory(UserFactory)


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    customer = factory.SubFactory(CustomerFactory)
    description = "Atbilde netika sniegta laikā."
    received_at = factory.LazyFunction(timezone.now)


#: Values a model's check constraints need that its field definitions cannot tell.
GENERIC_VALUES = {
    "consents.AutomatedDecision": {"ground": "law", "legal_provision": "generic"},  # §17: a ground
}


def generic_create(model, **fixed):
    """Create a row of any model from its field definitions: required fields get a plain value of their
    type, foreign keys an existing row (reference data) or a new one. For catalogued models that have no
    factory of their own yet, so the catalogue-driven export test covers every model at once."""
    import decimal
    import uuid

    from django.conf import settings
    from django.db import models

    values = {**GENERIC_VALUES.get(model._meta.label, {}), **fixed}
    fixed_names = {name.split("__")[0] for name in values}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in fixed_names or field.attname in fixed_names:
            continue
        if field.has_default() or field.null or (field.blank and field.empty_strings_allowed):
            continue
        if field.is_relation:
            related = field.related_model
            if related._meta.label == settings.AUTH_USER_MODEL:
                values[field.name] = UserFactory()
            else:
                values[field.name] = related._default_manager.first() or generic_create(related)
        elif field.choices:
            values[field.name] = field.choices[0][0]
        elif isinstance(field, models.EmailField):
            values[field.name] = "generic@example.lv"
        elif isinstance(field, models.FileField):
            values[field.name] = ContentFile(b"generic", name="generic.bin")
        elif isinstance(field, models.CharField | models.TextField):
            values[field.name] = "generic"[: field.max_length or 7]
        elif isinstance(field, models.DateTimeField):
            values[field.name] = timezone.now()
        elif isinstance(field, models.DateField):
            values[field.name] = timezone.localdate()
        elif isinstance(field, models.DecimalField):
            values[field.name] = decimal.Decimal("0")
        elif isinstance(field, models.IntegerField | models.FloatField):
            values[field.name] = 0
        elif isinstance(field, models.BooleanField):
            values[field.name] = False
        elif isinstance(field, models.UUIDField):
            values[field.name] = uuid.uuid4()
        elif isinstance(field, models.JSONField):
            values[field.name] = {}
        else:
            raise TypeError(f"generic_create: no value for {model._meta.label}.{field.name}; add a factory")
    # A path such as "request__customer" builds the intermediate row for the customer first.
    for name in [n for n in values if "__" in n]:
        head, rest = name.split("__", 1)
        target = model._meta.get_field(head).related_model
        values[head] = generic_create(target, **{rest: values.pop(name)})
    return model._default_manager.create(**values)


def _letter_for_erasure_scan(customer, keep):
    """A letter to the customer about a request of theirs: its PDF and HTML carry their name (issue 8)."""
    from requests_app import letters

    request = SubjectRequestFactory(customer=customer)
    return [letters.letter_generate(subject_request=request, kind="acknowledgement", actor=UserFactory())]


#: Builders joining tests/privacy/test_erasure_scan.py's scan (callable (customer, keep) -> [objects]).
ERASURE_BUILDERS = {"requests_app.Letter": _letter_for_erasure_scan}


#: What an access answer must not reveal (§26.3, §31, §39), and a §26.1 disclosure's internal note.
POLICE_REFERENCE = "VP-2026-118-OPERATIVA"
POLICE_NOTE = "Operatīvās darbības lieta 55/2026"
HOLD_REASON = "Tiesvedība LH-REASON-77"
BANK_NOTE = "Iekšēja piezīme par banku"


def rich_customer(language: str, **fields) -> Customer:
    """A customer with data in 12 Annex 1 categories, a §26.1 and a §26.3 disclosure and a legal hold."""
    customer = CustomerFactory(
        first_name="Anna",
        last_name="Kalniņa",
        phone="+37129111222",
        address='=HYPERLINK("http://x")',
        residency=Customer.Residency.RESIDENT,
        portal_user_number="MB-100200",
        preferred_language=language,
        **fields,
    )
    ContractFactory(customer=customer, service_address="Brīvības iela 1-2, Rīga")
    InvoiceFactory(
        customer=customer,
        billing_address="Brīvības iela 1-2, Rīga",
        issue_date=datetime.date(2025, 3, 31),
        amount=Decimal("-5.00"),
    )
    RecordingFactory(customer=customer, recorded_at=timezone.now() - datetime.timedelta(days=10))
    ConsentEventFactory(customer=customer, action=Action.GIVEN, channel=Channel.PORTAL)
    staff = UserFactory()
    bank = Disclosure.objects.create(
        customer=customer,
        recipient=Recipient.objects.get(code="banks"),
        ground=Disclosure.Ground.CONTRACT,
        disclosed_on=datetime.date(2026, 1, 15),
        notes=BANK_NOTE,
    )
    bank.data_categories.set(DataCategory.objects.filter(number__in=[1, 18]))
    police = Disclosure.objects.create(
        customer=customer,
        recipient=Recipient.objects.get(code="law_entitled_persons"),
        ground=Disclosure.Ground.LAW,
        request_reference=POLICE_REFERENCE,
        disclosed_on=datetime.date(2026, 2, 3),
        notes=POLICE_NOTE,
    )
    police.data_categories.set(DataCategory.objects.filter(number__in=[1, 26]))
    LegalHold.objects.create(customer=customer, reason=HOLD_REASON, set_by=staff)
    return customer
