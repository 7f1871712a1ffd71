"""The erasure record in the admin: read-only evidence of who erased, when, on which request, what was
erased and what was kept and why (§38–39)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from privacy.erasure import erase_subject, purge
from privacy.models import ErasureRecord, PendingFileDeletion, Recording, SuppressionEntry
from privacy.storage import PrivateStorage
from tests.factories import InvoiceFactory, RecordingFactory, UserFactory

pytestmark = pytest.mark.django_db


class _Request:
    pk = 12

    def __str__(self):
        return "DSR-2025-0012"


@pytest.fixture
def record():
    invoice = InvoiceFactory(issue_date=timezone.localdate())
    invoice.customer.marketing_objection_since = timezone.now()
    invoice.customer.save()
    return erase_subject(invoice.customer, reason="erasure request", actor=UserFactory(), request=_Request())


def test_erasure_record_pages_show_counts_who_when_and_request(root_client, record):
    changelist = root_client.get(reverse("admin:privacy_erasurerecord_changelist"))
    assert changelist.status_code == 200
    assert "DSR-2025-0012" in changelist.content.decode()
    page = root_client.get(reverse("admin:privacy_erasurerecord_change", args=[record.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "privacy.Invoice" in html and "Accounting Law" in html
    assert record.actor.username in html
    assert (
        root_client.get(reverse("admin:privacy_erasurerecord_history", args=[record.pk])).status_code == 200
    )
    version = ErasureRecord.history.filter(id=record.pk).latest("history_date")
    url = reverse("admin:privacy_erasurerecord_simple_history", args=[record.pk, version.history_id])
    assert root_client.get(url).status_code == 200
    assert (
        root_client.get(reverse("admin:privacy_erasurerecord_changelist"), {"q": "DSR-2025-0012"}).status_code
        == 200
    )


def test_erasure_records_cannot_be_added_changed_or_deleted(root_client, record):
    assert root_client.get(reverse("admin:privacy_erasurerecord_add")).status_code == 403
    assert root_client.get(reverse("admin:privacy_erasurerecord_delete", args=[record.pk])).status_code == 403
    url = reverse("admin:privacy_erasurerecord_change", args=[record.pk])
    root_client.post(url, {"reason": "changed"})
    assert ErasureRecord.objects.get(pk=record.pk).reason == "erasure request"


def test_suppression_list_pages(root_client, record):
    entry = SuppressionEntry.objects.first()
    assert root_client.get(reverse("admin:privacy_suppressionentry_changelist")).status_code == 200
    assert (
        root_client.get(reverse("admin:privacy_suppressionentry_change", args=[entry.pk])).status_code == 200
    )
    assert root_client.get(reverse("admin:privacy_suppressionentry_add")).status_code == 403


def test_pending_file_deletions_can_be_retried_from_the_admin(root_client, monkeypatch):
    """A file storage refused to delete is visible in the admin and can be retried there."""
    recording = RecordingFactory()
    recording.file.save("x.mp3", ContentFile(b"x"), save=True)
    purge(Recording, [recording.pk])  # the after-commit deletion has not run inside the test
    item = PendingFileDeletion.objects.get()
    changelist = reverse("admin:privacy_pendingfiledeletion_changelist")
    assert root_client.get(changelist).status_code == 200
    assert (
        root_client.get(reverse("admin:privacy_pendingfiledeletion_change", args=[item.pk])).status_code
        == 200
    )

    def failing(self, name):
        raise OSError("storage offline")

    monkeypatch.setattr(PrivateStorage, "delete", failing)
    monkeypatch.setattr("privacy.erasure.files.BACKOFF_SECONDS", 0)
    response = root_client.post(
        changelist, {"action": "retry_now", "_selected_action": [item.pk]}, follow=True
    )
    assert "could not be deleted" in response.content.decode()
    assert PendingFileDeletion.objects.filter(pk=item.pk).exists()

    monkeypatch.undo()
    response = root_client.post(
        changelist, {"action": "retry_now", "_selected_action": [item.pk]}, follow=True
    )
    assert "1 file deleted" in response.content.decode()
    assert not PendingFileDeletion.objects.exists()
