"""Query strings the admin cannot use get the admin's own answer, not a 500 (§22), on every admin of the
site, Django's, django-celery-beat's and django-axes' included (privacy/admin_input.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory

from . import admin_targets

pytestmark = pytest.mark.django_db

BAD_DATES = [
    {"year": "9999"},  # Django adds a year: 10000
    {"year": "9999", "month": "12"},  # adds 32 days
    {"year": "9999", "month": "12", "day": "31"},  # adds a day
    {"year": "1"},  # Riga's midnight of 1 January of year 1 is in year 0 in UTC
    {"year": "0"},
    {"year": "10000"},
    {"year": "-1"},
    {"year": "99999999999999999999"},
    {"year": "2024", "month": "13"},
    {"year": "2024", "month": "0"},
    {"year": "2024", "month": "2", "day": "30"},
    {"year": "2024", "month": "1", "day": "99"},
    {"year": "abc"},
    {"year": "2024", "month": "x"},
    {"year": ""},
    {"month": "99999999999999999999"},
    {"day": "-5"},
]


@pytest.fixture
def root(one_of_everything):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="query-root", is_superuser=True))
    return client


def _with_date_hierarchy():
    return [target for target in admin_targets.changelists() if target.model_admin.date_hierarchy]


def test_the_date_hierarchies_are_discovered_third_party_ones_included():
    labels = {target.model_admin.model._meta.label for target in _with_date_hierarchy()}
    assert {"consents.ConsentImport", "axes.AccessAttempt", "django_celery_beat.PeriodicTask"} <= labels


def test_an_impossible_date_hierarchy_filter_gives_the_unfiltered_list_on_every_changelist(root):
    """`?<field>__year=9999` and friends: the redirect to `?e=1` Django gives for other bad filters."""
    wrong = []
    for target in _with_date_hierarchy():
        field = target.model_admin.date_hierarchy
        for parts in BAD_DATES:
            params = {f"{field}__{part}": value for part, value in parts.items()}
            response = root.get(target.url, params)
            if response.status_code != 302 or response["Location"] != f"{target.url}?e=1":
                exc = getattr(response, "exc_info", None)
                wrong.append(f"{target.url} {params}: {response.status_code} {exc[1] if exc else ''}")
    assert wrong == []


def test_a_possible_date_hierarchy_filter_still_filters(root):
    for target in _with_date_hierarchy():
        field = target.model_admin.date_hierarchy
        for parts in (
            {"year": "2"},
            {"year": "9998", "month": "12", "day": "31"},
            {"year": "2024", "month": "2"},
        ):
            params = {f"{field}__{part}": value for part, value in parts.items()}
            response = root.get(target.url, params)
            assert response.status_code == 200, (target.url, params)


def test_a_nul_in_a_search_or_an_autocomplete_term_is_a_bad_request(root):
    """PostgreSQL refuses NUL in text: the search and the autocomplete answered 500."""
    wrong = []
    for target in admin_targets.changelists():
        if target.model_admin.search_fields:
            for q in ("\x00", "Bērziņš\x00", "\x00" * 5000):
                status = root.get(target.url, {"q": q}).status_code
                if status != 400:
                    wrong.append(f"{target.url} q={q[:10]!r}: {status}")
    for target, params in admin_targets.autocompletes():
        status = root.get(target.url, {**params, "term": "\x00"}).status_code
        if status != 400:
            wrong.append(f"autocomplete {params}: {status}")
    assert wrong == []
    assert root.get(admin_targets.changelists()[0].url, {"q": "x", "\x00": "1"}).status_code == 400


def test_filters_an_export_page_cannot_apply_give_the_unfiltered_page(root):
    """The export pages of django-import-export build a ChangeList of their own, outside the changelist
    view that catches refused filters."""
    for name in ("consents_consent_export", "consents_consentevent_export"):
        from django.urls import reverse

        url = reverse(f"admin:{name}")
        response = root.get(url, {"topic__lt": "not-a-number"})
        assert response.status_code == 302 and response["Location"] == f"{url}?e=1", name
        assert root.get(response["Location"]).status_code == 200
        assert root.get(url, {"topic__lt": "x", "e": "1"}).status_code == 400


@pytest.mark.parametrize(
    "drill", [{}, {"issue_date__year": "9999"}, {"issue_date__year": "9999", "issue_date__month": "12"}]
)
def test_an_invoice_dated_9999_12_31_lists_and_navigates_by_date_without_a_500(root, drill):
    """A year-9999 date typed into an invoice (§31 keeps invoices for years) must not break the list's
    date navigation: the period after 9999-12-31 does not exist, so the last one is open-ended."""
    import datetime

    from tests.factories import InvoiceFactory

    InvoiceFactory(issue_date=datetime.date(9998, 3, 1))  # few periods: the probing navigation is used
    last = InvoiceFactory(issue_date=datetime.date(9999, 12, 31))
    response = root.get("/admin/privacy/invoice/", drill, follow=True)
    assert response.status_code == 200  # a drill past year 9999 is answered like any bad date (?e=1)
    assert last.number in response.content.decode()
