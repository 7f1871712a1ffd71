"""The queue in the admin (§41): pages answer, filters find what is late, buttons call the services and a
refusal becomes an error message."""

import datetime

import pytest
from django.urls import reverse

from requests_app import deadlines, services
from requests_app.models import Complaint, SubjectRequest
from tests.factories import CustomerFactory, UserFactory
from tests.requests_app.factories import (
    ComplaintFactory,
    ExportPackageFactory,
    RectificationChangeFactory,
    SubjectRequestFactory,
    riga,
)

pytestmark = pytest.mark.django_db

Status = SubjectRequest.Status
TODAY = deadlines.today()


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


def changelist(**params):
    return reverse("admin:requests_app_subjectrequest_changelist"), params


def step_url(obj, name):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_transition", args=[obj.pk, name])


def due_in(days: int, **kwargs) -> SubjectRequest:
    return SubjectRequestFactory(due_at=TODAY + datetime.timedelta(days=days), **kwargs)


@pytest.fixture
def one_of_every_kind(dpo):
    """A request of each type and status, and complaints in each state: every page has data to show."""
    customer = CustomerFactory(last_name="Bērziņš")
    rows = []
    for request_type in SubjectRequest.Type.values:
        rows.append(SubjectRequestFactory(customer=customer, type=request_type))
    verified = {"verified_at": riga(2026, 1, 5), "verified_by": dpo, "identity_document_type": "passport"}
    rows += [
        SubjectRequestFactory(customer=customer, status=Status.IDENTITY_VERIFIED, **verified),
        SubjectRequestFactory(customer=customer, status=Status.IN_EVALUATION, **verified),
        SubjectRequestFactory(
            customer=customer, status=Status.FULFILLED, outcome="fulfilled", extension_months=2, **verified
        ),
        SubjectRequestFactory(
            customer=customer,
            type="erasure",
            status=Status.IN_EVALUATION,
            erasure_preview={
                "erased": {"privacy.Recording": 1},
                "kept": {"privacy.Invoice": {"open_debt": 1}},
            },
            **verified,
        ),
        SubjectRequestFactory(
            customer=None,
            requester_name="Nezināms",
            status=Status.REFUSED,
            outcome="refused",
            refusal_reason="Not verified.",
        ),
        SubjectRequestFactory(
            customer=customer,
            status=Status.ANSWERED,
            outcome="fulfilled",
            answer_method="portal",
            answered_on=TODAY,
            **verified,
        ),
    ]
    RectificationChangeFactory(request__customer=customer)
    ExportPackageFactory(request__customer=customer)
    ComplaintFactory(customer=customer)
    ComplaintFactory(
        customer=None, complainant_name="Anna", status=Complaint.Status.ESCALATED, escalated_on=TODAY
    )
    return rows


def test_every_request_and_complaint_page_answers(superuser_client, one_of_every_kind):
    for model in (SubjectRequest, Complaint):
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        assert superuser_client.get(reverse(f"{base}_changelist")).status_code == 200
        assert superuser_client.get(reverse(f"{base}_changelist"), {"q": "Bērziņš"}).status_code == 200
        assert superuser_client.get(reverse(f"{base}_add")).status_code == 200
        for obj in model.objects.all():
            page = superuser_client.get(reverse(f"{base}_change", args=[obj.pk]))
            assert page.status_code == 200, obj
            assert superuser_client.get(reverse(f"{base}_history", args=[obj.pk])).status_code == 200
            for button in page.context["transition_buttons"]:
                assert superuser_client.get(button["url"]).status_code == 200, (obj, button["label"])


@pytest.mark.parametrize(
    ("filter_value", "expected"),
    [
        ("overdue", {-1, -30}),
        ("due_soon", {0, 1, 7}),
        ("on_time", {8, 25}),
        ("open", {-30, -1, 0, 1, 7, 8, 25}),
    ],
)
def test_deadline_filters(superuser_client, filter_value, expected):
    """Day before, day of, and day after each edge: due today is due soon; 7 days left is due soon."""
    for days in (-30, -1, 0, 1, 7, 8, 25):
        due_in(days, details=str(days))
    due_in(
        -5,
        status=Status.ANSWERED,
        answer_method="portal",
        answered_on=TODAY,
        outcome="fulfilled",
        verified_at=riga(2026, 1, 1),
    )
    url, _params = changelist()
    result = superuser_client.get(url, {"deadline": filter_value}).context["cl"].result_list
    assert {int(r.details) for r in result} == expected


def test_extended_requests_are_judged_by_the_extended_deadline(superuser_client):
    due_in(-3, extension_months=1, extended_due_at=TODAY + datetime.timedelta(days=20), details="20")
    url, _params = changelist()
    assert not superuser_client.get(url, {"deadline": "overdue"}).context["cl"].result_list
    assert [
        r.details for r in superuser_client.get(url, {"deadline": "on_time"}).context["cl"].result_list
    ] == ["20"]


def test_overdue_rows_stand_out_and_show_days_left(superuser_client):
    late = due_in(-3)
    soon = due_in(2)
    url, _params = changelist()
    html = superuser_client.get(url).content.decode()
    assert "tr:has(.rq-overdue)" in html  # the row highlight
    assert 'class="rq-days rq-overdue" data-days="-3">3 days overdue' in html
    assert 'class="rq-days rq-soon" data-days="2">2<' in html
    assert str(late) in html and str(soon) in html


def test_filters_by_status_and_type(superuser_client):
    SubjectRequestFactory(type="erasure")
    SubjectRequestFactory(type="access")
    url, _params = changelist()
    result = superuser_client.get(url, {"type__exact": "erasure", "status__exact": "received"}).context["cl"]
    assert [r.type for r in result.result_list] == ["erasure"]


def test_search_by_reference(superuser_client):
    wanted = SubjectRequestFactory()
    SubjectRequestFactory()
    url, _params = changelist()
    assert list(superuser_client.get(url, {"q": str(wanted)}).context["cl"].result_list) == [wanted]


def test_adding_a_request_in_the_admin_registers_it_with_its_deadline(client, clerk):
    customer = CustomerFactory()
    client.force_login(clerk)
    url = reverse("admin:requests_app_subjectrequest_add")
    base = {
        "type": "access",
        "channel": "email",
        "flag_action": "",
        "received_at_0": "2025-01-31",
        "received_at_1": "10:00:00",
        "details": "Access to my data",
        "preferred_answer_method": "registered_letter",
    }
    response = client.post(url, base)
    assert response.status_code == 200
    assert "Match a customer or give the requester" in response.content.decode()
    response = client.post(url, {**base, "customer": customer.pk})
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = SubjectRequest.objects.get()
    assert created.due_at == datetime.date(2025, 2, 28)
    assert created.registered_by == clerk
    row = created.history.get()
    assert row.history_user == clerk and row.history_change_reason == "registered"


def test_a_refusal_by_a_service_becomes_an_error_on_the_page(client, clerk, customer):
    subject_request = services.request_register(
        actor=clerk, type="access", channel="in_person", customer=customer
    )
    client.force_login(clerk)
    response = client.post(
        step_url(subject_request, "verify"), {"document_type": "passport", "document_number": " "}
    )
    assert response.status_code == 200
    assert "document_number" in response.context["form"].errors
    assert SubjectRequest.objects.get(pk=subject_request.pk).status == Status.RECEIVED

    response = client.post(
        step_url(subject_request, "verify"),
        {"document_type": "passport", "document_number": customer.id_document_number},
    )
    assert response.status_code == 302
    subject_request.refresh_from_db()
    assert subject_request.status == Status.IDENTITY_VERIFIED
    assert subject_request.identity_document_number == customer.id_document_number

    response = client.post(step_url(subject_request, "refuse"), {"reason": "   "}, follow=True)
    assert "reason" in response.context["form"].errors
    assert SubjectRequest.objects.get(pk=subject_request.pk).status == Status.IDENTITY_VERIFIED
    client.post(step_url(subject_request, "refuse"), {"reason": "Conflicts with the contract (§39)."})
    assert SubjectRequest.objects.get(pk=subject_request.pk).status == Status.REFUSED


def test_a_step_not_possible_now_sends_back_with_a_message(client, clerk, customer):
    subject_request = services.request_register(
        actor=clerk, type="access", channel="portal", customer=customer
    )
    client.force_login(clerk)
    response = client.post(step_url(subject_request, "answer"), {"method": "portal"}, follow=True)
    assert "is not possible" in response.content.decode()
    assert SubjectRequest.objects.get(pk=subject_request.pk).status == Status.RECEIVED


def test_extension_and_answer_through_the_buttons(client, clerk, customer):
    subject_request = services.request_register(
        actor=clerk, type="access", channel="portal", customer=customer
    )
    client.force_login(clerk)
    response = client.post(
        step_url(subject_request, "extend"),
        {"months": "2", "reason": "Complex request", "notified_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    subject_request.refresh_from_db()
    assert subject_request.extension_months == 2
    assert subject_request.extended_due_at == deadlines.extended_due_date(subject_request.received_at, 2)
    page = client.get(reverse("admin:requests_app_subjectrequest_change", args=[subject_request.pk]))
    assert "extend/" not in "".join(b["url"] for b in page.context["transition_buttons"])  # no third month


def test_rectification_through_the_button_links_before_and_after(client, clerk, customer):
    subject_request = services.request_register(
        actor=clerk, type="rectification", channel="portal", customer=customer
    )
    services.request_verify_identity(subject_request=subject_request, actor=clerk, portal_session_id="s")
    services.request_start_evaluation(subject_request=subject_request, actor=clerk)
    client.force_login(UserFactory(username="root", is_superuser=True))
    form = client.get(step_url(subject_request, "rectify")).context["form"]
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = value
    data["phone"] = "+37129876543"
    response = client.post(step_url(subject_request, "rectify"), data)
    assert response.status_code == 302, response.context["form"].errors
    change = subject_request.rectifications.get()
    assert change.field_name == "phone" and change.new_value == "+37129876543"
    page = client.get(
        reverse("admin:requests_app_subjectrequest_change", args=[subject_request.pk])
    ).content.decode()
    history = reverse("admin:privacy_customer_simple_history", args=[customer.pk, change.customer_history_id])
    assert history in page
    assert client.get(history).status_code == 200


def test_bulk_start_evaluation_reports_each_refusal(client, clerk, customer):
    ready = services.request_register(actor=clerk, type="access", channel="portal", customer=customer)
    services.request_verify_identity(subject_request=ready, actor=clerk, portal_session_id="s")
    unverified = services.request_register(actor=clerk, type="access", channel="portal", customer=customer)
    client.force_login(clerk)
    url, _params = changelist()
    response = client.post(
        url,
        {"action": "start_evaluation_action", "_selected_action": [ready.pk, unverified.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert f"{unverified}: " in text and "not verified" in text
    assert SubjectRequest.objects.get(pk=ready.pk).status == Status.IN_EVALUATION
    assert SubjectRequest.objects.get(pk=unverified.pk).status == Status.RECEIVED


def test_requests_cannot_be_deleted_in_the_admin(superuser_client):
    subject_request = SubjectRequestFactory()
    url = reverse("admin:requests_app_subjectrequest_delete", args=[subject_request.pk])
    assert superuser_client.get(url).status_code == 403
    list_url, _params = changelist()
    assert "delete_selected" not in superuser_client.get(list_url).context["cl"].model_admin.get_actions(
        superuser_client.get(list_url).wsgi_request
    )


def test_queue_and_dashboard_queries_do_not_grow_with_the_number_of_requests(superuser_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert superuser_client.get(url).status_code == 200
        return len(queries)

    queue, _params = changelist()
    index = reverse("admin:index")
    for _ in range(3):
        due_in(-1)
    few = count(queue), count(index)
    for _ in range(12):
        due_in(3)
    assert (count(queue), count(index)) == few
