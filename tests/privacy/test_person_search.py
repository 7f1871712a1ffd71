"""Search that finds people (§5, §36–37: a data subject names themselves however they like): full name in
either order, any part, without diacritics; phone in any common form; email, personal code, customer
and contract number; an erased customer by their old number through the erasure ledger's hash (§38–39).
The same search in the request and complaint queues. On PostgreSQL (unaccent + pg_trgm)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from privacy import search
from privacy.erasure import erase_subject
from privacy.models import Customer
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory
from tests.requests_app.factories import ComplaintFactory, SubjectRequestFactory

pytestmark = pytest.mark.django_db

CUSTOMERS = "admin:privacy_customer_changelist"


@pytest.fixture
def vija():
    """Vija Bērziņa among namesakes that must not match."""
    target = CustomerFactory(
        first_name="Vija",
        last_name="Bērziņa",
        phone="+37126543210",
        email="vija.berzina@example.lv",
        personal_code="150372-11223",
    )
    CustomerFactory(first_name="Jānis", last_name="Bērziņš")
    CustomerFactory(first_name="Vija", last_name="Kalniņa")
    CustomerFactory(first_name="Anna", last_name="Ozoliņa")
    return target


def _found(client, term, url=CUSTOMERS):
    response = client.get(reverse(url), {"q": term})
    assert response.status_code == 200, term
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize(
    "term",
    [
        "Vija Bērziņa",
        "Bērziņa Vija",  # either order
        "vija berzina",  # without diacritics
        "berzina",
        "BERZINA",
        "Bērziņa",
        "rziņa",  # any part
        "vija  berz",
        "Bērziņa, Vija",
    ],
)
def test_full_name_in_either_order_any_part_without_diacritics_finds_her(root_client, vija, term):
    assert _found(root_client, term) == [vija]


def test_a_first_name_alone_finds_every_vija(root_client, vija):
    assert {c.last_name for c in _found(root_client, "vija")} == {"Bērziņa", "Kalniņa"}


@pytest.mark.parametrize("term", ["+371 2654 3210", "+37126543210", "26543210", "2654 3210", "0037126543210"])
def test_phone_in_any_common_form(root_client, vija, term):
    assert _found(root_client, term) == [vija]


def test_email_personal_code_customer_and_contract_number(root_client, vija):
    contract = ContractFactory(customer=vija, number="L00012345-1")
    for term in [
        "vija.berzina@example.lv",
        "150372-11223",
        "15037211223",
        vija.customer_number,
        contract.number,
    ]:
        assert _found(root_client, term) == [vija], term
    assert _found(root_client, contract.number.lower()) == [vija]


def test_the_name_search_uses_the_trigram_index():
    """At a million customers a sequential scan is what this index exists to avoid (bench/admin_scale.py)."""
    qs = search.customers_matching("vija berzina")
    with connection.cursor() as cursor:  # a tiny test table: forbid the scans a big one would not pick
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = qs.explain()
    assert "customer_name_trgm" in plan


def test_the_name_search_folds_no_row_at_query_time():
    """§36–37 at a million customers (bench/admin_scale.py): the folded name is stored, so the search
    compares it as it is instead of running `unaccent` on every candidate row (which made "berzins"
    miss its 150 ms)."""
    qs = search.customers_matching("berzina").order_by("-id")[:50]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "search_name" in plan
    assert "privacy_person_name" not in plan and "unaccent" not in plan


def test_the_stored_folded_name_follows_every_change_of_the_name(root_client, vija):
    """A rename (the form's save or a bulk update) is found by its new name at once, never by the old."""
    vija.last_name = "Ābele"
    vija.save()
    assert _found(root_client, "abele vija") == [vija]
    assert _found(root_client, "berzina") == []
    Customer.objects.filter(pk=vija.pk).update(first_name="Līva")
    assert _found(root_client, "liva abele") == [vija]
    assert _found(root_client, "vija abele") == []


def test_the_stored_name_is_found_through_a_subquery_too(vija):
    """The request and complaint queues filter by customer through a subquery (the customer table
    aliased): the stored column is named through that alias."""
    request = SubjectRequestFactory(customer=vija)
    SubjectRequestFactory(customer=CustomerFactory(first_name="Anna", last_name="Ozoliņa"))
    from requests_app.models import SubjectRequest

    found = SubjectRequest.objects.filter(customer__in=search.customers_matching("berzina vija"))
    assert list(found) == [request]


def test_an_erased_customer_is_found_by_their_old_number_and_shown_as_erased(root_client, vija):
    """§38–39: the invoice is kept under the Accounting Law, so the customer stays as a tombstone; its
    old number is gone from the row but its keyed hash is in the erasure ledger."""
    InvoiceFactory(customer=vija, issue_date=timezone.localdate() - datetime.timedelta(days=30))
    old_number = vija.customer_number
    record = erase_subject(vija, reason="test", actor=None)
    vija.refresh_from_db()
    assert vija.status == Customer.Status.TOMBSTONE and vija.customer_number != old_number

    response = root_client.get(reverse(CUSTOMERS), {"q": old_number}, follow=True)
    assert list(response.context["cl"].result_list) == [vija]
    page = response.content.decode()
    assert str(Customer.Status.TOMBSTONE.label) in page
    assert reverse("admin:privacy_erasurerecord_change", args=[record.pk]) in page


def test_a_deleted_customer_leaves_only_the_erasure_record_to_show(root_client):
    gone = CustomerFactory(first_name="Ēriks", last_name="Zariņš")
    old_number = gone.customer_number
    record = erase_subject(gone, reason="test", actor=None)
    assert not Customer.objects.filter(pk=gone.pk).exists()
    response = root_client.get(reverse(CUSTOMERS), {"q": old_number})
    assert list(response.context["cl"].result_list) == []
    assert reverse("admin:privacy_erasurerecord_change", args=[record.pk]) in response.content.decode()


QUEUES = [
    CUSTOMERS,
    "admin:requests_app_subjectrequest_changelist",
    "admin:requests_app_complaint_changelist",
]


@pytest.mark.parametrize("term", ["ber\x00zina", "\x00", "x" * 5000, "a " * 2500, "C0000\x001", "%", "_"])
def test_hostile_terms_answer_without_error(root_client, vija, term):
    """No 500: a NUL anywhere in a query string is refused as a bad request (privacy/admin_input.py,
    PostgreSQL refuses NUL in text); anything else is searched."""
    for url in QUEUES:
        response = root_client.get(reverse(url), {"q": term})
        assert response.status_code == (400 if "\x00" in term else 200), (url, term)


@pytest.mark.parametrize("raw", ["%ED%A0%80berzina", "%00", "%FF%FE", "berzina%ED%B0%80"])
def test_undecodable_bytes_answer_without_error(root_client, vija, raw):
    """A lone surrogate cannot reach Django as one (the query string is decoded with replacement);
    the bytes that would encode it must not break the search either."""
    for url in QUEUES:
        expected = 400 if raw == "%00" else 200  # a NUL is a bad request (privacy/admin_input.py)
        assert root_client.get(f"{reverse(url)}?q={raw}").status_code == expected, (url, raw)


def test_clean_drops_nul_and_lone_surrogates():
    assert search.clean(" ber\x00zi\ud800na ") == "berzina"
    assert len(search.clean("x" * 5000)) == search.MAX_TERM


def test_a_percent_sign_is_not_a_wildcard(root_client, vija):
    assert _found(root_client, "%") == []
    assert _found(root_client, "b_rzina") == []


def test_the_request_and_complaint_queues_find_her_the_same_way(root_client, vija):
    request = SubjectRequestFactory(customer=vija)
    SubjectRequestFactory()
    complaint = ComplaintFactory(customer=vija)
    ComplaintFactory()
    for term in ["berzina vija", "+371 2654 3210", vija.customer_number]:
        assert _found(root_client, term, "admin:requests_app_subjectrequest_changelist") == [request], term
        assert _found(root_client, term, "admin:requests_app_complaint_changelist") == [complaint], term
