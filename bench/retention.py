"""The recordings sweep (§33) on PostgreSQL, side by side with raw SQL DELETEs of the same rows (issue 6).

    .venv/bin/python tests/services.py run -- .venv/bin/python bench/retention.py [--rows N]

Loads N expired recordings (default 1,000,000) with one history row each, with COPY, plus 1% that the
sweep must keep (half recent, half under a legal hold). Then, on identical copies of that data (loaded
afresh, vacuumed and analysed before each):

- raw: one transaction with the sweep's writes for exactly the rows it deletes (§32: the audit records
  stay): `UPDATE history SET file = '' WHERE id IN (...)`, `INSERT INTO history SELECT ... '-' FROM
  recordings WHERE ...` and `DELETE FROM recordings WHERE ...`;
- ours: `rule_sweep` of the `recordings` rule, in a child process (so its peak RSS is its own): chunks
  of RETENTION_CHUNK_SIZE in id order, each one transaction that classifies the rows (holds, requests,
  complaints, restrictions), purges them (privacy.erasure.purge: history scrubbed, a "-" row each) and
  records counts.

Prints wall times, rows per second, the ratio, the sweep's peak RSS in the first and second half of
the run (flat memory: the two are equal), and the longest single transaction.
Targets: within 2.5x of the raw DELETEs, flat memory, no transaction longer than 2 s.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from privacy.models import Customer, LegalHold, Recording, User  # noqa: E402
from retention.cutoffs import RIGA, cutoff_date, expiry_instant, today  # noqa: E402

COPY_BATCH = 50_000
CUSTOMERS = 1_000


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    """This process's peak RSS since it started (VmHWM; unlike ru_maxrss, not inherited over exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _customers() -> tuple[list[int], int]:
    """A thousand customers (one of them under a legal hold), created once."""
    existing = list(
        Customer.objects.filter(customer_number__startswith="BENCH-R").values_list("pk", flat=True)
    )
    if len(existing) < CUSTOMERS:
        Customer.objects.bulk_create(
            [
                Customer(customer_number=f"BENCH-R{n:05d}", first_name="Bench", last_name=f"Person{n}")
                for n in range(len(existing), CUSTOMERS)
            ]
        )
        existing = list(
            Customer.objects.filter(customer_number__startswith="BENCH-R").values_list("pk", flat=True)
        )
    held = existing[0]
    if not LegalHold.objects.filter(customer_id=held, released_at__isnull=True).exists():
        user, _ = User.objects.get_or_create(username="bench-retention")
        LegalHold.objects.create(customer_id=held, reason="benchmark", set_by=user)
    return existing, held


def _load(rows: int, customers: list[int], held: int) -> None:
    """COPY `rows` due recordings plus 1% to keep, and one "+" history row for each."""
    as_of = today()
    due_before = expiry_instant(as_of, 6)
    recent = datetime.datetime.combine(as_of, datetime.time(9), tzinfo=RIGA) - datetime.timedelta(days=30)
    extra = max(rows // 100, 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM privacy_recording")
        start = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(history_id), 0) FROM privacy_historicalrecording")
        history_start = cursor.fetchone()[0] + 1
    total = rows + extra
    loaded_at = datetime.datetime.now(tz=datetime.UTC).isoformat()
    for first in range(0, total, COPY_BATCH):
        live, history = io.StringIO(), io.StringIO()
        for offset in range(first, min(first + COPY_BATCH, total)):
            pk = start + offset
            customer = customers[1 + offset % (len(customers) - 1)]
            when = due_before - datetime.timedelta(minutes=1 + offset % 500_000)
            if offset >= rows:  # the 1% to keep: half under a legal hold, half inside the window
                if offset % 2:
                    customer = held
                else:
                    when = recent
            values = f"{customer}\tcall_audio\tphone\t{when.isoformat()}\t{offset % 900}\t"
            live.write(f"{pk}\t{values}\n")
            history.write(f"{history_start + offset}\t{pk}\t{values}\t{loaded_at}\t\\N\t+\t\\N\n")
        with connection.cursor() as cursor:
            live.seek(0)
            history.seek(0)
            with cursor.copy(
                "COPY privacy_recording "
                "(id, customer_id, kind, channel, recorded_at, duration_seconds, file) FROM STDIN"
            ) as copy:
                copy.write(live.read())
            with cursor.copy(
                "COPY privacy_historicalrecording (history_id, id, customer_id, kind, channel, recorded_at, "
                "duration_seconds, file, history_date, history_change_reason, history_type, history_user_id) "
                "FROM STDIN"
            ) as copy:
                copy.write(history.read())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('privacy_recording', 'id'), MAX(id)) FROM privacy_recording"
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('privacy_historicalrecording', 'history_id'), "
            "MAX(history_id)) FROM privacy_historicalrecording"
        )


def _vacuum() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE privacy_recording")
        cursor.execute("VACUUM ANALYZE privacy_historicalrecording")


def _empty() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE privacy_historicalrecording, privacy_recording")


#: §32: what the sweep writes besides the DELETE, in raw SQL: the history rows of the due recordings
#: lose their file name, and one "-" row per recording records the deletion.
RAW_SCRUB = "UPDATE privacy_historicalrecording SET file = '' WHERE id IN ({due}) AND file <> ''"
RAW_MINUS_ROWS = (
    "INSERT INTO privacy_historicalrecording (id, customer_id, kind, channel, recorded_at, "
    "duration_seconds, file, history_date, history_change_reason, history_type, history_user_id) "
    "SELECT id, customer_id, kind, channel, recorded_at, duration_seconds, '', now(), 'raw', '-', NULL "
    "FROM privacy_recording WHERE id IN ({due})"
)


def raw_delete(held: int) -> tuple[float, int, int]:
    """The baseline: the same rows and the same writes in one transaction: the history rows' personal
    field blanked, a "-" history row per row (§32), a plain DELETE of the rows."""
    due = "SELECT id FROM privacy_recording WHERE recorded_at < %s AND customer_id <> %s"
    params = [expiry_instant(today(), 6), held]
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RAW_SCRUB.format(due=due), params)
        history = cursor.rowcount
        cursor.execute(RAW_MINUS_ROWS.format(due=due), params)
        cursor.execute(f"DELETE FROM privacy_recording WHERE id IN ({due})", params)
        rows = cursor.rowcount
    return time.perf_counter() - start, rows, history


def child_sweep() -> int:
    """Run in a child process: the sweep, with RSS sampled every 50 ms."""
    from retention.models import RetentionRule
    from retention.services import rule_sweep

    rule = RetentionRule.objects.get(code="recordings")
    # What a running worker has loaded already, so the clock measures the sweep: the Redis client
    # (imported by the sweep lock on first use, ~80 ms) and the content types (cached after one query).
    import redis  # noqa: F401
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_model(Recording)
    samples: list[tuple[float, float]] = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append((time.perf_counter(), _rss_mb()))
            time.sleep(0.05)

    rss_start = _rss_mb()
    sampler = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    sampler.start()
    run = rule_sweep(rule=rule, as_of=today())
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    middle = started + wall / 2
    first = max((rss for at, rss in samples if at <= middle), default=rss_start)
    second = max((rss for at, rss in samples if at > middle), default=first)
    print(
        json.dumps(
            {
                "wall": wall,
                "rss_start": rss_start,
                "rss_first_half": first,
                "rss_second_half": second,
                "peak_rss": _peak_rss_mb(),
                "examined": run.examined,
                "deleted": run.deleted,
                "kept": run.kept,
                "chunks": run.chunks,
                "longest_ms": run.longest_chunk_ms,
                "status": run.status,
            }
        )
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="expired recordings (default 1,000,000)")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds; medians are printed")
    parser.add_argument("--child-sweep", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Run it on PostgreSQL: tests/services.py run -- .venv/bin/python bench/retention.py")
        return 2
    if args.child_sweep:
        return child_sweep()
    call_command("migrate", verbosity=0)
    customers, held = _customers()
    print(f"recordings sweep (§33): {args.rows:,} due recordings + 1% kept, one history row each")
    print(f"  cutoff {cutoff_date(today(), 6)} as of {today()}; chunk size {settings.RETENTION_CHUNK_SIZE:,}")

    raws, sweeps = [], []
    for _round in range(args.rounds):
        _empty()
        started = time.perf_counter()
        _load(args.rows, customers, held)
        load_seconds = time.perf_counter() - started
        _vacuum()
        raws.append(raw_delete(held))
        _empty()
        _load(args.rows, customers, held)
        _vacuum()
        child = subprocess.run(
            [sys.executable, __file__, "--child-sweep"],
            capture_output=True,
            text=True,
            check=False,
            env=os.environ,
        )
        if child.returncode:
            print(child.stdout, child.stderr)
            return child.returncode
        sweeps.append(json.loads(child.stdout.strip().splitlines()[-1]))
    print(
        f"  COPY load          {load_seconds:8.2f} s per copy ({args.rows * 1.01 / load_seconds:,.0f} rows/s)"
    )
    raw_seconds, raw_rows, raw_history = sorted(raws)[len(raws) // 2]
    result = sorted(sweeps, key=lambda r: r["wall"])[len(sweeps) // 2]
    rounds = f"median of {args.rounds}: " if args.rounds > 1 else ""
    print(
        f"  raw SQL            {raw_seconds:8.2f} s  {raw_rows:,} rows deleted, {raw_history:,} history rows "
        "blanked, a '-' row each "
        f"({raw_rows / raw_seconds:,.0f} rows/s), one transaction; {rounds}"
        + ", ".join(f"{r[0]:.2f}" for r in raws)
    )
    ratio = result["wall"] / raw_seconds
    print(
        f"  our sweep          {result['wall']:8.2f} s  {result['deleted']:,} rows, their history scrubbed "
        f"({result['deleted'] / result['wall']:,.0f} rows/s) = {ratio:.2f}x the raw DELETEs "
        "(target <= 2.5x); " + rounds + ", ".join(f"{r['wall']:.2f}" for r in sweeps)
    )
    print(
        f"    examined {result['examined']:,}, kept {result['kept']:,}, {result['chunks']:,} chunks, "
        f"status {result['status']}"
    )
    print(
        f"    longest transaction {max(r['longest_ms'] for r in sweeps):,} ms (target < 2,000 ms); "
        f"raw DELETE transaction {raw_seconds * 1000:,.0f} ms"
    )
    print(
        f"    RSS {result['rss_start']:.0f} MB at start, peak {result['rss_first_half']:.0f} MB in the "
        f"first half and {result['rss_second_half']:.0f} MB in the second half "
        f"(peak since start {result['peak_rss']:.0f} MB)"
    )
    left = Recording.objects.count()
    print(f"  left after the sweep: {left:,} recordings (the 1% kept)")
    _empty()
    return 0


if __name__ == "__main__":
    sys.exit(main())
