"""Reading consent CSV files as a stream: encoding, delimiter, header, records, timestamps.

Files come from portals, call centres and campaign tools, saved by Excel or by scripts: UTF-8 with or
without a BOM, or Windows-1257 (Baltic); comma- or semicolon-separated. A record is one physical line
(no column of ours holds a line break), so a stray quote spoils its own line only, never the rest of
the file. Nothing here holds more than one line of the file in memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import re
from dataclasses import dataclass
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

RIGA = ZoneInfo("Europe/Riga")
COLUMNS = ("customer_number", "topic", "action", "channel", "occurred_at", "source", "policy_version")
DELIMITERS = (",", ";")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileInfo:
    """What a first pass over the bytes found: encoding, number of lines, or why it is no CSV at all."""

    encoding: str
    lines: int
    problem: str = ""


def inspect_file(handle: BinaryIO) -> FileInfo:
    """Detect the encoding (UTF-8, with or without BOM, else Windows-1257) and count lines, in 1 MB pieces.

    The whole file is checked as UTF-8 before choosing: a file that is valid UTF-8 throughout is UTF-8;
    any invalid sequence means the legacy Baltic code page. Leaves the handle at the start.
    """
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return FileInfo("", 0, _("The file is UTF-16; save it as CSV in UTF-8 or Windows-1257."))
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return FileInfo("", 0, _("This is a spreadsheet file, not CSV; save it as CSV first."))
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    lines = 0
    last = b""
    while chunk := handle.read(_CHUNK):
        lines += chunk.count(b"\n")
        if utf8 and not chunk.isascii():
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        last = chunk[-1:]
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if last and last != b"\n":
        lines += 1
    handle.seek(0)
    if not lines:
        return FileInfo("", 0, _("The file is empty."))
    if not utf8:
        return FileInfo("cp1257", lines)
    return FileInfo("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8", lines)


def encoding_label(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "cp1257": "Windows-1257"}.get(encoding, encoding)


class HeaderError(Exception):
    """The header line cannot be read; each item of `args[0]` is (column, message)."""


@dataclass(frozen=True)
class Header:
    delimiter: str
    width: int
    #: column name -> position in a record
    positions: dict[str, int]


def parse_header(text: str) -> Header:
    """The header line: the seven columns of ours, in any order, separated by `,` or `;`.

    Unknown extra columns are ignored; a missing or repeated column is an error.
    """
    text = text.lstrip("\ufeff")
    delimiter = max(DELIMITERS, key=text.count)
    if text.count(delimiter) == 0:
        raise HeaderError([("", _("The first line must name the columns, separated by “,” or “;”."))])
    try:
        names = next(csv.reader([text], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise HeaderError(
            [("", _("The header line is malformed CSV (%(reason)s).") % {"reason": exc})]
        ) from exc
    names = [name.strip().lower().replace(" ", "_") for name in names]
    problems = []
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in COLUMNS:
            if name in positions:
                problems.append((name, _("This column appears twice.")))
            positions[name] = index
    for name in COLUMNS:
        if name not in positions:
            problems.append((name, _("The header has no “%(column)s” column.") % {"column": name}))
    if problems:
        raise HeaderError(problems)
    return Header(delimiter=delimiter, width=len(names), positions=positions)


def split_record(text: str, header: Header) -> list[str]:
    """Fields of one line; raises csv.Error on malformed quoting."""
    if '"' not in text:
        fields = text.split(header.delimiter)
    else:
        fields = next(csv.reader([text], delimiter=header.delimiter, strict=True))
    # Spreadsheets often pad lines with empty trailing cells: tolerate those, nothing else.
    while len(fields) > header.width and fields[-1].strip() == "":
        fields.pop()
    return fields


_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")
_RIGA_OFFSETS: dict[int, datetime.timedelta] = {}


def parse_moment(value: str) -> datetime.datetime | None:
    """ISO 8601 (`2024-05-01T10:00:00+03:00`, `2024-05-01 10:00`) or `DD.MM.YYYY HH:MM[:SS]`, as a naive
    UTC datetime (the import's hot path: cheap to compare and to COPY).

    Without an offset the time is Europe/Riga wall-clock time (in the autumn's repeated hour, the first
    one). A date without a time is not a moment and is refused, as is anything unparsable (None). A moment
    in year 1 or 9999 that UTC would move off the calendar comes back as datetime.min or datetime.max.
    """
    try:
        if len(value) >= 16 and value[4] == "-" and value[10] in "T ":
            moment = datetime.datetime.fromisoformat(value)
        elif match := _DMY.fullmatch(value):
            day, month, year, hour, minute, second = match.groups()
            moment = datetime.datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0)
            )
        else:
            return None
    except ValueError:
        return None
    try:
        if moment.tzinfo is not None:
            return moment.astimezone(datetime.UTC).replace(tzinfo=None)
        # Riga's offset changes only on the hour: remember it per hour instead of asking zoneinfo every row.
        hour_key = moment.toordinal() * 24 + moment.hour
        offset = _RIGA_OFFSETS.get(hour_key)
        if offset is None:
            if len(_RIGA_OFFSETS) > 500_000:
                _RIGA_OFFSETS.clear()
            offset = _RIGA_OFFSETS[hour_key] = moment.replace(tzinfo=RIGA).utcoffset()
        return moment - offset
    except OverflowError:
        # Year 1 or 9999 shifted past the calendar's end by the offset: the nearest end, which the
        # validation refuses as too early or in the future.
        return datetime.datetime.min if moment.year == datetime.MINYEAR else datetime.datetime.max


def parse_timestamp(value: str) -> datetime.datetime | None:
    """`parse_moment` as an aware datetime in UTC."""
    moment = parse_moment(value)
    return moment.replace(tzinfo=datetime.UTC) if moment is not None else None
