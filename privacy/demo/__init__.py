"""Realistic Latvian demo data for the embedded run and the benchmarks (`manage.py seed_demo`).

`seed_demo(customers=N)` makes sure demo customers C00000001 … C{N:08d} exist with their contracts,
invoices, recordings and disclosures; it is idempotent (a second run creates nothing) and streams:
memory stays flat whatever N, one transaction per chunk.
"""

import itertools
import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import connections
from django.utils import timezone

from .generate import BLOCK, MAX_CUSTOMERS, Generator
from .load import HISTORY_REASON, Loader

__all__ = ["HISTORY_REASON", "MAX_CUSTOMERS", "Progress", "SeedResult", "seed_demo"]

FILES_UP_TO = 1000  # runs up to this many customers give a few recordings a real WAV file
PARALLEL_FROM = 20_000  # runs creating this many customers write two chunks at a time by default


@dataclass
class Progress:
    done: int  # customers created so far in this run
    todo: int  # customers this run creates in all
    rows: int  # rows of every table created so far (history not counted)
    seconds: float

    @property
    def customers_per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def eta_seconds(self) -> float:
        rate = self.customers_per_second
        return (self.todo - self.done) / rate if rate else 0.0


@dataclass
class SeedResult:
    requested: int
    existing: int  # the highest demo customer number present before the run
    created: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class _Aborted(Exception):
    """An earlier chunk failed: this one rolls back too, so that the run leaves a prefix of customers."""


class _FirstFailure:
    """The position of the first chunk that failed; the chunks after it must not commit."""

    def __init__(self):
        self._lock = threading.Lock()
        self._position = None

    def at(self, n: int) -> None:
        with self._lock:
            self._position = n if self._position is None else min(self._position, n)

    def before(self, n: int) -> bool:
        return self._position is not None and self._position < n


def seed_demo(
    *,
    customers: int,
    seed: int = 1,
    chunk_size: int | None = None,
    files: bool | None = None,
    jobs: int | None = None,
    using: str = "default",
    progress: Callable[[Progress], None] | None = None,
) -> SeedResult:
    """Create the demo customers up to number `customers` that do not exist yet, with everything theirs.

    Idempotent: only numbers above the highest demo customer present are created (demo customers
    erased since are not brought back). `files`: give a few call recordings a real WAV file (default:
    only when `customers` <= 1000). `jobs`: chunks written at once on PostgreSQL, each by its own
    thread and connection (default 2 for runs of 20,000 customers or more, else 1). Chunks commit in
    order, so a run stopped half-way leaves whole customers C00000001 … Cn and the next run carries on.
    """
    if not 0 <= customers <= MAX_CUSTOMERS:
        raise ValueError(f"customers must be between 0 and {MAX_CUSTOMERS}, not {customers}")
    if chunk_size is not None and chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    postgresql = connections[using].vendor == "postgresql"
    chunk_size = chunk_size or (5000 if postgresql else 500)
    loader = Loader(using=using, files=customers <= FILES_UP_TO if files is None else files)
    existing = loader.last_seeded_index()
    if not postgresql:
        jobs = 1  # SQLite takes one writer at a time
    elif jobs is None:
        jobs = 2 if customers - existing >= PARALLEL_FROM else 1
    result = SeedResult(requested=customers, existing=existing)
    ranges = chunk_ranges(existing + 1, customers, chunk_size)
    if not ranges:
        return result
    generator = Generator(now=loader.now, today=timezone.localdate(loader.now), seed=seed, files=loader.files)
    todo = customers - existing
    started = time.monotonic()
    rows = 0
    run = _run_serial if jobs == 1 else _run_parallel
    for stop, chunk_rows, counts in run(loader, generator, ranges, jobs):
        for table, count in counts.items():
            result.created[table] = result.created.get(table, 0) + count
        rows += chunk_rows
        if progress:
            done = stop - 1 - existing
            progress(Progress(done=done, todo=todo, rows=rows, seconds=time.monotonic() - started))
    loader.analyze()
    result.seconds = time.monotonic() - started
    return result


def chunk_ranges(first: int, last: int, size: int) -> list[tuple[int, int]]:
    """[lo, hi) ranges covering first..last whose boundaries fall on multiples of BLOCK."""
    size = -(-size // BLOCK) * BLOCK
    ranges, lo = [], first
    while lo <= last:
        hi = min((lo // size + 1) * size, last + 1)
        ranges.append((lo, hi))
        lo = hi
    return ranges


Written = tuple[int, int, dict[str, int]]  # (chunk stop, rows, counts per table)


def _run_serial(loader: Loader, generator: Generator, ranges, jobs) -> Iterator[Written]:
    """One writer; the next chunk is generated (pure Python) while the database works on this one."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="seed-demo-generate") as pool:
        upcoming = pool.submit(generator.chunk, *ranges[0])
        for n in range(len(ranges)):
            chunk = upcoming.result()
            if n + 1 < len(ranges):
                upcoming = pool.submit(generator.chunk, *ranges[n + 1])
            yield chunk.stop, chunk.row_count, loader.write(chunk)


def _run_parallel(loader: Loader, generator: Generator, ranges, jobs) -> Iterator[Written]:
    """`jobs` writer threads, each with its own connection; chunk n commits only after chunk n-1."""
    committed = [threading.Event() for _ in ranges]
    failed = _FirstFailure()
    tasks: queue.Queue = queue.Queue()
    results: queue.Queue = queue.Queue()

    def wait_turn(n: int) -> None:
        while n and not committed[n - 1].wait(0.2):
            if failed.before(n):
                raise _Aborted
        if failed.before(n):
            raise _Aborted

    def worker() -> None:
        try:
            while (task := tasks.get()) is not None:
                n, (lo, hi) = task
                try:
                    if failed.before(n):
                        raise _Aborted
                    chunk = generator.chunk(lo, hi)
                    counts = loader.write(chunk, before_commit=lambda n=n: wait_turn(n))
                    committed[n].set()
                    results.put((n, (chunk.stop, chunk.row_count, counts), None))
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    failed.at(n)
                    results.put((n, None, exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, name=f"seed-demo-{k}", daemon=True) for k in range(jobs)]
    for thread in threads:
        thread.start()
    pending = iter(enumerate(ranges))
    for task in itertools.islice(pending, jobs + 1):  # bounded look-ahead: memory stays flat
        tasks.put(task)
    finished: dict[int, tuple] = {}
    error: BaseException | None = None
    completed = False
    try:
        for n in range(len(ranges)):
            while n not in finished:
                done = results.get()
                finished[done[0]] = done
                if done[2] is None and (task := next(pending, None)) is not None:
                    tasks.put(task)
            _, written, error = finished.pop(n)
            if error is not None:
                break
            yield written
        else:
            completed = True
    finally:
        if not completed:
            failed.at(-1)  # whatever has not committed rolls back: what is stored stays a prefix
        for _ in threads:
            tasks.put(None)
        for thread in threads:
            thread.join()
    # The chunk that failed first may have been overtaken by one that was only aborted because of it.
    while not results.empty():
        finished[len(ranges) + results.qsize()] = results.get()
    for _, _, exc in finished.values():
        if isinstance(error, _Aborted) and exc is not None and not isinstance(exc, _Aborted):
            error = exc
    if error is not None:
        raise error
