"""Fixtures for the security tests: staff in each role (the groups the migration created from
privacy/roles.py), and one row of every kind the admin shows."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from privacy.models import AccessLog, DataCategory, Disclosure, LegalHold, Recipient
from privacy.roles import role
from requests_app import services as request_services
from retention.models import RetentionRule, RetentionRun
from tests.consents.factories import one_of_each_consent_kind
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory, RecordingFactory, UserFactory
from tests.requests_app.factories import (
    ComplaintFactory,
    ExportPackageFactory,
    RectificationChangeFactory,
    SubjectRequestFactory,
    generic_create,
)

PASSWORD = "correct-horse-battery-staple"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 28


def in_role(role_key: str, username: str | None = None):
    """A staff member whose only permissions come from the role's group."""
    user = UserFactory(username=username or role_key.replace("_", "-"))
    user.groups.add(Group.objects.get(name=role(role_key).group))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def staff(db):
    return in_role


PDF = b"%PDF-1.4\n% letter\n"
HTML = b"<p>Labdien!</p>"


def letter_for(subject_request):
    """A letter with its PDF and HTML in private storage (requests_app.letters writes real ones)."""
    from requests_app.models import Letter

    return Letter.objects.create(
        request=subject_request,
        kind=Letter.Kind.ACKNOWLEDGEMENT,
        language="lv",
        pdf=ContentFile(PDF, name="letter.pdf"),
        html=ContentFile(HTML, name="letter.html"),
        pdf_sha256="0" * 64,
        created_by=UserFactory(username="letter-writer"),
    )


@pytest.fixture
def special_customer(db):
    """A customer with every special-category mark set (Annex 1 cat. 3)."""
    return CustomerFactory(
        first_name="Ilze",
        last_name="Kalniņa",
        residency="non_resident",
        deceased=False,
        disability=True,
    )


@pytest.fixture
def erasure_request(db, special_customer):
    """An erasure request taken in by an agent, evaluated by a deputy DPO, waiting for a second DPO's
    approval (four eyes)."""
    agent = in_role("customer_service", "registrar")
    subject_request = request_services.request_register(
        actor=agent, type="erasure", channel="in_person", customer=special_customer, details="Dzēst visu."
    )
    request_services.request_verify_identity(
        subject_request=subject_request,
        actor=agent,
        document_type="passport",
        document_number=special_customer.id_document_number,
    )
    deputy = in_role("data_protection_officer", "deputy-dpo")
    return request_services.request_start_evaluation(subject_request=subject_request, actor=deputy)


@pytest.fixture
def one_of_everything(db, special_customer):
    """At least one row of every model registered in the admin, so each change and history page exists."""
    customer = special_customer
    contract = ContractFactory(customer=customer)
    InvoiceFactory(customer=customer, contract=contract)
    RecordingFactory(customer=customer, file=ContentFile(WAV, name="call.wav"))
    disclosure = Disclosure.objects.create(
        customer=customer,
        recipient=Recipient.objects.first(),
        ground=Disclosure.Ground.LAW,
        disclosed_on=timezone.localdate(),
    )
    disclosure.data_categories.set(DataCategory.objects.filter(number__in=[1, 2]))
    LegalHold.objects.create(
        content_type=ContentType.objects.get_for_model(contract),
        object_id=str(contract.pk),
        reason="Tiesvedība",
        set_by=UserFactory(username="holder"),
    )
    AccessLog.objects.create(
        action=AccessLog.Action.DOWNLOAD, object_label="privacy.Recording", object_id="1"
    )
    one_of_each_consent_kind(customer)
    request = SubjectRequestFactory(customer=customer, type="access")
    ExportPackageFactory(request=request)
    letter_for(request)
    RectificationChangeFactory(request__customer=customer, field_name="disability", old_value="False")
    ComplaintFactory(customer=customer)
    rule = RetentionRule.objects.first()
    RetentionRun.objects.create(
        rule=rule,
        as_of=timezone.localdate(),
        trigger=RetentionRun.Trigger.COMMAND,
        window_months=rule.window_months,
        cutoff=timezone.localdate() - datetime.timedelta(days=200),
    )
    # Login failures of someone else, from elsewhere (a test's own login resets only its user's).
    attempt = {"username": "someone", "ip_address": "192.0.2.10", "user_agent": "test", "path_info": "/"}
    AccessAttempt.objects.create(**attempt, failures_since_start=1, get_data="", post_data="")
    AccessFailureLog.objects.create(**attempt)
    for model in admin.site._registry:
        if not model._default_manager.exists():
            generic_create(model)
    return customer
