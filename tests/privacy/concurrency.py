"""Two PostgreSQL transactions at once, for the tests of what races an erasure (privacy/locks.py): an
erasure held open on its own connection, any other work on another, and a probe that another session
waits for a lock."""

from __future__ import annotations

import threading
import time

from django.db import connection, transaction

from privacy.erasure import erase_subject
from requests_app import services as request_services
from requests_app.models import SubjectRequest


class ErasureInThread(threading.Thread):
    """Erases on its own connection and keeps its transaction open until `release` is set."""

    def __init__(self, customer):
        super().__init__(daemon=True)
        self.customer = customer
        self.erasing = threading.Event()
        self.release = threading.Event()

    def run(self):
        try:
            with transaction.atomic():
                erase_subject(self.customer, reason="erasure request", actor=None)
                self.erasing.set()
                self.release.wait(timeout=30)
        finally:
            connection.close()


class InThread(threading.Thread):
    """Runs `work` on its own connection; keeps what it returned or raised."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work = work
        self.result = self.error = None

    def run(self):
        try:
            self.result = self.work()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            self.error = exc
        finally:
            connection.close()


def waiting_for_a_lock(timeout: float = 10) -> bool:
    """Another session of this database waits for a lock (the racing write is blocked)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


def register_access_request(agent, customer):
    """An access request of `customer` with the requester's name and e-mail (personal data to erase)."""
    return request_services.request_register(
        actor=agent,
        type=SubjectRequest.Type.ACCESS,
        channel=SubjectRequest.Channel.EMAIL,
        customer=customer,
        requester_name="Anna Ozoliņa",
        requester_email="anna@example.lv",
    )
