"""Complaints (§43–44): handled by the data protection officer, escalation to Datu valsts inspekcija
recorded with its dates."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from requests_app import deadlines, services
from requests_app.models import Complaint
from tests.requests_app.conftest import grant
from tests.requests_app.factories import SubjectRequestFactory

pytestmark = pytest.mark.django_db

TODAY = deadlines.today()
Status = Complaint.Status


@pytest.fixture
def complaint(clerk, customer):
    subject_request = SubjectRequestFactory(customer=customer)
    return services.complaint_register(
        actor=clerk, description="My access request was answered late.", request=subject_request
    )


def test_register_links_customer_and_request(complaint, customer, clerk):
    assert complaint.customer == customer  # taken from the request
    assert complaint.status == Status.OPEN
    assert complaint.registered_by == clerk
    assert str(complaint).startswith("C-") and customer.last_name not in str(complaint)


def test_register_needs_someone_who_complains(clerk):
    with pytest.raises(ValidationError, match="complainant"):
        services.complaint_register(actor=clerk, description="x")
    anonymous = services.complaint_register(actor=clerk, description="x", complainant_name="Anna")
    assert anonymous.customer is None


def test_only_the_dpo_handles_and_resolves(complaint, clerk, dpo):
    """§43: complaints go to the controller's data protection officer."""
    with pytest.raises(PermissionDenied):
        services.complaint_assign(complaint=complaint, actor=clerk, dpo=clerk)
    services.complaint_assign(complaint=complaint, actor=clerk, dpo=dpo)
    with pytest.raises(PermissionDenied):
        services.complaint_resolve(complaint=complaint, actor=clerk, resolution="Sorry", resolved_on=TODAY)
    with pytest.raises(ValidationError) as error:
        services.complaint_resolve(complaint=complaint, actor=dpo, resolution=" ", resolved_on=TODAY)
    assert "resolution" in error.value.message_dict
    services.complaint_resolve(
        complaint=complaint, actor=dpo, resolution="Answered, apologised.", resolved_on=TODAY
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.handled_by, complaint.resolved_on) == (Status.RESOLVED, dpo, TODAY)


def test_escalation_to_the_inspectorate_with_dates(complaint, dpo):
    """§44: the complaint to Datu valsts inspekcija, our reply and its decision, each dated."""
    with pytest.raises(ValidationError, match="cannot be closed now"):
        services.complaint_record_authority_decision(
            complaint=complaint, actor=dpo, decision="x", decided_on=TODAY
        )
    for bad_day in (TODAY + datetime.timedelta(days=1), TODAY - datetime.timedelta(days=400), None):
        with pytest.raises(ValidationError) as error:
            services.complaint_escalate(complaint=complaint, actor=dpo, escalated_on=bad_day)
        assert "escalated_on" in error.value.message_dict
    services.complaint_escalate(
        complaint=complaint, actor=dpo, escalated_on=TODAY, authority_reference="DVI-2026/17"
    )
    services.complaint_record_authority_reply(complaint=complaint, actor=dpo, replied_on=TODAY)
    with pytest.raises(ValidationError) as error:
        services.complaint_record_authority_decision(
            complaint=complaint, actor=dpo, decision="", decided_on=TODAY
        )
    assert "decision" in error.value.message_dict
    services.complaint_record_authority_decision(
        complaint=complaint, actor=dpo, decision="No infringement found.", decided_on=TODAY
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert (complaint.escalated_on, complaint.authority_replied_on, complaint.authority_decided_on) == (
        TODAY,
    ) * 3
    assert complaint.authority_reference == "DVI-2026/17"
    reasons = [r.history_change_reason for r in complaint.history.order_by("history_id")]
    assert reasons == [
        "registered",
        "escalated to Datu valsts inspekcija",
        "reply to the inspectorate recorded",
        "inspectorate's decision recorded",
    ]
    with pytest.raises(ValidationError, match="cannot be escalated now"):
        services.complaint_escalate(complaint=complaint, actor=dpo, escalated_on=TODAY)


def test_a_resolved_complaint_can_still_go_to_the_inspectorate(complaint, dpo):
    services.complaint_resolve(complaint=complaint, actor=dpo, resolution="Done", resolved_on=TODAY)
    services.complaint_escalate(complaint=complaint, actor=dpo, escalated_on=TODAY)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.ESCALATED


def test_escalation_through_the_admin(client, complaint, dpo):
    client.force_login(dpo)
    url = reverse("admin:requests_app_complaint_transition", args=[complaint.pk, "escalate"])
    response = client.post(url, {"escalated_on": TODAY.isoformat(), "authority_reference": "DVI-1"})
    assert response.status_code == 302
    page = client.get(reverse("admin:requests_app_complaint_change", args=[complaint.pk]))
    assert "DVI-1" in page.content.decode()
    labels = [str(b["label"]) for b in page.context["transition_buttons"]]
    assert "The inspectorate's decision" in labels and "Resolve" not in labels


def test_adding_a_complaint_in_the_admin(client, dpo, customer):
    client.force_login(grant(dpo, "requests_app.add_complaint"))
    url = reverse("admin:requests_app_complaint_add")
    data = {"description": "Late answer", "received_at_0": TODAY.isoformat(), "received_at_1": "10:00"}
    response = client.post(url, data)
    assert response.status_code == 200 and "complainant" in response.content.decode()
    response = client.post(url, {**data, "customer": customer.pk})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.registered_by == dpo and complaint.customer == customer
