"""The customer overview page (§36–37: everything held on one person, on one page), within the viewer's
permissions (Annex 1 cat. 3 special categories only with `privacy.view_special_categories`), with a
query count that does not grow with the customer's records."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consents.models import Consent
from privacy.models import Customer, Invoice, LegalHold
from retention import overview
from tests.consents.factories import one_of_each_consent_kind
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory, RecordingFactory, UserFactory
from tests.requests_app.factories import ComplaintFactory, SubjectRequestFactory
from tests.security.conftest import in_role

pytestmark = pytest.mark.django_db


def _url(customer, **params):
    url = reverse("customer-overview", args=[customer.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def vija():
    customer = CustomerFactory(
        first_name="Vija", last_name="Bērziņa", residency="non_resident", disability=True, deceased=False
    )
    ContractFactory(customer=customer, number="L00000077-1", last_service_use=datetime.date(2026, 11, 30))
    InvoiceFactory(customer=customer, number="R-KEPT", outstanding_debt=Decimal("12.50"))
    RecordingFactory(customer=customer)
    SubjectRequestFactory(customer=customer)
    ComplaintFactory(customer=customer)
    return customer


def _invoices(customer, n):
    start = Invoice.objects.filter(customer=customer).count()
    Invoice.objects.bulk_create(
        Invoice(
            customer=customer,
            number=f"B{customer.pk}-{start + i:06d}",
            issue_date=datetime.date(2022, 1, 1) + datetime.timedelta(days=i % 1500),
            amount=Decimal("10.00"),
        )
        for i in range(n)
    )


def test_the_query_count_is_the_same_with_10_and_with_10000_invoices(client):
    """At any number of invoices the page costs the same: invoices are paged and totalled in SQL."""
    client.force_login(UserFactory(username="root", is_superuser=True))
    few, many = CustomerFactory(), CustomerFactory()
    _invoices(few, 10)
    _invoices(many, 10_000)
    counts = {}
    for customer in (few, many):
        client.get(_url(customer))  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(_url(customer))
        assert response.status_code == 200
        counts[customer.pk] = len(captured.captured_queries)
    assert counts[few.pk] == counts[many.pk]
    assert counts[many.pk] <= 30
    page = response.content.decode()
    assert "10000" in page and "100000.00" in page  # the total over every invoice, not the page
    assert page.count(f"B{many.pk}-") == overview.PAGE_SIZE


def test_invoice_pages_walk_to_the_last_invoice(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    customer = CustomerFactory()
    _invoices(customer, 45)
    last = client.get(_url(customer, invoices=3)).content.decode()
    assert last.count(f"B{customer.pk}-") == 5
    assert client.get(_url(customer, invoices=999)).status_code == 200
    assert client.get(_url(customer, invoices="x")).status_code == 200
    assert client.get(_url(customer, invoices="x\x00")).status_code == 400  # NUL: privacy/admin_input.py


def test_the_agent_sees_the_customer_but_no_special_categories(client, vija):
    """Annex 1 cat. 3 (resident status, deceased, disability mark) stay hidden from the agent."""
    client.force_login(in_role("customer_service"))
    response = client.get(_url(vija))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bērziņa" in page and "L00000077-1" in page and "R-KEPT" in page
    assert "disability mark" not in page and "resident status" not in page and "non-resident" not in page
    assert "ov-protection" in page
    # The agent may register a request and record a consent, but sets no hold.
    assert reverse("admin:requests_app_subjectrequest_add") + f"?customer={vija.pk}" in page
    assert reverse("admin:consents_consentevent_add") + f"?customer={vija.pk}" in page
    assert reverse("admin:privacy_legalhold_add") not in page


def test_the_dpo_sees_special_categories_and_may_set_a_hold(client, vija):
    client.force_login(in_role("data_protection_officer"))
    page = client.get(_url(vija)).content.decode()
    assert "disability mark" in page.lower() and "non-resident" in page
    assert reverse("admin:privacy_legalhold_add") + f"?customer_number={vija.customer_number}" in page


def test_a_role_without_customers_is_refused(client, vija):
    client.force_login(in_role("retention_operator"))
    assert client.get(_url(vija)).status_code == 403


def test_consents_show_state_channel_policy_and_link_to_the_ledger(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    one_of_each_consent_kind(CustomerFactory())
    consent = Consent.objects.select_related("customer", "topic").get()
    page = client.get(_url(consent.customer)).content.decode()
    assert str(consent.topic) in page and consent.get_channel_display() in page
    assert (
        reverse("admin:consents_consentevent_changelist") + f"?customer__id__exact={consent.customer_id}"
        in page
    )


def test_a_kept_invoice_says_why_and_until_when(client, vija):
    """§31.2: an open debt keeps the invoice; the Accounting Law keeps it at least 5 years counted
    from the end of its year (§31.3), the day the retention sweep counts (test_invoice_keeping.py)."""
    client.force_login(UserFactory(username="root", is_superuser=True))
    page = client.get(_url(vija)).content.decode()
    invoice = Invoice.objects.get(number="R-KEPT")
    until = datetime.date(invoice.issue_date.year + 5, 12, 31)
    assert f"kept at least until {until:%Y-%m-%d}: Accounting Law (§31.3); open debt (§31)" in page


def test_the_timeline_is_newest_first_with_the_staff_member(client, vija):
    dpo = UserFactory(username="anna-dpo")
    vija.email = "vija@example.lv"
    vija._history_user = dpo
    vija.save()
    LegalHold.objects.create(customer=vija, reason="Tiesvedība", set_by=dpo, set_at=timezone.now())
    client.force_login(UserFactory(username="root", is_superuser=True))
    data = overview.customer_overview(vija, user=UserFactory(username="root2", is_superuser=True))
    whens = [entry.when for entry in data["timeline"]["rows"]]
    assert whens == sorted(whens, reverse=True)
    assert any(entry.actor == dpo for entry in data["timeline"]["rows"])
    assert "anna-dpo" in client.get(_url(vija)).content.decode()


def test_the_customer_page_and_the_lists_link_to_the_overview(client, vija):
    client.force_login(UserFactory(username="root", is_superuser=True))
    link = _url(vija)
    assert link in client.get(reverse("admin:privacy_customer_change", args=[vija.pk])).content.decode()
    for name in ["privacy_invoice", "privacy_contract", "privacy_recording", "requests_app_subjectrequest"]:
        assert link in client.get(reverse(f"admin:{name}_changelist")).content.decode(), name


def test_an_unknown_customer_is_404(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get(reverse("customer-overview", args=[987654])).status_code == 404
    assert Customer.objects.count() == 0


def test_an_anonymous_visitor_is_sent_to_the_login(client, vija):
    response = client.get(_url(vija))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
