"""History is evidence (§22, §32): nobody, the superuser included, edits, reverts or deletes it
through the admin (issue 7)."""

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from privacy.models import Customer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_no_history_table_is_registered_in_the_admin():
    registered = [model._meta.label for model in admin.site._registry]
    assert not [label for label in registered if ".Historical" in label]


def test_revert_is_switched_off(settings):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    assert not getattr(settings, "SIMPLE_HISTORY_EDIT", False)


@pytest.fixture
def root(client):
    user = UserFactory(username="root", is_superuser=True)
    client.force_login(user)
    return user


def test_a_history_version_page_shows_no_revert_button_and_refuses_a_post(client, root, one_of_everything):
    """The version page is a read-only view; a POST (what "Revert" would send) changes nothing."""
    customer = one_of_everything
    original = Customer.objects.get(pk=customer.pk)
    customer.phone = "+37120000099"
    customer.save()
    version = customer.history.earliest("history_date")
    url = reverse("admin:privacy_customer_simple_history", args=[customer.pk, version.history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="_change_history"' not in page.content
    assert b"Revert" not in page.content

    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    for payload in (data, {**data, "_change_history": "1"}):
        assert client.post(url, payload).status_code == 403
    customer.refresh_from_db()
    assert customer.phone == "+37120000099" != original.phone
    assert customer.history.count() == 2


def test_every_history_version_page_of_every_admin_refuses_a_post(client, root, one_of_everything):
    refused = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, SimpleHistoryAdmin) or not hasattr(model, "history"):
            continue
        version = model.history.order_by("history_id").first()
        if version is None:
            continue
        opts = model._meta
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_simple_history",
            args=[getattr(version, opts.pk.attname), version.history_id],
        )
        status = client.post(url, {}).status_code
        if status != 403:
            refused.append(f"{opts.label}: {status}")
    assert refused == []


def test_history_rows_have_no_admin_delete_or_change_url():
    """Only the models' own admins exist; there is no route that reaches a history row to edit it."""
    from django.urls import get_resolver

    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    assert not [name for name in names if "historical" in name and ("change" in name or "delete" in name)]
