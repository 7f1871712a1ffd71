"""Erasure replay (§38, GDPR Art. 17: an erasure survives a restored backup). Dump the database, erase,
restore the dump (the subject is back, and so is the old ledger), replay from the exported ledger, scan
again: the subject is gone again."""

from __future__ import annotations

import datetime
import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from privacy.erasure import erase_subject
from privacy.erasure.replay import ledger_export, ledger_import, replay_erasures, returned_subjects
from privacy.erasure.scan import scan
from privacy.models import Customer, ErasureRecord, Invoice, LegalHold, SuppressionEntry
from privacy.suppression import is_suppressed
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory, RecordingFactory, UserFactory

#: The subject's personal data as typed: with the personal code without its hyphen and the phone without
#: its prefix, what the scan looks for.
SUBJECT = {
    "first_name": "Kristaps",
    "last_name": "Ābeltiņš-Q",
    "personal_code": "150592-20485",
    "phone": "+37127770011",
    "email": "kristaps.q@example.lv",
    "id_document_number": "LV0099182",
}
NEEDLES = [*SUBJECT.values(), "15059220485", "27770011"]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _subject():
    customer = CustomerFactory(
        **SUBJECT,
        registered_at=timezone.now() - datetime.timedelta(days=400),
        marketing_objection_since=timezone.now(),
    )
    ContractFactory(customer=customer)
    RecordingFactory(customer=customer)
    InvoiceFactory(customer=customer, issue_date=timezone.localdate(), payer_name="Kristaps Ābeltiņš-Q")
    return customer


def _pg(tool: str, *args: str) -> None:
    db = connection.settings_dict
    command = [
        str(PG_BIN / tool),
        "-h",
        db["HOST"] or "127.0.0.1",
        "-p",
        str(db["PORT"] or 5432),
        "-U",
        db["USER"] or "postgres",
        *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def _kept_only_on_invoices(hits):
    return {(hit.table, hit.column) for hit in hits} <= {
        ("privacy_invoice", "payer_name"),
        ("privacy_historicalinvoice", "payer_name"),
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_dump_erase_restore_replay_scan(tmp_path):
    """§38, Art. 17: someone erased after a backup does not come back when the backup is restored."""
    staff = UserFactory()
    customer = _subject()
    dump = tmp_path / "backup.dump"
    name = connection.settings_dict["NAME"]
    _pg("pg_dump", "-Fc", "-f", str(dump), name)

    record = erase_subject(customer, reason="erasure request", actor=staff)
    assert _kept_only_on_invoices(scan(NEEDLES))
    ledger = tmp_path / "ledger.jsonl"
    call_command("replay_erasures", export_ledger=str(ledger), stdout=io.StringIO())

    connection.close()
    _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "-d", name, str(dump))
    restored = Customer.objects.get(pk=customer.pk)
    assert restored.first_name == "Kristaps"  # the backup brought them back...
    assert not ErasureRecord.objects.exists()  # ...and rolled the ledger back too
    assert not is_suppressed(channel="email", email="kristaps.q@example.lv")
    assert returned_subjects() == []  # so the ledger must come from outside the backup

    out = io.StringIO()
    call_command("replay_erasures", ledger=str(ledger), stdout=out)

    text = out.getvalue()
    assert "Ledger imported: 1 erasure records and 3 suppression entries." in text
    assert f"Customer #{customer.pk} (erasure {record.uuid}) erased again" in text
    assert "Kristaps" not in text and "150592" not in text
    assert _kept_only_on_invoices(scan(NEEDLES))
    assert Customer.objects.get(pk=customer.pk).status == Customer.Status.TOMBSTONE
    assert ErasureRecord.objects.filter(uuid=record.uuid).exists()
    assert ErasureRecord.objects.get(replay_of=record.uuid).kept == {"privacy.Invoice": {"accounting_5y": 1}}
    assert is_suppressed(channel="sms", phone="27770011")
    # A second replay finds nobody: the subject is a tombstone now.
    out = io.StringIO()
    call_command("replay_erasures", stdout=out)
    assert "Replayed erasures: 0; refused: 0." in out.getvalue()


def _restore_as_if_from_backup(customer_data: dict) -> Customer:
    """Simulate a restored row: the same identifiers under a new id, registered long ago."""
    return CustomerFactory(**customer_data, registered_at=timezone.now() - datetime.timedelta(days=900))


@pytest.mark.django_db
def test_replay_matches_by_personal_code_or_customer_number_only_if_registered_before_the_erasure():
    gone = CustomerFactory(customer_number="K-77", personal_code="010101-11111")
    erase_subject(gone, reason="test", actor=None)
    by_code = _restore_as_if_from_backup({"personal_code": "01010111111"})
    by_number = _restore_as_if_from_backup({"customer_number": " k-77"})  # normalised: K-77
    new_customer = CustomerFactory(personal_code="010101-11111")  # came back as a new customer, today
    other = _restore_as_if_from_backup({})

    found = {replay.customer_id for replay in returned_subjects()}
    assert found == {by_code.pk, by_number.pk}

    previews = replay_erasures(dry_run=True)
    assert {p.customer_id for p in previews} == found
    assert Customer.objects.filter(pk=by_code.pk, status="active").exists()

    replay_erasures()
    assert not Customer.objects.filter(pk__in=found).exists()
    assert Customer.objects.filter(pk__in=[new_customer.pk, other.pk]).count() == 2


@pytest.mark.django_db
def test_replay_refused_by_a_hold_is_reported_and_fails_the_command():
    staff = UserFactory()
    gone = CustomerFactory(personal_code="020202-22222")
    erase_subject(gone, reason="test", actor=None)
    back = _restore_as_if_from_backup({"personal_code": "020202-22222"})
    LegalHold.objects.create(customer=back, reason="court", set_by=staff)
    err = io.StringIO()
    with pytest.raises(CommandError, match="legal hold"):
        call_command("replay_erasures", stdout=io.StringIO(), stderr=err)
    assert f"Customer #{back.pk}" in err.getvalue()
    assert Customer.objects.filter(pk=back.pk).exists()


@pytest.mark.django_db
def test_ledger_round_trip_is_idempotent_and_holds_no_personal_data():
    customer = CustomerFactory(email="ieva@example.lv", marketing_objection_since=timezone.now())
    InvoiceFactory(customer=customer, issue_date=timezone.localdate())
    erase_subject(customer, reason="test", actor=None)
    stream = io.StringIO()
    assert ledger_export(stream) == 1 + 3
    text = stream.getvalue()
    assert "ieva" not in text and customer.personal_code not in text and customer.last_name not in text

    ErasureRecord.objects.all().delete()
    SuppressionEntry.objects.all().delete()
    assert ledger_import(io.StringIO(text)) == {"erasures": 1, "suppressions": 3}
    assert ledger_import(io.StringIO(text)) == {"erasures": 0, "suppressions": 0}
    assert SuppressionEntry.objects.filter(erasure__isnull=False).count() == 3
    assert Invoice.objects.filter(restricted_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_a_broken_ledger_line_is_a_clear_error_and_imports_nothing(tmp_path):
    good = io.StringIO()
    erase_subject(CustomerFactory(), reason="test", actor=None)
    ledger_export(good)
    ErasureRecord.objects.all().delete()
    path = tmp_path / "ledger.jsonl"
    path.write_text(good.getvalue() + '{"kind": "erasure", "uuid": "not-a-uuid"}\n')
    with pytest.raises(CommandError, match="ledger line 2"):
        call_command("replay_erasures", ledger=str(path), stdout=io.StringIO())
    assert not ErasureRecord.objects.exists()
