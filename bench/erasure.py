"""Erasure benchmarks on PostgreSQL (§31–33, §38–39), side by side with a baseline.

    .venv/bin/python tests/services.py run -- .venv/bin/python bench/erasure.py [--rows N] [--linked N]

1. `purge` of N recordings with 2 history rows each, in chunks of 5,000 (as the retention sweeps call
   it), against the same writes in raw SQL (§32: the history rows blanked, a "-" row each, the rows
   deleted). Target: within 2.5x.
2. `erase_subject` of one customer with `--linked` rows (contracts, invoices half of them kept, recordings,
   disclosures with categories, each with history). Target: under 2 s. Also its dry run.

Defaults are small for a 2-core development machine; the lead runs the full-size figures.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from privacy.erasure import erase_subject, purge  # noqa: E402
from privacy.erasure.purge import write_history_snapshot  # noqa: E402
from privacy.erasure.sql import chunked  # noqa: E402
from privacy.models import Contract, Customer, Disclosure, Invoice, Recipient, Recording  # noqa: E402

CHUNK = 5000


def _customer(number: str) -> Customer:
    return Customer.objects.create(
        customer_number=number,
        first_name="Bench",
        last_name="Person",
        personal_code="010101-00000",
        phone="+37120000000",
        email="bench@example.lv",
    )


def _with_history(model, ids: list[int], versions: int) -> None:
    for _ in range(versions):
        write_history_snapshot(model, ids)


def _recordings(customer: Customer, n: int, versions: int = 2) -> list[int]:
    now = timezone.now()
    ids = []
    for chunk in chunked(list(range(n)), CHUNK):
        made = Recording.objects.bulk_create(
            [Recording(customer=customer, recorded_at=now, duration_seconds=i % 600) for i in chunk]
        )
        ids.extend(r.pk for r in made)
    _with_history(Recording, ids, versions)
    return ids


def _analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time_raw(ids: list[int]) -> float:
    """The same writes as `purge` in raw SQL (§32): history rows lose the file name, one "-" row per
    row records the deletion, the rows are deleted."""
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for chunk in chunked(ids, CHUNK):
            with transaction.atomic():
                cursor.execute(
                    "UPDATE privacy_historicalrecording SET file = '' WHERE id = ANY(%s) AND file <> ''",
                    [chunk],
                )
                cursor.execute(
                    "INSERT INTO privacy_historicalrecording (id, customer_id, kind, channel, recorded_at, "
                    "duration_seconds, file, history_date, history_change_reason, history_type, "
                    "history_user_id) SELECT id, customer_id, kind, channel, recorded_at, duration_seconds, "
                    "'', now(), 'raw', '-', NULL FROM privacy_recording WHERE id = ANY(%s)",
                    [chunk],
                )
                cursor.execute("DELETE FROM privacy_recording WHERE id = ANY(%s)", [chunk])
    return time.perf_counter() - start


def _time_purge(ids: list[int]) -> float:
    start = time.perf_counter()
    for chunk in chunked(ids, CHUNK):
        with transaction.atomic():
            purge(Recording, chunk)
    return time.perf_counter() - start


def bench_purge(rows: int, rounds: int) -> tuple[float, float]:
    """Median of `rounds` alternating runs (the machine is shared: single runs are noisy)."""
    customer = _customer("BENCH-PURGE")
    raw, ours = [], []
    for _ in range(rounds):
        for timer, results in ((_time_raw, raw), (_time_purge, ours)):
            ids = _recordings(customer, rows)
            _analyse()
            results.append(timer(ids))
    return statistics.median(raw), statistics.median(ours)


def _linked_customer(linked: int) -> Customer:
    customer = _customer("BENCH-SUBJECT")
    quarter = linked // 4
    today = timezone.localdate()
    contracts = Contract.objects.bulk_create(
        [
            Contract(
                customer=customer,
                number=f"BC{i:08d}",
                type="postpaid",
                service_name="Internets",
                service_address="Bench iela 1",
                start_date=datetime.date(2020, 1, 1),
            )
            for i in range(quarter)
        ]
    )
    _with_history(Contract, [c.pk for c in contracts], 1)
    invoices = Invoice.objects.bulk_create(
        [
            Invoice(
                customer=customer,
                contract=contracts[i % len(contracts)],
                number=f"BI{i:08d}",
                # half younger than 5 years (kept, §31), half older (erased)
                issue_date=today - datetime.timedelta(days=30 if i % 2 else 6 * 366),
                amount=Decimal("9.99"),
                payer_name="Bench Person",
                billing_address="Bench iela 1",
                bank_account="LV10HABA0551000000001",
            )
            for i in range(quarter)
        ]
    )
    _with_history(Invoice, [i.pk for i in invoices], 1)
    _recordings(customer, quarter, versions=1)
    recipient, _ = Recipient.objects.get_or_create(
        code="bench", defaults={"role": "processor", "name_lv": "B", "name_en": "B"}
    )
    disclosures = Disclosure.objects.bulk_create(
        [
            Disclosure(
                customer=customer,
                recipient=recipient,
                ground="26.1",
                disclosed_on=today,
                notes="Bench Person",
            )
            for _ in range(linked - 3 * quarter)
        ]
    )
    through = Disclosure.data_categories.through
    through.objects.bulk_create(
        [through(disclosure_id=d.pk, datacategory_id=n) for d in disclosures for n in (1, 2)]
    )
    _with_history(Disclosure, [d.pk for d in disclosures], 1)
    return customer


def bench_erase(linked: int) -> tuple[float, float, dict]:
    customer = _linked_customer(linked)
    _analyse()
    start = time.perf_counter()
    erase_subject(customer, reason="benchmark", actor=None, dry_run=True)
    dry = time.perf_counter() - start
    start = time.perf_counter()
    record = erase_subject(customer, reason="benchmark", actor=None)
    real = time.perf_counter() - start
    return dry, real, {"erased": record.erased, "kept": record.kept}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="recordings to purge (default 20,000)")
    parser.add_argument("--linked", type=int, default=10_000, help="rows linked to the erased customer")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; medians are printed")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Run it on PostgreSQL: tests/services.py run -- .venv/bin/python bench/erasure.py")
        return 2
    call_command("migrate", verbosity=0)

    raw, ours = bench_purge(args.rows, args.rounds)
    print(
        f"purge {args.rows:,} recordings, {2 * args.rows:,} history rows blanked, chunks of {CHUNK:,} "
        f"(median of {args.rounds}):"
    )
    print(f"  raw SQL         {raw:8.2f} s  ({args.rows / raw:,.0f} rows/s)")
    ratio = ours / raw
    print(
        f"  purge()         {ours:8.2f} s  ({args.rows / ours:,.0f} rows/s)  = {ratio:.2f}x  (target <= 2.5x)"
    )

    dry, real, counts = bench_erase(args.linked)
    print(f"erase_subject of a customer with {args.linked:,} linked rows (each with history):")
    print(f"  dry run         {dry:8.2f} s")
    print(f"  erasure         {real:8.2f} s  (target < 2 s)")
    print(f"  erased {counts['erased']}")
    print(f"  kept   {counts['kept']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
