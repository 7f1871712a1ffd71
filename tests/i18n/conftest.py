"""Fixtures for the translation tests: compiled catalogues, staff working in a language, and a row of
every kind our admin shows (so every page has something to render in Latvian and Russian)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from privacy.models import LegalHold
from requests_app import letters
from tests.admin_rows import access_log_entry, disclosure_of, fill_empty_admin_models, retention_run
from tests.consents.factories import one_of_each_consent_kind
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory, RecordingFactory, UserFactory
from tests.requests_app.factories import (
    ComplaintFactory,
    ExportPackageFactory,
    RectificationChangeFactory,
    SubjectRequestFactory,
    riga,
)

from .catalogues import ensure_compiled


@pytest.fixture(autouse=True)
def compiled_catalogues():
    ensure_compiled()


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Latvian or Russian (the language cookie) leaves its language active on the thread,
    as Django's LocaleMiddleware does: restore the default so later tests read English messages."""
    yield
    translation.deactivate()


@pytest.fixture
def staff_in():
    """A superuser whose admin language is `language` (as if picked with the header switcher)."""

    def make(language: str, username: str | None = None):
        return UserFactory(username=username or f"staff-{language}", is_superuser=True, language=language)

    return make


@pytest.fixture
def one_of_everything(db):
    """At least one row of every model our admin registers, requests in several states among them."""
    customer = CustomerFactory(first_name="Ilze", last_name="Kalniņa", preferred_language="ru")
    contract = ContractFactory(customer=customer)
    InvoiceFactory(customer=customer, contract=contract)
    RecordingFactory(customer=customer, file=ContentFile(b"RIFF\x24\x00\x00\x00WAVE", name="call.wav"))
    disclosure_of(customer)
    clerk = UserFactory(username="clerk")
    LegalHold.objects.create(customer=CustomerFactory(), reason="Tiesvedība", set_by=clerk)
    access_log_entry()
    one_of_each_consent_kind(customer)
    access = SubjectRequestFactory(
        customer=customer, type="access", received_at=timezone.now() - datetime.timedelta(days=40)
    )
    ExportPackageFactory(request=access)
    SubjectRequestFactory(customer=customer, type="erasure", status="in_evaluation", registered_by=clerk)
    refused = SubjectRequestFactory(
        customer=customer, type="objection", status="refused", outcome="refused", refusal_reason="Nav pamata."
    )
    letters.letter_generate(subject_request=refused, kind="refusal", actor=clerk)
    SubjectRequestFactory(
        customer=customer, type="restriction", flag_action="set", received_at=riga(2026, 1, 2)
    )
    RectificationChangeFactory(request__customer=customer, field_name="phone")
    ComplaintFactory(customer=customer)
    retention_run()
    fill_empty_admin_models({"privacy", "consents", "requests_app", "retention"})
    return customer
