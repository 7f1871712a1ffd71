"""factory_boy factories for the privacy app; other apps keep theirs in tests/<app>/factories.py."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from privacy import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True
    password = factory.django.Password("correct-horse-battery-staple")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Customer

    customer_number = factory.Sequence(lambda n: f"T{n:08d}")
    first_name = "Jānis"
    last_name = factory.Sequence(lambda n: f"Bērziņš{n}")
    personal_code = factory.Sequence(lambda n: f"010190-{n % 100000:05d}")
    birth_date = datetime.date(1990, 1, 1)
    id_document_number = factory.Sequence(lambda n: f"PA{n:07d}")
    address = "Brīvības iela 1-2, Rīga, LV-1010"
    phone = factory.Sequence(lambda n: f"+3712{n % 10000000:07d}")
    email = factory.Sequence(lambda n: f"janis{n}@example.lv")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Contract

    customer = factory.SubFactory(CustomerFactory)
    number = factory.Sequence(lambda n: f"L{n:08d}")
    type = models.Contract.Type.POSTPAID
    service_name = "Internets 100 Mbit/s"
    service_address = "Brīvības iela 1-2, Rīga"
    start_date = datetime.date(2022, 1, 1)


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Invoice

    customer = factory.SubFactory(CustomerFactory)
    number = factory.Sequence(lambda n: f"R{n:09d}")
    issue_date = datetime.date(2024, 1, 31)
    amount = Decimal("19.99")
    payer_name = "Jānis Bērziņš"


class RecordingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Recording

    customer = factory.SubFactory(CustomerFactory)
    recorded_at = factory.LazyFunction(timezone.now)
    duration_seconds = 95


def written_forms(*, first_name: str, last_name: str, personal_code: str, phones=(), others=()) -> list[str]:
    """A person's identifiers as text may hold them: the personal code with and without its hyphen, each
    phone also in its national 8-digit form, then `others` as they are."""
    national = [form for phone in phones for form in (phone, phone[-8:])]
    return [first_name, last_name, personal_code, personal_code.replace("-", ""), *national, *others]
