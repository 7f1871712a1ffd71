"""Identity checks compare (§41: the request is fulfilled only once the requester's identity is
verified; §40.1: in person "uzrādot personu apliecinošu dokumentu"). The number of the document shown is
compared with the one on the customer's record: the same number (whatever its case, spaces, dashes)
verifies as before; a different one is refused unless the agent says why it is accepted, and then the
request is flagged and the reason is in its history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from requests_app import services
from requests_app.models import SubjectRequest
from tests.factories import CustomerFactory
from tests.security.conftest import in_role

pytestmark = pytest.mark.django_db

Status = SubjectRequest.Status


@pytest.fixture
def agent():
    return in_role("customer_service", "agent-ilze")


@pytest.fixture
def customer():
    return CustomerFactory(id_document_number="PA1234567")


def _request(agent, customer):
    return services.request_register(actor=agent, type="access", channel="in_person", customer=customer)


def _verified_with_a_new_passport(agent, customer, reason: str, subject_request=None) -> SubjectRequest:
    """Verified in person with a passport whose number is not the one on record, for `reason` (§41)."""
    subject_request = subject_request or _request(agent, customer)
    services.request_verify_identity(
        subject_request=subject_request,
        actor=agent,
        document_type="passport",
        document_number="PA7654321",
        document_mismatch_reason=reason,
    )
    return subject_request


def _step(obj):
    return reverse("admin:requests_app_subjectrequest_transition", args=[obj.pk, "verify"])


@pytest.mark.parametrize("shown", ["PA1234567", "pa 123 4567", " PA-1234567 "])
def test_the_number_on_record_verifies_without_a_reason(agent, customer, shown):
    subject_request = _request(agent, customer)
    services.request_verify_identity(
        subject_request=subject_request, actor=agent, document_type="passport", document_number=shown
    )
    subject_request.refresh_from_db()
    assert subject_request.status == Status.IDENTITY_VERIFIED
    assert subject_request.identity_document_differs is False
    assert subject_request.identity_mismatch_reason == ""


def test_a_different_number_is_refused_without_a_reason(agent, customer):
    """Before: any number was accepted silently."""
    subject_request = _request(agent, customer)
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as refused:
            _verified_with_a_new_passport(agent, customer, reason, subject_request)
        assert "document_mismatch_reason" in refused.value.message_dict
    subject_request.refresh_from_db()
    assert subject_request.status == Status.RECEIVED and subject_request.verified_at is None


def test_a_different_number_with_a_reason_is_flagged_and_the_reason_is_in_the_history(agent, customer):
    subject_request = _verified_with_a_new_passport(
        agent, customer, "Jauna pase, izdota 2026. gada martā; vecā nozaudēta."
    )
    subject_request.refresh_from_db()
    assert subject_request.status == Status.IDENTITY_VERIFIED
    assert subject_request.identity_document_differs is True
    assert subject_request.identity_mismatch_reason.startswith("Jauna pase")
    row = subject_request.history.order_by("-history_id").first()
    assert row.history_user == agent
    assert "differs from the customer's record" in row.history_change_reason
    assert row.identity_document_differs and row.identity_mismatch_reason.startswith("Jauna pase")
    assert "PA7654321" not in row.history_change_reason  # the reason line carries no document number


def test_no_number_on_record_means_nothing_to_compare(agent):
    customer = CustomerFactory(id_document_number="")
    subject_request = _request(agent, customer)
    services.request_verify_identity(
        subject_request=subject_request, actor=agent, document_type="id_card", document_number="AB1"
    )
    subject_request.refresh_from_db()
    assert (
        subject_request.status == Status.IDENTITY_VERIFIED and not subject_request.identity_document_differs
    )


def test_the_admin_step_asks_for_the_reason_and_records_it(client, agent, customer):
    subject_request = _request(agent, customer)
    client.force_login(agent)
    form = {"document_type": "passport", "document_number": "PA7654321"}
    refused = client.post(_step(subject_request), form)
    assert refused.status_code == 200
    assert "document_mismatch_reason" in refused.context["form"].errors
    assert SubjectRequest.objects.get(pk=subject_request.pk).status == Status.RECEIVED

    for hostile in ("\x00", "x\x00y"):  # NUL: refused by the form, not a 500
        response = client.post(_step(subject_request), {**form, "document_mismatch_reason": hostile})
        assert response.status_code == 200
    assert SubjectRequest.objects.get(pk=subject_request.pk).status == Status.RECEIVED

    long_reason = "Jauna pase. " + "ā" * 5000
    done = client.post(_step(subject_request), {**form, "document_mismatch_reason": long_reason})
    assert done.status_code == 302
    subject_request.refresh_from_db()
    assert (
        subject_request.identity_document_differs and subject_request.identity_mismatch_reason == long_reason
    )
    page = client.get(reverse("admin:requests_app_subjectrequest_change", args=[subject_request.pk]))
    assert "Jauna pase." in page.content.decode()
    flagged = client.get(
        reverse("admin:requests_app_subjectrequest_changelist"), {"identity_document_differs__exact": "1"}
    )
    assert list(flagged.context["cl"].result_list) == [subject_request]


def test_a_forged_verification_by_a_read_only_role_changes_nothing(client, agent, customer):
    subject_request = _request(agent, customer)
    client.force_login(in_role("auditor"))
    response = client.post(
        _step(subject_request),
        {"document_type": "passport", "document_number": "PA7654321", "document_mismatch_reason": "x"},
    )
    assert response.status_code in (302, 403)
    subject_request.refresh_from_db()
    assert subject_request.status == Status.RECEIVED and not subject_request.identity_document_differs


def test_erasure_removes_the_mismatch_reason(agent, customer):
    """The reason is about the person: erasure blanks it with the request's other personal fields."""
    from privacy.erasure import erase_subject

    subject_request = _verified_with_a_new_passport(agent, customer, "Jauna pase Kārkliņai")
    erase_subject(customer, reason="test", actor=None)
    subject_request.refresh_from_db()
    assert subject_request.identity_mismatch_reason == ""
    assert not SubjectRequest.history.filter(identity_mismatch_reason__contains="Kārkliņai").exists()
