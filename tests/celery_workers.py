"""Real Celery workers for the tests that go through Redis: each in its own process group, on the test
database, listening on a queue of its own test (so workers of other runs never take its tasks)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
CELERY = Path(sys.executable).with_name("celery")


class Workers:
    def __init__(self, tmp_path: Path, *, env: dict[str, str] | None = None):
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        self.logs = tmp_path / "workers"
        self.logs.mkdir(exist_ok=True)
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "PRIVATE_STORAGE_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
            **(env or {}),
        }
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str = "worker", *, pool: str = "solo", concurrency: int = 1) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        self.procs[name] = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "config",
                "worker",
                f"--pool={pool}",
                f"--concurrency={concurrency}",
                "-Q",
                self.queue,
                "-n",
                f"{name}-{self.queue}@localhost",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, *names: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        for name in names or tuple(self.procs):
            while b" ready." not in (self.logs / f"{name}.log").read_bytes():
                assert self.procs[name].poll() is None, self.log(name)
                assert time.monotonic() < deadline, f"worker {name} did not start:\n{self.log(name)}"
                time.sleep(0.1)

    def kill(self, name: str) -> None:
        """SIGKILL, no goodbye: the worker cannot acknowledge, requeue or release anything."""
        proc = self.procs[name]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def children(self, name: str) -> list[int]:
        """The pids of a prefork worker's pool processes (ForkPoolWorker), from /proc."""
        parent = self.procs[name].pid
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_bytes()
                except OSError:
                    continue
                fields = stat.rsplit(b")", 1)[1].split()
                if int(fields[1]) == parent and fields[0] not in (b"Z", b"X"):
                    found.append(int(entry.name))
        return found

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for name, proc in self.procs.items():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill(name)

    def log(self, name: str = "worker") -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-4000:]
