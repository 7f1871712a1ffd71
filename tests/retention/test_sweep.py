"""The sweep service (§31–34): dry runs change nothing and count the same as real runs and the admin's
preview; chunks; files and history go with their rows; the run log holds no personal data; bad input
is refused; invoices never leave by a cascade from a customer."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import ProtectedError

from privacy.models import Contract, Customer, Invoice, PendingFileDeletion, Recording
from retention import services
from retention.cutoffs import today
from retention.locks import SweepLock
from retention.models import RetentionRule, RetentionRun
from retention.selectors import rule_preview
from tests.factories import ContractFactory

from .factories import (
    AS_OF,
    LegalHoldFactory,
    active,
    age_history,
    former_customer,
    invoice_on,
    old_customer,
    open_request,
    prepaid_customer,
    recording_on,
    sweep,
)
from .factories import LONG_PAST as PAST

pytestmark = pytest.mark.django_db

RECENT = datetime.date(2025, 7, 1)


def _table_counts() -> dict:
    """Rows in every table of the database: a dry run must leave each one as it was."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from the catalog
            counts[table] = cursor.fetchone()[0]
    return counts


def _mixed_data():
    """Due and kept records of every rule."""
    held = old_customer()
    LegalHoldFactory(customer=held)
    for customer in (old_customer(), held):
        for day in (PAST, RECENT):
            recording_on(day, customer=customer)
            invoice_on(day, customer=customer)
    invoice_on(PAST, outstanding_debt=Decimal("3.00"))
    requested = old_customer()
    open_request(requested)
    recording_on(PAST, customer=requested)
    contract = ContractFactory(customer=old_customer())
    age_history(contract, PAST)
    prepaid_customer(PAST)
    prepaid_customer(PAST, status=Contract.Status.ACTIVE)
    former_customer(PAST)
    former_customer(RECENT)


@pytest.mark.parametrize(
    "code", ["recordings", "invoices", "audit_history", "prepaid_customers", "former_customers"]
)
def test_a_dry_run_changes_nothing_and_counts_what_the_real_run_then_does(rules, code):
    _mixed_data()
    before = _table_counts()

    dry = sweep(code, AS_OF, dry_run=True)
    preview = rule_preview(rule=rules[code], as_of=AS_OF)

    after = {table: n for table, n in _table_counts().items() if table != RetentionRun._meta.db_table}
    assert after == {table: n for table, n in before.items() if table != RetentionRun._meta.db_table}
    assert dry.dry_run and dry.status == "finished"
    real = sweep(code, AS_OF)
    fields = ["examined", "deleted", "anonymised", "kept", "kept_by_reason", "errors"]
    assert {f: getattr(dry, f) for f in fields} == {f: getattr(real, f) for f in fields}
    assert real.deleted + real.anonymised > 0
    assert preview.examined == real.examined
    assert preview.to_handle == real.deleted + real.anonymised
    assert preview.kept_by_reason == real.kept_by_reason


def test_the_preview_lists_the_first_candidates_by_id_and_date(rules):
    first = recording_on(datetime.date(2024, 12, 1))
    second = recording_on(datetime.date(2024, 11, 30))
    recording_on(RECENT)
    preview = rule_preview(rule=rules["recordings"], as_of=AS_OF, page_size=10)
    assert [(row.pk, row.counted_from) for row in preview.first_page] == [
        (first.pk, datetime.date(2024, 12, 1)),
        (second.pk, datetime.date(2024, 11, 30)),
    ]


def test_a_second_run_on_the_same_day_finds_nothing_more_to_do(rules):
    _mixed_data()
    first = sweep("recordings", AS_OF)
    second = sweep("recordings", AS_OF)
    assert (first.deleted, first.kept) == (1, 2)
    assert (second.deleted, second.examined, second.kept) == (0, first.kept, first.kept)


def test_recordings_leave_with_their_file_and_their_history_keeps_no_file_name(
    rules, django_capture_on_commit_callbacks
):
    """§33: the file goes with the row; §32: its audit records stay without the file name, and the "-"
    row that records the deletion keeps no deleted data."""
    customer = old_customer()
    due = recording_on(PAST, customer=customer, file=ContentFile(b"RIFF....WAVE", name="call.wav"))
    kept = recording_on(RECENT, customer=customer, file=ContentFile(b"RIFF....WAVE", name="call.wav"))
    due_name, kept_name = due.file.name, kept.file.name
    assert default_storage.exists(due_name)

    with django_capture_on_commit_callbacks(execute=True):  # files go after each chunk's commit
        run = sweep("recordings", AS_OF)

    assert run.deleted == 1
    assert not default_storage.exists(due_name)
    assert default_storage.exists(kept_name)
    assert Recording.history.filter(id=due.pk, history_type="-").count() == 1
    assert not Recording.history.filter(id=due.pk).exclude(file="").exists()
    assert Recording.history.filter(id=kept.pk).exclude(file="").exists()
    assert not PendingFileDeletion.objects.exists()


def test_a_file_left_queued_by_a_killed_run_is_removed_by_the_next_run(rules):
    """Rows go first and their files are queued in the same transaction; a run killed between the commit
    and the file deletion leaves the queue, and the next run empties it: no file without its row."""
    default_storage.save("recordings/2019/01/orphan.wav", ContentFile(b"RIFF"))
    PendingFileDeletion.objects.create(field="privacy.Recording.file", name="recordings/2019/01/orphan.wav")
    sweep("recordings", AS_OF)
    assert not default_storage.exists("recordings/2019/01/orphan.wav")
    assert not PendingFileDeletion.objects.exists()


def test_chunks_are_small_transactions_and_all_of_them_are_counted(rules, settings):
    settings.RETENTION_CHUNK_SIZE = 3
    customer = old_customer()
    for offset in range(10):
        recording_on(PAST - datetime.timedelta(days=offset), customer=customer)
    run = sweep("recordings", AS_OF)
    assert run.chunks == 4
    assert (run.examined, run.deleted) == (10, 10)
    assert 0 < run.longest_chunk_ms < 2000
    assert run.details == {"privacy.Recording": {"examined": 10, "deleted": 10, "anonymised": 0, "kept": 0}}


def test_customers_are_erased_in_time_boxed_chunks(rules, settings):
    settings.RETENTION_CUSTOMER_CHUNK_SIZE = 2
    customers = [prepaid_customer(PAST) for _ in range(5)]
    run = sweep("prepaid_customers", AS_OF)
    assert [active(c) for c in customers] == [False] * 5
    assert (run.examined, run.deleted, run.chunks) == (5, 5, 3)
    assert run.details["erased_rows"]["privacy.Contract"] == 5


def test_a_customer_with_invoices_inside_5_years_becomes_a_tombstone_and_the_invoices_stay(rules):
    """§31: invoices never leave with their customer (erasure keeps them; the model PROTECTs them)."""
    customer = prepaid_customer(PAST)
    invoice = invoice_on(today() - datetime.timedelta(days=30), customer=customer)
    run = sweep("prepaid_customers", AS_OF)
    assert (run.deleted, run.anonymised) == (0, 1)
    assert Customer.objects.get(pk=customer.pk).status == Customer.Status.TOMBSTONE
    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_invoices_are_never_deleted_by_a_cascade_from_a_customer(rules):
    """§31: on_delete=PROTECT from Invoice to Customer (and to Contract)."""
    customer = old_customer()
    contract = ContractFactory(customer=customer)
    invoice_on(PAST, customer=customer, contract=contract)
    assert Invoice._meta.get_field("customer").remote_field.on_delete.__name__ == "PROTECT"
    with pytest.raises(ProtectedError):
        Customer.objects.filter(pk=customer.pk).delete()
    with pytest.raises(ProtectedError):
        contract.delete()
    assert Invoice.objects.filter(customer=customer).count() == 1


def test_the_run_log_holds_no_personal_data(rules):
    customer = former_customer(PAST, first_name="Ilze", last_name="Kalniņa", email="ilze@example.lv")
    recording_on(PAST, customer=customer)
    runs = [sweep(code, AS_OF) for code in ("recordings", "former_customers")]
    text = json.dumps(list(RetentionRun.objects.filter(pk__in=[r.pk for r in runs]).values()), default=str)
    for personal in ("Ilze", "Kalniņa", "ilze@example.lv", customer.customer_number, customer.personal_code):
        assert personal not in text


def test_a_failing_chunk_is_logged_without_data_and_the_sweep_goes_on(rules, settings, monkeypatch):
    settings.RETENTION_CHUNK_SIZE = 2
    for offset in range(4):
        recording_on(PAST - datetime.timedelta(days=offset))
    real_purge = services.purge
    calls = []

    def purge_failing_once(model, pks, **kwargs):
        calls.append(list(pks))
        if len(calls) == 1:
            raise services.PurgeBlocked("Cannot purge: Jānis Bērziņš still points at it")
        return real_purge(model, pks, **kwargs)

    monkeypatch.setattr(services, "purge", purge_failing_once)
    run = sweep("recordings", AS_OF)
    assert (run.examined, run.deleted, run.errors) == (4, 2, 1)
    assert run.error_log == [{"target": "privacy.Recording", "error": "PurgeBlocked"}]
    assert Recording.objects.count() == 2  # the next night tries them again
    monkeypatch.setattr(services, "purge", real_purge)
    assert sweep("recordings", AS_OF).deleted == 2


def test_a_future_day_is_only_for_dry_runs(rules):
    recording_on(PAST)
    with pytest.raises(ValidationError, match="only a dry run"):
        sweep("recordings", today() + datetime.timedelta(days=1))
    assert Recording.objects.count() == 1
    assert sweep("recordings", today() + datetime.timedelta(days=1), dry_run=True).deleted == 1
    assert Recording.objects.count() == 1


def test_a_disabled_rule_does_not_run(rules):
    rule = rules["recordings"]
    rule.enabled = False
    rule.save()
    recording_on(PAST)
    with pytest.raises(ValidationError, match="disabled"):
        sweep("recordings", AS_OF)
    assert Recording.objects.count() == 1
    swept = [rule.code for rule, _run, _skipped in services.rules_sweep(as_of=AS_OF, dry_run=False)]
    assert "recordings" not in swept
    assert len(swept) == RetentionRule.objects.filter(enabled=True).count() == len(rules) - 4


def test_a_sweep_refuses_to_start_while_another_holds_the_rule(rules):
    """Two workers, two beats or an operator never sweep one rule at once."""
    recording_on(PAST)
    lock = SweepLock("recordings")
    assert lock.acquire()
    try:
        with pytest.raises(services.SweepLocked):
            sweep("recordings", AS_OF)
        assert sweep("invoices", AS_OF).status == "finished"  # other rules are not blocked
    finally:
        lock.release()
    assert Recording.objects.count() == 1
    assert sweep("recordings", AS_OF).deleted == 1


def test_a_run_left_running_by_a_dead_worker_is_marked_interrupted(rules):
    dead = RetentionRun.objects.create(
        rule=rules["recordings"], as_of=AS_OF, trigger="schedule", window_months=6, cutoff=AS_OF
    )
    sweep("recordings", AS_OF)
    dead.refresh_from_db()
    assert dead.status == RetentionRun.Status.INTERRUPTED
    assert dead.finished_at is not None


def test_a_sweep_past_its_deadline_stops_cleanly_and_the_next_run_continues(rules, settings):
    settings.RETENTION_CHUNK_SIZE = 2
    for offset in range(4):
        recording_on(PAST - datetime.timedelta(days=offset))
    stopped = services.rule_sweep(rule=rules["recordings"], as_of=AS_OF, deadline=0)
    assert stopped.status == RetentionRun.Status.STOPPED
    assert Recording.objects.count() == 4
    assert sweep("recordings", AS_OF).deleted == 4
