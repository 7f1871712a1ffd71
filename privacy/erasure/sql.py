"""Lists of ids in SQL, at the speed the nightly retention needs (§31–33: millions of rows a night).

On PostgreSQL a list of ids goes to the server as ONE text parameter holding an array literal
(`array_literal`), never as a Python list (psycopg's client-side binding converts a list element by
element in Python, 4-12 ms per 5,000 ids) nor as one placeholder per id. A dense run of integer ids (a
sweep's chunk in id order) is matched with one index range scan and a hashed membership filter
(`any_condition`): PostgreSQL 15 descends the index once per array element of `= ANY(...)`, three times
slower than raw SQL for the same rows. Elsewhere (SQLite, the embedded run) plain placeholders.

Only quoted table and column names from the models are ever interpolated; values go as parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property

from django.db import connections, models
from django.db.models.expressions import RawSQL

#: Largest id list sent in one statement as placeholders (SQLite allows 32,766 parameters).
CHUNK = 5000
#: Largest id list per statement on PostgreSQL, where it is one parameter (a retention chunk's size).
ARRAY_CHUNK = 20000
#: A set of integer ids spanning at most this many times its size is "dense" (see `any_condition`).
DENSE_SPAN = 4
_INTEGER_TYPES = frozenset({"smallint", "integer", "bigint"})


class IdArray(list):
    """A list of ids that works out its PostgreSQL forms once, however many statements of a chunk use
    it (history, rows, admin log): its array literal and, for a dense set of integers, its range and
    the integers of that range that are not in it."""

    @cached_property
    def literal(self) -> str:
        return _literal(self)

    @cached_property
    def dense_range(self) -> tuple[int, int, list[int]] | None:
        """(lowest, highest, gaps) when the ids are integers spanning at most DENSE_SPAN times their
        number, `gaps` being the integers between lowest and highest that are not ids; else None."""
        if len(self) < 2 or not _all_int(self):
            return None
        low, high = min(self), max(self)
        unique = set(self)
        if high - low >= DENSE_SPAN * len(unique):
            return None
        if high - low + 1 == len(unique):
            return low, high, []
        return low, high, sorted(set(range(low, high + 1)).difference(unique))


def chunked(values: list, size: int = CHUNK) -> Iterable[IdArray]:
    for start in range(0, len(values), size):
        yield IdArray(values[start : start + size])


def chunk_size(using: str) -> int:
    """How many ids one statement takes on this database (see CHUNK and ARRAY_CHUNK)."""
    return ARRAY_CHUNK if connections[using].vendor == "postgresql" else CHUNK


def _all_int(values: list) -> bool:
    return set(map(type, values)) == {int}  # at C speed; bools and int subclasses are not ids


def _literal(values: list) -> str:
    if _all_int(values):  # the usual case: ids, at C speed
        return "{" + ",".join(map(str, values)) + "}"
    parts = []
    for value in values:
        if value is None:
            parts.append("NULL")
        elif isinstance(value, int) and not isinstance(value, bool):
            parts.append(str(int(value)))
        else:
            text = str(value).replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'"{text}"')
    return "{" + ",".join(parts) + "}"


def array_literal(values: Iterable) -> str:
    """A PostgreSQL array literal ('{1,2,3}') of `values`, to send as ONE text parameter cast to an array.

    psycopg's client-side binding (Django's default) adapts a Python list in Python, element by
    element; a string goes at C speed. Integers are written as digits; anything else is double-quoted
    with backslash escapes, so a value can never split into two elements or end the array. Cast to
    text[], the literal of integer ids holds their str() (as the admin log stores object ids).
    """
    return values.literal if isinstance(values, IdArray) else _literal(list(values))


def _ids(values) -> IdArray:
    return values if isinstance(values, IdArray) else IdArray(values)


def column_type(field: models.Field, connection) -> str:
    """The database type of `field`'s column (of its target's, for a foreign key)."""
    return getattr(field, "target_field", field).db_type(connection)


def any_condition(column_sql: str, values, db_type: str) -> tuple[str, list]:
    """SQL (with its parameters) that the integer or other column `column_sql` is one of `values`, on
    PostgreSQL, in the cheapest of three equivalent forms:

    - a dense set of integers (a sweep's chunk in id order) with fewer gaps than ids:
      `column BETWEEN lo AND hi [AND column + 0 <> ALL(gaps)]` (one index range scan, a hashed filter
      of the few integers in the range that are not ids; nothing else to send or parse);
    - a dense set with more gaps: `column BETWEEN lo AND hi AND column + 0 = ANY(ids)`;
    - otherwise `column = ANY(ids)`, the ids as one array literal.

    The `+ 0` keeps PostgreSQL 15 from using the array as an index condition, which descends the index
    once per element (three times slower than raw SQL for a chunk of 5,000).
    """
    ids = _ids(values)
    dense = ids.dense_range if db_type in _INTEGER_TYPES else None
    if dense is None:
        return f"{column_sql} = ANY(%s::{db_type}[])", [ids.literal]
    low, high, gaps = dense
    sql, params = f"{column_sql} BETWEEN %s AND %s", [low, high]
    if len(gaps) > len(ids):
        return f"{sql} AND ({column_sql} + 0) = ANY(%s::{db_type}[])", [*params, ids.literal]
    if gaps:
        return f"{sql} AND ({column_sql} + 0) <> ALL(%s::{db_type}[])", [*params, _literal(gaps)]
    return sql, params


def field_condition(field: models.Field, values, connection, alias: str = "") -> tuple[str, list]:
    """`field`'s column (qualified by `alias`) is one of `values`: `any_condition` on PostgreSQL, one
    placeholder per value elsewhere."""
    column = connection.ops.quote_name(field.column)
    column = f"{alias}.{column}" if alias else column
    if connection.vendor == "postgresql":
        return any_condition(column, values, column_type(field, connection))
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def text_id_condition(column_sql: str, values) -> tuple[str, list]:
    """`column_sql` (a text column, as the admin log's object_id) is the str() of one of `values`."""
    ids = _ids(values)
    dense = ids.dense_range
    if dense is None:
        return f"{column_sql} = ANY(%s::text[])", [ids.literal]
    low, high, gaps = dense
    if len(gaps) > len(ids):
        return f"{column_sql} = ANY(%s::text[])", [ids.literal]
    series = "SELECT g::text FROM generate_series(%s::bigint, %s::bigint) AS g"
    if gaps:
        return f"{column_sql} IN ({series} WHERE g <> ALL(%s::bigint[]))", [low, high, _literal(gaps)]
    return f"{column_sql} IN ({series})", [low, high]


def id_list(values: list, field: models.Field, using: str = "default"):
    """The right-hand side of an `__in` lookup for a long list: on PostgreSQL one array parameter
    (`IN (SELECT unnest(%s::bigint[]))`, see `array_literal`) instead of thousands of placeholders;
    elsewhere the list itself."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return list(values)
    # Only the column type comes from the model; the values go as one parameter.
    db_type = column_type(field, connection)
    return RawSQL(f"SELECT unnest(%s::{db_type}[])", [array_literal(values)])  # noqa: S611


def distinct_values_sql(columns: Sequence[str]) -> str:
    """Select-list items, one per quoted text column: an array of its distinct non-empty values."""
    return ", ".join(f"array_agg(DISTINCT {column}) FILTER (WHERE {column} <> '')" for column in columns)


def collect_arrays(targets: Sequence, arrays: Sequence, into: dict) -> None:
    """Add each array of `distinct_values_sql` (None when no row had a value) to `into[target]`."""
    for target, array in zip(targets, arrays, strict=True):
        into[target].update(array or ())


def distinct_values(cursor, table_sql: str, fields: Sequence[models.Field], condition: str, params) -> list:
    """The arrays of `distinct_values_sql` for `fields`' columns over the rows of `table_sql` (quoted)
    where `condition`, in one SELECT (PostgreSQL)."""
    qn = cursor.db.ops.quote_name
    select = distinct_values_sql([qn(f.column) for f in fields])
    cursor.execute(f"SELECT {select} FROM {table_sql} WHERE {condition}", params)  # noqa: S608
    return list(cursor.fetchone())
