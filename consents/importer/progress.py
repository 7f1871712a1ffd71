"""Progress of a running import, for the admin's progress bar.

The import runs in one database transaction, so its progress cannot be read from the database by another
connection until it ends; it goes to the cache (Redis when REDIS_URL is set) instead, throttled.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

TIMEOUT = 24 * 3600
#: The phases of an import, as `update(percent, phase)` names them.
PHASES = {
    "waiting": _("waiting for a worker"),
    "reading": _("reading and checking rows"),
    "checking": _("comparing with the ledger"),
    "writing": _("writing ledger, consents and history"),
    "done": _("done"),
}


def _key(job_id: int) -> str:
    return f"consents:import:{job_id}:progress"


class NullProgress:
    def update(self, percent: float, phase: str) -> None:
        pass

    def finish(self) -> None:
        pass


class CacheProgress:
    """Writes {"percent", "phase"} for an import job at most every `interval` seconds."""

    def __init__(self, job_id: int, interval: float = 0.5):
        self.job_id = job_id
        self.interval = interval
        self._last = 0.0
        self._phase = ""

    def update(self, percent: float, phase: str) -> None:
        now = time.monotonic()
        if phase == self._phase and now - self._last < self.interval:
            return
        self._last, self._phase = now, phase
        cache.set(_key(self.job_id), {"percent": round(min(percent, 100.0), 1), "phase": phase}, TIMEOUT)

    def finish(self) -> None:
        cache.set(_key(self.job_id), {"percent": 100.0, "phase": "done"}, TIMEOUT)


def read_progress(job_id: int) -> dict:
    return cache.get(_key(job_id)) or {"percent": 0.0, "phase": "waiting"}


def reset_progress(job_id: int) -> None:
    cache.delete(_key(job_id))
