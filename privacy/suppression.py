"""The suppression list: opt-outs that outlive an erasure (§57, §60, issue 5 item 8).

An erased customer's email and phone numbers are kept only as keyed hashes (HMAC-SHA256 with
`settings.SUPPRESSION_HMAC_KEY`) with the channels they opted out of, so an import or a campaign list
that brings the same contact back does not send them commercial notices. Nothing readable is stored.

    contact_hash(value) -> str                                   the keyed hash of an email or phone
    is_suppressed(*, channel, email="", phone="") -> bool         one contact
    suppressed_since(*, channel) -> dict[str, datetime]           a whole campaign list at once

Channels: "email" (checked against the email), "sms" and "phone" (checked against the phone number).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import itertools
import re
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .models import SuppressionEntry

CHANNELS = tuple(SuppressionEntry.Channel.values)
_NON_DIGITS = re.compile(r"\D+")


def normalise_email(value: str) -> str:
    return value.strip().lower()


def normalise_phone(value: str) -> str:
    """Digits only, in international form: "+371 2612 3456", "0037126123456", "26123456" are one number.

    Latvian national numbers have 8 digits; they get the +371 country code.
    """
    digits = _NON_DIGITS.sub("", value)
    if digits.startswith("00"):
        digits = digits[2:]
    if len(digits) == 8:
        digits = f"371{digits}"
    return digits


def normalise_contact(value: str) -> str:
    """An email (anything with "@") lowercased and stripped, otherwise a phone number's digits."""
    value = (value or "").strip()
    normalised = normalise_email(value) if "@" in value else normalise_phone(value)
    if not normalised:
        raise ValueError("contact_hash: the value is empty (no email and no phone digits)")
    return normalised


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 (hex) of an already normalised value; `purpose` separates the hash domains."""
    key = settings.SUPPRESSION_HMAC_KEY.encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def contact_hash(value: str) -> str:
    """The keyed hash of an email or a phone number, after normalisation."""
    return keyed_hash("contact", normalise_contact(value))


def _check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise ValueError(f"Unknown suppression channel {channel!r}; expected one of {', '.join(CHANNELS)}")


def _contacts_for(channel: str, *, email: str = "", phone: str = "") -> list[str]:
    """The contacts a channel reaches: the email for "email", the phone number for "sms" and "phone"."""
    value = email if channel == SuppressionEntry.Channel.EMAIL else phone
    return [value] if value and value.strip() else []


def is_suppressed(*, channel: str, email: str = "", phone: str = "") -> bool:
    """True when the contact that `channel` would use opted out before being erased."""
    _check_channel(channel)
    hashes = []
    for value in _contacts_for(channel, email=email, phone=phone):
        try:
            hashes.append(contact_hash(value))
        except ValueError:
            continue  # a phone field with no digits reaches nobody
    if not hashes:
        return False
    return SuppressionEntry.objects.filter(channel=channel, contact_hash__in=hashes).exists()


def suppressed_since(*, channel: str) -> dict[str, datetime.datetime]:
    """Every suppressed contact hash of a channel, with when it was added: compare `contact_hash(x)` of
    a list against it (a decision the person made after that moment is theirs anew)."""
    _check_channel(channel)
    return dict(SuppressionEntry.objects.filter(channel=channel).values_list("contact_hash", "created_at"))


@transaction.atomic
def suppression_add_many(
    *, contacts: Iterable[tuple[str, str]], reason: str = "", batch_size: int = 5000
) -> int:
    """Add many (channel, email or phone) opt-outs at once (idempotent): a bulk import's withdrawals by
    people the register does not know (§57, §60). Returns the number of entries added."""
    added = 0
    contacts = iter(contacts)
    while batch := list(itertools.islice(contacts, batch_size)):
        wanted = set()
        for channel, value in batch:
            _check_channel(channel)
            try:
                wanted.add((channel, contact_hash(value)))
            except ValueError:
                continue
        existing = set(
            SuppressionEntry.objects.filter(
                contact_hash__in={digest for _channel, digest in wanted}
            ).values_list("channel", "contact_hash")
        )
        new = [
            SuppressionEntry(channel=channel, contact_hash=digest)
            for channel, digest in sorted(wanted - existing)
        ]
        bulk_create_with_history(new, SuppressionEntry, batch_size=batch_size, default_change_reason=reason)
        added += len(new)
    return added


@transaction.atomic
def suppression_add(*, channels, email: str = "", phone: str = "", erasure=None) -> list[SuppressionEntry]:
    """Add the keyed hashes of a contact for each channel (idempotent); returns the entries added."""
    added = []
    for channel in sorted(set(channels)):
        _check_channel(channel)
        for value in _contacts_for(channel, email=email, phone=phone):
            try:
                digest = contact_hash(value)
            except ValueError:
                continue
            entry, created = SuppressionEntry.objects.get_or_create(
                channel=channel, contact_hash=digest, defaults={"erasure": erasure}
            )
            if created:
                added.append(entry)
    return added
