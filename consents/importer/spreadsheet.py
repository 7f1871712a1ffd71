"""Reading consent spreadsheets (.xlsx) as a stream of rows, for the same engine as CSV files.

Paper application forms (§47) are typed into spreadsheets. openpyxl reads the sheet in read-only
(streaming) mode, so memory stays flat whatever the number of rows. Line numbers are the sheet's row
numbers. Formula cells give the value Excel last calculated and saved (the cached value); nothing is
ever evaluated, and a formula cell without a cached value is an error on its row.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterator
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

#: A formula cell the file holds no calculated value for.
NO_CACHED_VALUE = object()


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser (values, not formulas), marking formula cells without a cached value."""

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["value"] = NO_CACHED_VALUE
        return cell


def is_xlsx(file_name: str) -> bool:
    return file_name.lower().endswith((".xlsx", ".xlsm"))


def _open(handle: BinaryIO):
    handle.seek(0)
    workbook = load_workbook(handle, read_only=True, data_only=True)
    return workbook, workbook.worksheets[0]


def count_rows(handle: BinaryIO) -> int | None:
    """The first sheet's number of rows (from its dimension, as saved), or None if it is not an .xlsx."""
    try:
        workbook, sheet = _open(handle)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError):
        handle.seek(0)
        return None
    try:
        rows = sheet.max_row
        if rows is None:  # no dimension saved: count
            rows = sum(1 for _row in sheet.iter_rows(values_only=True))
        return rows
    finally:
        workbook.close()
        handle.seek(0)


def _text(value) -> str | object:
    if value is None:
        return ""
    if value is NO_CACHED_VALUE or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def iter_sheet_rows(handle: BinaryIO) -> Iterator[tuple[int, list]]:
    """(row number, cell texts) of the first sheet's rows that hold anything; a formula cell without a
    cached value is `NO_CACHED_VALUE`. Dates come as ISO 8601 text (Riga time, as typed)."""
    workbook, sheet = _open(handle)
    try:
        with sheet._get_source() as source:
            parser = _Parser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            for number, cells in parser.parse():
                if not cells:
                    continue
                width = max(cell["column"] for cell in cells)
                row = [""] * width
                for cell in cells:
                    row[cell["column"] - 1] = _text(cell["value"])
                yield number, row
    finally:
        workbook.close()
