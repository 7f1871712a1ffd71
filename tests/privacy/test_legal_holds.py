"""Legal holds are set and released through `privacy.services` only (§31): with the actor in history, the
customer's write lock (privacy/locks.py), and the rule that a hold blocks erasure until it is released.

§31 (seed): "kamēr kādai no pusēm pastāv juridisks pienākums datus glabāt"; "Pēc tam, kad nepastāv neviens
no datu apstrādes tiesiskajiem pamatiem, Klienta personas dati tiek dzēsti."
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from privacy.erasure import ErasureRefused, erase_subject
from privacy.models import Customer, ErasureRecord, LegalHold, Recording
from privacy.services import legal_hold_release, legal_hold_set
from tests.factories import CustomerFactory, InvoiceFactory, RecordingFactory
from tests.privacy.concurrency import ErasureInThread, InThread, waiting_for_a_lock
from tests.security.conftest import in_role

COURT = "Tiesas lēmums lietā C-12/2026 par Jāni Bērziņu"


def _record_hold(record, actor) -> LegalHold:
    content_type = ContentType.objects.get_for_model(record)
    return legal_hold_set(actor=actor, reason=COURT, content_type=content_type, object_id=str(record.pk))


@pytest.mark.django_db
def test_31_a_hold_blocks_the_erasure_until_released_and_the_release_names_who(db):
    dpo = in_role("data_protection_officer")
    operator = in_role("retention_operator")
    customer = CustomerFactory()
    hold = legal_hold_set(actor=dpo, reason=COURT, customer=customer)
    with pytest.raises(ErasureRefused):
        erase_subject(customer, reason="erasure request", actor=dpo)

    released = legal_hold_release(hold=hold, actor=operator)

    assert released.released_at is not None
    latest = hold.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason, latest.released_at) == (
        operator,
        "released",
        released.released_at,
    )
    assert [h.history_user for h in hold.history.order_by("history_id")] == [dpo, operator]
    erase_subject(customer, reason="erasure request", actor=dpo)  # §31: nothing keeps the person now
    assert LegalHold.objects.filter(pk=hold.pk).exists()  # the evidence that the hold existed stays


@pytest.mark.django_db
def test_31_releasing_an_already_released_hold_is_refused_and_the_first_release_stays():
    dpo = in_role("data_protection_officer")
    hold = legal_hold_set(actor=dpo, reason=COURT, customer=CustomerFactory())
    first = legal_hold_release(hold=hold, actor=dpo).released_at
    operator = in_role("retention_operator")

    with pytest.raises(ValidationError) as refused:
        legal_hold_release(hold=hold, actor=operator)

    assert refused.value.code == "released"
    hold.refresh_from_db()
    assert hold.released_at == first
    assert hold.history.count() == 2  # set, released: no third row


@pytest.mark.django_db
@pytest.mark.parametrize("role_key", ["auditor", "customer_service"])
def test_31_a_role_without_the_permission_cannot_release_a_hold(role_key):
    hold = legal_hold_set(actor=in_role("data_protection_officer"), reason=COURT, customer=CustomerFactory())

    with pytest.raises(PermissionDenied):
        legal_hold_release(hold=hold, actor=in_role(role_key))

    hold.refresh_from_db()
    assert hold.released_at is None and hold.history.count() == 1


@pytest.mark.django_db
def test_38_a_hold_cannot_be_set_on_an_erased_customer():
    dpo = in_role("data_protection_officer")
    customer = CustomerFactory()
    InvoiceFactory(customer=customer, issue_date=timezone.localdate())  # kept (§31): a tombstone stays
    erase_subject(customer, reason="erasure request", actor=dpo)
    assert Customer.objects.get(pk=customer.pk).status == Customer.Status.TOMBSTONE

    with pytest.raises(ValidationError) as refused:
        legal_hold_set(actor=dpo, reason=COURT, customer=customer)

    assert refused.value.code == "erased" and not LegalHold.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_31_38_a_release_while_the_erasure_runs_waits_for_it_and_then_leaves_no_reason():
    """The erasure keeps the held recording as it is (§31) and erases the rest; a release that comes in
    meanwhile waits for the erasure's commit, then releases: the hold stays as evidence without its
    reason, which names the person, as an erasure leaves every released hold (live and history)."""
    dpo = in_role("data_protection_officer")
    customer = CustomerFactory()
    held = RecordingFactory(customer=customer)
    hold = _record_hold(held, dpo)
    erasure = ErasureInThread(customer)
    erasure.start()
    assert erasure.erasing.wait(timeout=30)

    release = InThread(lambda: legal_hold_release(hold=hold, actor=dpo))
    release.start()
    try:
        assert waiting_for_a_lock(), "the release did not wait for the running erasure"
        assert LegalHold.objects.get(pk=hold.pk).released_at is None
    finally:
        erasure.release.set()
        erasure.join(timeout=30)
        release.join(timeout=30)

    assert release.error is None, release.error
    record = ErasureRecord.objects.get()
    assert record.kept["privacy.Recording"] == {"legal_hold": 1}
    assert Recording.objects.filter(pk=held.pk).exists()
    hold.refresh_from_db()
    assert hold.released_at is not None and hold.released_at > record.created_at
    assert set(hold.history.values_list("reason", flat=True)) == {""}
