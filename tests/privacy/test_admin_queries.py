"""The admin at scale (issue 2, items 6 and 9): pinned query counts, no full-table COUNT(*), no full scan
for the date hierarchy, every customer search an index lookup."""

import datetime
import re

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from privacy import demo
from privacy.admin_utils import EstimatedCountPaginator, _sorts_by_code_point, with_probed_dates
from privacy.models import AccessLog, Contract, Customer, Disclosure, Invoice, LegalHold, Recording
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BIG_TABLES = [Customer, Contract, Invoice, Recording, Disclosure, AccessLog, LegalHold]
FULL_COUNT = re.compile(r'SELECT COUNT\(\*\) (AS "__count" )?FROM "privacy_\w+"\s*$')
DATE_TRUNC = re.compile(r"DATE_TRUNC|django_date(time)?_trunc", re.IGNORECASE)


@pytest.fixture
def demo_data():
    demo.seed_demo(customers=150, jobs=1, files=False)
    with connection.cursor() as cursor:  # planner statistics, as after a real bulk load
        for model in BIG_TABLES:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


@pytest.fixture
def staff(client):
    """A superuser's client. The pins count what a page asks in a running server, whose content types
    are cached after its first request: warmed here, or a test's count would depend on which tests
    ran before it in the same process (the invoice list looks up its content type for the holds)."""
    ContentType.objects.get_for_models(*django_apps.get_models())
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


@pytest.fixture
def as_if_large(monkeypatch):
    """Treat the small test tables as large: the estimated count and the bounded count kick in."""
    monkeypatch.setattr(EstimatedCountPaginator, "ESTIMATE_FROM", 1)
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_UP_TO", 5)


def _get(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, params)
    return response, [query["sql"] for query in captured.captured_queries]


def _changelist(model):
    return reverse(f"admin:privacy_{model._meta.model_name}_changelist")


def _no_full_scan_sql(queries, counted=True):
    if counted:
        assert not [sql for sql in queries if FULL_COUNT.search(sql)], "a full-table COUNT(*)"
    assert not [sql for sql in queries if DATE_TRUNC.search(sql)], "a DISTINCT date_trunc over every row"


def test_customer_changelist_query_count(demo_data, staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = staff.get(_changelist(Customer))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 50


@pytest.mark.parametrize("model", BIG_TABLES, ids=lambda m: m.__name__)
def test_large_changelists_count_nothing_and_scan_nothing(demo_data, staff, as_if_large, model):
    large = model.objects.count() > 5  # empty or tiny tables are counted exactly, which is cheap
    response, queries = _get(staff, _changelist(model))
    _no_full_scan_sql(queries, counted=large)
    assert len(queries) <= 12
    if large:
        assert "reltuples" in " ".join(queries)  # the unfiltered count is the planner's estimate


def test_date_hierarchy_lists_the_same_periods_as_django_but_by_index_probes(demo_data, staff, as_if_large):
    url = _changelist(Customer)
    years = sorted(
        {timezone.localtime(at).year for at in Customer.objects.values_list("registered_at", flat=True)}
    )
    response, queries = _get(staff, url)
    _no_full_scan_sql(queries)
    assert [int(c["title"]) for c in _hierarchy(response)] == years
    year = years[len(years) // 2]
    response, queries = _get(staff, url, {"registered_at__year": year})
    _no_full_scan_sql(queries)
    in_year = [timezone.localtime(at) for at in Customer.objects.values_list("registered_at", flat=True)]
    months = sorted({at.month for at in in_year if at.year == year})
    assert [link["link"] for link in _hierarchy(response)] == [
        f"?registered_at__month={m}&registered_at__year={year}" for m in months
    ]
    response, queries = _get(staff, url, {"registered_at__year": year, "registered_at__month": months[0]})
    _no_full_scan_sql(queries)
    days = sorted({at.day for at in in_year if at.year == year and at.month == months[0]})
    assert [
        int(link["link"].split("registered_at__day=")[1].split("&")[0]) for link in _hierarchy(response)
    ] == days


def _hierarchy(response):
    from django.contrib.admin.templatetags.admin_list import date_hierarchy

    return date_hierarchy(response.context["cl"])["choices"]


@pytest.mark.parametrize("kind", ["year", "month", "day"])
def test_probed_dates_equal_djangos_for_dates_and_datetimes(demo_data, kind):
    contracts = Contract.objects.filter(type=Contract.Type.POSTPAID)
    assert list(with_probed_dates(contracts).dates("start_date", kind)) == list(
        contracts.dates("start_date", kind)
    )
    assert list(with_probed_dates(contracts).dates("start_date", kind, order="DESC")) == list(
        contracts.dates("start_date", kind, order="DESC")
    )
    recent = Customer.objects.filter(registered_at__gte=timezone.now() - datetime.timedelta(days=400))
    probed = list(with_probed_dates(recent).datetimes("registered_at", kind))
    assert probed == list(recent.datetimes("registered_at", kind))


def test_search_by_personal_code_is_one_index_lookup(demo_data, staff, django_assert_max_num_queries):
    customer = Customer.objects.exclude(personal_code="").order_by("id")[40]
    with django_assert_max_num_queries(12):
        response = staff.get(_changelist(Customer), {"q": customer.personal_code.replace("-", "")})
    assert list(response.context["cl"].result_list) == [customer]


def test_last_name_prefix_search_uses_the_name_index(
    demo_data, staff, as_if_large, django_assert_max_num_queries
):
    """One or two letters are a last-name prefix (longer words go to the trigram index: privacy/search.py)."""
    surname = Customer.objects.filter(last_name__startswith="B").values_list("last_name", flat=True).first()
    prefix = surname[:2]
    with django_assert_max_num_queries(13):
        response, queries = _get(staff, _changelist(Customer), {"q": prefix.lower()})
    found = set(response.context["cl"].queryset.values_list("id", flat=True))
    assert found == set(Customer.objects.filter(last_name__startswith=prefix).values_list("id", flat=True))
    _no_full_scan_sql(queries)
    if _sorts_by_code_point(connection.alias):
        # An ordinary b-tree range on last_name (the customer_name index), not only LIKE 'x%'.
        assert any('"last_name" >= ' in sql and '"last_name" < ' in sql for sql in queries)


def test_many_search_results_are_counted_up_to_a_bound_then_estimated(demo_data, staff, as_if_large):
    response, queries = _get(staff, _changelist(Customer), {"kind__exact": "subscriber"})
    counts = [sql for sql in queries if "COUNT(*)" in sql]
    assert counts and all("LIMIT 6" in sql for sql in counts)
    assert any(sql.startswith("EXPLAIN") for sql in queries)
    assert response.context["cl"].result_count > 5


def test_customer_change_page_query_count(demo_data, staff, django_assert_max_num_queries):
    busy = Customer.objects.filter(kind="subscriber", contracts__isnull=False).order_by("-id").first()
    linked = Customer.objects.filter(belongs_to__isnull=False).first()
    for customer in (busy, linked):
        with django_assert_max_num_queries(10):
            response = staff.get(reverse("admin:privacy_customer_change", args=[customer.pk]))
        assert response.status_code == 200
    assert (
        busy.contracts.first().number in response.content.decode()
        or linked.belongs_to.customer_number in (response.content.decode())
    )


def test_every_privacy_admin_keeps_autocomplete_and_select_related():
    for model in (Contract, Invoice, Recording, Disclosure, LegalHold):
        model_admin = admin.site._registry[model]
        assert "customer" in model_admin.list_select_related, model.__name__
        if model is LegalHold:  # the customer is typed by number: no list of customers at all
            assert "customer" not in model_admin.form.base_fields
            assert "customer_number" in model_admin.form.base_fields
        else:
            assert "customer" in model_admin.autocomplete_fields, model.__name__
    assert admin.site._registry[Customer].autocomplete_fields == ["belongs_to"]
    assert admin.site._registry[Invoice].autocomplete_fields == ["customer", "contract"]
