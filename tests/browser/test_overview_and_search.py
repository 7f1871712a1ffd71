"""The customer overview and the person search in a real browser (§36–37, Annex 1 cat. 3).

- an agent finds Vija Bērziņa by "berzina vija", opens her overview from her page, sees no special
  categories, and registers a request for her in one click (the customer preselected);
- the DPO sees her special categories on the overview and sets a hold in one click (her number filled in);
- the full-name and diacritic-free searches find her in the customer list and the request queue.
Screenshots: test-artifacts/browser/<test>/.
"""

import re

import pytest

from tests.browser.test_flows import log_in, staff
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory
from tests.requests_app.factories import SubjectRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def vija(seeded):
    customer = CustomerFactory(
        first_name="Vija",
        last_name="Bērziņa",
        residency="non_resident",
        disability=True,
        phone="+37126543210",
    )
    CustomerFactory(first_name="Jānis", last_name="Bērziņš")
    CustomerFactory(first_name="Vija", last_name="Kalniņa")
    ContractFactory(customer=customer, number="L00000077-1")
    InvoiceFactory(customer=customer, number="R-VIJA-1")
    return customer


def search(page, path: str, term: str) -> list[str]:
    page.goto(page.base_url + path)
    page.fill("#searchbar", term)
    page.press("#searchbar", "Enter")
    page.wait_for_selector("#result_list, p.paginator")
    return page.locator("#result_list tbody tr").all_inner_texts()


def test_an_agent_finds_her_by_name_and_works_from_the_overview(page, vija):
    staff("customer_service", "agent-liga")
    log_in(page, "agent-liga")
    rows = search(page, "/admin/privacy/customer/", "berzina vija")
    page.shot("search-berzina-vija")
    assert len(rows) == 1 and "Bērziņa" in rows[0]
    page.click(f"#result_list a:has-text('{vija.customer_number}')")
    page.click("#customer-overview-link")
    page.wait_for_selector("#customer-overview")
    page.shot("overview-as-agent")
    text = page.inner_text("#customer-overview")
    assert "Bērziņa" in text and "L00000077-1" in text and "R-VIJA-1" in text
    assert "disability" not in text.lower() and "resident status" not in text.lower()
    assert page.locator("#overview-actions a:has-text('Set a hold')").count() == 0
    page.click("#overview-actions a:has-text('Register a request')")
    page.wait_for_selector("#subjectrequest_form")
    page.shot("request-add-preselected")
    assert vija.customer_number in page.inner_text(".field-customer")


def test_the_dpo_sees_special_categories_and_sets_a_hold_in_one_click(page, vija):
    staff("data_protection_officer", "dpo-anna")
    log_in(page, "dpo-anna")
    page.goto(page.base_url + f"/admin/customers/{vija.pk}/overview/")
    page.wait_for_selector("#customer-overview")
    page.shot("overview-as-dpo")
    identity = page.inner_text("#ov-identity")
    assert re.search(r"disability mark", identity, re.IGNORECASE) and "non-resident" in identity
    page.click("#overview-actions a:has-text('Set a hold')")
    page.wait_for_selector("#legalhold_form")
    page.shot("hold-add-prefilled")
    assert page.input_value("#id_customer_number") == vija.customer_number


def test_full_name_and_diacritic_free_search_in_the_list_and_the_queue(page, vija):
    request = SubjectRequestFactory(customer=vija)
    SubjectRequestFactory()
    staff("data_protection_officer", "dpo-search")
    log_in(page, "dpo-search")
    for term in ["Bērziņa Vija", "Vija Bērziņa", "berzina", "+371 2654 3210"]:
        rows = search(page, "/admin/privacy/customer/", term)
        assert len(rows) == 1 and vija.customer_number in rows[0], term
    page.shot("customer-list-berzina")
    rows = search(page, "/admin/requests_app/subjectrequest/", "vija berzina")
    page.shot("queue-vija-berzina")
    assert len(rows) == 1 and str(request) in rows[0]
