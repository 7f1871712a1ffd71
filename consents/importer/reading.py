"""Reading consent CSV files as a stream: encoding, delimiter, header, records, timestamps.

Files come from portals, call centres and campaign tools, saved by Excel or by scripts: UTF-8 with or
without a BOM, or Windows-1257 (Baltic), decided from a scan of the bytes (never a silent guess: a file
mixing the two is refused, naming its lines); comma- or semicolon-separated; lines ending in CR LF, LF
or a bare CR. A record is one physical line (no column of ours holds a line break), so a stray quote
spoils its own line only, never the rest of the file. The admin and `import_consents` read through the
same functions, so a file gives the same result, line numbers included, by either way. Nothing here
holds more than about 1 MB of the file in memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from .mapping import COLUMNS, DEFAULT, REQUIRED, Mapping, header_name  # noqa: F401 (COLUMNS: re-exported)

RIGA = ZoneInfo("Europe/Riga")
DELIMITERS = (",", ";")
_CHUNK = 1 << 20


#: A line ends at CR LF, LF or a bare CR (old Mac Excel): the same rule for the count, the reading and
#: the line numbers of errors, whoever hands the file in (the admin's storage or the command's file).
_LINE_END = re.compile(rb"\r\n|\r|\n")
#: Ā to ž (U+0100–U+017F) in UTF-8; in Windows-1257 these bytes read "Ä" or "Å" and a sign, never met in
#: Latvian text.
_LATVIAN_UTF8 = re.compile(rb"[\xc4\xc5][\x80-\xbf]")
#: Lines named one by one when a file mixes encodings; the rest are counted.
MAX_LINE_PROBLEMS = 1000
#: What a file of two encodings is told, by the encoding most of its lines are in (`n`: the other lines).
_MOSTLY_UTF8 = ngettext_lazy(
    "The file is UTF-8 except on %(n)d line, which holds bytes of another encoding (a character "
    "pasted from another file?). Correct the line or save the whole file as UTF-8.",
    "The file is UTF-8 except on %(n)d lines, which hold bytes of another encoding (characters "
    "pasted from another file?). Correct the lines or save the whole file as UTF-8.",
    "n",
)
_MOSTLY_CP1257 = ngettext_lazy(
    "The file is Windows-1257 except on %(n)d line, which is UTF-8. Save the whole file in one encoding.",
    "The file is Windows-1257 except on %(n)d lines, which are UTF-8. Save the whole file in one encoding.",
    "n",
)


@dataclass(frozen=True)
class FileInfo:
    """What a first pass over the bytes found: encoding, number of lines, or why it cannot be read
    (`problem`, for the file; `line_problems`, (line, message) of the lines that spoil it)."""

    encoding: str
    lines: int
    problem: str = ""
    line_problems: tuple[tuple[int, str], ...] = ()
    #: "\n", "\r\n" or "\r" when every line ends alike, "" for a mix
    newline: str = "\n"


def inspect_file(handle: BinaryIO, *, spreadsheet: bool = False) -> FileInfo:
    """Detect the encoding and count lines from a scan of the bytes, in 1 MB pieces. Leaves the handle
    at the start.

    - valid UTF-8 throughout: UTF-8 (with or without BOM);
    - no well-formed UTF-8 sequence anywhere, but bytes that are not UTF-8: Windows-1257 (Baltic), the
      legacy export of Excel and of the call-centre tools;
    - both (UTF-8 letters on some lines, bytes that are not UTF-8 on others, e.g. one stray Latin-1
      byte pasted into a UTF-8 file): refused, naming the lines that differ from the rest. Reading such
      a file as Windows-1257 would store every Latvian letter corrupted without a word.

    With `spreadsheet` (a file named .xlsx) the file must be an .xlsx workbook: encoding "xlsx", lines
    the first sheet's rows.
    """
    if spreadsheet:
        from .spreadsheet import count_rows

        rows = count_rows(handle)
        if rows is None:
            return FileInfo("", 0, _("The file is not a readable .xlsx spreadsheet."))
        return FileInfo("xlsx", rows) if rows else FileInfo("", 0, _("The file is empty."))
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return FileInfo("", 0, _("The file is UTF-16; save it as CSV in UTF-8 or Windows-1257."))
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return FileInfo("", 0, _("This is a spreadsheet file, not CSV; save it as CSV first."))
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True  # every byte so far is valid UTF-8
    multibyte = False  # a well-formed UTF-8 sequence beyond ASCII was seen
    lf = cr = crlf = 0
    last = b""
    while chunk := handle.read(_CHUNK):
        lf += chunk.count(b"\n")
        cr += chunk.count(b"\r")
        crlf += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
        if not chunk.isascii():
            if utf8:
                try:
                    decoder.decode(chunk)
                    multibyte = True
                except UnicodeDecodeError:
                    utf8 = False
            if not utf8 and not multibyte:
                # Decoded with each invalid byte kept as one escape character, a piece comes out
                # shorter than its bytes exactly when it holds a well-formed UTF-8 sequence.
                multibyte = len(chunk.decode("utf-8", "surrogateescape")) < len(chunk)
        last = chunk[-1:]
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    lines = lf + cr - crlf + (last not in b"\r\n")
    newline = "\r\n" if lf == cr == crlf else "\n" if not cr else "\r" if not lf else ""
    handle.seek(0)
    if not lines:
        return FileInfo("", 0, _("The file is empty."))
    if utf8:
        return FileInfo("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8", lines, newline=newline)
    if not multibyte:
        return FileInfo("cp1257", lines, newline=newline)
    return _mixed(handle, lines, newline)


def _mixed(handle: BinaryIO, lines: int, newline: str) -> FileInfo:
    """A file with UTF-8 sequences and bytes that are not UTF-8: which lines are which (the slow path,
    for refused files only). If no line is wholly UTF-8 and none holds a Latvian letter in UTF-8 (ā to
    ž, Latin Extended-A), the UTF-8-looking bytes were Windows-1257 characters after all (e.g. "Ā°"),
    and the file is read as Windows-1257."""
    invalid: list[int] = []
    utf8: list[int] = []
    latvian_in_utf8 = False
    for number, raw in enumerate(iter_raw_lines(handle), start=1):
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
            utf8.append(number)
        except UnicodeDecodeError:
            invalid.append(number)
            latvian_in_utf8 = latvian_in_utf8 or _LATVIAN_UTF8.search(raw) is not None
    handle.seek(0)
    if not utf8 and not latvian_in_utf8:
        return FileInfo("cp1257", lines, newline=newline)
    if latvian_in_utf8 or len(invalid) <= len(utf8):
        mixed, message, named = _MOSTLY_UTF8, _("Not valid UTF-8, unlike the rest of the file."), invalid
    else:
        mixed, message, named = _MOSTLY_CP1257, _("UTF-8, unlike the rest of the file (Windows-1257)."), utf8
    problem = mixed % {"n": len(named)}
    return FileInfo("", lines, problem, tuple((number, message) for number in named[:MAX_LINE_PROBLEMS]))


def iter_raw_lines(handle: BinaryIO) -> Iterator[bytes]:
    """The file's lines as bytes, without their line ends (CR LF, LF or CR)."""
    for block in _blocks(handle):
        yield from _LINE_END.split(block)


def iter_lines(handle: BinaryIO, encoding: str, newline: str = "") -> Iterator[str | None]:
    """The file's lines as text, without their line ends, decoded in 1 MB blocks (the import's hot
    path: no per-line decoding). `newline` is the one line end of every line (`inspect_file` says), or
    "" when they are mixed or unknown. A line whose bytes are not valid in `encoding` (which
    `inspect_file` rules out, unless the file changed in between) comes as None."""
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    for block in _blocks(handle, skip_bom=encoding == "utf-8-sig"):
        try:
            text = block.decode(codec)
        except UnicodeDecodeError:
            for raw in _LINE_END.split(block):
                try:
                    yield raw.decode(codec)
                except UnicodeDecodeError:
                    yield None
            continue
        if newline:
            yield from text.split(newline)
        elif "\r" in text:
            yield from text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        else:
            yield from text.split("\n")


def _blocks(handle: BinaryIO, *, skip_bom: bool = False) -> Iterator[bytes]:
    """The file in blocks of whole lines (about 1 MB), each without its last line end; from the start."""
    handle.seek(0)
    if skip_bom and handle.read(3) != codecs.BOM_UTF8:
        handle.seek(0)
    rest = b""
    while chunk := handle.read(_CHUNK):
        data = rest + chunk if rest else chunk
        end = _last_line_end(data)
        if end < 0:
            rest = data
            continue
        rest = data[end:]
        yield data[: end - 2] if data[end - 2 : end] == b"\r\n" else data[: end - 1]
    if rest:
        yield rest[:-1] if rest.endswith(b"\r") else rest


def _last_line_end(data: bytes) -> int:
    """The offset just after the last complete line end in `data`, or -1. A CR at the very end is not
    complete: an LF may follow in the next piece."""
    end = max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1))
    return end + 1 if end >= 0 else -1


def encoding_label(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "cp1257": "Windows-1257", "xlsx": "XLSX"}.get(
        encoding, encoding
    )


class HeaderError(Exception):
    """The header line cannot be read; each item of `args[0]` is (column, message)."""


@dataclass(frozen=True)
class Header:
    delimiter: str
    width: int
    #: column name -> position in a record
    positions: dict[str, int]


def parse_header(text: str, mapping: Mapping = DEFAULT) -> Header:
    """The header line: the columns the mapping reads (our own layout: the seven columns of ours), in
    any order, separated by the mapping's delimiter or else `,` or `;`. `positions` is keyed by field.

    Unknown extra columns are ignored; a missing or repeated column is an error, as is a required field
    that neither a column nor a constant gives.
    """
    text = text.lstrip("\ufeff")
    delimiter = mapping.delimiter or max(DELIMITERS, key=text.count)
    wanted = mapping.wanted()
    if text.count(delimiter) == 0 and len(wanted) > 1:
        raise HeaderError([("", _("The first line must name the columns, separated by “,” or “;”."))])
    try:
        names = next(csv.reader([text], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise HeaderError(
            [("", _("The header line is malformed CSV (%(reason)s).") % {"reason": exc})]
        ) from exc
    names = [header_name(name) for name in names]
    problems = []
    positions: dict[str, int] = {}
    fields_of = {}
    for name, column in wanted.items():
        fields_of.setdefault(header_name(column), []).append(name)
    for index, name in enumerate(names):
        for field_name in fields_of.get(name, ()):
            if field_name in positions:
                problems.append((field_name, _("This column appears twice.")))
            positions[field_name] = index
    for field_name, column in wanted.items():
        if field_name not in positions:
            problems.append((field_name, _("The header has no “%(column)s” column.") % {"column": column}))
    for field_name in REQUIRED:
        if field_name not in wanted and field_name not in mapping.constants:
            problems.append((field_name, _("No column and no fixed value gives this field.")))
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
    return _naive_utc(moment)


def parse_moment_format(value: str, date_format: str) -> datetime.datetime | None:
    """`value` in a profile's strptime format, as `parse_moment` gives it (Riga time without an offset);
    None when it does not fit."""
    try:
        return _naive_utc(datetime.datetime.strptime(value, date_format))
    except ValueError:
        return None


def _naive_utc(moment: datetime.datetime) -> datetime.datetime:
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
