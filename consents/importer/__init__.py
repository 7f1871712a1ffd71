"""The one consent CSV import engine, behind the admin (upload, preview, confirm) and `import_consents`.

    run_import(handle, file_name=..., actor=..., dry_run=...) -> ImportResult

One pass over the file validates it line by line and hands the valid rows, chunk by chunk, to a backend
(PostgreSQL: COPY into a staging table, customers resolved by a join; SQLite: the ORM, customers
resolved per chunk); then, in the same transaction, the backend previews what would change and, unless
it is a dry run, writes it. A file with any invalid row applies
nothing: the transaction is rolled back. Memory stays flat: one chunk of rows at a time.
"""

from __future__ import annotations

import csv
import time
from dataclasses import replace
from typing import BinaryIO

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .mapping import DEFAULT, FIELDS, Mapping
from .progress import NullProgress
from .reading import HeaderError, inspect_file, split_record
from .result import ImportResult, RowError
from .spreadsheet import is_xlsx
from .validation import References, Validator

__all__ = ["DEFAULT", "ImportResult", "Mapping", "RowError", "run_import"]


def run_import(
    handle: BinaryIO,
    *,
    file_name: str,
    actor=None,
    dry_run: bool = False,
    progress=None,
    on_error=None,
    backend: str | None = None,
    chunk_size: int | None = None,
    mapping: Mapping = DEFAULT,
    profile: str = "",
) -> ImportResult:
    """Validate a consent CSV file and, unless `dry_run` or any row is invalid, apply it.

    `handle` is a seekable binary file. `actor` is the staff user the ledger, the history and the
    change reason are attributed to (None from the command line without --user). `on_error` receives
    every error as it is found (the result keeps the first 1,000). `progress.update(percent, phase)`
    is called as the work advances. `backend` forces "postgres" or "orm" (default: by database).
    `mapping` says how to read the file (an import profile's, with any overrides; default: our own
    layout keyed by customer number); `profile` is its code, for the record. A file named .xlsx is read
    as a spreadsheet (its first sheet).
    """
    from .orm import OrmBackend
    from .postgres import PostgresBackend

    started = time.monotonic()
    progress = progress or NullProgress()
    result = ImportResult(
        file_name=file_name, dry_run=dry_run, on_error=on_error, match=mapping.match, profile=profile
    )
    now = timezone.now()
    info = inspect_file(handle, spreadsheet=is_xlsx(file_name))
    if mapping.encoding and info.encoding not in ("", "xlsx"):
        info = replace(info, encoding=mapping.encoding)
    result.encoding, result.lines = info.encoding, info.lines
    if info.problem:
        result.add_error(RowError(0, "", info.problem))
        for line, message in info.line_problems:
            result.add_error(RowError(line, "", message))
        return result
    actor = actor if actor is not None and actor.is_authenticated else None
    reason = _("Imported from %(file)s") % {"file": file_name}
    # Shares of the bar, roughly as the time goes on PostgreSQL: reading (and resolving customers);
    # comparing with the ledger and the current state; writing (after each of the writes).
    reading_share, checked = (80.0, 100.0) if dry_run else (35.0, 45.0)
    backend = backend or ("postgres" if connection.vendor == "postgresql" else "orm")
    with transaction.atomic():
        references = References()
        sink = (PostgresBackend if backend == "postgres" else OrmBackend)(
            actor=actor, reason=reason, now=now, references=references, result=result, match=mapping.match
        )
        sink.begin(exclusive=not dry_run)
        validator = Validator(
            handle,
            info,
            result=result,
            now=now,
            references=references,
            chunk_size=chunk_size or sink.chunk_size,
            emit=sink.row,
            mapping=mapping,
        )
        progress.update(0.0, "reading")
        with sink.reading():
            for rows in validator.chunks():
                sink.add(rows)
                progress.update(reading_share * validator.line / max(info.lines, 1), "reading")
        sink.finish_reading()
        result.errors.sort(key=lambda error: (error.line, error.column))
        if result.error_count:
            transaction.set_rollback(True)
        else:
            progress.update(reading_share, "checking")
            sink.preview(result)
            if dry_run:
                transaction.set_rollback(True)
            else:
                progress.update(checked, "writing")
                sink.write(result, advance=lambda share: progress.update(checked + 55.0 * share, "writing"))
                result.applied = True
    result.seconds = round(time.monotonic() - started, 3)
    progress.update(100.0, "done")
    return result


def first_rows(
    handle: BinaryIO, *, file_name: str, mapping: Mapping = DEFAULT, profile: str = "", limit: int = 5
):
    """The file's first `limit` data rows as the mapping reads them, for the admin to check a profile
    against a file before the preview: {"profile", "match", "fields": [(field, column or None, fixed
    value)], "rows": [(line, [value per field])]}; None if the header cannot be read."""
    info = inspect_file(handle, spreadsheet=is_xlsx(file_name))
    if info.problem:
        return None
    if mapping.encoding and info.encoding != "xlsx":
        info = replace(info, encoding=mapping.encoding)
    result = ImportResult(file_name=file_name, dry_run=True)
    validator = Validator(handle, info, result=result, now=timezone.now(), references=None, mapping=mapping)
    records = validator._sheet_records() if info.encoding == "xlsx" else validator._csv_records()
    header = None
    rows = []
    wanted = mapping.wanted()
    names = (mapping.match, *FIELDS)
    try:
        for line, record in records:
            if header is None:
                header = validator._header(record)
                continue
            cells = record if isinstance(record, list) else split_record(record, header)
            values = []
            for name in names:
                index = header.positions.get(name)
                if index is not None:
                    value = cells[index] if index < len(cells) else ""
                    values.append(value[:80] if isinstance(value, str) else "?")
                else:
                    values.append(mapping.constants.get(name, ""))
            rows.append((line, values))
            if len(rows) >= limit:
                break
    except (HeaderError, csv.Error, UnicodeDecodeError):
        return None
    finally:
        handle.seek(0)
    if header is None:
        return None
    fields = [
        (name, wanted.get(name) if name in header.positions else None, mapping.constants.get(name, ""))
        for name in names
    ]
    return {"profile": profile, "match": mapping.match, "fields": fields, "rows": rows}
