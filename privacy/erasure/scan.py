"""Proof that an erasure left nothing behind (§38–39), and a DPO's check after a restore; on PostgreSQL
and on SQLite (`make run`). The command is `manage.py erasure_scan`.

- `scan(values)`: every text column of every table holding any of the values (case-insensitive).
  Tables and columns come from the database's own catalogue (information_schema, or SQLite's), so
  tables that other apps add later (and their history tables, and `django_admin_log`) are covered
  without a change here.
- `leftovers()`: what no erasure may leave, found through the personal-data catalogue: rows pointing
  at a customer who no longer exists (orphans), personal data on a tombstone, rows on a tombstone that
  no erasure accounted for (written while or after it ran), and personal fields filled in again on a
  row an erasure anonymised or stripped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, models

_TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


@dataclass(frozen=True)
class Hit:
    table: str
    column: str
    #: The row's primary key as text (columns joined by "," for a composite key; ctid without a key).
    key: str


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_columns(*, using: str = "default") -> dict[str, list[str]]:
    """{table: [text/varchar/json columns]} for every base table of the current schema."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND c.data_type = ANY(%s)
            ORDER BY c.table_name, c.ordinal_position
            """,
            [list(_TEXT_TYPES)],
        )
        columns: dict[str, list[str]] = {}
        for table, column in cursor.fetchall():
            columns.setdefault(table, []).append(column)
    return columns


def _primary_key(cursor, table: str) -> list[str]:
    cursor.execute(
        """
        SELECT a.attname FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = %s::regclass AND i.indisprimary
        ORDER BY a.attnum
        """,
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def scan(values, *, using: str = "default") -> list[Hit]:
    """Every (table, column, row key) whose text contains any of `values` (case-insensitive)."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        return _scan_sqlite(values, using)
    if connection.vendor != "postgresql":
        raise NotImplementedError("the database scan supports PostgreSQL and SQLite")
    patterns = [f"%{_escape_like(v)}%" for v in {str(v).strip() for v in values} if v]
    if not patterns:
        return []
    qn = connection.ops.quote_name
    hits: list[Hit] = []
    with connection.cursor() as cursor:
        for table, columns in text_columns(using=using).items():
            key = _primary_key(cursor, table)
            key_sql = " || ',' || ".join(f"{qn(k)}::text" for k in key) if key else "ctid::text"
            for column in columns:
                cursor.execute(
                    f"SELECT {key_sql} FROM {qn(table)} WHERE {qn(column)}::text ILIKE ANY(%s)",  # noqa: S608
                    [patterns],
                )
                hits.extend(Hit(table, column, row[0]) for row in cursor.fetchall())
    return hits


# --- SQLite (`make run`) ---------------------------------------------------------------------------

_SQLITE_TEXT = ("char", "text", "clob", "json")


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [row[0] for row in cursor.fetchall()]


def _sqlite_columns(cursor, table: str, qn) -> tuple[list[str], list[str]]:
    """(text columns, primary-key columns in key order) from PRAGMA table_info."""
    cursor.execute(f"PRAGMA table_info({qn(table)})")
    text, key = [], []
    for _cid, name, declared, _notnull, _default, pk in cursor.fetchall():
        if any(word in (declared or "").lower() for word in _SQLITE_TEXT):
            text.append(name)
        if pk:
            key.append((pk, name))
    return text, [name for _order, name in sorted(key)]


def _scan_sqlite(values, using: str) -> list[Hit]:
    """The same scan on SQLite: SQLite's lower() folds ASCII only, so the text is case-folded by a
    Python function registered on the connection (Latvian and Russian letters included)."""
    needles = sorted({str(v).strip().casefold() for v in values} - {""})
    if not needles:
        return []
    connection = connections[using]
    connection.ensure_connection()
    connection.connection.create_function("privacy_casefold", 1, _casefold, deterministic=True)
    qn = connection.ops.quote_name
    condition = " OR ".join(["instr(privacy_casefold({column}), %s) > 0"] * len(needles))
    hits: list[Hit] = []
    with connection.cursor() as cursor:
        for table in _sqlite_tables(cursor):
            columns, key = _sqlite_columns(cursor, table, qn)
            key_sql = (
                " || ',' || ".join(f"CAST({qn(k)} AS TEXT)" for k in key) if key else "CAST(rowid AS TEXT)"
            )
            for column in columns:
                where = condition.format(column=qn(column))
                cursor.execute(f"SELECT {key_sql} FROM {qn(table)} WHERE {where}", needles)  # noqa: S608
                hits.extend(Hit(table, column, row[0]) for row in cursor.fetchall())
    return hits


def _casefold(value):
    return None if value is None else str(value).casefold()


# --- What no erasure may leave (any database) ----------------------------------------------------


@dataclass(frozen=True)
class Leftover:
    #: "app_label.Model"
    model: str
    key: str
    #: "orphan", "tombstone_personal_data", "unaccounted_on_tombstone" or "personal_data_after_erasure"
    problem: str
    #: the field (orphan: the foreign key; personal data: the first filled-in personal field), or ""
    field: str = ""


PROBLEMS = {
    "orphan": "points at a customer who no longer exists",
    "tombstone_personal_data": "personal data on an erasure tombstone",
    "unaccounted_on_tombstone": "on an erasure tombstone, but no erasure kept or anonymised it",
    "personal_data_after_erasure": "personal data on a row an erasure anonymised or stripped",
}


def _filled(model: type[models.Model], names) -> list[tuple[str, models.Q]]:
    """(field name, Q of rows where that personal field holds something) per field."""
    from .purge import blank_value

    found = []
    for name in names:
        field = model._meta.get_field(name)
        blank = blank_value(field)
        found.append(
            (name, models.Q(**{f"{name}__isnull": False}) if blank is None else ~models.Q(**{name: blank}))
        )
    return found


def _first_filled(model, pks, names, using: str) -> dict:
    """{pk as text: first personal field holding something} among rows `pks`."""
    found: dict = {}
    base = model._base_manager.using(using)
    for start in range(0, len(pks), 1000):
        chunk = pks[start : start + 1000]
        for name, q in _filled(model, names):
            for pk in base.filter(q, pk__in=chunk).values_list("pk", flat=True):
                found.setdefault(str(pk), name)
    return found


def leftovers(*, using: str = "default") -> list[Leftover]:
    """What erasures must never leave behind (see the module docstring), sorted by model and key."""
    from .. import catalogue
    from ..models import Customer, ErasedRow
    from .subject import _STRIPPED, _UNTOUCHED

    found: list[Leftover] = []
    customers = Customer._base_manager.using(using)
    tombstones = customers.filter(status=Customer.Status.TOMBSTONE)
    customer_entry = catalogue.entry_for(Customer)
    if customer_entry is not None:
        pks = list(tombstones.values_list("pk", flat=True))
        for key, name in _first_filled(Customer, pks, customer_entry.fields, using).items():
            found.append(Leftover(Customer._meta.label, key, "tombstone_personal_data", name))
    for entry in catalogue.entries():
        model = entry.model._meta.concrete_model
        if model is Customer:
            continue
        base = model._base_manager.using(using)
        for fk in model._meta.concrete_fields:
            if (
                fk.is_relation
                and fk.related_model is not None
                and fk.related_model._meta.concrete_model is Customer
            ):
                orphans = base.exclude(**{f"{fk.attname}__isnull": True}).exclude(
                    **{f"{fk.attname}__in": customers.values("pk")}
                )
                found.extend(
                    Leftover(entry.label, str(pk), "orphan", fk.name)
                    for pk in orphans.values_list("pk", flat=True)
                )
        marks: dict[str, str] = dict(
            ErasedRow.objects.using(using).filter(model=entry.label).values_list("object_id", "how")
        )
        on_tombstones = base.filter(**{f"{entry.customer_path}__status": Customer.Status.TOMBSTONE})
        for pk in on_tombstones.values_list("pk", flat=True):
            if str(pk) not in marks:
                found.append(Leftover(entry.label, str(pk), "unaccounted_on_tombstone"))
        for how, names in (
            ("anonymised", entry.fields),
            *((reason, entry.fields) for reason in _STRIPPED),
        ):
            pks = [pk for pk, mark in marks.items() if mark == how]
            for key, name in _first_filled(model, _typed(model, pks), names, using).items():
                found.append(Leftover(entry.label, key, "personal_data_after_erasure", name))
        if entry.scrub_when_kept:
            pks = [pk for pk, mark in marks.items() if mark not in {"anonymised", *_STRIPPED, *_UNTOUCHED}]
            for key, name in _first_filled(model, _typed(model, pks), entry.scrub_when_kept, using).items():
                found.append(Leftover(entry.label, key, "personal_data_after_erasure", name))
    return sorted(set(found), key=lambda leftover: (leftover.model, leftover.problem, leftover.key))


def _typed(model: type[models.Model], pks: list[str]) -> list:
    """Text ids (as `ErasedRow` stores them) as the model's primary-key values."""
    return [model._meta.pk.to_python(pk) for pk in pks]
