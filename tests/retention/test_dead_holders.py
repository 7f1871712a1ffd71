"""A sweep killed with SIGKILL leaves its lock behind (§31–34: the nightly deletion must still happen).

On the real Redis: a lock whose holder is a process of this host that no longer exists is taken over at
once, by the redelivered task or by any later sweep; a holder that may be alive (another host, or this
very process) is never taken over; a copy of the same task whose holder cannot be seen waits out the
lock's TTL and then sweeps. A run left `running` by a dead worker is marked `interrupted`.
"""

import datetime
import json
import socket
import subprocess
import threading
import time

import pytest
from django_celery_beat.models import PeriodicTask

from privacy.models import Recording
from retention.locks import SweepLock, _pid_namespace, holder_is_dead, holder_token
from retention.models import RetentionRun
from retention.services import runs_mark_interrupted
from retention.tasks import mark_interrupted_runs, sweep_rule

from .factories import AS_OF, recording_on


def _dead_pid() -> int:
    """The pid of a process of this host that has exited (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _plant(name: str, *, task: str = "", host: str | None = None, pid: int | None = None, ttl: float = 120):
    """Leave a lock as a killed sweep leaves it: held, with the TTL of a live one."""
    lock = SweepLock(name)
    value = {
        "task": task,
        "host": host or socket.gethostname(),
        "ns": _pid_namespace(),
        "pid": pid or _dead_pid(),
        "start": "1",
    }
    lock._client.set(lock.name, json.dumps({**value, "nonce": "x"}), px=int(ttl * 1000))
    return lock


def _assert_free(name: str) -> None:
    lock = SweepLock(name)
    assert lock.acquire()
    lock.release()


def _running_run(rules, task_id="killed-task"):
    return RetentionRun.objects.create(
        rule=rules["recordings"],
        as_of=AS_OF,
        trigger=RetentionRun.Trigger.SCHEDULE,
        task_id=task_id,
        window_months=6,
        cutoff=datetime.date(2025, 1, 16),
        deleted=15,
    )


def test_the_holder_in_the_lock_is_this_process():
    holder = json.loads(holder_token("abc"))
    assert holder["task"] == "abc" and holder["host"] == socket.gethostname()
    assert not holder_is_dead(holder)  # this very process is alive
    assert holder_is_dead({**holder, "pid": _dead_pid()})
    assert holder_is_dead({**holder, "start": "1"})  # our pid, but an earlier process had it
    assert not holder_is_dead({**holder, "pid": _dead_pid(), "host": "another-host"})
    assert not holder_is_dead({**holder, "pid": _dead_pid(), "ns": "pid:[1]"})  # another container
    assert not holder_is_dead({})


def test_a_lock_left_by_a_dead_process_of_this_host_is_taken_over_at_once():
    _plant("dead-test-a")
    lock = SweepLock("dead-test-a", task_id="mine")
    assert not lock.acquire()
    assert lock.take_over_from_dead()["task"] == ""
    assert lock.holder()["task"] == "mine"
    assert not SweepLock("dead-test-a").take_over_from_dead()  # now held by a live process: us
    lock.release()
    _assert_free("dead-test-a")  # released for real: the token was ours


def test_a_lock_held_on_another_host_is_never_taken_over():
    _plant("dead-test-b", host="another-host")
    assert SweepLock("dead-test-b").take_over_from_dead() is None
    assert SweepLock("dead-test-b").holder()["host"] == "another-host"
    SweepLock("dead-test-b")._client.delete("retention:sweep:dead-test-b")


@pytest.mark.django_db
def test_the_redelivered_sweep_takes_over_the_dead_childs_lock_and_does_the_work(rules):
    """Before: the redelivery returned "locked" (99 s of TTL left) and the run stayed `running`."""
    due = [recording_on(datetime.date(2019, 1, 1)).pk for _ in range(3)]
    killed = _running_run(rules, task_id="the-nightly-task")
    _plant("recordings", task="the-nightly-task")

    result = sweep_rule.apply(
        kwargs={"code": "recordings", "as_of": AS_OF.isoformat()}, task_id="the-nightly-task"
    )

    assert result.result["status"] == "finished", result.result
    assert result.result["deleted"] == 3
    assert not Recording.objects.filter(pk__in=due).exists()
    killed.refresh_from_db()
    assert killed.status == RetentionRun.Status.INTERRUPTED and killed.finished_at
    assert RetentionRun.objects.get(status=RetentionRun.Status.FINISHED).task_id == "the-nightly-task"
    _assert_free("recordings")  # the taker released the lock it took over


@pytest.mark.django_db
def test_a_copy_of_the_same_task_waits_out_a_lock_it_cannot_check_then_sweeps(rules):
    """A redelivery whose holder ran on another host: the lock runs out (nobody extends it), then it
    sweeps; it never answers "locked" for work nobody does."""
    recording_on(datetime.date(2019, 1, 1))
    _plant("recordings", task="the-nightly-task", host="another-host", ttl=2)
    started = time.monotonic()
    result = sweep_rule.apply(
        kwargs={"code": "recordings", "as_of": AS_OF.isoformat()}, task_id="the-nightly-task"
    )
    assert result.result["status"] == "finished" and result.result["deleted"] == 1
    assert time.monotonic() - started >= 1.5
    assert Recording.objects.count() == 0


@pytest.mark.django_db
def test_another_task_still_stops_at_a_live_holder_on_another_host(rules):
    recording_on(datetime.date(2019, 1, 1))
    _plant("recordings", task="the-nightly-task", host="another-host", ttl=30)
    try:
        result = sweep_rule.apply(kwargs={"code": "recordings", "as_of": AS_OF.isoformat()}, task_id="other")
        assert result.result == {"rule": "recordings", "status": "locked"}
    finally:
        SweepLock("recordings")._client.delete("retention:sweep:recordings")
    assert Recording.objects.count() == 1


@pytest.mark.django_db
def test_the_periodic_check_marks_runs_of_dead_workers_interrupted_and_leaves_live_ones(rules):
    dead = _running_run(rules)
    live = RetentionRun.objects.create(
        rule=rules["invoices"],
        as_of=AS_OF,
        trigger=RetentionRun.Trigger.SCHEDULE,
        window_months=60,
        cutoff=datetime.date(2020, 7, 16),
    )
    holder = SweepLock("invoices")
    assert holder.acquire()  # a live sweep of invoices, in this process
    try:
        assert mark_interrupted_runs.run() == 1
    finally:
        holder.release()
    dead.refresh_from_db()
    live.refresh_from_db()
    assert dead.status == RetentionRun.Status.INTERRUPTED and dead.finished_at
    assert live.status == RetentionRun.Status.RUNNING
    assert runs_mark_interrupted() == 1  # the invoices sweep is gone now
    assert not RetentionRun.objects.filter(status=RetentionRun.Status.RUNNING).exists()


@pytest.mark.django_db
def test_the_periodic_check_also_takes_over_a_dead_holders_lock(rules):
    dead = _running_run(rules)
    _plant("recordings")
    assert runs_mark_interrupted() == 1
    dead.refresh_from_db()
    assert dead.status == RetentionRun.Status.INTERRUPTED
    _assert_free("recordings")


@pytest.mark.django_db
def test_the_check_runs_every_ten_minutes_from_the_database_schedule():
    task = PeriodicTask.objects.select_related("interval").get(task="retention.mark_interrupted_runs")
    assert task.enabled and (task.interval.every, task.interval.period) == (10, "minutes")


@pytest.mark.django_db
def test_an_early_redelivery_of_a_live_sweep_waits_then_leaves_the_work_to_it(rules, settings):
    """The same task delivered again while its first copy still runs (and extends the lock): the copy
    waits out one TTL, sees the holder alive, and does nothing (no second run, nothing deleted twice)."""
    settings.RETENTION_LOCK_TIMEOUT = 2
    recording_on(datetime.date(2019, 1, 1))
    live = SweepLock("recordings", task_id="the-nightly-task")
    assert live.acquire()
    stop = threading.Event()

    def extend():  # what a live sweep does between its chunks
        while not stop.wait(0.2):
            live.keep_alive()

    beating = threading.Thread(target=extend)
    beating.start()
    try:
        started = time.monotonic()
        result = sweep_rule.apply(
            kwargs={"code": "recordings", "as_of": AS_OF.isoformat()}, task_id="the-nightly-task"
        )
        waited = time.monotonic() - started
    finally:
        stop.set()
        beating.join()
        live.release()
    assert result.result == {"rule": "recordings", "status": "locked"}
    assert waited >= 2  # it waited a whole TTL before giving up
    assert not RetentionRun.objects.exists() and Recording.objects.count() == 1
