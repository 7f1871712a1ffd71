"""One sweep per rule at a time, across workers, beats and machines: a Redis lock with a TTL.

The lock expires by itself (`RETENTION_LOCK_TIMEOUT`), so a worker killed with SIGKILL blocks the
rule for at most that long; the sweep extends it between chunks (a chunk lasts far less). Release is
token-checked (redis-py's Lua script): a sweep whose lock expired and was taken by another never
releases the other's lock. Without Redis (the embedded SQLite run, one process) a process-local lock
stands in.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger("retention")

_local_locks: dict[str, threading.Lock] = {}
_local_guard = threading.Lock()


class LockLost(Exception):
    """The lock expired and may now belong to another sweep: stop, the other one continues."""


def _redis_url() -> str:
    url = settings.REDIS_URL or settings.CELERY_BROKER_URL
    return url if url.startswith(("redis://", "rediss://", "unix://")) else ""


class SweepLock:
    """`acquire()` (non-blocking), `keep_alive()` between chunks, `release()` at the end."""

    def __init__(self, name: str, *, timeout: float | None = None):
        self.name = f"retention:sweep:{name}"
        self.timeout = float(timeout or settings.RETENTION_LOCK_TIMEOUT)
        self._extended_at = 0.0
        url = _redis_url()
        if url:
            import redis

            client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=10)
            self._lock = client.lock(self.name, timeout=self.timeout, blocking=False, thread_local=False)
            self._local = None
        else:
            self._lock = None
            with _local_guard:
                self._local = _local_locks.setdefault(self.name, threading.Lock())

    def acquire(self) -> bool:
        acquired = self._lock.acquire() if self._lock is not None else self._local.acquire(blocking=False)
        if acquired:
            self._extended_at = time.monotonic()
        return acquired

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
