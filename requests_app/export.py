"""The subject's data package for access, copy and portability requests (§38, GDPR Art. 15 and 20).

One ZIP: `data.json` (machine-readable, everything in one document), one CSV per table and per history
table under `csv/`, and for a copy request the recording files under `files/`. What goes in is decided
by the personal-data catalogue (`privacy.catalogue.entries()`), so a model another app registers is
exported without a change here.

The package is the subject's own: a restriction (§38) limits marketing and analytics, not the subject's
access to their data, so restricted records are included like any other (the export gate,
`privacy.selectors.export_rows`, purpose SUBJECT_ACCESS).
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import io
import json
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from privacy import catalogue
from privacy.access_answer import access_information, subject_rows
from privacy.csv_safety import SafeWriter, validated_number, validated_phone
from privacy.models import Customer, Language

FORMAT = "balticom-subject-data/1"
CONTROLLER = {
    "name": "AS Balticom",
    "registration_number": "40003443452",
    "address": "Straupes iela 5 k-3, Rīga",
    "contact": "klients@balticom.info",
}
ModelType = type[models.Model] | None
#: The readable document of the package: the information GDPR Art. 15(1)–(2) requires, for this person.
ANSWER_DOCUMENT = "information.html"
#: History bookkeeping columns exported with every history row (the staff member is left out).
HISTORY_COLUMNS = ["history_id", "history_date", "history_type", "history_change_reason"]


@dataclass
class PackageSummary:
    """What went into a package: counts only, no personal data (safe to log and show)."""

    rows: dict[str, int] = field(default_factory=dict)
    history_rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    missing_files: int = 0


def _is_staff_user(model: type[models.Model] | None) -> bool:
    return model is not None and model._meta.label == settings.AUTH_USER_MODEL


def _is_personal(model: type[models.Model] | None) -> bool:
    """A related model holding personal data: it may be somebody else's, so only its id goes out."""
    return model is not None and catalogue.entry_for(model) is not None


def _plain(value: Any) -> Any:
    """A JSON-ready value."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _columns(model: type[models.Model]) -> list[tuple[str, models.Field]]:
    """(column, field) for every concrete field a package shows; staff-user references and the fields
    never shown to the subject (§39, internal notes) left out."""
    columns = []
    entry = catalogue.entry_for(model)
    withheld = set(entry.withheld_fields) if entry is not None else set()
    for fld in model._meta.concrete_fields:
        if fld.name in withheld:
            continue
        if fld.is_relation:
            if _is_staff_user(fld.related_model):
                continue
            columns.append((fld.attname, fld))
            if not _is_personal(fld.related_model):
                columns.append((fld.name, fld))  # a readable label of a register entry
        else:
            columns.append((fld.name, fld))
    return columns


def _m2m_fields(model: type[models.Model]) -> list[models.ManyToManyField]:
    return [f for f in model._meta.many_to_many if not _is_staff_user(f.related_model)]


def _row(obj: models.Model, columns, m2m) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column, fld in columns:
        if fld.is_relation and column == fld.name:
            related = getattr(obj, fld.name, None)
            row[column] = str(related) if related is not None else None
        else:
            row[column] = _plain(getattr(obj, column))
    for fld in m2m:
        related = getattr(obj, fld.name).all()
        row[fld.name] = (
            [r.pk for r in related] if _is_personal(fld.related_model) else [str(r) for r in related]
        )
    return row


def _history_rows(entry: catalogue.Entry, customer: Customer, ids: list) -> list[dict[str, Any]]:
    """Every history row of the subject's records (including rows of records deleted since)."""
    manager = getattr(entry.model, "history", None)
    if manager is None:
        return []
    historical = manager.model
    lookup = entry.customer_path or entry.model._meta.pk.name
    live_rows = {f"{entry.model._meta.pk.attname}__in": ids}
    if entry.history_by_id:
        rows = manager.filter(**live_rows)
    else:
        try:
            rows = manager.filter(**{lookup: customer.pk})
        except FieldError:  # a path the historical model cannot follow: history of the live rows only
            rows = manager.filter(**live_rows)
    if entry.withhold is not None:  # §39: nor the history of what is withheld
        rows = rows.exclude(entry.withhold())
    columns = [name for name in HISTORY_COLUMNS if _has_field(historical, name)]
    for column, fld in _columns(entry.model):
        if fld.is_relation and column == fld.name:
            continue  # history keeps ids only: the related row may be gone
        if _has_field(historical, column):
            columns.append(column)
    out = []
    for obj in rows.order_by("history_date", "history_id"):
        out.append({column: _plain(getattr(obj, column)) for column in columns})
    return out


def _has_field(model: type[models.Model], attname: str) -> bool:
    return any(f.attname == attname or f.name == attname for f in model._meta.concrete_fields)


def _csv_bytes(
    rows: list[dict[str, Any]], header: list[str], model: type[models.Model] | None = None
) -> bytes:
    """CSV in UTF-8 with a BOM (spreadsheets read the diacritics), every cell neutralised.

    The header row names the columns in the customer's language and coded values are their labels
    (the active language); phone numbers and numbers that pass validation are written as they are.
    """
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    fields = _fields_by_column(model) if model is not None else {}
    writer.writerow([_column_label(name, fields.get(name)) for name in header])
    for row in rows:
        writer.writerow([_csv_value(row.get(name), fields.get(name), name) for name in header])
    return buffer.getvalue().encode("utf-8-sig")


def _fields_by_column(model: type[models.Model]) -> dict[str, models.Field]:
    fields: dict[str, models.Field] = {}
    for fld in model._meta.concrete_fields:
        fields[fld.attname] = fld
        fields[fld.name] = fld
    for fld in model._meta.many_to_many:
        fields[fld.name] = fld
    return fields


def _history_labels() -> dict[str, str]:
    return {
        "history_id": _("version number"),
        "history_date": _("version recorded at"),
        "history_type": _("change"),
        "history_change_reason": _("reason for the change"),
    }


def _column_label(name: str, fld: models.Field | None) -> str:
    if name in HISTORY_COLUMNS:
        return _history_labels()[name]
    if fld is None:
        return name
    label = str(getattr(fld, "verbose_name", name))
    if fld.is_relation and name == getattr(fld, "attname", None) and name != fld.name:
        return _("%(field)s (number)") % {"field": label}
    if fld.primary_key:
        return _("record number")
    return label


def _history_type_label(value: Any) -> Any:
    return {"+": _("created"), "~": _("changed"), "-": _("deleted")}.get(value, value)


def _csv_value(value: Any, fld: models.Field | None = None, name: str = "") -> Any:
    if value is None:
        return ""
    if name == "history_type":
        return _history_type_label(value)
    if fld is not None and getattr(fld, "choices", None) and not fld.is_relation:
        return str(dict(fld.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if fld is not None and "phone" in fld.name:
        return validated_phone(value)
    if fld is not None and isinstance(fld, models.DecimalField | models.IntegerField | models.FloatField):
        return validated_number(value)
    return value


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _table_name(entry: catalogue.Entry) -> str:
    return entry.label.lower()


def write_package(
    customer: Customer, out: IO[bytes], *, include_files: bool = False, reference: str = ""
) -> PackageSummary:
    """Write the subject's package as a ZIP to `out`; return what went in (counts only)."""
    language = customer.preferred_language if customer.preferred_language in Language.values else "lv"
    with override(language):
        return _write_package(
            customer, out, include_files=include_files, reference=reference, language=language
        )


def _write_package(customer, out, *, include_files: bool, reference: str, language: str) -> PackageSummary:
    summary = PackageSummary()
    tables = []
    files_index = []
    information = access_information(customer)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in catalogue.entries():
            model = entry.model
            columns = _columns(model)
            m2m = _m2m_fields(model)
            related = [fld.name for c, fld in columns if fld.is_relation and c == fld.name]
            queryset = subject_rows(entry, customer)  # the export gate, without what §39 withholds
            queryset = queryset.select_related(*related).order_by("pk")
            if m2m:
                queryset = queryset.prefetch_related(*(f.name for f in m2m))
            objects = list(queryset)
            labels = _fields_by_column(model)
            rows = [_row(obj, columns, m2m) for obj in objects]
            history = _history_rows(entry, customer, [obj.pk for obj in objects])
            name = _table_name(entry)
            header = [c for c, _f in columns] + [f.name for f in m2m]
            archive.writestr(f"csv/{name}.csv", _csv_bytes(rows, header, model))
            history_header = list(history[0]) if history else HISTORY_COLUMNS
            archive.writestr(f"csv/{name}.history.csv", _csv_bytes(history, history_header, model))
            summary.rows[entry.label] = len(rows)
            summary.history_rows[entry.label] = len(history)
            if include_files:
                for obj, row in zip(objects, rows, strict=True):
                    for fld in _file_fields(model):
                        stored = getattr(obj, fld.name)
                        if not stored:
                            continue
                        files_index.append(_add_file(archive, entry, obj, fld, stored, row, summary))
            tables.append(
                {
                    "model": entry.label,
                    "name": str(model._meta.verbose_name_plural),
                    "csv": f"csv/{name}.csv",
                    "history_csv": f"csv/{name}.history.csv",
                    "columns": {column: _column_label(column, labels.get(column)) for column in header},
                    "personal_fields": {
                        fname: {"annex_1_category": category}
                        for fname, category in entry.fields.items()
                        if fname not in entry.withheld_fields
                    },
                    "rows": rows,
                    "history": history,
                }
            )
        document = {
            "format": FORMAT,
            "generated_at": timezone.localtime().isoformat(),
            "controller": CONTROLLER,
            "request": reference or None,
            "language": language,
            "customer_number": customer.customer_number,
            "information": information,
            "tables": tables,
            "files": files_index,
        }
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2, default=_plain))
        archive.writestr("README.txt", _readme(include_files))
        archive.writestr(
            ANSWER_DOCUMENT,
            render_to_string(
                "requests_app/package/answer.html",
                {
                    "language": language,
                    "information": information,
                    "controller": CONTROLLER,
                    "reference": reference,
                    "customer_number": customer.customer_number,
                    "generated_at": timezone.localtime(),
                },
            ),
        )
    return summary


def _add_file(archive, entry, obj, fld, stored, row, summary: PackageSummary) -> dict[str, Any]:
    base = PurePosixPath(stored.name).name
    path = f"files/{_table_name(entry)}/{obj.pk}/{base}"
    item: dict[str, Any] = {"model": entry.label, "id": obj.pk, "field": fld.name, "path": path}
    try:
        with stored.storage.open(stored.name, "rb") as handle:
            digest = hashlib.sha256()
            with archive.open(path, "w") as target:
                for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                    digest.update(chunk)
                    target.write(chunk)
        item["sha256"] = digest.hexdigest()
        summary.files += 1
        row[fld.name] = path
    except FileNotFoundError:
        item["missing"] = True
        item["path"] = None
        summary.missing_files += 1
    return item


def _readme(include_files: bool) -> str:
    lines = [
        _("Your personal data held by AS Balticom (reg. no. 40003443452)."),
        "",
        _(
            "information.html: what we do with your data, category by category: purposes, legal bases, "
            "recipients, how long it is kept and where it came from; your rights and how to complain."
        ),
        _("data.json: all of it in one machine-readable document (JSON)."),
        _("csv/<table>.csv: one table per kind of record; csv/<table>.history.csv: earlier versions."),
    ]
    if include_files:
        lines.append(_("files/: copies of your recordings and correspondence."))
    lines += ["", _("Questions: klients@balticom.info, phone 29333333.")]
    return "\n".join(lines) + "\n"


def package_bytes(customer: Customer, *, include_files: bool = False, reference: str = "") -> bytes:
    """The package in memory (tests and small packages)."""
    buffer = io.BytesIO()
    write_package(customer, buffer, include_files=include_files, reference=reference)
    return buffer.getvalue()
