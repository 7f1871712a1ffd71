"""A consent import whose worker is killed (SIGKILL: OOM killer, a deploy, a power cut) ends clearly.

Real Celery workers on Redis, on PostgreSQL, through the admin as its user sees it. The import applies
in one transaction, so a killed worker wrote nothing; the job must not stay "checking"/"applying" for
ever (Annex 1 cat. 28: the uploaded CSV holds personal data and is kept only while the import needs
it): its worker's heartbeat stops, the job page fails it with a message the user understands, and
"Try again" runs the phase again, on another worker, to the end.
"""

import time

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consents.models import Consent, ConsentEvent, ConsentImport
from consents.tasks import consent_import_run
from tests.celery_workers import Workers
from tests.factories import CustomerFactory, UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]

HEADER = "customer_number,topic,action,channel,occurred_at,source,policy_version"
ROWS = 40_000  # over CONSENT_IMPORT_ASYNC_ROWS: the admin hands the file to a worker
IMPORT_URL = reverse("admin:consents_consentevent_import")
CONFIRM_URL = reverse("admin:consents_consentevent_process_import")


@pytest.fixture
def workers(tmp_path, settings, monkeypatch):
    settings.CONSENT_IMPORT_LOST_AFTER_SECONDS = 4  # the workers beat every 0.5 s
    pool = Workers(tmp_path, env={"CONSENT_IMPORT_HEARTBEAT_SECONDS": "0.5", "CONN_MAX_AGE": "0"})
    # The admin queues its tasks with .delay(): on this test's queue, where its workers listen.
    monkeypatch.setattr(
        consent_import_run, "delay", lambda *args: consent_import_run.apply_async(args=args, queue=pool.queue)
    )
    yield pool
    pool.stop_all()  # before the database is flushed


@pytest.fixture
def importer(client):
    user = UserFactory(username="importer")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="consents",
            codename__in=["view_consentevent", "import_consentevent", "view_consentimport"],
        )
    )
    client.force_login(user)
    return client


def _wait_for(condition, timeout: float, what: str, workers: Workers):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"{what}\n" + "\n".join(workers.log(n) for n in workers.procs)
        time.sleep(0.05)
    return found


def _status(job) -> str:
    return ConsentImport.objects.values_list("status", flat=True).get(pk=job.pk)


def _kill_while(status: str, job, workers: Workers, name: str) -> None:
    """Kill the worker (the whole process, SIGKILL) as soon as the job is in `status`."""
    _wait_for(lambda: _status(job) == status, 240, f"the job never got to {status}", workers)
    workers.kill(name)
    assert _status(job) == status  # it never got to say goodbye


def _failed_on_its_page(importer, job, workers: Workers) -> str:
    """The progress page the user watches fails the job once its heartbeat is silent."""
    progress_url = reverse("admin:consents_consentevent_import_progress", args=[job.pk])
    _wait_for(
        lambda: importer.get(progress_url).json()["status"] == "failed", 60, "never marked failed", workers
    )
    page = importer.get(reverse("admin:consents_consentevent_import_job", args=[job.pk]))
    assert page.status_code == 200
    return page.content.decode()


def test_an_import_killed_while_checking_and_while_applying_fails_clearly_and_can_be_retried(
    importer, workers
):
    for n in range(20):
        CustomerFactory(customer_number=f"W{n}")
    body = "\n".join(
        [HEADER, *(f"W{n % 20},surveys,given,portal,2024-05-01T10:00:00,row-{n}," for n in range(ROWS))]
    )
    workers.start("first")
    workers.wait_ready("first", timeout=60)
    response = importer.post(
        IMPORT_URL,
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("big.csv", body.encode(), "text/csv"),
        },
    )
    assert response.status_code == 302
    job = ConsentImport.objects.get()
    stored = job.file.name
    assert default_storage.exists(stored)

    # 1. Killed while checking (the dry run): failed, with why; nothing written; the file is kept.
    _kill_while(ConsentImport.Status.CHECKING, job, workers, "first")
    page = _failed_on_its_page(importer, job, workers)
    assert "The worker running this import stopped before it finished" in page
    assert "Nothing was imported" in page and 'name="retry"' in page
    job.refresh_from_db()
    assert job.result == {"failure": "worker_lost", "phase": "checking"}
    assert default_storage.exists(stored)
    assert ConsentEvent.objects.count() == 0
    assert importer.post(CONFIRM_URL, {"job_id": job.pk}).status_code == 302  # not checked: refused
    assert _status(job) == ConsentImport.Status.FAILED

    # Try again: the check runs to its end on another worker.
    workers.start("second")
    importer.post(reverse("admin:consents_consentevent_import_retry", args=[job.pk]))
    _wait_for(lambda: _status(job) == ConsentImport.Status.READY, 240, "the check did not finish", workers)
    job.refresh_from_db()
    assert job.result["new_events"] == ROWS and job.result["error_count"] == 0

    # 2. Confirmed, then killed while applying: the transaction rolled back, nothing half-written.
    importer.post(CONFIRM_URL, {"job_id": job.pk})
    _kill_while(ConsentImport.Status.APPLYING, job, workers, "second")
    page = _failed_on_its_page(importer, job, workers)
    assert "The worker running this import stopped before it finished" in page
    job.refresh_from_db()
    assert job.result == {"failure": "worker_lost", "phase": "applying"}
    assert ConsentEvent.objects.count() == 0 and Consent.objects.count() == 0
    assert ConsentEvent.history.count() == 0
    assert default_storage.exists(stored)

    # Try again: the import itself (checked again, all or nothing) runs to its end. The page polled all
    # along never takes the live worker for a dead one: its heartbeat keeps beating.
    workers.start("third")
    importer.post(reverse("admin:consents_consentevent_import_retry", args=[job.pk]))
    progress_url = reverse("admin:consents_consentevent_import_progress", args=[job.pk])
    seen, beats = set(), set()

    def applied():
        status = importer.get(progress_url).json()["status"]
        seen.add(status)
        if status == "applying":
            beats.add(ConsentImport.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk))
        assert status != "failed", workers.log("third")
        return status == "applied"

    _wait_for(applied, 300, "the import did not finish", workers)
    assert "applying" in seen
    assert len(beats) >= 2, "no heartbeat while applying"  # the start, then at least one beat
    assert ConsentEvent.objects.count() == ROWS
    assert Consent.objects.count() == 20
    job.refresh_from_db()
    assert job.result["new_events"] == ROWS and not job.file
    _wait_for(lambda: not default_storage.exists(stored), 10, "the file was not deleted", workers)
