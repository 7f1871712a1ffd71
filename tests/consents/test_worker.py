"""The large-file import through Redis and a real Celery worker (the admin's path for files over
CONSENT_IMPORT_ASYNC_ROWS rows), on the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from consents.models import Consent, ConsentEvent, ConsentImport
from consents.services import consent_import_upload
from consents.tasks import consent_import_run
from tests.factories import CustomerFactory, UserFactory

HEADER = "customer_number,topic,action,channel,occurred_at,source,policy_version"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_check_and_import_run_on_a_real_worker():
    user = UserFactory(username="importer")
    for n in range(50):
        CustomerFactory(customer_number=f"W{n}")
    body = "\n".join([HEADER, *(f"W{n},surveys,given,portal,2024-05-01T10:00:00,w{n}," for n in range(50))])
    job = consent_import_upload(actor=user, upload=SimpleUploadedFile("w.csv", body.encode(), "text/csv"))

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PRIVATE_STORAGE_ROOT": settings.STORAGES["default"]["OPTIONS"]["location"],
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "-n",
            f"consents-test-{os.getpid()}@%h",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        summary = consent_import_run.delay(job.pk, user.pk, True).get(timeout=90)
        assert summary == {"job_id": job.pk, "status": "ready", "rows": 50, "errors": 0, "new_events": 50}
        assert ConsentEvent.objects.count() == 0  # the check changed nothing

        ConsentImport.objects.filter(pk=job.pk).update(status=ConsentImport.Status.APPLY_QUEUED)
        summary = consent_import_run.delay(job.pk, user.pk, False).get(timeout=90)
        assert summary["status"] == "applied"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    deadline = time.monotonic() + 5
    while ConsentEvent.objects.count() < 50 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ConsentEvent.objects.count() == 50 == Consent.objects.count()
    assert {record.history_user for record in ConsentEvent.history.all()} == {user}
