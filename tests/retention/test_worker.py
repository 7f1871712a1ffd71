"""The nightly task on real Celery workers and the real Redis (§33): a worker killed with SIGKILL in
the middle of a sweep loses nothing (the unacknowledged message is delivered again and the second
delivery finishes the job), and the same sweep delivered twice at once deletes everything exactly once.

The workers run in subprocesses against this test's database (committed data: transactional tests),
with small chunks and a pause between them so that a sweep lasts a few seconds.
"""

import datetime
import os
import signal
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from privacy.models import PendingFileDeletion, Recording
from retention.models import RetentionRun
from retention.tasks import sweep_rule
from tests.celery_workers import Workers as BaseWorkers

from .factories import AS_OF, LegalHoldFactory, old_customer, recording_on

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DUE, RECENT = datetime.date(2024, 6, 1), datetime.date(2025, 7, 1)


def _small_chunks(tmp_path: Path) -> dict[str, str]:
    """Small chunks and a pause between them, so that a sweep lasts a few seconds."""
    return {
        "PRIVATE_STORAGE_ROOT": str(tmp_path / "private"),
        "RETENTION_CHUNK_SIZE": "5",
        "RETENTION_CHUNK_PAUSE_SECONDS": "0.3",
        "CONN_MAX_AGE": "0",
    }


class Workers(BaseWorkers):
    """Workers with small chunks, a short lock and a short visibility timeout."""

    def __init__(self, tmp_path: Path):
        super().__init__(
            tmp_path,
            env={**_small_chunks(tmp_path), "RETENTION_LOCK_TIMEOUT": "2", "CELERY_VISIBILITY_TIMEOUT": "3"},
        )

    def send(self, **kwargs):
        return sweep_rule.apply_async(
            kwargs={"code": "recordings", "as_of": AS_OF.isoformat(), **kwargs}, queue=self.queue
        )


@pytest.fixture
def workers(transactional_db, rules, tmp_path):
    pool = Workers(tmp_path)
    yield pool
    pool.stop_all()  # before the database is flushed


def _data(due: int):
    """`due` recordings past their window, with 6 inside it and 4 under a hold interleaved; all with files."""
    customer, held = old_customer(), old_customer()
    LegalHoldFactory(customer=held)
    rows = {"due": [], "kept": [], "held": []}
    for index in range(due + 10):
        if index % 10 in (3, 7) and len(rows["kept"]) < 6:
            kind, owner, day = "kept", customer, RECENT
        elif index % 10 in (5, 9) and len(rows["held"]) < 4:
            kind, owner, day = "held", held, DUE
        else:
            kind, owner, day = "due", customer, DUE
        recording = recording_on(day, customer=owner, file=ContentFile(b"RIFF....WAVE", name="call.wav"))
        rows[kind].append(recording.pk)
    rows["kept"] += rows["held"]
    return rows


def _files_on_disk() -> set[str]:
    found = set()
    root = Path(default_storage.location)
    for path in root.rglob("*"):
        if path.is_file():
            found.add(path.relative_to(root).as_posix())
    return found


def _assert_exact(rows) -> None:
    """Nothing deleted that should stay, nothing due left, no row without its file nor file without row."""
    remaining = set(Recording.objects.values_list("pk", flat=True))
    assert remaining == set(rows["kept"])
    names = set(Recording.objects.values_list("file", flat=True))
    assert all(default_storage.exists(name) for name in names)
    assert _files_on_disk() == names
    assert not PendingFileDeletion.objects.exists()
    # §32: the audit records of the due recordings stay, without file names, one "-" row each
    assert not Recording.history.filter(id__in=rows["due"]).exclude(file="").exists()
    assert Recording.history.filter(id__in=rows["due"], history_type="-").count() == len(rows["due"])


def _wait_for(condition, timeout: float, what: str, workers: Workers):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}\n" + "\n".join(workers.log(n) for n in workers.procs)
        time.sleep(0.1)


def test_a_worker_killed_mid_sweep_loses_nothing_and_the_redelivery_finishes(workers):
    rows = _data(due=60)
    assert len(rows["due"]) > 40
    workers.start("first")
    workers.wait_ready("first")
    workers.send()

    def committed_chunks():
        run = RetentionRun.objects.filter(dry_run=False).first()
        return run is not None and run.deleted >= 15

    _wait_for(committed_chunks, 30, "the sweep did not get going", workers)
    workers.kill("first")
    killed = RetentionRun.objects.get()
    assert killed.status == RetentionRun.Status.RUNNING  # it never got to say goodbye
    assert 15 <= killed.deleted < len(rows["due"])
    assert Recording.objects.count() == len(rows["due"]) + len(rows["kept"]) - killed.deleted
    assert set(rows["kept"]) <= set(Recording.objects.values_list("pk", flat=True))

    time.sleep(3)  # past the visibility timeout: Redis hands the unacknowledged message to the next worker
    workers.start("second")
    _wait_for(
        lambda: RetentionRun.objects.filter(status=RetentionRun.Status.FINISHED).exists(),
        40,
        "the message was not delivered again",
        workers,
    )
    killed.refresh_from_db()
    finished = RetentionRun.objects.get(status=RetentionRun.Status.FINISHED)
    assert killed.status == RetentionRun.Status.INTERRUPTED
    assert finished.task_id == killed.task_id  # the same message, delivered again
    assert killed.deleted + finished.deleted == len(rows["due"])
    assert finished.kept == finished.kept_by_reason["legal_hold"] == 4  # the second run re-examines all
    _assert_exact(rows)


def test_the_same_sweep_delivered_twice_at_once_deletes_everything_exactly_once(workers):
    rows = _data(due=40)
    workers.start("one")
    workers.start("two")
    workers.wait_ready("one", "two")
    first, second = workers.send(), workers.send()

    results = [first.get(timeout=60), second.get(timeout=60)]

    statuses = sorted(result["status"] for result in results)
    assert statuses == ["finished", "locked"], results
    runs = list(RetentionRun.objects.filter(dry_run=False))
    assert len(runs) == 1
    assert (runs[0].examined, runs[0].deleted, runs[0].kept) == (len(rows["due"]) + 4, len(rows["due"]), 4)
    _assert_exact(rows)


@pytest.fixture
def prefork(transactional_db, rules, tmp_path):
    """A prefork worker with one pool child and the production defaults of the lock (120 s) and the
    visibility timeout (4 h); only the chunks are small, so that the sweep lasts a few seconds."""
    pool = BaseWorkers(tmp_path, env=_small_chunks(tmp_path))
    for name in ("RETENTION_LOCK_TIMEOUT", "CELERY_VISIBILITY_TIMEOUT"):
        pool.env.pop(name, None)
    yield pool
    pool.stop_all()


def test_a_pool_child_killed_mid_sweep_is_taken_over_by_the_redelivery_which_finishes_the_night(prefork):
    """§33: call recordings are kept 6 months, then deleted. Only the prefork child dies (SIGKILL, as
    the kernel's OOM killer does): Celery delivers the message again at once, the new child finds the
    dead child's lock (120 s to live) and takes it over instead of answering "locked", and the same
    night's task deletes the rest. The dead run is `interrupted`, and the counts add up to the rows gone."""
    rows = _data(due=60)
    total = Recording.objects.count()
    prefork.start("prefork", pool="prefork", concurrency=1)
    prefork.wait_ready("prefork", timeout=60)
    sent = sweep_rule.apply_async(
        kwargs={"code": "recordings", "as_of": AS_OF.isoformat()}, queue=prefork.queue
    )

    def committed_chunks():
        run = RetentionRun.objects.filter(dry_run=False).first()
        return run is not None and run.deleted >= 15

    _wait_for(committed_chunks, 60, "the sweep did not get going", prefork)
    children = prefork.children("prefork")
    assert len(children) == 1, children
    os.kill(children[0], signal.SIGKILL)
    killed_at = time.monotonic()

    _wait_for(
        lambda: RetentionRun.objects.filter(status=RetentionRun.Status.FINISHED).exists(),
        90,  # below the lock's 120 s: the redelivery took the lock over, it did not wait it out
        "the redelivered task did not finish the sweep",
        prefork,
    )
    assert time.monotonic() - killed_at < 120
    assert sent.get(timeout=30)["status"] == "finished"
    killed = RetentionRun.objects.get(status=RetentionRun.Status.INTERRUPTED)
    finished = RetentionRun.objects.get(status=RetentionRun.Status.FINISHED)
    assert RetentionRun.objects.count() == 2
    assert killed.finished_at is not None
    assert finished.task_id == killed.task_id == sent.id  # the same message, delivered again
    gone = total - Recording.objects.count()
    assert killed.deleted + finished.deleted == gone == len(rows["due"])
    assert killed.deleted >= 15 and finished.deleted >= 1
    _assert_exact(rows)
