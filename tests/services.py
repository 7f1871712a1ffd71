"""Throwaway PostgreSQL 15 and Redis for the test suite, on free loopback ports.

    python tests/services.py run -- pytest [ARGS...]

starts both servers in a temporary folder, exports DATABASE_URL, REDIS_URL and CELERY_BROKER_URL to
the command, runs it, stops the servers and exits with the command's status. `postgres` refuses to run
as root, so as root the cluster is created and run as the unprivileged `postgres` user (or `nobody`).

Why not pytest-postgresql / pytest-redis: pytest-postgresql cannot drop root privileges, and starting
the servers outside pytest lets the same environment serve benchmarks (`tests/services.py run -- python
bench/...`) and a live server for browser tests.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _unprivileged() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise SystemExit("Running as root and neither a 'postgres' nor a 'nobody' user exists for PostgreSQL.")


def _as_user(user: pwd.struct_passwd | None):
    if user is None:
        return None

    def demote() -> None:
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)

    return demote


def _wait_for(port: int, what: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(
                f"{what} exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}"
            )
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise SystemExit(f"{what} did not accept connections on port {port} within {timeout:.0f} s")


def _wait_until_ready(port: int, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    """The port opens before PostgreSQL accepts connections: while it is still starting up, `pg_isready`
    answers 1 ("rejecting connections") at once, and on a busy machine that lasts seconds. Ask again."""
    ready = [str(PG_BIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port), "-t", "10"]
    deadline = time.monotonic() + timeout
    while subprocess.run(ready, check=False).returncode != 0:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"PostgreSQL did not become ready:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


@contextlib.contextmanager
def postgresql(workdir: Path) -> Iterator[str]:
    user = _unprivileged()
    data = workdir / "pgdata"
    data.mkdir()
    log = workdir / "postgres.log"
    log.touch()
    if user is not None:
        os.chown(workdir, user.pw_uid, user.pw_gid)
        for path in (data, log):
            os.chown(path, user.pw_uid, user.pw_gid)
    initdb = [
        str(PG_BIN / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "--no-sync",
    ]
    subprocess.run(initdb, check=True, stdout=subprocess.DEVNULL, preexec_fn=_as_user(user))  # noqa: PLW1509
    port = free_port()
    # Durability is pointless for a throwaway cluster; these settings make the suite several times faster.
    cmd = [
        str(PG_BIN / "postgres"),
        "-D",
        str(data),
        "-p",
        str(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        f"unix_socket_directories={workdir}",
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "max_connections=200",
        "-c",
        "shared_buffers=256MB",
    ]
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_as_user(user))  # noqa: PLW1509
    try:
        _wait_for(port, "PostgreSQL", proc, log)
        _wait_until_ready(port, proc, log)
        subprocess.run(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "privacy"],
            check=True,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/privacy"
    finally:
        proc.send_signal(signal.SIGINT)  # fast shutdown
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def redis(workdir: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        raise SystemExit("redis-server is not installed (apt-get install -y redis-server).")
    port = free_port()
    log = workdir / "redis.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [
                server,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(port, "redis-server", proc, log)
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def run(command: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="privacy-test-") as tmp:
        workdir = Path(tmp)
        os.chmod(workdir, 0o755)  # noqa: S103 - the unprivileged postgres user must reach its folder
        with postgresql(workdir) as database_url, redis(workdir) as redis_url:
            env = dict(os.environ)
            env.update(
                DATABASE_URL=database_url,
                REDIS_URL=f"{redis_url}/1",
                CELERY_BROKER_URL=f"{redis_url}/0",
                CELERY_RESULT_BACKEND=f"{redis_url}/2",
                PRIVATE_STORAGE_ROOT=str(workdir / "private"),
            )
            env.setdefault("SECRET_KEY", "test-only-" + "x" * 50)
            env.setdefault("SUPPRESSION_HMAC_KEY", "test-only-suppression-" + "y" * 40)
            env.setdefault("SECURE_SSL_REDIRECT", "false")
            env.setdefault("STATIC_MANIFEST", "false")
            print(f"services: PostgreSQL {database_url}  Redis {redis_url}", flush=True)
            return subprocess.call(command, env=env)


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "run" or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    return run(argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
