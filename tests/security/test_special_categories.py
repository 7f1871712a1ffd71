"""Special categories (Annex 1 cat. 3: resident status, deceased, disability mark) are hidden from staff
without `privacy.view_special_categories`: in lists, filters, forms, history lists and history pages,
the rectification form and its record, and exports."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from privacy import catalogue
from privacy.models import Customer
from privacy.special_categories import SpecialCategoryAdminMixin
from requests_app import services as request_services
from requests_app.models import RectificationChange
from tests.factories import UserFactory

from .conftest import in_role, request_in_evaluation

pytestmark = pytest.mark.django_db

SPECIAL = ["residency", "deceased", "disability"]
WITHOUT = ["customer_service", "auditor"]


def test_the_catalogue_names_the_special_fields():
    assert catalogue.entry_for(Customer).special_fields() == SPECIAL


def test_every_admin_of_a_model_with_special_fields_hides_them():
    for entry in catalogue.entries():
        if entry.special_fields() and entry.model in admin.site._registry:
            assert isinstance(admin.site._registry[entry.model], SpecialCategoryAdminMixin), entry.label


def _customer_with_changed_special_fields(customer, actor):
    """A history with a version that changed the disability mark and the residency."""
    customer.disability = False
    customer.residency = "resident"
    customer._history_user = actor
    customer.save()
    return customer


@pytest.mark.parametrize("role_key", WITHOUT)
def test_forms_and_change_pages_leave_the_special_fields_out(client, special_customer, role_key):
    client.force_login(in_role(role_key))
    response = client.get(reverse("admin:privacy_customer_change", args=[special_customer.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert not set(SPECIAL) & set(form.fields)
    html = response.content.decode()
    for name in SPECIAL:
        assert f'name="{name}"' not in html
        assert f"field-{name}" not in html
    assert "disability mark" not in html.lower()


def test_the_dpo_sees_and_edits_them(client, special_customer):
    client.force_login(in_role("data_protection_officer"))
    response = client.get(reverse("admin:privacy_customer_change", args=[special_customer.pk]))
    assert set(SPECIAL) <= set(response.context["adminform"].form.fields)
    assert 'name="disability"' in response.content.decode()


def test_an_agent_saving_a_customer_keeps_the_special_marks_as_they_were(client, special_customer):
    agent = in_role("customer_service")
    client.force_login(agent)
    url = reverse("admin:privacy_customer_change", args=[special_customer.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        phone="+37129990000",
        disability="",  # forged: the field is not in the agent's form, so this is ignored
        **{
            f"contracts-{key}": "0"
            for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302
    special_customer.refresh_from_db()
    assert special_customer.phone == "+37129990000"
    assert special_customer.disability is True
    assert special_customer.residency == "non_resident"


@pytest.mark.parametrize("role_key", WITHOUT)
def test_lists_cannot_be_filtered_or_sorted_by_a_special_field(client, special_customer, role_key):
    """`?disability__exact=1` would tell who has the mark by what the list shows."""
    client.force_login(in_role(role_key))
    url = reverse("admin:privacy_customer_changelist")
    for query in ({"disability__exact": "1"}, {"disability": "1"}, {"residency": "non_resident"}):
        response = client.get(url, query)
        assert response.status_code == 400, query  # DisallowedModelAdminLookup
    response = client.get(url)
    assert not set(SPECIAL) & set(response.context["cl"].list_display)
    assert not set(SPECIAL) & {str(f) for f in response.context["cl"].list_filter}


def test_the_dpo_may_filter_by_them(client, special_customer):
    client.force_login(in_role("data_protection_officer"))
    response = client.get(reverse("admin:privacy_customer_changelist"), {"disability__exact": "1"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [special_customer]


@pytest.mark.parametrize("role_key", WITHOUT)
def test_the_history_list_does_not_show_changes_of_special_fields(client, special_customer, role_key):
    actor = in_role(role_key)
    special_customer.phone = "+37120001111"
    special_customer.save()
    _customer_with_changed_special_fields(special_customer, actor)
    client.force_login(actor)
    response = client.get(reverse("admin:privacy_customer_history", args=[special_customer.pk]))
    assert response.status_code == 200
    changed = [
        change["field"]
        for record in response.context["page_obj"].object_list
        for change in getattr(record, "history_delta_changes", [])
    ]
    assert changed, "the phone change should be listed"
    html = response.content.decode().lower()
    assert "disability" not in html and "resident status" not in html and "non_resident" not in html


def test_the_dpo_sees_the_special_changes_in_history(client, special_customer):
    dpo = in_role("data_protection_officer")
    _customer_with_changed_special_fields(special_customer, dpo)
    client.force_login(dpo)
    response = client.get(reverse("admin:privacy_customer_history", args=[special_customer.pk]))
    assert "disability mark" in response.content.decode().lower()


@pytest.mark.parametrize("role_key", WITHOUT)
def test_a_history_version_page_leaves_the_special_fields_out(client, special_customer, role_key):
    client.force_login(in_role(role_key))
    version = special_customer.history.earliest("history_date")
    url = reverse("admin:privacy_customer_simple_history", args=[special_customer.pk, version.history_id])
    response = client.get(url)
    assert response.status_code == 200
    assert not set(SPECIAL) & set(response.context["adminform"].form.fields)
    html = response.content.decode()
    assert 'name="disability"' not in html and "field-disability" not in html


def _rectification(customer, *, agent, decider):
    return request_in_evaluation(
        customer, type="rectification", agent=agent, decider=decider, details="Labot."
    )


def test_the_rectification_form_leaves_special_fields_out_for_a_decider_without_their_permission(
    client, special_customer
):
    """The roles give the rectification step only to the DPO, who sees special categories; a staff
    member given the step by hand without that permission gets a form without them."""
    agent = in_role("customer_service")
    decider = UserFactory(username="decider")
    decider.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="requests_app",
            codename__in=["view_subjectrequest", "change_subjectrequest", "decide_subjectrequest"],
        )
    )
    subject_request = _rectification(special_customer, agent=agent, decider=decider)
    url = reverse("admin:requests_app_subjectrequest_transition", args=[subject_request.pk, "rectify"])
    client.force_login(agent)
    assert client.get(url).status_code == 403  # intake only: no decisions

    client.force_login(decider)
    response = client.get(url)
    assert response.status_code == 200
    assert not set(SPECIAL) & set(response.context["form"].fields)
    assert "phone" in response.context["form"].fields

    # A forged POST of a special field changes nothing.
    data = {name: response.context["form"][name].value() or "" for name in response.context["form"].fields}
    data.update(phone="+37129995555", disability="")
    client.post(url, data)
    special_customer.refresh_from_db()
    assert special_customer.phone == "+37129995555"
    assert special_customer.disability is True


def test_a_rectification_of_a_special_field_shows_its_values_only_to_the_permitted(client, special_customer):
    dpo = in_role("data_protection_officer")
    subject_request = _rectification(
        special_customer, agent=in_role("customer_service", "registrar"), decider=dpo
    )
    request_services.request_rectify(
        subject_request=subject_request, actor=dpo, changes={"disability": False}
    )
    assert RectificationChange.objects.get(request=subject_request).field_name == "disability"
    url = reverse("admin:requests_app_subjectrequest_change", args=[subject_request.pk])

    client.force_login(in_role("auditor"))
    html = client.get(url).content.decode()
    assert "hidden: special category" in html
    assert "disability" in html  # which field was corrected is not special; its values are

    client.force_login(dpo)
    html = client.get(url).content.decode()
    assert "hidden: special category" not in html


def test_no_staff_export_carries_special_fields():
    """The admin exports (consents ledger and state, audiences) name the customer by number only; the
    subject's own data package holds them by right (Art. 15) and needs the DPO's download permission."""
    from consents.admin import ConsentEventResource, ConsentResource
    from consents.selectors import AUDIENCE_COLUMNS

    for resource in (ConsentEventResource, ConsentResource):
        columns = {field.column_name for field in resource().get_export_fields()}
        assert not set(SPECIAL) & columns, resource
    assert not set(SPECIAL) & set(AUDIENCE_COLUMNS)
