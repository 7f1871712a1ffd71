"""Imports whose worker died, and the nightly clean-up of uploaded files (Annex 1 cat. 28: an uploaded
consent CSV holds personal data and lives only as long as its import needs it).

A checking or applying job whose heartbeat is older than CONSENT_IMPORT_LOST_AFTER_SECONDS lost its
worker: it is failed, with a message, and can be tried again. The clean-up deletes the file of every
job nobody has worked on for a day, whatever its state; a job whose worker still beats keeps its file.
(The kill itself, on real workers: test_worker_killed.py.)
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consents.models import ConsentImport
from consents.services import (
    consent_import_discard_stale,
    consent_import_retry,
    consent_import_upload,
    consent_imports_fail_lost,
)
from consents.tasks import consent_import_run, consent_imports_discard_stale
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "customer_number,topic,action,channel,occurred_at,source,policy_version"
S = ConsentImport.Status


@pytest.fixture
def user():
    user = UserFactory(username="importer")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="consents",
            codename__in=["view_consentevent", "import_consentevent", "view_consentimport"],
        )
    )
    return user


def _job(user, status: str, *, age: datetime.timedelta, silent: datetime.timedelta | None = None, **extra):
    """A job uploaded `age` ago, in `status`, last alive `silent` ago (default: when uploaded)."""
    body = f"{HEADER}\nC1,surveys,given,portal,2024-05-01T10:00:00,,\n".encode()
    job = consent_import_upload(actor=user, upload=SimpleUploadedFile("c.csv", body, "text/csv"))
    now = timezone.now()
    ConsentImport.objects.filter(pk=job.pk).update(
        status=status, created_at=now - age, heartbeat_at=now - (age if silent is None else silent), **extra
    )
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("status", [S.CHECKING, S.APPLYING])
def test_a_running_job_silent_past_the_limit_is_failed_and_one_just_inside_is_not(user, settings, status):
    settings.CONSENT_IMPORT_LOST_AFTER_SECONDS = 180
    inside = _job(user, status, age=datetime.timedelta(minutes=10), silent=datetime.timedelta(seconds=175))
    past = _job(user, status, age=datetime.timedelta(minutes=10), silent=datetime.timedelta(seconds=185))
    queued = _job(user, S.APPLY_QUEUED, age=datetime.timedelta(minutes=10))  # waiting for a worker: not lost
    assert consent_imports_fail_lost() == 1
    for job in (inside, past, queued):
        job.refresh_from_db()
    assert inside.status == status and queued.status == S.APPLY_QUEUED
    assert past.status == S.FAILED
    assert past.result == {
        "failure": "worker_lost",
        "phase": "checking" if status == S.CHECKING else "applying",
    }
    assert "stopped before it finished" in past.failure_message
    assert past.history.first().history_change_reason == "worker lost"
    assert default_storage.exists(past.file.name)  # kept for a retry


def test_retry_runs_the_failed_phase_again_and_is_refused_otherwise(user, settings):
    settings.CONSENT_IMPORT_LOST_AFTER_SECONDS = 180
    CustomerFactory(customer_number="C1")
    checking = _job(user, S.CHECKING, age=datetime.timedelta(hours=1))
    applying = _job(user, S.APPLYING, age=datetime.timedelta(hours=1))
    consent_imports_fail_lost()
    assert consent_import_retry(job_id=checking.pk, actor=user).status == S.QUEUED
    assert consent_import_retry(job_id=applying.pk, actor=user).status == S.APPLY_QUEUED
    assert consent_import_run(applying.pk, user.pk, False)["status"] == "applied"
    assert consent_import_run(checking.pk, user.pk, True)["status"] == "ready"
    with pytest.raises(ValidationError):
        consent_import_retry(job_id=checking.pk, actor=user)  # ready, not failed
    gone = _job(user, S.FAILED, age=datetime.timedelta(hours=1), result={"failure": "worker_lost"})
    ConsentImport.objects.filter(pk=gone.pk).update(file="")
    with pytest.raises(ValidationError):
        consent_import_retry(job_id=gone.pk, actor=user)  # its file was cleaned up


def test_the_retry_button_needs_the_import_permission_and_a_post(client, user, settings):
    settings.CONSENT_IMPORT_LOST_AFTER_SECONDS = 180
    job = _job(user, S.APPLYING, age=datetime.timedelta(hours=1))
    url = reverse("admin:consents_consentevent_import_retry", args=[job.pk])
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_consentevent", "view_consentimport"])
    )
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    client.force_login(user)
    page = client.get(reverse("admin:consents_consentevent_import_job", args=[job.pk]))
    assert "stopped before it finished" in page.content.decode()  # the page failed the lost job
    assert client.get(url).status_code == 405
    job.refresh_from_db()
    assert job.status == S.FAILED
    assert client.post(reverse("admin:consents_consentevent_import_retry", args=[999999])).status_code == 403


@pytest.mark.parametrize("status", [S.QUEUED, S.CHECKING, S.READY, S.APPLY_QUEUED, S.APPLYING, S.FAILED])
def test_the_clean_up_deletes_the_file_of_a_job_idle_for_a_day_in_every_state(
    user, settings, status, django_capture_on_commit_callbacks
):
    """The day before: kept; the day after: deleted, and an unfinished job says it was abandoned or lost."""
    settings.CONSENT_IMPORT_LOST_AFTER_SECONDS = 180
    day = datetime.timedelta(days=1)
    before = _job(user, status, age=day - datetime.timedelta(minutes=5))
    after = _job(user, status, age=day + datetime.timedelta(minutes=5))
    names = {before.pk: before.file.name, after.pk: after.file.name}
    with django_capture_on_commit_callbacks(execute=True):
        assert consent_imports_discard_stale() == 1
    before.refresh_from_db()
    after.refresh_from_db()
    assert before.file and default_storage.exists(names[before.pk])
    assert not after.file and not default_storage.exists(names[after.pk])
    if status in (S.CHECKING, S.APPLYING):
        assert after.result["failure"] == "worker_lost"  # its heartbeat stopped long ago
    elif status in (S.QUEUED, S.APPLY_QUEUED):
        assert after.status == S.FAILED and after.result["failure"] == "abandoned"
        assert "Upload the file again" in after.failure_message
    else:
        assert after.status == status


def test_the_clean_up_leaves_a_long_import_whose_worker_still_beats(
    user, settings, django_capture_on_commit_callbacks
):
    settings.CONSENT_IMPORT_LOST_AFTER_SECONDS = 180
    alive = _job(user, S.APPLYING, age=datetime.timedelta(days=2), silent=datetime.timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert consent_import_discard_stale() == 0
    alive.refresh_from_db()
    assert alive.status == S.APPLYING and default_storage.exists(alive.file.name)
