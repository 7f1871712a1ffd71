"""Progress on long imports without a broker too (development, CELERY_TASK_ALWAYS_EAGER): a large file
is checked and applied on a background thread of the web process while the page polls its progress;
the thread closes its database connections, and a failure marks the job failed with its reason (§47:
"nothing imported" is said, never hidden)."""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from consents import tasks
from consents.models import Consent, ConsentEvent, ConsentImport
from tests.factories import CustomerFactory

from .test_admin import CONFIRM_URL, upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]

LINES = [f"T{n},marketing_email,given,portal,2024-05-01T10:00:00,t{n}," for n in range(5)]


@pytest.fixture
def eager_in_thread(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CONSENT_IMPORT_IN_THREAD = True
    settings.CONSENT_IMPORT_ASYNC_ROWS = 3
    for n in range(5):
        CustomerFactory(customer_number=f"T{n}")


def _join(job_id: int) -> None:
    for thread in threading.enumerate():
        if thread.name == f"consent-import-job-{job_id}":
            thread.join(timeout=60)
            assert not thread.is_alive()


def _backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def _backends_back_to(count: int, timeout: float = 10) -> int:
    """The backends once the closed ones are gone: a server process leaves pg_stat_activity when it has
    exited, a moment after its client closed the connection (longer on a busy machine). A connection
    left open never goes, and the count stays above `count`."""
    deadline = time.monotonic() + timeout
    while (now := _backends()) != count and time.monotonic() < deadline:
        time.sleep(0.05)
    return now


def test_a_large_file_runs_on_a_thread_and_the_page_polls_progress(importer, eager_in_thread, monkeypatch):
    gate = threading.Event()
    run = tasks.consent_import_run

    def held(*args):
        assert gate.wait(30)
        return run(*args)

    monkeypatch.setattr(tasks, "consent_import_run", held)
    backends = _backends()
    response = upload(importer, *LINES)
    job = ConsentImport.objects.get()
    # The request returned while the check still waits: the page shows a progress bar and polls.
    assert job.status == ConsentImport.Status.QUEUED
    page = importer.get(response["Location"])
    assert b"<progress" in page.content
    progress_url = reverse("admin:consents_consentevent_import_progress", args=[job.pk])
    assert importer.get(progress_url).json()["running"] is True
    gate.set()
    _join(job.pk)
    job.refresh_from_db()
    assert job.status == ConsentImport.Status.READY
    assert importer.get(progress_url).json() | {"phase_label": ""} == {
        "status": "ready",
        "status_label": "checked: waiting for confirmation",
        "running": False,
        "percent": 100.0,
        "phase": "done",
        "phase_label": "",
    }

    importer.post(CONFIRM_URL, {"job_id": job.pk})
    _join(job.pk)
    job.refresh_from_db()
    assert job.status == ConsentImport.Status.APPLIED and job.applied_by == importer.user
    assert ConsentEvent.objects.count() == 5 == Consent.objects.count()
    # the thread's (and its heartbeat's) connections were closed
    assert _backends_back_to(backends) == backends


def test_a_failure_on_the_thread_fails_the_job_with_its_reason(importer, eager_in_thread, monkeypatch):
    def broken(**kwargs):
        raise ConnectionError("database went away")

    monkeypatch.setattr(tasks.services, "consent_import_execute", broken)
    backends = _backends()
    response = upload(importer, *LINES)
    job = ConsentImport.objects.get()
    _join(job.pk)
    job.refresh_from_db()
    assert job.status == ConsentImport.Status.FAILED
    assert job.result == {"failure": "ConnectionError", "phase": "checking"}
    monkeypatch.undo()
    page = importer.get(response["Location"])
    assert b"Nothing was imported" in page.content and b"Try again" in page.content
    assert ConsentEvent.objects.count() == 0
    assert _backends_back_to(backends) == backends


def test_with_a_broker_the_job_goes_to_celery_not_a_thread(importer, eager_in_thread, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(tasks.consent_import_run, "delay", lambda *args: queued.append(args))
    upload(importer, *LINES)
    job = ConsentImport.objects.get()
    assert queued == [(job.pk, importer.user.pk, True)]
    assert not [t for t in threading.enumerate() if t.name == f"consent-import-job-{job.pk}"]
