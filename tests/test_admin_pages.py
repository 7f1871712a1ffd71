"""Every admin changelist, add and change page of our apps answers 200 for a superuser, and admin edits
are attributed to the staff member in history."""

import pytest
from django.contrib import admin
from django.urls import reverse

from privacy.models import Customer
from tests.consents.factories import one_of_each_consent_kind
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory, RecordingFactory, UserFactory

OUR_APPS = {"privacy", "consents", "requests_app", "retention"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = UserFactory(username="root", is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def one_of_everything():
    customer = CustomerFactory()
    ContractFactory(customer=customer)
    InvoiceFactory(customer=customer)
    RecordingFactory(customer=customer)
    one_of_each_consent_kind(customer)


def _our_model_admins():
    return sorted(
        (
            (model, model_admin)
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in OUR_APPS
        ),
        key=lambda pair: pair[0]._meta.label,
    )


@pytest.mark.parametrize("model", [m for m, _ in _our_model_admins()], ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_answer_200(superuser_client, one_of_everything, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = superuser_client.get(changelist)
    assert response.status_code == 200
    assert superuser_client.get(changelist, {"q": "Bērziņš"}).status_code == 200
    model_admin = admin.site._registry[model]
    request = response.wsgi_request
    if model_admin.has_add_permission(request):
        assert (
            superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200
        )
    obj = model._default_manager.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert superuser_client.get(change).status_code == 200
        history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
        assert superuser_client.get(history).status_code == 200
        versions = model.history.filter(**{opts.pk.attname: obj.pk}) if hasattr(model, "history") else None
        if versions:
            version = versions.latest("history_date")
            name = f"admin:{opts.app_label}_{opts.model_name}_simple_history"
            assert superuser_client.get(reverse(name, args=[obj.pk, version.history_id])).status_code == 200


def test_admin_edit_records_the_staff_member_in_history(superuser_client):
    customer = CustomerFactory(phone="+37120000001")
    url = reverse("admin:privacy_customer_change", args=[customer.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "phone": "+37129999999",
            "deceased": "",
            "disability": "",
            "contracts-TOTAL_FORMS": "0",
            "contracts-INITIAL_FORMS": "0",
            "contracts-MIN_NUM_FORMS": "0",
            "contracts-MAX_NUM_FORMS": "0",
        }
    )
    response = superuser_client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    latest = Customer.history.filter(id=customer.pk).latest("history_date")
    assert latest.phone == "+37129999999"
    assert latest.history_user.username == "root"
    assert latest.history_type == "~"


def test_customer_search_finds_by_personal_code_phone_email_and_name(superuser_client):
    target = CustomerFactory(
        personal_code="311299-12345", phone="+37126543210", email="anna@example.lv", last_name="Ozoliņa"
    )
    CustomerFactory()
    url = reverse("admin:privacy_customer_changelist")
    for term in [
        "311299-12345",
        "31129912345",
        "26543210",
        "+37126543210",
        "anna@example.lv",
        "Ozoliņa",
        "ozol",
        target.customer_number,
    ]:
        results = list(superuser_client.get(url, {"q": term}).context["cl"].result_list)
        assert results == [target], term


def test_customers_cannot_be_deleted_in_the_admin(superuser_client):
    customer = CustomerFactory()
    response = superuser_client.get(reverse("admin:privacy_customer_delete", args=[customer.pk]))
    assert response.status_code == 403
