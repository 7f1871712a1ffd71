"""The suppression list: an erased subject's opt-outs outlive erasure as keyed hashes (§57, §60; item 8)."""

import hashlib

import pytest
from django.db import connection
from django.utils import timezone

from privacy.erasure import erase_subject
from privacy.models import SuppressionEntry
from privacy.suppression import (
    contact_hash,
    is_suppressed,
    normalise_phone,
    suppressed_since,
    suppression_add,
)
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw",
    ["+371 2612 3456", "26123456", "0037126123456", "371-26-12-34-56", " (+371) 26 123 456 "],
)
def test_latvian_phone_numbers_normalise_to_one_form(raw):
    assert normalise_phone(raw) == "37126123456"


def test_emails_normalise_case_and_spaces():
    assert contact_hash("  Anna@Example.LV ") == contact_hash("anna@example.lv")


def test_hash_is_keyed_with_the_setting(settings):
    first = contact_hash("anna@example.lv")
    assert first != hashlib.sha256(b"anna@example.lv").hexdigest()
    assert len(first) == 64
    settings.SUPPRESSION_HMAC_KEY = "another-key"
    assert contact_hash("anna@example.lv") != first


def test_empty_contact_is_a_clear_error():
    with pytest.raises(ValueError, match="empty"):
        contact_hash("  ")


def test_unknown_channel_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown suppression channel 'fax'"):
        is_suppressed(channel="fax", email="a@b.lv")
    with pytest.raises(ValueError, match="fax"):
        suppressed_since(channel="fax")


def test_email_channel_checks_the_email_and_phone_channels_check_the_phone():
    suppression_add(channels=["email", "sms"], email="anna@example.lv", phone="+37126123456")
    assert is_suppressed(channel="email", email="ANNA@example.lv")
    assert is_suppressed(channel="sms", phone="26123456")
    assert not is_suppressed(channel="phone", phone="26123456")  # she opted out of SMS only
    assert not is_suppressed(channel="email", phone="26123456")
    assert not is_suppressed(channel="email", email="other@example.lv")
    assert not is_suppressed(channel="email")
    assert set(suppressed_since(channel="sms")) == {contact_hash("+371 26123456")}


def test_adding_twice_is_idempotent():
    suppression_add(channels=["email"], email="a@example.lv")
    suppression_add(channels=["email"], email="A@example.lv")
    assert SuppressionEntry.objects.count() == 1


def test_erasure_puts_an_objection_on_every_channel_and_holds_nothing_readable():
    """§38, §60: an objection to direct marketing opts out of every channel, and survives erasure."""
    customer = CustomerFactory(
        email="Liga@Example.lv", phone="+37129876543", marketing_objection_since=timezone.now()
    )
    record = erase_subject(customer, reason="test", actor=UserFactory())
    assert record.suppressed_channels == ["email", "phone", "sms"]
    assert is_suppressed(channel="email", email="liga@example.lv")
    assert is_suppressed(channel="sms", phone="29876543")
    assert is_suppressed(channel="phone", phone="+371 2987 6543")
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_hash FROM privacy_suppressionentry")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert "liga" not in stored.lower() and "29876543" not in stored


def test_erasure_keeps_only_the_channels_the_catalogue_reports(monkeypatch):
    """Entries' `opt_outs` (the consents app's) decide the channels when there is no objection."""
    from privacy import catalogue

    customer = CustomerFactory(email="juris@example.lv", phone="+37120001111")
    entry = catalogue.entry_for(type(customer))
    patched = catalogue.Entry(**{**entry.__dict__, "opt_outs": lambda c: ["sms"]})
    monkeypatch.setitem(catalogue._registry, entry.label, patched)
    erase_subject(customer, reason="test", actor=None)
    assert is_suppressed(channel="sms", phone="20001111")
    assert not is_suppressed(channel="email", email="juris@example.lv")


def test_erasure_without_opt_outs_adds_nothing():
    erase_subject(CustomerFactory(), reason="test", actor=None)
    assert not SuppressionEntry.objects.exists()
