"""CSV exports safe against formula injection (OWASP "CSV Injection").

A spreadsheet opening a CSV runs a cell beginning with `=`, `+`, `-` or `@` as a formula (and a leading
tab or carriage return can hide one), so a customer-supplied value like `=HYPERLINK(...)` could act on
the staff member's machine. Every export of ours writes its cells through `neutralise`, which prefixes
such a text cell with an apostrophe: the spreadsheet shows it as text and the value stays readable.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value, with a text cell that a spreadsheet would run as a formula turned into plain text.

    Numbers, dates and None pass as they are: only text can carry a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
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

    def writerows(self, rows: Iterable[Iterable[Any]]):
        for row in rows:
            self.writerow(row)


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
