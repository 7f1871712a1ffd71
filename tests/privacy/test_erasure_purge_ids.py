"""`purge` and `purge_history` at the speed the nightly retention needs (§31–33).

Ids go to PostgreSQL as one array parameter or, for a dense run, as a range less its gaps: a chunk costs
the same few statements whatever its size, and every shape of id list deletes exactly its rows, their
history and their admin-log text, nothing else.
"""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from privacy.erasure import ERASED_REPR, purge, purge_history
from privacy.erasure.sql import array_literal
from privacy.models import Contract, DataCategory, Disclosure, PendingFileDeletion, Recipient, Recording
from tests.factories import ContractFactory, CustomerFactory, RecordingFactory, UserFactory

pytestmark = pytest.mark.django_db


def _recordings(n: int) -> list[Recording]:
    customer = CustomerFactory()
    return [RecordingFactory(customer=customer) for _ in range(n)]


def _log(obj) -> LogEntry:
    return LogEntry.objects.create(
        user=UserFactory(),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr="Jānis Bērziņš",
        action_flag=CHANGE,
        change_message="changed phone",
    )


SHAPES = {
    "contiguous": lambda ids: ids,
    "every-other (range less its gaps)": lambda ids: ids[::2],
    "every-third (range and the ids)": lambda ids: ids[::3],
    "scattered (the ids alone)": lambda ids: [ids[0], ids[-1]],
    "one id": lambda ids: ids[5:6],
    "unordered with repeats": lambda ids: list(reversed(ids[3:20])) + ids[3:6],
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_shape_of_id_list_deletes_exactly_its_rows_and_blanks_their_history_and_log_text(shape):
    """§33, §32: whatever the ids look like, exactly those rows go; their history stays (§32) with one
    "-" row each, and their admin-log text goes."""
    recordings = _recordings(24)
    for recording in recordings:
        recording.duration_seconds += 1
        recording.save()
    logs = {recording.pk: _log(recording) for recording in recordings}
    ids = sorted(r.pk for r in recordings)
    chosen = SHAPES[shape](ids)
    gone = set(chosen)

    assert purge(Recording, chosen) == len(gone)

    assert set(Recording.objects.filter(pk__in=ids).values_list("pk", flat=True)) == set(ids) - gone
    assert set(Recording.history.filter(id__in=ids).values_list("id", flat=True)) == set(ids)
    assert Recording.history.filter(id__in=set(ids) - gone).count() == 2 * len(set(ids) - gone)
    assert Recording.history.filter(id__in=gone).count() == 3 * len(gone)
    assert set(Recording.history.filter(id__in=gone, history_type="-").values_list("id", flat=True)) == gone
    for pk, entry in logs.items():
        entry.refresh_from_db()
        assert (entry.object_repr == ERASED_REPR) is (pk in gone)
        assert (entry.change_message == "") is (pk in gone)


def test_a_chunk_costs_the_same_statements_whatever_its_size():
    """Retention purges 20,000 ids at a time: no statement grows with the number of ids."""
    recordings = _recordings(60)
    ids = sorted(r.pk for r in recordings)
    ContentType.objects.get_for_model(Recording)  # cached in a running worker
    with CaptureQueriesContext(connection) as small:
        purge(Recording, ids[:5])
    with CaptureQueriesContext(connection) as large:
        purge(Recording, ids[5:])
    assert len(large.captured_queries) == len(small.captured_queries)
    assert max(len(q["sql"]) for q in large.captured_queries) < 2000


def test_the_array_literal_keeps_every_value_whole():
    """A value cannot split into two elements or end the array, whatever it holds."""
    values = ['a"b', "c\\d", "e,f", "{g}", "h i", "", "Bērziņš", 7]
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[]", [array_literal(values)])
        assert cursor.fetchone()[0] == [str(v) for v in values]
        with pytest.raises(DataError), transaction.atomic():
            cursor.execute("SELECT %s::bigint[]", [array_literal(["1,2"])])


def test_purge_history_deletes_only_the_audit_records_asked_for():
    """§32: old history rows go, by history id; the live row, its newer history and its file stay."""
    recording = RecordingFactory()
    recording.file.save("call.mp3", ContentFile(b"audio"), save=True)
    recording.duration_seconds += 1
    recording.save()
    history = list(Recording.history.filter(id=recording.pk).order_by("history_id"))
    assert len(history) == 3
    old = [h.history_id for h in history[:2]]

    assert purge_history(Recording.history.model, old + old[:1]) == 2

    assert list(Recording.history.filter(id=recording.pk).values_list("history_id", flat=True)) == [
        history[2].history_id
    ]
    assert Recording.objects.filter(pk=recording.pk).exists()
    assert default_storage.exists(recording.file.name)
    assert not PendingFileDeletion.objects.exists()
    assert purge_history(Recording.history.model, []) == 0


def test_purge_history_takes_the_m2m_history_of_the_rows_with_them():
    """A disclosure's audit records go with the history of its data categories; the live ones stay."""
    recipient = Recipient.objects.create(code="bank", role="third_party", name_lv="Banka", name_en="Bank")
    disclosure = Disclosure.objects.create(
        customer=CustomerFactory(), recipient=recipient, ground="26.1", disclosed_on="2024-01-01", notes="x"
    )
    disclosure.data_categories.set(DataCategory.objects.filter(number__in=[1, 2]))
    hmodel = Disclosure.history.model
    m2m_history = hmodel.data_categories.model
    history_ids = list(hmodel.objects.filter(id=disclosure.pk).values_list("history_id", flat=True))
    assert m2m_history.objects.filter(history_id__in=history_ids).exists()

    assert purge_history(hmodel, history_ids) == len(history_ids)

    assert not m2m_history.objects.filter(history_id__in=history_ids).exists()
    assert disclosure.data_categories.count() == 2


def test_purge_history_of_scattered_ids_leaves_the_ones_between():
    """Sparse history ids (the ids alone, not a range) delete only themselves."""
    contracts = [ContractFactory() for _ in range(12)]
    history_ids = sorted(
        Contract.history.filter(id__in=[c.pk for c in contracts]).values_list("history_id", flat=True)
    )
    chosen = [history_ids[0], history_ids[-1]]
    assert purge_history(Contract.history.model, chosen) == 2
    assert (
        sorted(Contract.history.filter(id__in=[c.pk for c in contracts]).values_list("history_id", flat=True))
        == (history_ids[1:-1])
    )
