"""`purge`: set-based deletion with history, files and admin-log text (issue 5 items 3, 4, 7; §31, §33)."""

import logging

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.signals import post_delete, pre_delete

from privacy.erasure import ERASED_REPR, PurgeBlocked, delete_pending_files, purge, scrub_rows
from privacy.models import (
    Contract,
    Customer,
    DataCategory,
    Disclosure,
    PendingFileDeletion,
    Recipient,
    Recording,
)
from privacy.storage import PrivateStorage
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory, RecordingFactory, UserFactory

pytestmark = pytest.mark.django_db


def _log(user, obj, text):
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=text,
        action_flag=CHANGE,
        change_message=f'[{{"changed": {{"fields": ["{text}"]}}}}]',
    )


def test_purge_deletes_rows_and_keeps_their_history_without_personal_fields():
    """§31, §32 "Auditācijas pieraksti tiek uzglabāti vismaz vienu gadu no to veikšanas dienas": the
    row goes; its audit records stay, without its personal fields, and a "-" row records the deletion."""
    customer = CustomerFactory()
    contracts = ContractFactory.create_batch(3, customer=customer)
    other = ContractFactory(customer=customer)
    for contract in contracts:
        contract.service_address = "Changed 5"
        contract.save()
    ids = [c.pk for c in contracts]
    assert Contract.history.filter(id__in=ids).count() == 6

    assert purge(Contract, ids) == 3

    assert not Contract.objects.filter(pk__in=ids).exists()
    assert Contract.history.filter(id__in=ids).count() == 9
    assert not Contract.history.filter(id__in=ids).exclude(service_address="").exists()
    assert Contract.history.filter(id__in=ids, history_type="-").count() == 3
    assert Contract.objects.filter(pk=other.pk).exists()
    assert Contract.history.filter(id=other.pk).count() == 1


def test_purge_sends_no_per_row_delete_signals():
    """Retention deletes millions of rows: no signal handler may load them one by one."""
    recordings = RecordingFactory.create_batch(2)
    seen = []

    def handler(sender, **kwargs):
        seen.append(sender)

    pre_delete.connect(handler)
    post_delete.connect(handler)
    try:
        purge(Recording, [r.pk for r in recordings])
    finally:
        pre_delete.disconnect(handler)
        post_delete.disconnect(handler)
    assert seen == []


def test_purge_empty_list_is_a_no_op():
    assert purge(Contract, []) == 0


def test_purge_deletes_m2m_rows_and_keeps_m2m_history_as_audit_record():
    """§32: a purged disclosure's data categories go; the audit record of which categories it named
    stays (no personal data), and its history loses the notes."""
    customer = CustomerFactory()
    recipient = Recipient.objects.create(code="bank", role="third_party", name_lv="Banka", name_en="Bank")
    disclosure = Disclosure.objects.create(
        customer=customer, recipient=recipient, ground="26.1", disclosed_on="2024-01-01", notes="x"
    )
    disclosure.data_categories.set(DataCategory.objects.filter(number__in=[1, 2]))
    m2m_history = Disclosure.history.model.data_categories.model
    assert m2m_history.objects.filter(history__id=disclosure.pk).exists()

    purge(Disclosure, [disclosure.pk])

    assert not Disclosure.data_categories.through.objects.filter(disclosure_id=disclosure.pk).exists()
    assert m2m_history.objects.filter(history__id=disclosure.pk).exists()
    assert not Disclosure.history.filter(id=disclosure.pk).exclude(notes="").exists()
    assert DataCategory.objects.filter(number=1).exists()


def test_purge_refuses_while_protected_rows_point_at_the_rows():
    """A customer with a contract cannot be purged before the contract: nothing is half-deleted."""
    contract = ContractFactory()
    with pytest.raises(PurgeBlocked, match="privacy.Contract"):
        purge(Customer, [contract.customer_id])
    assert Customer.objects.filter(pk=contract.customer_id).exists()


def test_purge_nulls_set_null_dependents_with_a_history_row():
    head = CustomerFactory()
    contact = CustomerFactory(belongs_to=head)
    purge(Customer, [head.pk])
    contact.refresh_from_db()
    assert contact.belongs_to_id is None
    assert contact.history.first().belongs_to_id is None


def test_purge_scrubs_the_admin_log_of_the_purged_objects():
    """Item 7: the admin's own log no longer names an erased object."""
    staff = UserFactory()
    customer = CustomerFactory(first_name="Ilze", last_name="Kalniņa")
    kept = CustomerFactory()
    _log(staff, customer, "Ilze Kalniņa")
    _log(staff, kept, "Kept Person")
    purge(Customer, [customer.pk])
    entry = LogEntry.objects.get(object_id=str(customer.pk), content_type__model="customer")
    assert entry.object_repr == ERASED_REPR
    assert entry.change_message == ""
    assert LogEntry.objects.get(object_id=str(kept.pk), content_type__model="customer").object_repr == (
        "Kept Person"
    )


def test_purge_deletes_files_after_commit_including_files_only_history_knows(
    django_capture_on_commit_callbacks,
):
    """Item 4 and §33: the recording's file, and an older file replaced in history, leave storage."""
    recording = RecordingFactory()
    recording.file.save("old.mp3", ContentFile(b"old"), save=True)
    old_name = recording.file.name
    recording.file.save("new.mp3", ContentFile(b"new"), save=True)
    new_name = recording.file.name
    assert default_storage.exists(old_name) and default_storage.exists(new_name)

    with django_capture_on_commit_callbacks(execute=True):
        purge(Recording, [recording.pk])

    assert not default_storage.exists(old_name)
    assert not default_storage.exists(new_name)
    assert not PendingFileDeletion.objects.exists()


def test_files_stay_queued_until_the_commit(django_capture_on_commit_callbacks):
    """The file is deleted only after the rows are gone for good; a rollback keeps both."""
    recording = RecordingFactory()
    recording.file.save("a.mp3", ContentFile(b"a"), save=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        purge(Recording, [recording.pk])
    assert default_storage.exists(recording.file.name)
    assert PendingFileDeletion.objects.filter(name=recording.file.name).exists()
    assert len(callbacks) == 1


def test_a_missing_file_is_noted_not_fatal(django_capture_on_commit_callbacks, caplog):
    recording = RecordingFactory()
    recording.file.save("gone.mp3", ContentFile(b"x"), save=True)
    default_storage.delete(recording.file.name)
    with (
        caplog.at_level(logging.INFO, logger="privacy.erasure"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert purge(Recording, [recording.pk]) == 1
    assert "already missing" in caplog.text
    assert not PendingFileDeletion.objects.exists()


def test_a_file_that_cannot_be_deleted_stays_queued_with_the_error_and_is_retried(monkeypatch, caplog):
    """Item 4: a failed file deletion is retried, then kept visible in the queue, never silent."""
    recording = RecordingFactory()
    recording.file.save("stuck.mp3", ContentFile(b"x"), save=True)
    name = recording.file.name
    purge(Recording, [recording.pk])  # in the test transaction: the callback has not run

    def failing(self, _name):
        raise PermissionError("read-only volume")

    monkeypatch.setattr(PrivateStorage, "delete", failing)
    with caplog.at_level(logging.WARNING, logger="privacy.erasure"):
        counts = delete_pending_files(backoff=0)
    assert counts == {"deleted": 0, "missing": 0, "failed": 1}
    item = PendingFileDeletion.objects.get(name=name)
    assert item.attempts == 3
    assert "read-only volume" in item.last_error
    assert "could not delete file" in caplog.text

    monkeypatch.undo()
    assert delete_pending_files(backoff=0) == {"deleted": 1, "missing": 0, "failed": 0}
    assert not default_storage.exists(name)
    assert not PendingFileDeletion.objects.exists()


def test_a_file_another_live_row_uses_is_not_deleted(django_capture_on_commit_callbacks):
    first = RecordingFactory()
    first.file.save("shared.mp3", ContentFile(b"x"), save=True)
    second = RecordingFactory(customer=first.customer, file=first.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        purge(Recording, [first.pk])
    assert default_storage.exists(second.file.name)


def test_purge_counts_each_row_once_when_ids_repeat():
    customer = CustomerFactory()
    invoices = InvoiceFactory.create_batch(7, customer=customer)
    assert purge(type(invoices[0]), [i.pk for i in invoices] * 2) == 7


def test_scrub_rows_blanks_live_and_every_history_row_and_writes_one_change_row():
    """Item 3: anonymised rows lose their personal fields in every historical record too."""
    staff = UserFactory()
    customer = CustomerFactory(phone="+37120000000")
    customer.phone = "+37121111111"
    customer.save()
    before = customer.history.count()

    scrub_rows(Customer, [customer.pk], blank=["phone", "birth_date"], actor=staff, reason="test")

    customer.refresh_from_db()
    assert customer.phone == "" and customer.birth_date is None
    history = list(Customer.history.filter(id=customer.pk))
    assert len(history) == before + 1
    assert {h.phone for h in history} == {""}
    latest = history[0]
    assert (
        latest.history_type == "~" and latest.history_user == staff and latest.history_change_reason == "test"
    )
    assert latest.first_name == customer.first_name
