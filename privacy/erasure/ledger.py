"""Keyed hashes of the identifiers an erasure record keeps for replay (issue 5 item 9)."""

from __future__ import annotations

import re

from ..suppression import keyed_hash

_SEPARATORS = re.compile(r"[\s\-]+")


def normalise_customer_number(value: str) -> str:
    return (value or "").strip().upper()


def normalise_personal_code(value: str) -> str:
    """ "010190-12345", "01019012345" and " 010190 12345 " are the same personal code."""
    return _SEPARATORS.sub("", value or "").upper()


def customer_number_hash(value: str) -> str:
    value = normalise_customer_number(value)
    return keyed_hash("customer_number", value) if value else ""


def personal_code_hash(value: str) -> str:
    value = normalise_personal_code(value)
    return keyed_hash("personal_code", value) if value else ""
