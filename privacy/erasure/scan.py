"""Scan every text column of every table for given values (PostgreSQL): proof that an erasure left
nothing behind (issue 5, "Done when"), and a DPO's check after a restore.

Tables and columns come from information_schema, so tables that other apps add later (and their
history tables, and `django_admin_log`) are covered without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections

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
    if connection.vendor != "postgresql":
        raise NotImplementedError("the database scan needs PostgreSQL (information_schema, ILIKE ANY)")
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
