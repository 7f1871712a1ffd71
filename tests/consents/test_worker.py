"""The large-file import through Redis and a real Celery worker (the admin's path for files over
CONSENT_IMPORT_ASYNC_ROWS rows), on the test database."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consents.models import Consent, ConsentEvent, ConsentImport
from consents.services import consent_import_upload
from consents.tasks import consent_import_run
from tests.celery_workers import Workers
from tests.factories import CustomerFactory, UserFactory

HEADER = "customer_number,topic,action,channel,occurred_at,source,policy_version"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_check_and_import_run_on_a_real_worker(tmp_path):
    user = UserFactory(username="importer")
    for n in range(50):
        CustomerFactory(customer_number=f"W{n}")
    body = "\n".join([HEADER, *(f"W{n},surveys,given,portal,2024-05-01T10:00:00,w{n}," for n in range(50))])
    job = consent_import_upload(actor=user, upload=SimpleUploadedFile("w.csv", body.encode(), "text/csv"))

    workers = Workers(tmp_path)
    workers.start()
    try:
        check = consent_import_run.apply_async(args=[job.pk, user.pk, True], queue=workers.queue)
        summary = check.get(timeout=90)
        assert summary == {"job_id": job.pk, "status": "ready", "rows": 50, "errors": 0, "new_events": 50}
        assert ConsentEvent.objects.count() == 0  # the check changed nothing

        ConsentImport.objects.filter(pk=job.pk).update(status=ConsentImport.Status.APPLY_QUEUED)
        apply = consent_import_run.apply_async(args=[job.pk, user.pk, False], queue=workers.queue)
        assert apply.get(timeout=90)["status"] == "applied", workers.log()
    finally:
        workers.stop_all()
    deadline = time.monotonic() + 5
    while ConsentEvent.objects.count() < 50 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ConsentEvent.objects.count() == 50 == Consent.objects.count()
    assert {record.history_user for record in ConsentEvent.history.all()} == {user}
