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
from xml.parsers import expat

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.xml.constants import SHEET_MAIN_NS

#: A formula cell the file holds no calculated value for.
NO_CACHED_VALUE = object()

#: Element names as expat gives them with namespace processing ("namespace}local").
ROW_TAG = f"{SHEET_MAIN_NS}}}row"
CELL = f"{SHEET_MAIN_NS}}}c"
VALUE_TAG = f"{SHEET_MAIN_NS}}}v"
FORMULA_TAG = f"{SHEET_MAIN_NS}}}f"
TEXT_TAG = f"{SHEET_MAIN_NS}}}t"


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


_COLUMNS: dict[str, int] = {}


def _column(reference: str) -> int:
    """1-based column of a cell reference ("C12" -> 3)."""
    letters = reference.rstrip("0123456789")
    number = _COLUMNS.get(letters)
    if number is None:
        number = 0
        for char in letters:
            number = number * 26 + ord(char) - 64
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = number
    return number


def iter_sheet_rows(handle: BinaryIO) -> Iterator[tuple[int, list]]:
    """(row number, cell texts) of the first sheet's rows that hold anything; a formula cell without a
    cached value is `NO_CACHED_VALUE`. Dates come as ISO 8601 text (Riga time, as typed); whole numbers
    without a decimal point (a phone number typed as a number stays its digits).

    The sheet's XML goes through expat in 64 KB pieces, with handlers that keep only the current row:
    no element tree is built (building one per cell cost most of an .xlsx import's time)."""
    workbook, sheet = _open(handle)
    reader = _SheetReader(workbook)
    try:
        with sheet._get_source() as source:
            while piece := source.read(1 << 16):
                reader.parser.Parse(piece, False)
                yield from reader.take()
            reader.parser.Parse(b"", True)
            yield from reader.take()
    finally:
        workbook.close()


class _SheetReader:
    """expat handlers collecting a sheet's rows: each row a list of cell texts (see `_value`)."""

    def __init__(self, workbook):
        self.shared = workbook.shared_strings
        self.date_styles = workbook._date_formats
        self.epoch = workbook.epoch
        self.rows: list[tuple[int, list]] = []
        self.number = 0
        self.row: list = []
        self.column = 0
        self.cell: dict = {}
        self.value: str | None = None
        self.texts: list[str] = []
        self.formula = False
        self.buffer: list[str] | None = None  # the text being collected (of a <v> or a <t>)
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text

    def take(self) -> list[tuple[int, list]]:
        rows, self.rows = self.rows, []
        return rows

    def text(self, data: str) -> None:
        if self.buffer is not None:
            self.buffer.append(data)

    def start(self, name: str, attributes: dict) -> None:
        if name == CELL:
            self.cell, self.value, self.texts, self.formula = attributes, None, [], False
        elif name in (VALUE_TAG, TEXT_TAG):
            self.buffer = []
        elif name == FORMULA_TAG:
            self.formula = True
        elif name == ROW_TAG:
            self.number = int(attributes.get("r") or self.number + 1)
            self.row, self.column = [], 0

    def end(self, name: str) -> None:
        if name == VALUE_TAG:
            if self.value is None:  # the first <v>, as Excel has only one
                self.value = "".join(self.buffer)
            self.buffer = None
        elif name == TEXT_TAG:
            self.texts.append("".join(self.buffer))
            self.buffer = None
        elif name == CELL:
            reference = self.cell.get("r")
            self.column = _column(reference) if reference else self.column + 1
            row = self.row
            if self.column > len(row):
                row.extend([""] * (self.column - len(row)))
            row[self.column - 1] = self._value()
        elif name == ROW_TAG:
            if self.row:
                self.rows.append((self.number, self.row))
            self.row = []

    def _value(self):
        """A cell's text as Excel saved it (never a formula, never evaluated)."""
        cell = self.cell
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            return "".join(self.texts)
        value = self.value
        if not value:
            return NO_CACHED_VALUE if self.formula and (value is None or kind != "str") else ""
        if kind == "s":
            return self.shared[int(value)]
        if kind in ("str", "e", "d"):
            return value
        if kind == "b":
            return "TRUE" if value == "1" else "FALSE"
        if int(cell.get("s", 0)) in self.date_styles:
            try:
                return from_excel(float(value), self.epoch).isoformat(sep=" ")
            except (OverflowError, ValueError, AttributeError):
                return value
        if "." in value or "E" in value:
            number = float(value)
            return str(int(number)) if number.is_integer() else value
        return value
