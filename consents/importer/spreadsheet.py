"""Reading consent spreadsheets (.xlsx) as a stream of rows, for the same engine as CSV files.

Paper application forms (§47) are typed into spreadsheets. openpyxl opens the workbook in read-only
mode (shared strings, date styles, the first sheet); the sheet's XML is parsed as a stream, one row at a
time, each dropped once read, so memory stays flat whatever the number of rows. Line numbers are the
sheet's row numbers. Formula cells give the value Excel last calculated and saved (the cached value);
nothing is ever evaluated, and a formula cell without a cached value is an error on its row.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

#: A formula cell the file holds no calculated value for.
NO_CACHED_VALUE = object()

SHEET_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"
ROW = f"{{{SHEET_MAIN_NS}}}row"
VALUE = f"{{{SHEET_MAIN_NS}}}v"
FORMULA = f"{{{SHEET_MAIN_NS}}}f"
TEXT = f"{{{SHEET_MAIN_NS}}}t"


def is_xlsx(file_name: str) -> bool:
    return file_name.lower().endswith(".xlsx")


def _open(handle: BinaryIO):
    handle.seek(0)
    workbook = load_workbook(handle, read_only=True, data_only=True)
    return workbook, workbook.worksheets[0]


def count_rows(handle: BinaryIO) -> int | None:
    """The first sheet's number of rows (a scan of its XML for row elements: no cell is parsed), or None
    if it is not an .xlsx workbook."""
    try:
        workbook, sheet = _open(handle)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError):
        handle.seek(0)
        return None
    try:
        rows, tail = 0, b""
        with sheet._get_source() as source:
            while chunk := source.read(1 << 20):
                data = tail + chunk
                rows += data.count(b"<row ") + data.count(b"<row>")
                tail = data[-4:]
                rows -= tail.count(b"<row ") + tail.count(b"<row>")  # counted with the next piece
            rows += tail.count(b"<row ") + tail.count(b"<row>")
        return rows
    finally:
        workbook.close()
        handle.seek(0)


def _column(reference: str) -> int:
    """1-based column of a cell reference ("C12" -> 3)."""
    number = 0
    for char in reference:
        if char.isdigit():
            break
        number = number * 26 + ord(char) - 64
    return number


def iter_sheet_rows(handle: BinaryIO) -> Iterator[tuple[int, list]]:
    """(row number, cell texts) of the first sheet's rows that hold anything; a formula cell without a
    cached value is `NO_CACHED_VALUE`. Dates come as ISO 8601 text (Riga time, as typed); whole numbers
    without a decimal point (a phone number typed as a number stays its digits)."""
    workbook, sheet = _open(handle)
    shared = workbook.shared_strings
    date_styles = workbook._date_formats
    epoch = workbook.epoch
    try:
        with sheet._get_source() as source:
            parent = None
            number = 0
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    if element.tag == SHEET_DATA:
                        parent = element
                    continue
                if element.tag != ROW:
                    continue
                number = int(element.get("r") or number + 1)
                row: list = []
                column = 0
                for cell in element:
                    reference = cell.get("r")
                    column = _column(reference) if reference else column + 1
                    if column > len(row):
                        row.extend([""] * (column - len(row)))
                    row[column - 1] = _value(cell, shared, date_styles, epoch)
                if parent is not None:
                    parent.remove(element)  # the row is read: drop it
                else:
                    element.clear()
                if row:
                    yield number, row
    finally:
        workbook.close()


def _value(cell, shared, date_styles, epoch):
    """A cell's text as Excel saved it (never a formula, never evaluated)."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(text.text or "" for text in cell.iter(TEXT))
    value = cell.findtext(VALUE)
    if not value:
        formula = cell.find(FORMULA) is not None
        return NO_CACHED_VALUE if formula and (value is None or kind != "str") else ""
    if kind == "s":
        return shared[int(value)]
    if kind in ("str", "e", "d"):
        return value
    if kind == "b":
        return "TRUE" if value == "1" else "FALSE"
    if int(cell.get("s", 0)) in date_styles:
        try:
            return from_excel(float(value), epoch).isoformat(sep=" ")
        except (OverflowError, ValueError, AttributeError):
            return value
    if "." in value or "E" in value:
        number = float(value)
        return str(int(number)) if number.is_integer() else value
    return value
