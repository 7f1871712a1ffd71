"""Legal holds in the admin (§31): the retention operator, who sees no customer records, sets a hold on a
customer by number; the hold list names customers by number only; a set hold keeps its target."""

import pytest
from django.urls import reverse

from privacy.models import LegalHold

from .conftest import in_role

pytestmark = pytest.mark.django_db

ADD = "admin:privacy_legalhold_add"


def _post(client, **data):
    form = {
        "customer_number": "",
        "content_type": "",
        "object_id": "",
        "reason": "",
        "until": "",
        "released_at": "",
    }
    form.update(data)
    return client.post(reverse(ADD), form)


def test_the_retention_operator_holds_a_customer_by_number(client, special_customer):
    operator = in_role("retention_operator")
    client.force_login(operator)
    assert client.get(reverse("admin:privacy_customer_changelist")).status_code == 403  # no customer records

    response = _post(client, customer_number=special_customer.customer_number, reason="Court order 12/2026")
    assert response.status_code == 302, response.context["adminform"].form.errors
    hold = LegalHold.objects.get()
    assert (hold.customer, hold.set_by, hold.reason) == (special_customer, operator, "Court order 12/2026")

    listing = client.get(reverse("admin:privacy_legalhold_changelist")).content.decode()
    assert special_customer.customer_number in listing
    assert special_customer.last_name not in listing and special_customer.first_name not in listing


def test_an_unknown_number_or_no_target_or_two_targets_is_refused(client, special_customer):
    client.force_login(in_role("retention_operator"))
    unknown = _post(client, customer_number="NOBODY-1", reason="Court order")
    assert unknown.status_code == 200
    assert "customer_number" in unknown.context["adminform"].form.errors

    neither = _post(client, reason="Court order")
    assert neither.status_code == 200 and neither.context["adminform"].form.non_field_errors()

    both = _post(
        client,
        customer_number=special_customer.customer_number,
        content_type=str(LegalHold._meta.get_field("content_type").related_model.objects.first().pk),
        object_id="1",
        reason="Court order",
    )
    assert both.status_code == 200 and both.context["adminform"].form.non_field_errors()
    assert not LegalHold.objects.exists()


def test_a_set_hold_keeps_its_customer_when_released(client, special_customer):
    dpo = in_role("data_protection_officer")
    hold = LegalHold.objects.create(customer=special_customer, reason="Audit", set_by=dpo)
    client.force_login(in_role("retention_operator"))
    url = reverse("admin:privacy_legalhold_change", args=[hold.pk])
    response = client.post(
        url,
        {
            "customer_number": "SOMEONE-ELSE",
            "reason": "Audit",
            "until": "",
            "released_at_0": "2026-11-28",
            "released_at_1": "12:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    hold.refresh_from_db()
    assert hold.customer == special_customer and hold.released_at is not None
