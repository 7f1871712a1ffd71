"""Data packages (§31, §42): the ZIP answering an access, copy or portability request is a copy of
everything held on the subject; once the answer has gone out it has no purpose left. It is deleted with
its file one month after the request was answered; the request and its answer stay. Windows and the
reasons every rule checks are in test_windows.py and test_keep_reasons.py."""

import datetime

import pytest
from django.core.files.storage import default_storage

from privacy.models import PendingFileDeletion
from requests_app.models import ExportPackage, SubjectRequest
from retention import cutoffs
from tests.requests_app.factories import ExportPackageFactory, SubjectRequestFactory

from .factories import hold_record, old_customer, package_answered_on, sweep

pytestmark = pytest.mark.django_db

ANSWERED = datetime.date(2025, 5, 20)
AS_OF = datetime.date(2025, 7, 16)  # past the month after ANSWERED


def test_the_package_goes_with_its_file_its_history_keeps_no_file_name_and_the_request_stays(
    rules, django_capture_on_commit_callbacks
):
    """§31, §42; §32: the package's audit records stay until their own window ends, without the file."""
    package = package_answered_on(ANSWERED)
    name = package.file.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):  # files go after each chunk's commit
        run = sweep("data_packages", AS_OF)

    assert (run.status, run.deleted, run.kept) == ("finished", 1, 0)
    assert not ExportPackage.objects.filter(pk=package.pk).exists()
    assert ExportPackage.history.filter(id=package.pk, history_type="-").count() == 1
    assert not ExportPackage.history.filter(id=package.pk).exclude(file="").exists()
    assert not default_storage.exists(name)
    assert not PendingFileDeletion.objects.exists()
    request = SubjectRequest.objects.get(pk=package.request_id)
    assert (request.status, request.answered_on) == (SubjectRequest.Status.ANSWERED, ANSWERED)


def test_the_package_of_a_request_not_yet_answered_is_never_a_candidate(rules):
    request = SubjectRequestFactory(
        customer=old_customer(), received_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    )
    package = ExportPackageFactory(request=request)
    run = sweep("data_packages", cutoffs.today())
    assert run.examined == 0
    assert ExportPackage.objects.filter(pk=package.pk).exists()


def test_a_hold_on_the_request_keeps_its_package(rules):
    package = package_answered_on(ANSWERED)
    other = package_answered_on(ANSWERED)
    hold_record(package.request)
    run = sweep("data_packages", AS_OF)
    assert ExportPackage.objects.filter(pk=package.pk).exists()
    assert not ExportPackage.objects.filter(pk=other.pk).exists()
    assert run.kept_by_reason == {"legal_hold": 1}
