"""A bulk import and an erasure never overlap (privacy/locks.py, §38–39, §46–49): an erasure waits for an
applying import and then erases what it wrote; an import waits for a running erasure and then refuses
the erased customer's rows. Real PostgreSQL transactions on two connections."""

import io
import threading

import pytest
from django.db import OperationalError, connection, transaction

from consents.importer import run_import
from consents.models import Consent, ConsentEvent
from privacy.erasure import erase_subject
from tests.factories import CustomerFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]

HEADER = "customer_number,topic,action,channel,occurred_at,source,policy_version"
ROWS = [
    "C100,marketing_email,given,portal,2024-05-01T10:00:00,form-1,",
    "C100,surveys,given,portal,2024-05-01T10:00:00,form-1,",
]


def _file() -> io.BytesIO:
    return io.BytesIO(("\n".join([HEADER, *ROWS]) + "\n").encode())


def _lock_timeout(milliseconds: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{milliseconds}ms'")


class _ImportInThread(threading.Thread):
    """Runs an applying import on its own connection and holds it open in the writing phase until
    `release` is set."""

    def __init__(self, actor):
        super().__init__(daemon=True)
        self.actor = actor
        self.writing = threading.Event()
        self.release = threading.Event()
        self.result = None

    def update(self, percent, phase):
        if phase == "writing" and not self.writing.is_set():
            self.writing.set()
            self.release.wait(timeout=30)

    def run(self):
        try:
            self.result = run_import(_file(), file_name="portal.csv", actor=self.actor, progress=self)
        finally:
            connection.close()


def test_an_erasure_waits_for_a_running_import_and_then_erases_what_it_wrote():
    anna = CustomerFactory(customer_number="C100")
    staff = UserFactory(username="importer")
    importer = _ImportInThread(staff)
    importer.start()
    assert importer.writing.wait(timeout=30)

    _lock_timeout(300)
    with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
        erase_subject(anna, reason="erasure request", actor=staff)

    importer.release.set()
    importer.join(timeout=30)
    assert importer.result.applied and importer.result.new_events == 2
    assert ConsentEvent.objects.filter(customer=anna).count() == 2

    with transaction.atomic():
        erase_subject(anna, reason="erasure request", actor=staff)
    assert not ConsentEvent.objects.filter(customer_id=anna.pk).exists()
    assert not ConsentEvent.history.filter(customer_id=anna.pk).exclude(source="").exists()  # §32: blank
    assert not Consent.objects.filter(customer_id=anna.pk).exists()
    assert not Consent.history.filter(customer_id=anna.pk).exclude(source="").exists()


def test_an_import_waits_for_a_running_erasure_and_then_refuses_the_erased_customer():
    anna = CustomerFactory(customer_number="C100")
    staff = UserFactory(username="importer")
    erasing = threading.Event()
    release = threading.Event()

    def erase():
        try:
            with transaction.atomic():
                erase_subject(anna, reason="erasure request", actor=staff)
                erasing.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    eraser = threading.Thread(target=erase, daemon=True)
    eraser.start()
    assert erasing.wait(timeout=30)

    _lock_timeout(300)
    with pytest.raises(OperationalError, match="lock timeout"):
        run_import(_file(), file_name="portal.csv", actor=staff)
    # A dry run writes nothing and does not wait.
    assert run_import(_file(), file_name="portal.csv", actor=staff, dry_run=True).new_events == 2

    release.set()
    eraser.join(timeout=30)
    result = run_import(_file(), file_name="portal.csv", actor=staff)
    assert not result.applied
    assert [(error.line, error.column) for error in result.errors] == [
        (2, "customer_number"),
        (3, "customer_number"),
    ]
    assert not ConsentEvent.objects.exists()
