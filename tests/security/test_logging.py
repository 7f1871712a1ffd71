"""No personal data in application logs (§22): an import, a request's workflow and an erasure
are run with every logger at DEBUG, and the customer's name, personal code, email and phone appear in
no log record. The handlers also redact what looks like personal data, as a safety net."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consents.models import ConsentImport
from privacy.models import Customer
from privacy.security import REDACTED, PersonalDataLogFilter, redact
from requests_app import services as request_services
from tests.factories import CustomerFactory, RecordingFactory, written_forms

from .conftest import in_role, request_in_evaluation

pytestmark = pytest.mark.django_db

HEADER = "customer_number,topic,action,channel,occurred_at,source,policy_version"


@pytest.fixture
def person():
    return CustomerFactory(
        customer_number="LOG0001",
        first_name="Aiga",
        last_name="Zvaigznīte",
        personal_code="120385-10422",
        email="aiga.zvaigznite@example.lv",
        phone="+37126110422",
        address="Ganību dambis 17, Rīga",
    )


def _secrets(customer: Customer) -> list[str]:
    return written_forms(
        first_name=customer.first_name,
        last_name=customer.last_name,
        personal_code=customer.personal_code,
        phones=(customer.phone,),
        others=(customer.email, customer.address),
    )


def _assert_clean(caplog, customer_secrets):
    assert caplog.records, "nothing was logged: the capture is not working"
    text = "\n".join(
        [record.getMessage() for record in caplog.records]
        + [caplog.text]
        + [str(record.args) for record in caplog.records]
    )
    leaked = [secret for secret in customer_secrets if secret and secret in text]
    assert leaked == []


def test_a_consent_import_logs_no_personal_data(client, person, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = _secrets(person)
    agent = in_role("customer_service")
    client.force_login(agent)
    body = "\n".join(
        [
            HEADER,
            f"{person.customer_number},marketing_email,given,portal,2024-05-01,form {person.last_name},",
            f"{person.customer_number},unknown_topic,given,portal,2024-05-01T10:00:00,{person.email},",
        ]
    ).encode()
    client.post(
        reverse("admin:consents_consentevent_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("c.csv", body, content_type="text/csv"),
        },
    )
    job = ConsentImport.objects.get()
    assert job.status == ConsentImport.Status.INVALID  # the unknown topic: errors are reported, and logged?
    good = "\n".join(
        [HEADER, f"{person.customer_number},marketing_email,given,portal,2024-05-01T10:00:00,{person.phone},"]
    ).encode()
    client.post(
        reverse("admin:consents_consentevent_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("d.csv", good, content_type="text/csv"),
        },
    )
    job = ConsentImport.objects.latest("pk")
    client.post(reverse("admin:consents_consentevent_process_import"), {"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == ConsentImport.Status.APPLIED
    logging.getLogger("tests").info("import finished")  # the capture works even if the code is quiet
    _assert_clean(caplog, secrets)


def test_a_request_workflow_and_an_erasure_log_no_personal_data(person, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = _secrets(person)
    RecordingFactory(customer=person)
    agent, dpo = in_role("customer_service"), in_role("data_protection_officer")
    subject_request = request_in_evaluation(
        person,
        type="erasure",
        agent=agent,
        decider=in_role("data_protection_officer", "deputy-dpo"),
        requester_name=f"{person.first_name} {person.last_name}",
        requester_email=person.email,
        requester_phone=person.phone,
        details=f"Lūdzu dzēst. Personas kods {person.personal_code}.",
    )
    request_services.request_approve_erasure(subject_request=subject_request, actor=dpo)
    request_services.request_fulfil(subject_request=subject_request, actor=dpo)
    assert not Customer.objects.filter(personal_code=person.personal_code).exists()
    logging.getLogger("tests").info("erasure finished")
    _assert_clean(caplog, secrets)


def test_the_log_handlers_redact_what_looks_like_personal_data():
    assert redact("search for 120385-10422 and 12038510422") == f"search for {REDACTED} and {REDACTED}"
    assert redact("mail aiga.zvaigznite@example.lv now") == f"mail {REDACTED} now"
    assert redact("call +371 26110422 or 26110422") == f"call {REDACTED} or {REDACTED}"
    assert redact("IBAN LV80BANK0000435195001") == f"IBAN {REDACTED}"
    # Ids, counts, dates and addresses of servers stay readable.
    plain = "request SR-2026-000123 erased 12 rows on 2026-05-01 12:00 from 127.0.0.1:8000/admin/ in 250 ms"
    assert redact(plain) == plain

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET /admin/?q=%s", ("120385-10422",), None)
    assert PersonalDataLogFilter().filter(record)
    assert record.getMessage() == f"GET /admin/?q={REDACTED}"


def test_the_console_handler_carries_the_filter():
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, PersonalDataLogFilter) for f in h.filters)
    ]
    assert handlers
    server = logging.getLogger("django.server")
    assert any(any(isinstance(f, PersonalDataLogFilter) for f in h.filters) for h in server.handlers)
