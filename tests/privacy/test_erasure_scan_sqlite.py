"""The erasure scan (`manage.py erasure_scan`, privacy/erasure/scan.py) runs on SQLite too, so a DPO
trying the product with `make run` can check an erasure (§38–39). A fresh SQLite database in a
subprocess: migrate, erase a customer kept as a tombstone, scan; then write a consent onto the
tombstone behind the services' back and scan again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
from django.core.management import CommandError, call_command
from django.utils import timezone

from consents.models import ConsentEvent, ConsentTopic
from privacy.erasure import erase_subject
from privacy.models import Customer, Invoice

call_command("migrate", verbosity=0)
customer = Customer.objects.create(
    customer_number="C1", first_name="Ērika", last_name="Ozoliņa", email="e@x.lv"
)
Invoice.objects.create(
    customer=customer, number="R1", issue_date=timezone.localdate(), amount=1, payer_name="Ērika Ozoliņa"
)
erase_subject(customer, reason="erasure request", actor=None)
call_command("erasure_scan", value=["e@x.lv"])
print("--- leftover ---")
ConsentEvent.objects.bulk_create([  # no signals, no services: what a buggy path could leave
    ConsentEvent(
        customer_id=customer.pk, topic=ConsentTopic.objects.first(), action="given", channel="phone",
        occurred_at=timezone.now(), recorded_at=timezone.now(), source="call",
    )
])
try:
    call_command("erasure_scan", value=["ĒRIKA"])
except CommandError as exc:
    print("FAILED:", exc)
"""


def test_the_erasure_scan_runs_on_sqlite(tmp_path: Path):
    root = Path(__file__).resolve().parents[2]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    }
    env.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PRIVATE_STORAGE_ROOT=str(tmp_path / "private"),
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SCRIPT],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    clean, leftover = done.stdout.split("--- leftover ---")
    assert "Erasure scan: nothing found." in clean
    event = leftover.splitlines()
    # The consent written onto the tombstone is found; the kept invoice's payer name (Accounting Law,
    # §31) is found case-insensitively, Latvian letters included, by table, column and key only.
    assert any(line.startswith("consents.ConsentEvent #") and "tombstone" in line for line in event)
    assert "privacy_invoice.payer_name 1" in event
    assert "FAILED: Erasure scan: " in leftover
    assert "Ērika" not in done.stdout  # the command never prints the values it found
