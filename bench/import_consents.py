"""Benchmark: the consent CSV import beside plain PostgreSQL COPY of the same rows.

    .venv/bin/python tests/services.py run -- .venv/bin/python bench/import_consents.py --rows 20000
    .venv/bin/python tests/services.py run -- .venv/bin/python bench/import_consents.py --rows 100000
    .venv/bin/python tests/services.py run -- .venv/bin/python bench/import_consents.py   # 1,000,000

Runs on the PostgreSQL of DATABASE_URL (tests/services.py starts a throwaway one and exports it). It
migrates the database if needed, creates N demo customers with COPY if fewer exist, writes N consent rows
to a temporary CSV file, and prints in one run:

- our import (`consents.importer.run_import`: validation, ledger, ledger history, current state and its
  history, in one transaction), run in a child process so that its peak RSS is its own;
- COPY of the same rows into a plain table of the ledger's columns;
- COPY of the same rows into that table and into a history-shaped table (the rows twice);
- for reference, "writes alone": the same rows, customers already resolved, INSERTed into copies of the
  four real tables with all their indexes, without any check: what any implementation pays to write
  these tables, so the rest of our time is validation, look-ups, de-duplication and decisions.

With `--match email` (or phone) and/or `--format xlsx` it compares, in the same run, the import of the
same rows keyed by customer number from CSV (the reference), keyed by e-mail (or phone) from CSV, and
from an .xlsx workbook: seconds, rows/s, peak RSS and the ratio to the reference (the consents tables are
emptied between the runs). Targets: e-mail-keyed within 1.2x of the customer-number path; XLSX within
3x of CSV; peak RSS < 300 MB.

    .venv/bin/python tests/services.py run -- .venv/bin/python bench/import_consents.py --rows 100000 \
        --match email --format xlsx

The ledger must be empty at the start (a throwaway database); pass --truncate to empty it, never on a
database whose consents matter. Target: our import within 3x the COPY-with-history baseline,
peak RSS < 300 MB at 1,000,000 rows, and RSS at 1,000,000 rows <= 1.5x RSS at 100,000.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

CUSTOMER_PREFIX = "BENCH"
CHANNELS = ["portal", "application_form", "banner", "app", "phone", "email", "in_person"]


def setup_django() -> None:
    import django

    django.setup()


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM). Not getrusage's ru_maxrss: Linux carries that over from the
    parent across fork and exec, so the child would report the parent's memory."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- Data ------------------------------------------------------------------------------------------


def ensure_customers(count: int) -> None:
    """At least `count` demo customers BENCH0000001.., created with COPY (every column from the model)."""
    from django.db import connection
    from django.utils import timezone

    from privacy.models import Customer

    existing = Customer.objects.filter(customer_number__startswith=CUSTOMER_PREFIX).count()
    if existing >= count:
        return
    started = time.monotonic()
    fields = [field for field in Customer._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    base = {}
    for field in fields:
        base[field.column] = field.get_default() if field.has_default() else (None if field.null else "")
    base.update(registered_at=now, first_name="Bench", address="Brīvības iela 1, Rīga")
    columns = [field.column for field in fields]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {Customer._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for number in range(existing + 1, count + 1):
            row = dict(base)
            row.update(
                customer_number=f"{CUSTOMER_PREFIX}{number:07d}",
                last_name=f"Klients{number}",
                phone=f"+3712{number % 10_000_000:07d}",
                email=f"bench{number}@example.lv",
            )
            copy.write_row([row[column] for column in columns])
    with connection.cursor() as cursor:
        # As autovacuum keeps a live register: statistics (the import's plans depend on them) and hint
        # bits set (else the first run that reads the new rows writes them all, and looks slower).
        cursor.execute(f"VACUUM ANALYZE {Customer._meta.db_table}")
    print(f"created {count - existing:,} demo customers in {time.monotonic() - started:.1f} s", flush=True)


def write_files(rows: int, customers: int, folder: Path) -> tuple[Path, Path]:
    """The consent CSV for our import, and the same rows resolved to the ledger's columns for COPY."""
    from django.utils import timezone

    from consents.models import ConsentTopic
    from privacy.models import Customer, PolicyVersion

    # Topics that need no consent (contract, legitimate interest) are refused by the import.
    topics = dict(ConsentTopic.objects.filter(needs_consent=True).values_list("code", "id"))
    ids = dict(
        Customer.objects.filter(customer_number__startswith=CUSTOMER_PREFIX).values_list(
            "customer_number", "id"
        )
    )
    versions = sorted(PolicyVersion.objects.values_list("effective_from", "id"), reverse=True)
    rng = random.Random(20240501)
    start = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    span = int((datetime.datetime(2025, 12, 31, tzinfo=datetime.UTC) - start).total_seconds())
    recorded = timezone.now().isoformat()
    csv_path, copy_path = folder / "consents.csv", folder / "ledger.copy"
    codes = list(topics)
    with (
        csv_path.open("w", newline="", encoding="utf-8") as out,
        copy_path.open("w", encoding="utf-8") as raw,
    ):
        writer = csv.writer(out)
        writer.writerow(
            ["customer_number", "topic", "action", "channel", "occurred_at", "source", "policy_version"]
        )
        for line in range(rows):
            number = f"{CUSTOMER_PREFIX}{rng.randint(1, customers):07d}"
            code = codes[rng.randrange(len(codes))]
            action = "given" if rng.random() < 0.7 else "withdrawn"
            channel = CHANNELS[rng.randrange(len(CHANNELS))]
            moment = start + datetime.timedelta(seconds=rng.randrange(span))
            source = f"bench-{line}"
            writer.writerow([number, code, action, channel, moment.strftime("%Y-%m-%dT%H:%M:%S"), source, ""])
            version = next((pk for day, pk in versions if day <= moment.date()), None)
            raw.write(
                f"{ids[number]}\t{topics[code]}\t{action}\t{channel}\t{moment.isoformat()}\t{recorded}\t"
                f"{source}\t{version if version else chr(92) + 'N'}\t\\N\n"
            )
    return csv_path, copy_path


# --- Baselines -------------------------------------------------------------------------------------

LEDGER_COLUMNS = (
    "customer_id",
    "topic_id",
    "action",
    "channel",
    "occurred_at",
    "recorded_at",
    "source",
    "policy_version_id",
    "captured_by_id",
)
PLAIN_TABLE = """CREATE TABLE bench_plain_ledger (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL, topic_id bigint NOT NULL, action varchar(16) NOT NULL,
    channel varchar(16) NOT NULL, occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL,
    source varchar(255) NOT NULL, policy_version_id bigint, captured_by_id bigint)"""
HISTORY_TABLE = """CREATE TABLE bench_plain_history (
    history_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    id bigint, customer_id bigint, topic_id bigint, action varchar(16), channel varchar(16),
    occurred_at timestamptz, recorded_at timestamptz, source varchar(255), policy_version_id bigint,
    captured_by_id bigint, history_date timestamptz NOT NULL DEFAULT now(),
    history_change_reason text DEFAULT 'bench', history_type varchar(1) NOT NULL DEFAULT '+',
    history_user_id bigint)"""


def copy_file(cursor, table: str, path: Path) -> None:
    with (
        cursor.cursor.copy(f"COPY {table} ({', '.join(LEDGER_COLUMNS)}) FROM STDIN") as copy,
        path.open("rb") as data,
    ):
        while chunk := data.read(1 << 20):
            copy.write(chunk)


def baseline(copy_path: Path, *, with_history: bool) -> float:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain_ledger, bench_plain_history")
        cursor.execute(PLAIN_TABLE)
        cursor.execute(HISTORY_TABLE)
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        copy_file(cursor, "bench_plain_ledger", copy_path)
        if with_history:
            copy_file(cursor, "bench_plain_history", copy_path)
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain_ledger, bench_plain_history")
    return seconds


def writes_alone(copy_path: Path) -> float:
    """The same rows, customers already resolved, written set-based into copies of the four real tables
    (ledger, its history, current state, its history; every index included) with no check, no look-up,
    no de-duplication: what writing these tables costs any implementation. Not a target; a yardstick."""
    from django.db import connection, transaction

    from consents.importer.postgres import _tracked_columns
    from consents.models import Consent, ConsentEvent

    tables = {
        "bench_w_ledger": ConsentEvent._meta.db_table,
        "bench_w_ledger_h": ConsentEvent.history.model._meta.db_table,
        "bench_w_state": Consent._meta.db_table,
        "bench_w_state_h": Consent.history.model._meta.db_table,
    }
    history = "history_date, history_change_reason, history_type, history_user_id"
    event_columns = ", ".join(_tracked_columns(ConsentEvent))
    state_columns = ", ".join(_tracked_columns(Consent))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS bench_w_rows, {', '.join(tables)}")
        for copy, real in tables.items():
            cursor.execute(f"CREATE TABLE {copy} (LIKE {real} INCLUDING ALL)")
        cursor.execute(
            f"CREATE UNLOGGED TABLE bench_w_rows AS SELECT {', '.join(LEDGER_COLUMNS)} "
            f"FROM {ConsentEvent._meta.db_table} WITH NO DATA"
        )
        copy_file(cursor, "bench_w_rows", copy_path)
        cursor.execute("ANALYZE bench_w_rows")
        cursor.execute("CHECKPOINT")
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            f"""WITH inserted AS (
                INSERT INTO bench_w_ledger ({", ".join(LEDGER_COLUMNS)})
                SELECT {", ".join(LEDGER_COLUMNS)} FROM bench_w_rows
                ORDER BY customer_id, topic_id, action, occurred_at, source
                RETURNING *
            )
            INSERT INTO bench_w_ledger_h ({event_columns}, {history})
            SELECT {event_columns}, now(), 'bench', '+', NULL FROM inserted"""
        )
        cursor.execute(
            f"""WITH inserted AS (
                INSERT INTO bench_w_state (customer_id, topic_id, status, occurred_at, channel, source,
                    policy_version_id, updated_at)
                SELECT DISTINCT ON (customer_id, topic_id) customer_id, topic_id, action, occurred_at,
                    channel, source, policy_version_id, now()
                FROM bench_w_rows ORDER BY customer_id, topic_id, occurred_at DESC
                RETURNING *
            )
            INSERT INTO bench_w_state_h ({state_columns}, {history})
            SELECT {state_columns}, now(), 'bench', '+', NULL FROM inserted"""
        )
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS bench_w_rows, {', '.join(tables)}")
    return seconds


# --- Our import, in a child process --------------------------------------------------------------


def child(csv_path: str, user_id: int, match: str = "customer_number") -> None:
    setup_django()
    from consents.importer import run_import
    from consents.importer.mapping import DEFAULT
    from privacy.models import User

    actor = User.objects.get(pk=user_id)
    rss_before = peak_rss_mb()
    mapping = DEFAULT.overridden(match=match, columns={match: match})
    with open(csv_path, "rb") as handle:
        result = run_import(handle, file_name=Path(csv_path).name, actor=actor, mapping=mapping)
    print(
        json.dumps(
            {
                "seconds": result.seconds,
                "rows": result.rows,
                "errors": result.error_count,
                "new_events": result.new_events,
                "consents": result.consents_created + result.consents_changed + result.consents_refreshed,
                "rss_before_mb": rss_before,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=None, help="demo customers (default: = rows)")
    parser.add_argument("--truncate", action="store_true", help="empty the consents tables first")
    parser.add_argument("--match", choices=["customer_number", "email", "phone"], default="customer_number")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", dest="file_format")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--user-id", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.user_id, args.match)
        return

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from consents.models import Consent, ConsentEvent
    from privacy.models import User

    if connection.vendor != "postgresql":
        raise SystemExit(
            "Run on PostgreSQL: tests/services.py run -- .venv/bin/python bench/import_consents.py"
        )
    call_command("migrate", verbosity=0)
    if ConsentEvent.objects.exists():
        if not args.truncate:
            raise SystemExit("The consent ledger is not empty; use a throwaway database or pass --truncate.")
        tables = [ConsentEvent, ConsentEvent.history.model, Consent, Consent.history.model]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(model._meta.db_table for model in tables)}")
    customers = args.customers or args.rows
    ensure_customers(customers)
    user, _ = User.objects.get_or_create(username="bench-importer", defaults={"is_staff": True})
    if args.match != "customer_number" or args.file_format != "csv":
        compare(args, customers, user)
        return

    with tempfile.TemporaryDirectory(prefix="bench-consents-") as tmp:
        started = time.monotonic()
        csv_path, copy_path = write_files(args.rows, customers, Path(tmp))
        size_mb = csv_path.stat().st_size / 1e6
        print(
            f"wrote {args.rows:,} rows ({size_mb:.0f} MB) in {time.monotonic() - started:.1f} s", flush=True
        )
        # Baselines before and after our import (their mean is the reference: the machine's load varies).
        copy_plain = [baseline(copy_path, with_history=False)]
        copy_history = [baseline(copy_path, with_history=True)]
        writes = writes_alone(copy_path)
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
        connection.close()

        started = time.monotonic()
        output = subprocess.run(
            [sys.executable, __file__, "--child", str(csv_path), "--user-id", str(user.pk)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        wall = time.monotonic() - started
        ours = json.loads(output.strip().splitlines()[-1])
        copy_plain.append(baseline(copy_path, with_history=False))
        copy_history.append(baseline(copy_path, with_history=True))

    assert ours["errors"] == 0 and ours["new_events"] == args.rows, ours
    events = ConsentEvent.objects.count()
    event_history = ConsentEvent.history.count()
    consents, consent_history = Consent.objects.count(), Consent.history.count()
    rows = args.rows
    copy_plain_s, copy_history_s = sum(copy_plain) / 2, sum(copy_history) / 2
    print()
    print(f"{'method':<52}{'seconds':>9}{'rows/s':>11}{'peak RSS':>11}{'vs COPY+hist':>14}")
    for name, seconds, rss in [
        ("COPY into a plain ledger-shaped table", copy_plain_s, None),
        ("COPY into it and into a history-shaped table", copy_history_s, None),
        ("(writes alone: the four real tables, no checks)", writes, None),
        ("our import (validate, ledger, state, history)", ours["seconds"], ours["peak_rss_mb"]),
    ]:
        rss_text = f"{rss:.0f} MB" if rss else "-"
        ratio = seconds / copy_history_s
        print(f"{name:<52}{seconds:>9.1f}{rows / seconds:>11,.0f}{rss_text:>11}{ratio:>13.2f}x")
    print()
    print(
        f"our import: child wall time {wall:.1f} s (with Python start-up), RSS before the import "
        f"{ours['rss_before_mb']:.0f} MB; written: {events:,} events + {event_history:,} history rows, "
        f"{consents:,} consents + {consent_history:,} history rows"
    )
    print(
        f"baselines before / after our import: COPY {copy_plain[0]:.1f} / {copy_plain[1]:.1f} s, "
        f"COPY+history {copy_history[0]:.1f} / {copy_history[1]:.1f} s"
    )
    print(f"target: <= 3x COPY+history ({3 * copy_history_s:.1f} s), peak RSS < 300 MB")


def run_child(path: Path, user_id: int, match: str) -> dict:
    from django.db import connection

    from consents.models import Consent, ConsentEvent

    tables = [ConsentEvent, ConsentEvent.history.model, Consent, Consent.history.model]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(model._meta.db_table for model in tables)}")
        cursor.execute("CHECKPOINT")
    connection.close()
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--user-id", str(user_id), "--match", match],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    assert result["errors"] == 0, result
    return result


def keyed_copy(csv_path: Path, match: str, folder: Path) -> Path:
    """The same rows with each customer's e-mail or phone instead of the customer number (e-mails in
    mixed case with spaces around, as platforms export them)."""
    from privacy.models import Customer

    contact = dict(
        Customer.objects.filter(customer_number__startswith=CUSTOMER_PREFIX).values_list(
            "customer_number", match
        )
    )
    path = folder / f"consents-{match}.csv"
    with (
        csv_path.open(newline="", encoding="utf-8") as source,
        path.open("w", newline="", encoding="utf-8") as out,
    ):
        reader, writer = csv.reader(source), csv.writer(out)
        header = next(reader)
        writer.writerow([match, *header[1:]])
        for row in reader:
            value = contact[row[0]]
            writer.writerow([f" {value.upper()} " if match == "email" else value, *row[1:]])
    return path


def xlsx_copy(csv_path: Path) -> Path:
    """The same rows as an .xlsx workbook (openpyxl's write-only mode)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    rows = 0
    with csv_path.open(newline="", encoding="utf-8") as source:
        for row in csv.reader(source):
            sheet.append(row)
            rows += 1
    written = csv_path.with_suffix(".tmp.xlsx")
    book.save(written)
    # openpyxl's write-only sheets lack the <dimension> element Excel always writes (without it a reader
    # must scan the whole sheet to learn its size): add it, as Excel would have it.
    path = csv_path.with_suffix(".xlsx")
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            with source.open(item) as data, target.open(item.filename, "w") as out:
                first = data.read(1 << 16)
                if item.filename == "xl/worksheets/sheet1.xml":
                    first = first.replace(
                        b"</sheetPr>", f'</sheetPr><dimension ref="A1:G{rows}"/>'.encode(), 1
                    )
                out.write(first)
                while chunk := data.read(1 << 20):
                    out.write(chunk)
    written.unlink()
    return path


def compare(args, customers: int, user) -> None:
    """Customer-number CSV beside the --match key's CSV and/or the .xlsx of the same rows."""
    with tempfile.TemporaryDirectory(prefix="bench-consents-") as tmp:
        csv_path, _copy_path = write_files(args.rows, customers, Path(tmp))
        runs = [("customer number, CSV", csv_path, "customer_number")]
        keyed = csv_path
        if args.match != "customer_number":
            keyed = keyed_copy(csv_path, args.match, Path(tmp))
            runs.append((f"{args.match}, CSV", keyed, args.match))
        if args.file_format == "xlsx":
            started = time.monotonic()
            sheet = xlsx_copy(keyed)
            print(f"wrote the .xlsx in {time.monotonic() - started:.1f} s", flush=True)
            runs.append((f"{args.match.replace('_', ' ')}, XLSX", sheet, args.match))
        results = [(name, run_child(path, user.pk, match)) for name, path, match in runs]
    reference = results[0][1]["seconds"]
    print()
    print(
        f"{'import of the same ' + format(args.rows, ',') + ' rows':<36}{'seconds':>9}{'rows/s':>11}"
        f"{'peak RSS':>11}{'vs customer-number CSV':>24}"
    )
    for name, result in results:
        seconds = result["seconds"]
        print(
            f"{name:<36}{seconds:>9.1f}{args.rows / seconds:>11,.0f}{result['peak_rss_mb']:>8.0f} MB"
            f"{seconds / reference:>23.2f}x"
        )
    print("targets: e-mail-keyed <= 1.2x, XLSX <= 3x of CSV, peak RSS < 300 MB")


if __name__ == "__main__":
    main()
