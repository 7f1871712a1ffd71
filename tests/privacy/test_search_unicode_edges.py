"""Searching customers by the start of a last name with characters at the edges of Unicode (§22).

`prefix_filter` serves the search with an index range [prefix, prefix with its last character plus one).
After U+D7FF comes a surrogate, which PostgreSQL refuses: the customer list and every autocomplete of
customers answered 500 for a search ending in U+D7FF.
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from privacy.admin_utils import prefix_filter, prefix_upper_bound
from privacy.models import Customer
from tests.factories import CustomerFactory, UserFactory
from tests.security.conftest import in_role

EDGES = ["\ud7ff", "\uffff", "\U0010ffff", "\u0301"]


@pytest.mark.parametrize(
    ("prefix", "upper"),
    [
        ("Ozol", "Ozom"),
        ("Ozol\ud7ff", "Ozol\ue000"),  # the surrogates are skipped
        ("\ud7ff", "\ue000"),
        ("Ozol\uffff", "Ozol\U00010000"),
        ("Ozol\U0010ffff", "Ozom"),  # no character after U+10FFFF: the one before it goes up
        ("Oz\U0010ffff\U0010ffff", "O{"),
        ("\U0010ffff", None),
        ("", None),
        ("\u0301", "\u0302"),
    ],
)
def test_the_upper_bound_of_a_prefix_is_always_a_valid_string(prefix, upper):
    assert prefix_upper_bound(prefix) == upper
    if upper is not None:
        assert not any(0xD800 <= ord(char) <= 0xDFFF for char in upper)
        assert prefix < upper


EDGY_TEXT = st.text(
    alphabet=st.one_of(st.characters(), st.sampled_from([*EDGES, "\ud7fe", "\ue000", "\U0010fffe"])),
    max_size=6,
)


@given(prefix=EDGY_TEXT, suffix=EDGY_TEXT, other=EDGY_TEXT)
def test_the_range_holds_exactly_the_strings_with_the_prefix(prefix, suffix, other):
    """In code-point order (the database's C collation): every string starting with the prefix lies in
    [prefix, upper), every other string outside it, and the bound is a string the database accepts."""
    upper = prefix_upper_bound(prefix)
    if upper is None:
        return
    assert not any(0xD800 <= ord(char) <= 0xDFFF for char in upper)
    assert prefix <= prefix + suffix < upper
    if not other.startswith(prefix):
        assert not (prefix <= other < upper)


@pytest.mark.django_db
@pytest.mark.parametrize("edge", EDGES)
def test_a_last_name_with_an_edge_character_is_found_by_its_prefix(edge):
    wanted = CustomerFactory(last_name=f"Ozol{edge}iņa")
    CustomerFactory(last_name="Ozols")
    CustomerFactory(last_name="Ozom")
    found = prefix_filter(Customer.objects.all(), "last_name", f"Ozol{edge}")
    assert list(found) == [wanted]


@pytest.mark.django_db
@pytest.mark.parametrize("edge", EDGES)
def test_the_customer_list_and_its_autocompletes_answer_a_search_ending_at_a_unicode_edge(edge):
    """As the agent who registers requests types it: the customer list and the customer autocomplete of
    a request; and as a superuser on every autocomplete of customers."""
    CustomerFactory(last_name="Ozoliņa")
    wanted = CustomerFactory(last_name=f"Ozol{edge}")
    agent = Client(raise_request_exception=False)
    agent.force_login(in_role("customer_service", "search-agent"))
    root = Client(raise_request_exception=False)
    root.force_login(UserFactory(username="search-root", is_superuser=True))

    for client in (agent, root):
        response = client.get(reverse("admin:privacy_customer_changelist"), {"q": f"ozol{edge}"})
        assert response.status_code == 200
        # The list searches names diacritic-free (privacy/search.py): a lone combining mark folds away,
        # so "ozol\u0301" also finds Ozoliņa; the wanted customer is always among the results.
        assert wanted in list(response.context["cl"].result_list)

    sources = [
        ("requests_app", "subjectrequest", "customer", agent),
        ("requests_app", "subjectrequest", "customer", root),
        ("privacy", "contract", "customer", root),
        ("consents", "consentevent", "customer", root),
    ]
    for app_label, model_name, field_name, client in sources:
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field_name,
                "term": f"Ozol{edge}",
            },
        )
        assert response.status_code == 200, (app_label, model_name)
        assert str(wanted.pk) in [row["id"] for row in response.json()["results"]]
