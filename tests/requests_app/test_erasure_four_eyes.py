"""Erasure requests (§38–39): a second staff member holding `approve_erasure` approves the dry run, then
fulfilment calls privacy.erasure.erase_subject; what a legal duty keeps makes it partly fulfilled."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from privacy.models import Customer, ErasureRecord, LegalHold
from requests_app import deadlines, services
from requests_app.models import SubjectRequest
from tests.factories import InvoiceFactory, RecordingFactory
from tests.requests_app.conftest import grant
from tests.requests_app.factories import in_evaluation

pytestmark = pytest.mark.django_db

DPO_PERMS = (
    "requests_app.view_subjectrequest",
    "requests_app.change_subjectrequest",
    "requests_app.decide_subjectrequest",
    "requests_app.approve_erasure",
)


def erasure_in_evaluation(customer, *, registered_by, evaluated_by):
    intake = {"type": "erasure", "channel": "in_person", "details": "Lūdzu dzēst visus manus datus."}
    subject_request = services.request_register(actor=registered_by, customer=customer, **intake)
    return in_evaluation(subject_request, verified_by=registered_by, evaluated_by=evaluated_by)


def test_the_registrar_cannot_approve_their_own_erasure(customer, clerk):
    clerk = grant(clerk, "requests_app.approve_erasure")
    subject_request = erasure_in_evaluation(customer, registered_by=clerk, evaluated_by=clerk)
    with pytest.raises(ValidationError, match="Four eyes"):
        services.request_approve_erasure(subject_request=subject_request, actor=clerk)
    assert SubjectRequest.objects.get(pk=subject_request.pk).erasure_approved_at is None


def test_the_evaluator_cannot_approve_either(customer, clerk, dpo):
    subject_request = erasure_in_evaluation(customer, registered_by=clerk, evaluated_by=dpo)
    with pytest.raises(ValidationError, match="Four eyes"):
        services.request_approve_erasure(subject_request=subject_request, actor=dpo)


def test_staff_without_the_permission_cannot_approve(customer, clerk, colleague):
    subject_request = erasure_in_evaluation(customer, registered_by=clerk, evaluated_by=clerk)
    with pytest.raises(PermissionDenied):
        services.request_approve_erasure(subject_request=subject_request, actor=colleague)


def test_no_erasure_without_approval(customer, clerk):
    subject_request = erasure_in_evaluation(customer, registered_by=clerk, evaluated_by=clerk)
    with pytest.raises(ValidationError, match="approval of a second staff member"):
        services.request_fulfil(subject_request=subject_request, actor=clerk)
    assert Customer.objects.filter(pk=customer.pk, status="active").exists()
    assert not ErasureRecord.objects.exists()


def test_approved_erasure_keeps_invoices_and_is_partly_fulfilled(customer, clerk, dpo):
    """§39: invoices under the 5-year duty are kept (restricted), not erased."""
    invoice = InvoiceFactory(customer=customer)
    RecordingFactory(customer=customer)
    subject_request = erasure_in_evaluation(customer, registered_by=clerk, evaluated_by=clerk)

    services.request_approve_erasure(subject_request=subject_request, actor=dpo)
    subject_request.refresh_from_db()
    assert subject_request.erasure_approved_by == dpo
    assert "privacy.Invoice" in subject_request.erasure_preview["kept"]
    assert subject_request.erasure_preview["erased"]["privacy.Recording"] == 1
    assert Customer.objects.get(pk=customer.pk).first_name  # the dry run changed nothing

    with pytest.raises(ValidationError, match="Only the data protection officer"):
        services.request_fulfil(subject_request=subject_request, actor=clerk)  # an agent never erases
    assert Customer.objects.get(pk=customer.pk).first_name
    services.request_fulfil(subject_request=subject_request, actor=dpo)
    subject_request.refresh_from_db()
    record = ErasureRecord.objects.get()
    assert record.request_id == subject_request.pk
    assert record.request_reference == str(subject_request)
    assert subject_request.status == SubjectRequest.Status.PARTLY_FULFILLED
    assert subject_request.erasure_result["record"] == record.pk
    assert subject_request.erasure_result["kept"] == record.kept
    assert "§39" in subject_request.outcome_notes
    tombstone = Customer.objects.get(pk=customer.pk)
    assert tombstone.status == Customer.Status.TOMBSTONE and not tombstone.first_name
    invoice.refresh_from_db()
    assert invoice.restricted_at is not None
    # The request stays as evidence, without the requester's words (catalogue: anonymised).
    assert subject_request.details == ""
    assert str(subject_request).startswith("SR-")
    assert subject_request.verified_at is not None and subject_request.erasure_approved_by == dpo


def test_the_request_page_shows_what_the_erasure_did(client, customer, clerk, dpo):
    InvoiceFactory(customer=customer)
    subject_request = erasure_in_evaluation(customer, registered_by=clerk, evaluated_by=clerk)
    services.request_approve_erasure(subject_request=subject_request, actor=dpo)
    services.request_fulfil(subject_request=subject_request, actor=dpo)
    client.force_login(dpo)
    html = client.get(
        reverse("admin:requests_app_subjectrequest_change", args=[subject_request.pk])
    ).content.decode()
    record = ErasureRecord.objects.get()
    assert reverse("admin:privacy_erasurerecord_change", args=[record.pk]) in html
    assert "Accounting Law" in html and "anonymised" in html


def test_approved_erasure_with_nothing_to_keep_is_fulfilled(customer, clerk, dpo):
    RecordingFactory(customer=customer)
    subject_request = erasure_in_evaluation(customer, registered_by=clerk, evaluated_by=clerk)
    services.request_approve_erasure(subject_request=subject_request, actor=dpo)
    services.request_fulfil(subject_request=subject_request, actor=dpo)
    subject_request.refresh_from_db()
    assert subject_request.status == SubjectRequest.Status.FULFILLED
    assert not Customer.objects.filter(pk=customer.pk, status="active").exists()
    services.request_answer(
        subject_request=subject_request,
        actor=clerk,
        method="registered_letter",
        answered_on=deadlines.today(),
    )
    assert SubjectRequest.objects.get(pk=subject_request.pk).status == SubjectRequest.Status.ANSWERED


def test_a_legal_hold_stops_the_approval_with_a_clear_message(customer, clerk, dpo):
    """§31: a hold on the customer blocks every erasure."""
    LegalHold.objects.create(customer=customer, reason="Court case 123", set_by=dpo)
    subject_request = erasure_in_evaluation(customer, registered_by=clerk, evaluated_by=clerk)
    with pytest.raises(ValidationError, match="legal hold"):
        services.request_approve_erasure(subject_request=subject_request, actor=dpo)


# --- the admin's approval page --------------------------------------------------------------------------


def approval_url(subject_request):
    return reverse(
        "admin:requests_app_subjectrequest_transition", args=[subject_request.pk, "approve-erasure"]
    )


def test_approval_page_shows_the_dry_run_to_the_dpo_and_approves(client, customer, clerk, dpo):
    InvoiceFactory(customer=customer)
    subject_request = erasure_in_evaluation(customer, registered_by=clerk, evaluated_by=clerk)
    client.force_login(dpo)
    page = client.get(approval_url(subject_request))
    assert page.status_code == 200
    html = page.content.decode()
    preview = html[
        html.index('id="erasure-preview"') : html.index("</table>", html.index('id="erasure-preview"'))
    ]
    assert "Accounting Law" in preview  # why the invoice is kept
    assert "Invoices" in preview and "Customers" in preview
    response = client.post(approval_url(subject_request))
    assert response.status_code == 302
    assert SubjectRequest.objects.get(pk=subject_request.pk).erasure_approved_by == dpo


def test_approval_page_is_closed_to_staff_without_the_permission(client, customer, clerk):
    subject_request = erasure_in_evaluation(customer, registered_by=clerk, evaluated_by=clerk)
    client.force_login(clerk)
    assert client.get(approval_url(subject_request)).status_code == 403
    assert client.post(approval_url(subject_request)).status_code == 403
    change = client.get(reverse("admin:requests_app_subjectrequest_change", args=[subject_request.pk]))
    assert "approve-erasure" not in change.content.decode()


def test_the_evaluator_is_not_offered_approve_a_second_dpo_is(client, customer, clerk, dpo):
    """Four eyes (§41, GDPR Art. 17): the DPO who evaluated sees no "Approve the erasure"; another
    DPO-role person does. A forged POST by the evaluator is still refused by the service."""
    subject_request = erasure_in_evaluation(customer, registered_by=clerk, evaluated_by=dpo)
    change_url = reverse("admin:requests_app_subjectrequest_change", args=[subject_request.pk])
    client.force_login(dpo)
    assert "approve-erasure" not in client.get(change_url).content.decode()
    client.post(approval_url(subject_request), follow=True)
    assert SubjectRequest.objects.get(pk=subject_request.pk).erasure_approved_at is None
    deputy = grant(dpo.__class__.objects.create_user(username="deputy-dpo", is_staff=True), *DPO_PERMS)
    client.force_login(deputy)
    assert "approve-erasure" in client.get(change_url).content.decode()


def test_the_registrar_with_the_permission_is_told_why_not(client, customer, clerk):
    clerk = grant(clerk, "requests_app.approve_erasure")
    subject_request = erasure_in_evaluation(customer, registered_by=clerk, evaluated_by=clerk)
    client.force_login(clerk)
    response = client.post(approval_url(subject_request), follow=True)
    assert "Four eyes" in response.content.decode()
    assert SubjectRequest.objects.get(pk=subject_request.pk).erasure_approved_at is None
