"""No bad input gives a 500 (§22: the back-office stays available and says what is wrong).

Every admin page there is (tests/security/admin_targets.py discovers them from the admin site: each
changelist, add, change, delete, history and version page, each autocomplete, each custom view of the site
and of every ModelAdmin, third-party admins included) is requested as each staff role of
privacy/roles.py and as a superuser, with hostile query strings: dates in year 1 and 9999, year 0, month
13, day 99, numbers too large for any column, NUL, 5,000-character values, unknown lookups, characters at
the edges of Unicode (U+D7FF, U+FFFF, U+10FFFF, a lone combining mark), search terms, orderings and page
numbers. Any answer may be a 200, a redirect, a 400, 403 or 404; none may be a 500.

First a sweep sends every changelist, autocomplete and custom view a different hostile query string per
role (the object pages as a superuser); then Hypothesis combines parameters and values on any page as
any role.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from privacy.roles import ROLES
from tests.factories import UserFactory

from . import admin_targets
from .conftest import in_role

pytestmark = pytest.mark.django_db

ROLE_KEYS = [each.key for each in ROLES] + ["superuser"]

EDGE_CHARACTERS = ["\ud7ff", "\uffff", "\U0010ffff", "\u0301", "\x00"]
EDGE_VALUES = [
    "0001-01-01",
    "9999-12-31",
    "9999-12-31 23:59:59",
    "0001-01-01T00:00:00+14:00",
    "0000-00-00",
    "2024-02-30",
    "0",
    "1",
    "-1",
    "13",
    "99",
    "9999",
    "10000",
    "99999999999999999999",
    "1e400",
    "NaN",
    "abc",
    "",
    "\x00",
    "a\x00b",
    "x" * 5000,
    "ā" * 5000,
    "%",
    "_",
    "\\",
    "'",
    '"',
    "Bērziņš",
    "ruta@example.lv",
    "+37120000000",
    "311299-12345",
    *EDGE_CHARACTERS,
    *(f"Ozol{char}" for char in EDGE_CHARACTERS),
    *(f"12{char}" for char in EDGE_CHARACTERS),
    "\u0301\u0301",
    "x\U0010ffff\U0010ffff",
]
GENERIC_KEYS = [
    "q",
    "o",
    "p",
    "e",
    "all",
    "term",
    "page",
    "as_of",
    "id__gte",
    "pk__in",
    "nonexistent",
    "nonexistent__year",
    "customer__customer_number__startswith",
    "\x00",
]


def _date_keys(model_admin) -> list[str]:
    field = getattr(model_admin, "date_hierarchy", None)
    return [f"{field}__{part}" for part in ("year", "month", "day")] if field else []


def _filter_keys(model_admin) -> list[str]:
    keys = []
    for item in getattr(model_admin, "list_filter", ()):
        if isinstance(item, str):
            keys += [item, f"{item}__exact", f"{item}__isnull", f"{item}__gte", f"{item}__lt"]
        elif isinstance(item, list | tuple):
            keys += [item[0], f"{item[0]}__exact", f"{item[0]}__id__exact"]
        elif hasattr(item, "parameter_name"):
            keys.append(item.parameter_name)
    return keys


def keys_for(target: admin_targets.Target) -> list[str]:
    if target.model_admin is None:
        return GENERIC_KEYS
    return [*GENERIC_KEYS, *_date_keys(target.model_admin), *_filter_keys(target.model_admin)]


def _values():
    edge = st.sampled_from(EDGE_VALUES)
    text = st.text(max_size=12)
    return st.one_of(
        edge,
        text,
        st.integers(min_value=-(10**20), max_value=10**20).map(str),
        st.tuples(text, st.sampled_from(EDGE_CHARACTERS)).map("".join),
    )


@pytest.fixture
def clients(one_of_everything):
    """One logged-in client per staff role and a superuser, answering 500s instead of raising."""
    made = {}
    for key in ROLE_KEYS:
        user = (
            UserFactory(username="no500-root", is_superuser=True)
            if key == "superuser"
            else in_role(key, f"no500-{key}")
        )
        client = Client(raise_request_exception=False)
        client.force_login(user)
        made[key] = client
    return made


def _all_targets() -> list[tuple[admin_targets.Target, dict[str, str]]]:
    plain = [
        *admin_targets.changelists(),
        *admin_targets.custom_urls(),
        *admin_targets.object_pages(),
    ]
    return [(target, {}) for target in plain] + admin_targets.autocompletes()


def hostile_queries(target: admin_targets.Target) -> list[list[tuple[str, str]]]:
    """The hostile query strings of the sweep, each aimed at one kind of failure."""
    model_admin = target.model_admin
    field = getattr(model_admin, "date_hierarchy", None) if model_admin else None
    search = "term" if target.kind == "autocomplete" else "q"
    queries = [
        [(f"{field}__year", "9999")] if field else [("nonexistent__year", "9999")],
        [(search, "\x00")],
        [(search, "Ozol\ud7ff")],
        [(search, "x" * 5000), ("o", "99.-3.abc"), ("p", "99999999999999999999")],
        [(f"{field}__year", "1"), (f"{field}__month", "1")]
        if field
        else [("id__gte", "99999999999999999999")],
        [("as_of", "0001-01-01"), (search, "\U0010ffff")],
        [("as_of", "9999-12-31"), (search, "\u0301")],
        [(f"{field}__year", "2024"), (f"{field}__month", "13")] if field else [("p", "-1"), ("o", "-0")],
        [(key, "\uffff" * 3) for key in _filter_keys(model_admin)[:3]] if model_admin else [("e", "1")],
    ]
    if target.kind == "page":
        queries = [[("_changelist_filters", "q=\x00")], [("_to_field", "nonexistent")], [("_popup", "1")]]
    return queries


class Requester:
    """Sends a GET and records every answer of 500 or more with the exception behind it."""

    def __init__(self, clients):
        self.clients = clients
        self.failures: dict[tuple[str, str], str] = {}

    def get(self, role: str, target: admin_targets.Target, params: list[tuple[str, str]]) -> None:
        # A savepoint per request, rolled back: a database error must not poison the requests after it,
        # and nothing a page writes stays for the next one.
        with transaction.atomic():
            response = self.clients[role].get(target.url, params)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            exc_info = getattr(response, "exc_info", None)
            reason = f"{exc_info[0].__name__}: {exc_info[1]}"[:200] if exc_info else ""
            self.failures.setdefault((target.url, reason), f"{role} {params!r}"[:300])

    def report(self) -> list[str]:
        return [
            f"{url} -> {reason} (e.g. {example})" for (url, reason), example in sorted(self.failures.items())
        ]


def test_every_admin_page_answers_hostile_query_strings_without_a_500(clients):
    """§22: every changelist, autocomplete and custom view as every role, each with several hostile
    query strings in turn, and every object page as a superuser; then Hypothesis combines parameters
    and values on any page as any role."""
    targets = _all_targets()
    assert {target.kind for target, _ in targets} == {"changelist", "custom", "page", "autocomplete"}
    requester = Requester(clients)

    turn = itertools.count()
    for target, base in targets:
        queries = hostile_queries(target)
        roles = ["superuser"] if target.kind == "page" else ROLE_KEYS
        for role in roles:
            requester.get(role, target, [*base.items(), *queries[next(turn) % len(queries)]])

    @settings(
        max_examples=120,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def explore(data):
        role = data.draw(st.sampled_from(ROLE_KEYS), label="role")
        target, base = data.draw(st.sampled_from(targets), label="page")
        pairs = data.draw(
            st.lists(st.tuples(st.sampled_from(keys_for(target)), _values()), max_size=4), label="query"
        )
        requester.get(role, target, [*base.items(), *pairs])

    explore()
    assert requester.report() == []
