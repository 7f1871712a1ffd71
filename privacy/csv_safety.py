"""CSV exports safe against formula injection (OWASP "CSV Injection").

A spreadsheet opening a CSV runs a cell beginning with `=`, `+`, `-` or `@` as a formula (and a leading
tab or carriage return can hide one), so a customer-supplied value like `=HYPERLINK(...)` could act on
the staff member's machine. Every export of ours writes its cells through `neutralise`, which prefixes
such a text cell with an apostrophe: the spreadsheet shows it as text and the value stays readable.
"""

from __future__ import annotations

import csv
import decimal
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: An international or local phone number: an optional "+", then 3–15 digits (E.164).
PHONE = re.compile(r"\+?[0-9]{3,15}")
#: A plain decimal number, optionally signed.
NUMBER = re.compile(r"[+-]?[0-9]{1,30}(\.[0-9]{1,30})?")


class Validated(str):
    """Text validated as a phone number or a number: nothing but digits, a sign and a point,
    so it cannot carry a formula and is written as it is (a `+371…` stays `+371…`)."""


def validated_phone(value: Any) -> Any:
    """`value` marked Validated when it is entirely a phone number; otherwise unchanged (and guarded)."""
    if isinstance(value, str) and PHONE.fullmatch(value):
        return Validated(value)
    return value


def validated_number(value: Any) -> Any:
    """`value` marked Validated when it is entirely a number; otherwise unchanged (and guarded)."""
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and NUMBER.fullmatch(value):
        return Validated(value)
    return value


def neutralise(value: Any) -> Any:
    """The value, with a text cell that a spreadsheet would run as a formula turned into plain text.

    Numbers, dates, None and text validated as a phone number or number (`Validated`) pass as they are:
    only free text can carry a formula.
    """
    if isinstance(value, str) and not isinstance(value, Validated) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in row]


class SafeWriter:
    """`csv.writer` whose every cell goes through `neutralise`."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(safe_row(row))


def stream_csv(header: Iterable[Any], rows: Iterable[Iterable[Any]], *, bom: bool = True) -> Iterator[str]:
    """CSV text in pieces (for a StreamingHttpResponse), neutralised, UTF-8 BOM first so Excel reads it."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    if bom:
        buffer.write("\ufeff")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
