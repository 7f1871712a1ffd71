"""The admin at scale: customer pages with N demo customers on PostgreSQL.

    .venv/bin/python tests/services.py run -- .venv/bin/python bench/admin_scale.py [--customers N]

Creates the demo customers with `seed_demo` if fewer exist (default 1,000,000; the seeding rate is
printed), then requests each page through Django's test Client, logged in as a superuser: a warm-up,
then the median of `--runs` requests and the number of SQL queries (captured with
CaptureQueriesContext, whatever DEBUG says). Side by side, in the same run:

- "stock admin": the same page with Django's defaults — the stock Paginator (COUNT(*)), the full result
  count, the stock date hierarchy (SELECT DISTINCT date_trunc over every row) and the stock search
  (icontains over the usual fields);
- "rows only": the ORM query of the page's rows alone (the floor any page must pay).

Target at 1,000,000 customers: every page under 300 ms median and under 15 queries; the person
searches (full name in either order, without diacritics, a phone number as typed: privacy/search.py)
under 150 ms median. The customer overview page is measured too (its query count does not grow with
the customer's records).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
import types
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.contrib.admin.views.main import ChangeList  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from privacy.admin_utils import prefix_filter  # noqa: E402
from privacy.demo import Progress, seed_demo  # noqa: E402
from privacy.demo.generate import customer_number  # noqa: E402
from privacy.models import Customer, Invoice, User  # noqa: E402
from privacy.search import customers_matching  # noqa: E402

TARGET_MS = 300
SEARCH_TARGET_MS = 150
TARGET_QUERIES = 15
STOCK_SEARCH_FIELDS = ["customer_number", "first_name", "last_name", "personal_code", "phone", "email"]


def measure(fn: Callable[[], object], runs: int, warmups: int = 2) -> tuple[float, int]:
    """Median wall time (ms) over `runs` calls after a warm-up, and the queries of one call."""
    for _ in range(warmups):
        fn()
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def page(client: Client, url: str, params: dict | None = None) -> Callable[[], object]:
    def get():
        response = client.get(url, params or {})
        if response.status_code != 200:
            raise SystemExit(f"{url} {params}: HTTP {response.status_code}")
        return response

    return get


@contextlib.contextmanager
def stock_admin(model_admin: admin.ModelAdmin) -> Iterator[None]:
    """Django's defaults on the registered admin, for the side-by-side column."""
    model_admin.paginator = Paginator
    model_admin.ordering = None  # the model's Meta.ordering
    model_admin.sortable_by = None
    model_admin.show_full_result_count = True
    model_admin.get_changelist = lambda request, **kwargs: ChangeList
    model_admin.search_fields = STOCK_SEARCH_FIELDS
    model_admin.get_search_results = types.MethodType(admin.ModelAdmin.get_search_results, model_admin)
    try:
        yield
    finally:
        for name in (
            "paginator",
            "ordering",
            "sortable_by",
            "show_full_result_count",
            "get_changelist",
            "search_fields",
            "get_search_results",
        ):
            model_admin.__dict__.pop(name, None)


def ensure_customers(n: int) -> None:
    """seed_demo is idempotent: it creates only the demo customers missing up to number n."""

    def report(progress: Progress) -> None:
        if progress.done == progress.todo or progress.done % 50_000 < 5_000:
            print(
                f"  {progress.done:,}/{progress.todo:,} customers, {progress.customers_per_second:,.0f}/s, "
                f"{progress.rows_per_second:,.0f} rows/s, ETA {progress.eta_seconds:,.0f} s",
                flush=True,
            )

    print(f"making sure {n:,} demo customers exist ...", flush=True)
    result = seed_demo(customers=n, progress=report)
    if not result.created:
        print(f"{result.existing:,} demo customers present")
        return
    rows = sum(result.created.values())
    print(
        f"seeded in {result.seconds:,.0f} s: {result.created} = {rows:,} rows (+ as many history rows), "
        f"{(result.requested - result.existing) / result.seconds:,.0f} customers/s, "
        f"{rows / result.seconds:,.0f} rows/s",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit(
            "Run it on PostgreSQL: tests/services.py run -- .venv/bin/python bench/admin_scale.py"
        )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    call_command("migrate", verbosity=0)
    ensure_customers(args.customers)
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.invalid", "bench-password-not-secret"
    )
    client = Client()
    client.force_login(user)

    middle = customer_number(args.customers // 2)
    sample = (
        Customer.objects.filter(customer_number__gte=middle)
        .exclude(personal_code="")
        .order_by("customer_number")
    ).first()
    busy = (
        Customer.objects.filter(customer_number__gte=middle, kind="subscriber")
        .annotate(n=Count("contracts"))
        .filter(n__gte=3)
        .order_by("customer_number")
        .first()
    ) or sample
    prefix = "Bērz"
    named = (
        Customer.objects.filter(customer_number__gte=middle, last_name__startswith="Bērziņ")
        .exclude(first_name="")
        .order_by("customer_number")
        .first()
    ) or sample
    full_name = f"{named.last_name} {named.first_name}"  # surname first: either order is found
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", named.last_name) if not unicodedata.combining(c)
    )
    phoned = (
        Customer.objects.filter(customer_number__gte=middle)
        .exclude(phone="")
        .order_by("customer_number")
        .first()
    )
    digits = phoned.phone.removeprefix("+371")
    typed_phone = f"+371 {digits[:4]} {digits[4:]}"
    year = sample.registered_at.year
    customers = reverse("admin:privacy_customer_changelist")
    change = reverse("admin:privacy_customer_change", args=[busy.pk])
    invoices = reverse("admin:privacy_invoice_changelist")
    model_admin = admin.site._registry[Customer]
    invoice_admin = admin.site._registry[Invoice]

    def rows(qs):
        return lambda: list(qs[:50])

    def matching(term):
        return customers_matching(term).order_by("-id")

    cases = [
        ("customer changelist", page(client, customers), Customer.objects.order_by("-id"), model_admin),
        (
            f"  drilled to {year}",
            page(client, customers, {"registered_at__year": year}),
            Customer.objects.filter(registered_at__year=year).order_by("-id"),
            model_admin,
        ),
        (
            "search: personal code",
            page(client, customers, {"q": sample.personal_code}),
            Customer.objects.filter(personal_code=sample.personal_code).order_by("-id"),
            model_admin,
        ),
        (
            f"search: last name '{prefix}…'",
            page(client, customers, {"q": prefix.lower()}),
            prefix_filter(Customer.objects.all(), "last_name", prefix).order_by("-id"),
            model_admin,
        ),
        *(
            (f"search: {what} '{term}'", page(client, customers, {"q": term}), matching(term), model_admin)
            for what, term in (
                ("full name", full_name),
                ("no diacritics", folded.lower()),
                ("phone", typed_phone),
            )
        ),
        (
            f"customer overview ({busy.invoices.count()} invoices)",
            page(client, reverse("customer-overview", args=[busy.pk])),
            Invoice.objects.filter(customer=busy).order_by("-issue_date", "-id"),
            None,
        ),
        (
            f"customer change page ({busy.contracts.count()} contracts)",
            page(client, change),
            Customer.objects.filter(pk=busy.pk),
            None,
        ),
        (
            "invoice changelist",
            page(client, invoices),
            Invoice.objects.order_by("-id"),
            invoice_admin,
        ),
    ]
    print(
        f"\n{Customer.objects.count():,} customers, {Invoice.objects.count():,} invoices; "
        f"median of {args.runs} runs after a warm-up; "
        f"target < {TARGET_MS} ms and < {TARGET_QUERIES} queries\n"
    )
    header = (
        f"{'page':42} {'ours':>10} {'queries':>8} | {'stock admin':>12} {'queries':>8} | {'rows only':>10}"
    )
    print(header)
    print("-" * len(header))
    failed = False
    for label, fn, queryset, admin_of_page in cases:
        ours_ms, ours_queries = measure(fn, args.runs)
        if admin_of_page is not None:
            with stock_admin(admin_of_page):
                stock_ms, stock_queries = measure(fn, max(3, args.runs // 5), warmups=1)
            stock = f"{stock_ms:10.1f}ms {stock_queries:8d}"
        else:
            stock = f"{'(same)':>12} {'':8}"
        floor_ms, _ = measure(rows(queryset), args.runs)
        target_ms = SEARCH_TARGET_MS if label.startswith("search: ") and "'" in label else TARGET_MS
        # The overview reads a dozen tables, one query each: bounded, not under the changelists' 15.
        max_queries = 30 if label.startswith("customer overview") else TARGET_QUERIES
        ok = ours_ms < target_ms and ours_queries < max_queries
        failed |= not ok
        print(
            f"{label:42} {ours_ms:8.1f}ms {ours_queries:8d} | {stock} | {floor_ms:8.1f}ms"
            f"{'' if ok else '  <-- over target'}",
            flush=True,
        )
    print("\nall pages within target" if not failed else "\nSOME PAGES OVER TARGET")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
