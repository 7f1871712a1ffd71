"""One sweep per rule at a time, across workers, beats and machines: a Redis lock with a TTL.

The lock expires by itself (`RETENTION_LOCK_TIMEOUT`), so a worker killed with SIGKILL blocks the
rule for at most that long; the sweep extends it between chunks (a chunk lasts far less). Release is
token-checked (redis-py's Lua script): a sweep whose lock expired and was taken by another never
releases the other's lock. Without Redis (the embedded SQLite run, one process) a process-local lock
stands in.

The lock's value names its holder: the task id, the host, the process id and that process's start
time. A sweep that finds the lock held by a process of its own host that no longer exists (a prefork
child killed with SIGKILL, whose message Celery redelivers at once) takes the lock over at once
(`take_over_from_dead`) instead of waiting out the TTL; a copy of the same task whose holder it cannot
see (another host) waits for the TTL to run out (`wait_for_release`).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid

from django.conf import settings

logger = logging.getLogger("retention")

_local_locks: dict[str, threading.Lock] = {}
_local_guard = threading.Lock()


class LockLost(Exception):
    """The lock expired and may now belong to another sweep: stop, the other one continues."""


#: Replace the token only if it is still the one read (a takeover never steals from a live taker).
_TAKE_OVER = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return false
"""


def _process_start(pid: int) -> str | None:
    """The start time of a live process (clock ticks since boot, from /proc), "" where there is no
    /proc but the process exists, None if there is no such process or it is a zombie."""
    if not os.path.exists("/proc/self/stat"):  # no /proc here: the process table is all we can ask
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return ""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
    except OSError:  # no such process (or it vanished while being read)
        return None
    if fields[0] in (b"Z", b"X"):  # killed, not yet reaped by its parent
        return None
    return fields[19].decode()


def _pid_namespace() -> str:
    """Processes of two containers may share a host name but never a pid namespace."""
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def holder_token(task_id: str = "") -> str:
    """The value this process stores in a lock it takes."""
    pid = os.getpid()
    return json.dumps(
        {
            "task": task_id or "",
            "host": socket.gethostname(),
            "ns": _pid_namespace(),
            "pid": pid,
            "start": _process_start(pid) or "",
            "nonce": uuid.uuid4().hex,
        }
    )


def holder_is_dead(holder: dict) -> bool:
    """True only when the holder certainly died: a process of this host and pid namespace that is gone
    (or whose pid now belongs to a later process). A holder elsewhere may be alive: never dead here."""
    if (
        holder.get("host") != socket.gethostname()
        or holder.get("ns", "") != _pid_namespace()
        or not isinstance(holder.get("pid"), int)
    ):
        return False
    start = _process_start(holder["pid"])
    return start is None or bool(start and holder.get("start") and start != holder["start"])


def _redis_url() -> str:
    url = settings.REDIS_URL or settings.CELERY_BROKER_URL
    return url if url.startswith(("redis://", "rediss://", "unix://")) else ""


class SweepLock:
    """`acquire()` (non-blocking), `keep_alive()` between chunks, `release()` at the end."""

    def __init__(self, name: str, *, timeout: float | None = None, task_id: str = ""):
        self.name = f"retention:sweep:{name}"
        self.timeout = float(timeout or settings.RETENTION_LOCK_TIMEOUT)
        self.task_id = task_id or ""
        self._extended_at = 0.0
        url = _redis_url()
        if url:
            import redis

            self._client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=10)
            self._lock = self._client.lock(
                self.name, timeout=self.timeout, blocking=False, thread_local=False
            )
            self._local = None
        else:
            self._lock = None
            with _local_guard:
                self._local = _local_locks.setdefault(self.name, threading.Lock())

    def acquire(self) -> bool:
        if self._lock is None:
            acquired = self._local.acquire(blocking=False)
        else:
            acquired = self._lock.acquire(token=holder_token(self.task_id))
        if acquired:
            self._extended_at = time.monotonic()
        return acquired

    def _held_by(self) -> tuple[bytes | None, dict]:
        raw = self._client.get(self.name)
        if raw is None:
            return None, {}
        try:
            holder = json.loads(raw)
        except ValueError:  # a token of the old format: its holder cannot be told
            return raw, {}
        return raw, holder if isinstance(holder, dict) else {}

    def holder(self) -> dict:
        """Who holds the lock now ({} if nobody, or nobody this code can name)."""
        return {} if self._lock is None else self._held_by()[1]

    def take_over_from_dead(self) -> dict | None:
        """Take the lock from a holder that certainly died (see `holder_is_dead`): returns the dead
        holder, or None if the lock is free, or held by a live or unknown process."""
        if self._lock is None:
            return None
        raw, holder = self._held_by()
        if raw is None or not holder_is_dead(holder):
            return None
        token = holder_token(self.task_id)
        if not self._client.eval(_TAKE_OVER, 1, self.name, raw, token, int(self.timeout * 1000)):
            return None  # someone else took it first
        self._lock.local.token = token.encode()
        self._extended_at = time.monotonic()
        logger.warning(
            "lock %s taken over from a dead holder (task %s, pid %s)",
            self.name,
            holder.get("task"),
            holder.get("pid"),
        )
        return holder

    def wait_for_release(self, *, holder_task: str, poll: float = 1.0) -> bool:
        """Wait while `holder_task` holds the lock, at most its TTL and a little more, then take it.

        A live holder extends the lock long before it runs out, so if it is still held by the same
        task after a full TTL, its holder is alive (an early redelivery): returns False.
        """
        if self._lock is None:
            return False
        deadline = time.monotonic() + self.timeout + 5
        while time.monotonic() < deadline:
            if self.acquire() or self.take_over_from_dead():
                return True
            if self.holder().get("task") not in (holder_task, None):
                return False  # a different sweep has the lock now: it does the work
            time.sleep(poll)
        return self.acquire()

    def keep_alive(self) -> None:
        """Reset the TTL when a third of it has gone; raise LockLost if it is no longer ours."""
        if self._lock is None or time.monotonic() - self._extended_at < self.timeout / 3:
            return
        from redis.exceptions import LockError

        try:
            self._lock.extend(self.timeout, replace_ttl=True)
        except LockError as exc:
            raise LockLost(self.name) from exc
        self._extended_at = time.monotonic()

    def release(self) -> None:
        if self._lock is None:
            if self._local.locked():
                self._local.release()
            return
        from redis.exceptions import LockError

        try:
            self._lock.release()
        except LockError:
            logger.warning("lock %s had already expired or passed to another sweep", self.name)

    def __enter__(self) -> SweepLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()
