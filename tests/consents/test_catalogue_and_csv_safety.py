"""Consents in the personal-data catalogue (Annex 1 cat. 28), and the shared CSV formula neutraliser."""

import datetime
import io

import pytest
from django.utils import timezone

from consents.models import Consent, ConsentEvent
from consents.services import consent_withdraw
from privacy import catalogue
from privacy.csv_safety import SafeWriter, neutralise
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_consents_are_catalogued_as_category_28_deleted_on_erasure_keeping_opt_outs():
    customer = CustomerFactory()
    consent_withdraw(actor=None, customer=customer, topic="marketing_email", channel="email")
    for model in (Consent, ConsentEvent):
        entry = catalogue.entry_for(model)
        assert entry is not None and entry.customer_path == "customer"
        assert set(entry.fields.values()) == {28}
        assert entry.erasure == catalogue.Erasure.DELETE
        assert entry.opt_outs(customer) == {"email"}
        assert model.objects.filter(entry.customer_filter([customer.pk])).count() == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+37120000000", "'+37120000000"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Jānis", "Jānis"),
        ("a=b", "a=b"),
        ("", ""),
        (5, 5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_safe_writer_neutralises_every_cell():
    out = io.StringIO()
    SafeWriter(out).writerow(["=1", "ok", "@x"])
    assert out.getvalue() == "'=1,ok,'@x\r\n"


def test_erasure_removes_consents_blanks_their_history_and_keeps_the_opt_out():
    """§57, §60: after erasure the opt-out survives as a hash; the same address under a new customer number
    stays out of the audience on any consent dated before the erasure (an old form imported later). A
    consent given after it is a new decision (test_selectors.py)."""
    from consents.selectors import marketing_audience_rows
    from consents.services import consent_give
    from privacy.erasure.subject import erase_subject

    customer = CustomerFactory(email="gone@example.lv")
    consent_give(actor=None, customer=customer, topic="surveys", channel="portal")
    consent_withdraw(actor=None, customer=customer, topic="marketing_email", channel="email")
    erase_subject(customer, reason="Art. 17 request", actor=None)

    assert not ConsentEvent.objects.filter(customer_id=customer.pk).exists()
    assert not Consent.objects.filter(customer_id=customer.pk).exists()
    # §32: the audit records stay until their own window ends, without the decisions' content
    for model in (ConsentEvent, Consent):
        history = model.history.filter(customer_id=customer.pk)
        assert history.filter(history_type="-").exists()
        assert not history.exclude(source="").exists()
        assert not history.exclude(channel="").exists()

    back = CustomerFactory(email="Gone@example.lv")
    consent_give(
        actor=None,
        customer=back,
        topic="marketing_email",
        channel="application_form",
        occurred_at=timezone.now() - datetime.timedelta(days=90),
    )
    assert list(marketing_audience_rows(channel="email")) == []
