"""Legal holds in the admin (§31): the retention operator, who sees no customer records, sets a hold on a
customer by number; the hold list names customers by number only; a set hold keeps its target, reason and
end, and is only released, through `privacy.services.legal_hold_release`, by a role that may change holds.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

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
    response = client.post(url, {"customer_number": "SOMEONE-ELSE", "release": "on"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    hold.refresh_from_db()
    assert hold.customer == special_customer and hold.released_at is not None


def _released_hold(customer, **kwargs) -> LegalHold:
    dpo = in_role("data_protection_officer", "dpo")
    released_at = timezone.now() - datetime.timedelta(days=3)
    return LegalHold.objects.create(
        customer=customer, reason="Audit", set_by=dpo, released_at=released_at, **kwargs
    )


def _release_action(client, *holds):
    return client.post(
        reverse("admin:privacy_legalhold_changelist"),
        {"action": "release_holds", "_selected_action": [str(hold.pk) for hold in holds]},
    )


@pytest.mark.parametrize("role_key", ["auditor", "customer_service"])
def test_31_a_forged_release_by_a_role_without_permission_changes_nothing(client, special_customer, role_key):
    hold = LegalHold.objects.create(
        customer=special_customer, reason="Court", set_by=in_role("retention_operator")
    )
    client.force_login(in_role(role_key))

    change = client.post(reverse("admin:privacy_legalhold_change", args=[hold.pk]), {"release": "on"})
    _release_action(client, hold)

    assert change.status_code == 403
    hold.refresh_from_db()
    assert hold.released_at is None and hold.history.count() == 1


def test_31_the_release_action_releases_through_the_service_and_names_who(client, special_customer):
    operator = in_role("retention_operator")
    in_force = LegalHold.objects.create(customer=special_customer, reason="Court", set_by=operator)
    released = _released_hold(special_customer)
    before = released.released_at
    client.force_login(operator)

    response = _release_action(client, in_force, released)

    assert response.status_code == 302
    in_force.refresh_from_db()
    released.refresh_from_db()
    assert in_force.released_at is not None and released.released_at == before
    assert in_force.history.latest("history_id").history_user == operator
    assert released.history.count() == 1


@pytest.mark.parametrize(
    "forged",
    [
        {"released_at_0": "", "released_at_1": ""},  # un-release it
        {"released_at_0": "9999-12-31", "released_at_1": "23:59:59"},
        {"until": "9999-12-31", "reason": "x" * 5000},
        {"release": "on", "reason": "Nav\x00pamata"},
    ],
)
def test_31_a_forged_post_on_a_released_hold_changes_neither_its_release_nor_its_reason(
    client, special_customer, forged
):
    """A released hold is evidence: its release (when, by whom), reason and end stay as they were."""
    hold = _released_hold(special_customer)
    before = (hold.released_at, hold.reason, hold.until)
    client.force_login(in_role("retention_operator"))

    response = client.post(
        reverse("admin:privacy_legalhold_change", args=[hold.pk]), {"reason": "Audit", "until": "", **forged}
    )

    assert response.status_code in (200, 302)
    hold.refresh_from_db()
    assert (hold.released_at, hold.reason, hold.until) == before
    assert hold.history.count() == 1
