"""Fixtures for the security tests: staff in each role (the groups the migration created from
privacy/roles.py), and one row of every kind the admin shows."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from privacy.models import LegalHold
from privacy.roles import role
from requests_app import services as request_services
from tests.admin_rows import access_log_entry, disclosure_of, fill_empty_admin_models, retention_run
from tests.consents.factories import one_of_each_consent_kind
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory, RecordingFactory, UserFactory
from tests.requests_app.factories import (
    ComplaintFactory,
    ExportPackageFactory,
    RectificationChangeFactory,
    SubjectRequestFactory,
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


def request_in_evaluation(customer, *, type, agent, decider, document_number=None, mismatch="", **details):
    """A request of `type` (in person) registered and identity-checked by `agent` with a passport, the
    customer's own document number unless `document_number` (then `mismatch` says why it differs), and
    taken into evaluation by `decider`. `details`: the intake's other fields."""
    subject_request = request_services.request_register(
        actor=agent, type=type, channel="in_person", customer=customer, **details
    )
    request_services.request_verify_identity(
        subject_request=subject_request,
        actor=agent,
        document_type="passport",
        document_number=document_number or customer.id_document_number,
        **({"document_mismatch_reason": mismatch} if mismatch else {}),
    )
    return request_services.request_start_evaluation(subject_request=subject_request, actor=decider)


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
    deputy = in_role("data_protection_officer", "deputy-dpo")
    return request_in_evaluation(
        special_customer, type="erasure", agent=agent, decider=deputy, details="Dzēst visu."
    )


@pytest.fixture
def one_of_everything(db, special_customer):
    """At least one row of every model registered in the admin, so each change and history page exists."""
    customer = special_customer
    contract = ContractFactory(customer=customer)
    InvoiceFactory(customer=customer, contract=contract)
    RecordingFactory(customer=customer, file=ContentFile(WAV, name="call.wav"))
    disclosure_of(customer)
    LegalHold.objects.create(
        content_type=ContentType.objects.get_for_model(contract),
        object_id=str(contract.pk),
        reason="Tiesvedība",
        set_by=UserFactory(username="holder"),
    )
    access_log_entry()
    one_of_each_consent_kind(customer)
    request = SubjectRequestFactory(customer=customer, type="access")
    ExportPackageFactory(request=request)
    letter_for(request)
    RectificationChangeFactory(request__customer=customer, field_name="disability", old_value="False")
    ComplaintFactory(customer=customer)
    retention_run()
    # Login failures of someone else, from elsewhere (a test's own login resets only its user's).
    attempt = {"username": "someone", "ip_address": "192.0.2.10", "user_agent": "test", "path_info": "/"}
    AccessAttempt.objects.create(**attempt, failures_since_start=1, get_data="", post_data="")
    AccessFailureLog.objects.create(**attempt)
    fill_empty_admin_models()
    return customer
