"""Set-based deletion and anonymisation that leave nothing personal behind (§31–33, §38–39).

`purge` deletes rows by primary key without simple-history's per-row signals (which would load every row
and write a "-" history row holding the deleted data), deletes the rows' history (and M2M history),
queues their files for deletion after the commit, and scrubs the admin's action log. `purge_history`
deletes audit records alone (§32), the live rows staying. `scrub_rows` blanks fields on live rows and
on every history row of them, then writes one "~" history row per row, set-based. All are
chunk-friendly: the retention sweeps call them with a few thousand ids at a time; the ids go to the
database in the forms of `privacy/erasure/sql.py`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import bulk_update_with_history, get_history_model_for_model

from .. import catalogue
from ..history import HISTORY_OWN_FIELDS
from .files import queue_file_deletions
from .sql import (
    ARRAY_CHUNK,
    any_condition,
    chunk_size,
    chunked,
    collect_arrays,
    column_type,
    distinct_values,
    distinct_values_sql,
    field_condition,
    id_list,
    text_id_condition,
)

#: What an erased object's admin log entry shows instead of its name (stored text, so not translated).
ERASED_REPR = "[erased]"


class PurgeBlocked(Exception):
    """Rows cannot be purged: other rows still depend on them (on_delete=PROTECT/RESTRICT)."""


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


def m2m_history_models(hmodel: type[models.Model]) -> list[type[models.Model]]:
    """simple-history's M2M history tables hanging off a history model (e.g. Disclosure's categories)."""
    return [getattr(hmodel, field.name).model for field in getattr(hmodel, "_history_m2m_fields", [])]


def blank_value(field: models.Field):
    """The value that holds nothing personal for a field: NULL, "", False or the field's default."""
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        return ""
    if field.has_default():
        return field.get_default()
    if isinstance(field, models.BooleanField):
        return False
    raise ImproperlyConfigured(
        f"{field.model._meta.label}.{field.name} cannot be blanked: make it null=True, blank text or give a "
        "default, or erase the row instead of anonymising it"
    )


#: What a gone row's history keeps in a personal date field the database cannot leave empty (§32): an
#: obvious placeholder, never a real value.
PLACEHOLDER_DATE = datetime.date(1970, 1, 1)
#: The prefix of the token that replaces an identifying field in a gone row's history (as a tombstone's).
ERASED_ID_PREFIX = "ERASED-"


def history_blank_value(field: models.Field):
    """What an audit record keeps of a personal field once its row is gone (§32): NULL where the column
    allows it, else blank text, False, a constant default, or a placeholder (1970-01-01, 0)."""
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        return ""
    if isinstance(field, models.BooleanField):
        return False
    if field.has_default() and not callable(field.default):
        return field.default
    if isinstance(field, models.DateTimeField):
        return datetime.datetime.combine(PLACEHOLDER_DATE, datetime.time(0), tzinfo=datetime.UTC)
    if isinstance(field, models.DateField):
        return PLACEHOLDER_DATE
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return 0
    raise ImproperlyConfigured(
        f"{field.model._meta.label}.{field.name}: no value holds nothing personal for its history rows; "
        "make it null=True or give it a constant default"
    )


def history_scrub_values(model: type[models.Model]) -> tuple[dict, list[str]]:
    """What removes the personal content of a catalogued model's history rows, their metadata staying
    (who, when, what kind of change, which id): ({column attname: blank value} for the catalogue's
    personal fields (`history_blank_value`), [attnames of its `history_tokens`, set to "ERASED-<id>"]).
    Nothing for a model outside the catalogue (it holds no personal data)."""
    entry = catalogue.entry_for(model)
    hmodel = history_model(model)
    if entry is None or hmodel is None:
        return {}, []
    blanks = {}
    for name in entry.fields:
        hfield = hmodel._meta.get_field(name)
        blanks[hfield.attname] = history_blank_value(hfield)
    tokens = [hmodel._meta.get_field(name).attname for name in entry.history_tokens]
    return blanks, tokens


def _unique_pks(pks) -> list:
    if isinstance(pks, models.QuerySet):
        pks = pks.values_list("pk", flat=True)
    return list(dict.fromkeys(pks))


def _in_chunks(model: type[models.Model], pks, step: Callable[[list, str], int]) -> int:
    """`step(chunk, using)` over the distinct `pks` in statement-sized chunks, in one transaction;
    the sum of what it returns (rows written)."""
    pks = _unique_pks(pks)
    if not pks:
        return 0
    using = router.db_for_write(model)
    with transaction.atomic(using=using):
        return sum(step(chunk, using) for chunk in chunked(pks, chunk_size(using)))


def scrub_admin_log(model: type[models.Model], pks: list, *, using: str = "default") -> int:
    """Empty `object_repr` and `change_message` of the admin's log entries for these objects: the log
    must not name an erased object (§38–39).

    On PostgreSQL one UPDATE, the ids as one text array or, for a dense run of integer ids, as a range
    (`generate_series`) less its gaps: nothing per id to send.
    """
    if not pks:
        return 0
    content_type = ContentType.objects.db_manager(using).get_for_model(model, for_concrete_model=False)
    connection = connections[using]
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        # Table and column names come from the model; the values go as parameters.
        condition, params = text_id_condition(qn("object_id"), pks)
        sql = (
            f"UPDATE {qn(LogEntry._meta.db_table)} SET {qn('object_repr')} = %s, {qn('change_message')} = '' "  # noqa: S608
            f"WHERE {qn('content_type_id')} = %s AND {condition} "
            f"AND NOT ({qn('object_repr')} = %s AND {qn('change_message')} = '')"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [ERASED_REPR, content_type.pk, *params, ERASED_REPR])
            return cursor.rowcount
    scrubbed = 0
    for chunk in chunked([str(pk) for pk in pks]):
        scrubbed += (
            LogEntry.objects.using(using)
            .filter(content_type=content_type, object_id__in=chunk)
            .exclude(object_repr=ERASED_REPR, change_message="")
            .update(object_repr=ERASED_REPR, change_message="")
        )
    return scrubbed


def _file_fields(model: type[models.Model], names: Iterable[str] | None = None) -> list[models.FileField]:
    fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    if names is not None:
        wanted = set(names)
        fields = [f for f in fields if f.name in wanted]
    return fields


def _collect_file_names(model, pks: list, fields: list[models.FileField], using: str) -> dict:
    """{field: storage names} of these rows, live and in every history version (older files too)."""
    names: dict = {}
    if not fields:
        return names
    hmodel = history_model(model)
    ids = id_list(pks, model._meta.pk, using)
    for field in fields:
        found = set(
            model._base_manager.using(using)
            .filter(pk__in=ids)
            .exclude(**{field.attname: ""})
            .values_list(field.attname, flat=True)
        )
        if hmodel is not None:
            found |= set(
                hmodel._base_manager.using(using)
                .filter(id__in=ids)
                .exclude(**{field.attname: ""})
                .order_by()
                .values_list(field.attname, flat=True)
                .distinct()
            )
        names[field] = found
    return names


def _queue_names(model, names: dict, *, exclude_pks: list, using: str) -> None:
    """Queue the files for deletion after the commit, except those another live row still uses."""
    for field, found in names.items():
        found = {name for name in found if name}
        if not found:
            continue
        names_in = id_list(sorted(found), field, using)
        users = model._base_manager.using(using).filter(**{f"{field.attname}__in": names_in})
        if exclude_pks:
            users = users.exclude(pk__in=id_list(exclude_pks, model._meta.pk, using))
        still_used = set(users.values_list(field.attname, flat=True))
        queue_file_deletions(field, sorted(found - still_used), using=using)


def _queue_files(model, pks: list, fields: list[models.FileField], using: str) -> None:
    """Queue the files of these rows, live and in history, that no other live row still uses."""
    _queue_names(model, _collect_file_names(model, pks, fields, using), exclude_pks=pks, using=using)


def _delete_where(
    model,
    field: models.Field,
    values: list,
    returning: list[models.Field],
    using: str,
    *,
    immutable: bool = False,
):
    """DELETE rows whose `field` is in `values`; returns (count, {returned field: set of values}).

    On PostgreSQL one statement with the ids as one parameter (see `sql.any_condition`) and RETURNING;
    for `immutable` rows (history rows, written once: no concurrent update can change the values
    between the two) a SELECT of the distinct values, then a plain DELETE, about a third faster than
    RETURNING. Elsewhere a SELECT, then the delete.
    """
    connection = connections[using]
    returned: dict = {f: set() for f in returning}
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        table = qn(model._meta.db_table)
        condition, params = field_condition(field, values, connection)
        sql = f"DELETE FROM {table} WHERE {condition}"  # noqa: S608
        with connection.cursor() as cursor:
            if returning and immutable:
                arrays = distinct_values(cursor, table, returning, condition, params)
                collect_arrays(returning, arrays, returned)
                cursor.execute(sql, params)
                return cursor.rowcount, returned
            if not returning:
                cursor.execute(sql, params)
                return cursor.rowcount, returned
            # One row back: the count and, per column, the distinct non-empty values deleted.
            columns = [qn(f.column) for f in returning]
            cursor.execute(
                f"WITH gone AS ({sql} RETURNING {', '.join(columns)}) "  # noqa: S608
                f"SELECT count(*), {distinct_values_sql(columns)} FROM gone",
                params,
            )
            count, *arrays = cursor.fetchone()
        collect_arrays(returning, arrays, returned)
        return count, returned
    rows = model._base_manager.using(using).filter(**{f"{field.attname}__in": list(values)})
    if returning:
        for row in rows.values_list(*[f.attname for f in returning]):
            for f, value in zip(returning, row, strict=True):
                returned[f].add(value)
    return rows._raw_delete(using), returned


def _handle_dependents(model, pks: list, *, actor, reason: str, using: str) -> int:
    """Apply the on_delete of rows pointing here: CASCADE purges, SET_NULL nulls, PROTECT refuses."""
    purged = 0
    relations = [
        rel
        for rel in model._meta.related_objects
        if not rel.many_to_many and rel.field.remote_field.on_delete is not models.DO_NOTHING
    ]
    if not relations:
        return 0
    ids = id_list(pks, model._meta.pk, using)
    for rel in relations:
        field = rel.field
        on_delete = field.remote_field.on_delete
        related = rel.related_model
        if field.target_field != model._meta.pk:
            raise PurgeBlocked(f"{related._meta.label}.{field.name} points at a non-primary-key field")
        dependents = related._base_manager.using(using).filter(**{f"{field.name}__in": ids})
        if related._meta.concrete_model is model._meta.concrete_model:
            dependents = dependents.exclude(pk__in=ids)
        if on_delete is models.CASCADE:
            dependent_pks = list(dependents.values_list("pk", flat=True))
            if dependent_pks:
                purged += _purge(related, dependent_pks, actor=actor, reason=reason, using=using)
        elif on_delete is models.SET_NULL:
            objs = list(dependents)
            if objs:
                for obj in objs:
                    setattr(obj, field.attname, None)
                if history_model(related) is not None:
                    bulk_update_with_history(
                        objs,
                        related,
                        [field.name],
                        default_user=actor,
                        default_change_reason=reason,
                        manager=related._base_manager.db_manager(using),
                    )
                else:
                    related._base_manager.using(using).bulk_update(objs, [field.name])
        else:
            count = dependents.count()
            if count:
                raise PurgeBlocked(
                    f"Cannot purge {len(pks)} {model._meta.label} row(s): {count} {related._meta.label} "
                    f"row(s) still point at them through {field.name!r} (on_delete={on_delete.__name__}); "
                    "purge or keep those first"
                )
    return purged


def _delete_m2m_rows(model, pks: list, using: str) -> None:
    """Rows of auto-created M2M tables on either side (a custom through model is a dependent instead)."""
    tables = [
        (field.remote_field.through, field.m2m_field_name())
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ] + [
        (rel.through, rel.field.m2m_reverse_field_name())
        for rel in model._meta.related_objects
        if rel.many_to_many and rel.through._meta.auto_created
    ]
    if not tables:
        return
    ids = id_list(pks, model._meta.pk, using)
    for through, column in tables:
        through._base_manager.using(using).filter(**{f"{column}__in": ids})._raw_delete(using)


def _delete_history(model, pks: list, files: list[models.FileField], using: str) -> tuple[int, dict]:
    hmodel = history_model(model)
    if hmodel is None:
        return 0, {}
    for m2m_model in m2m_history_models(hmodel):
        history_ids = hmodel._base_manager.using(using).filter(id__in=id_list(pks, model._meta.pk, using))
        m2m_model._base_manager.using(using).filter(
            history_id__in=history_ids.values("history_id")
        )._raw_delete(using)
    history_files = [hmodel._meta.get_field(f.name) for f in files]
    count, returned = _delete_where(
        hmodel, hmodel._meta.get_field("id"), pks, history_files, using, immutable=True
    )
    return count, {model._meta.get_field(f.name): names for f, names in returned.items()}


def delete_history(model, pks: list, *, using: str = "default") -> int:
    """Delete every history row (and M2M history row) of these objects: no "-" row holding the data.

    Files named only in history are not queued here; `purge` does that.
    """
    return _delete_history(model, pks, [], using)[0]


def purge_history(history_model: type[models.Model], history_ids) -> int:
    """Delete audit records by history id, with their M2M history rows, set-based (§32).

    Only the audit records go: the live rows and their files stay (a history row of a recording names
    the same file as the live row, so no file is queued here). Returns the history rows deleted.
    """

    def step(chunk: list, using: str) -> int:
        for m2m_model in m2m_history_models(history_model):
            _delete_where(m2m_model, m2m_model._meta.get_field("history"), chunk, [], using)
        return _delete_where(history_model, history_model._meta.pk, chunk, [], using)[0]

    return _in_chunks(history_model, history_ids, step)


def _history_file_names(hmodel, pks: list, files: list[models.FileField], using: str) -> dict:
    """{live field: the distinct non-empty file names} in these objects' history rows."""
    names: dict = {f: set() for f in files}
    if not files:
        return names
    connection = connections[using]
    hfields = [hmodel._meta.get_field(f.name) for f in files]
    if connection.vendor == "postgresql":
        condition, params = field_condition(hmodel._meta.get_field("id"), pks, connection)
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(hmodel._meta.db_table)
            collect_arrays(files, distinct_values(cursor, table, hfields, condition, params), names)
        return names
    rows = hmodel._base_manager.using(using).filter(id__in=list(pks))
    for f, hf in zip(files, hfields, strict=True):
        names[f].update(rows.exclude(**{hf.attname: ""}).values_list(hf.attname, flat=True))
    return names


def _scrub_history(
    model, pks: list, files: list[models.FileField], *, actor, reason: str, using: str
) -> dict:
    """§32: the audit records of rows about to go stay until their own window ends, without the rows'
    personal content: their history rows lose the catalogue's personal fields, and one "-" row per row
    records the deletion (who, when, why), written from the live row with the same fields removed.
    Returns {field: file names} the history named (deleted with the row's own files)."""
    hmodel = history_model(model)
    if hmodel is None:
        return {}
    names = _history_file_names(hmodel, pks, files, using)
    blanks, tokens = history_scrub_values(model)
    connection = connections[using]
    if blanks or tokens:
        if connection.vendor == "postgresql":
            qn = connection.ops.quote_name
            id_field = hmodel._meta.get_field("id")
            condition, params = field_condition(id_field, pks, connection)
            targets = [(qn(hmodel._meta.get_field(a).column), "%s") for a in blanks]
            targets += [
                (qn(hmodel._meta.get_field(a).column), f"(%s || {qn(id_field.column)}::text)") for a in tokens
            ]
            sets = [f"{column} = {value}" for column, value in targets]
            values = [hmodel._meta.get_field(a).get_db_prep_save(v, connection) for a, v in blanks.items()]
            values += [ERASED_ID_PREFIX] * len(tokens)
            # Only rows that still hold something are written (a recording without a file, a re-run).
            changed = " OR ".join(f"{column} IS DISTINCT FROM {value}" for column, value in targets)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {qn(hmodel._meta.db_table)} SET {', '.join(sets)} "  # noqa: S608
                    f"WHERE {condition} AND ({changed})",
                    [*values, *params, *values],
                )
        else:
            token = Concat(models.Value(ERASED_ID_PREFIX), Cast("id", models.TextField()))
            hmodel._base_manager.using(using).filter(id__in=list(pks)).update(
                **blanks, **dict.fromkeys(tokens, token)
            )
    write_history_snapshot(
        model, pks, actor=actor, reason=reason, history_type="-", blanks=blanks, tokens=tokens, using=using
    )
    return names


def delete_logs(model: type[models.Model], pks) -> int:
    """Delete log rows (the file-access log, login and lockout logs, the admin's action log) at the end
    of their own §32 window, with their history rows and dependents, set-based. A log is itself the
    audit record: no "-" row is written (it would outlive the log it records). Returns the rows deleted.
    """
    model = model._meta.concrete_model

    def step(chunk: list, using: str) -> int:
        _handle_dependents(model, chunk, actor=None, reason="", using=using)
        _delete_history(model, chunk, [], using)
        return _delete_where(model, model._meta.pk, chunk, [], using)[0]

    return _in_chunks(model, pks, step)


def _purge(model, pks: list, *, actor, reason: str, using: str) -> int:
    if model._meta.parents:
        raise PurgeBlocked(f"{model._meta.label}: multi-table inheritance is not supported by purge")
    purged = _handle_dependents(model, pks, actor=actor, reason=reason, using=using)
    _delete_m2m_rows(model, pks, using)
    files = _file_fields(model)
    names = _scrub_history(model, pks, files, actor=actor, reason=reason, using=using)
    scrub_admin_log(model, pks, using=using)
    deleted, live_names = _delete_where(model, model._meta.pk, pks, files, using)
    for field, found in live_names.items():
        names.setdefault(field, set()).update(found)
    _queue_names(model, names, exclude_pks=[], using=using)
    return purged + deleted


def purge(model: type[models.Model], pks, *, actor=None, reason: str = "") -> int:
    """Delete rows of `model` by primary key, with their files and admin-log text (§31, §33).

    Their audit records stay (§32), without personal content: the history rows lose the catalogue's
    personal fields and one "-" row per row records the deletion, attributed to `actor` with `reason`;
    the audit_history rule deletes them when their own window ends. Set-based: no per-row signals.
    Dependent rows follow their on_delete (CASCADE purged the same way, SET_NULL nulled with a history
    row, PROTECT refuses with PurgeBlocked). Files (also those only older versions named) are deleted
    after the commit (retried; see privacy/erasure/files.py). Returns the rows deleted, dependents
    included.
    """
    model = model._meta.concrete_model

    def step(chunk: list, using: str) -> int:
        return _purge(model, chunk, actor=actor, reason=reason, using=using)

    return _in_chunks(model, pks, step)


def _snapshot_sql(model, hmodel, connection, blanks=(), tokens=()) -> tuple[str, list[str]]:
    """INSERT INTO history SELECT ... FROM table WHERE pk IN (...): one history row per row, set-based.

    Columns named in `blanks` take a parameter (their blank value) instead of the live value, those in
    `tokens` "ERASED-<id>"; `meta` lists the parameters in order ("history_*" names and blank attnames).
    """
    qn = connection.ops.quote_name
    columns, selects, meta = [], [], []
    for hfield in hmodel._meta.concrete_fields:
        if hfield.name in HISTORY_OWN_FIELDS:
            if hfield.name != "history_id" or not hfield.primary_key:
                columns.append(qn(hfield.column))
                selects.append("%s")
                meta.append(hfield.name)
            continue
        source = model._meta.get_field(hfield.name)
        columns.append(qn(hfield.column))
        if hfield.attname in blanks:
            selects.append("%s")
            meta.append(hfield.attname)
        elif hfield.attname in tokens:
            selects.append(f"CAST(%s AS TEXT) || CAST(t.{qn(model._meta.pk.column)} AS TEXT)")
            meta.append(hfield.attname)
        else:
            selects.append(f"t.{qn(source.column)}")
    # Only quoted table and column names from the models are interpolated; values go as parameters.
    sql = (
        f"INSERT INTO {qn(hmodel._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(selects)} FROM {qn(model._meta.db_table)} t "
        "WHERE {condition}"
    )
    return sql, meta


def write_history_snapshot(
    model,
    pks: list,
    *,
    actor=None,
    reason: str = "",
    when: datetime.datetime | None = None,
    using="default",
    history_type: str = "~",
    blanks: dict | None = None,
    tokens: Iterable[str] = (),
) -> int:
    """Write one history row per row ("~" by default), copied from the live rows in SQL (no objects
    loaded). `blanks` ({attname: value}) and `tokens` (attnames set to "ERASED-<id>") replace what the
    live rows hold, for a "-" row that must not carry personal data."""
    hmodel = history_model(model)
    if hmodel is None or not pks:
        return 0
    connection = connections[using]
    blanks = blanks or {}
    tokens = list(tokens)
    sql, meta = _snapshot_sql(model, hmodel, connection, blanks, tokens)
    when = when or timezone.now()
    values = {
        "history_date": connection.ops.adapt_datetimefield_value(when),
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user": getattr(actor, "pk", None),
        **{a: hmodel._meta.get_field(a).get_db_prep_save(v, connection) for a, v in blanks.items()},
        **dict.fromkeys(tokens, ERASED_ID_PREFIX),
    }
    written = 0
    with connection.cursor() as cursor:
        for chunk in chunked(pks, chunk_size(using)):
            condition, params = field_condition(model._meta.pk, chunk, connection, alias="t")
            cursor.execute(sql.format(condition=condition), [values[name] for name in meta] + params)
            written += cursor.rowcount
    if history_type == "~":
        _snapshot_m2m(model, hmodel, pks, when, using)
    return written


def _snapshot_m2m_sql(hmodel, m2m_model, through, source: str, pks: list, when, connection) -> None:
    """`_snapshot_m2m` in one INSERT ... SELECT per chunk on PostgreSQL (a kept disclosure's categories:
    thousands of rows in an erasure, no objects loaded)."""
    qn = connection.ops.quote_name
    fields = list(through._meta.concrete_fields)
    columns = [qn(m2m_model._meta.get_field("history").column)]
    columns += [qn(m2m_model._meta.get_field(f.name).column) for f in fields]
    selects = ["h." + qn(hmodel._meta.pk.column)] + [f"t.{qn(f.column)}" for f in fields]
    source_column = f"t.{qn(through._meta.get_field(source).column)}"
    history_id = f"h.{qn(hmodel._meta.get_field('id').column)}"
    # Only quoted table and column names from the models are interpolated; values go as parameters.
    sql = (
        f"INSERT INTO {qn(m2m_model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(selects)} FROM {qn(through._meta.db_table)} t "
        f"JOIN {qn(hmodel._meta.db_table)} h ON {history_id} = {source_column} "
        f"AND h.{qn(hmodel._meta.get_field('history_date').column)} = %s "
        f"AND h.{qn(hmodel._meta.get_field('history_type').column)} = '~' "
        "WHERE {condition}"
    )
    db_type = column_type(through._meta.get_field(source), connection)
    with connection.cursor() as cursor:
        for chunk in chunked(pks, ARRAY_CHUNK):
            condition, params = any_condition(source_column, chunk, db_type)
            cursor.execute(
                sql.format(condition=condition), [connection.ops.adapt_datetimefield_value(when), *params]
            )


def _snapshot_m2m(model, hmodel, pks: list, when, using: str) -> None:
    """Copy the current M2M rows into the M2M history of the snapshot rows just written."""
    for field in getattr(hmodel, "_history_m2m_fields", []):
        m2m_model = getattr(hmodel, field.name).model
        through = getattr(model, field.name).through
        source = field.m2m_field_name()
        connection = connections[using]
        if connection.vendor == "postgresql":
            _snapshot_m2m_sql(hmodel, m2m_model, through, source, pks, when, connection)
            continue
        history_ids = dict(
            hmodel._base_manager.using(using)
            .filter(id__in=pks, history_date=when, history_type="~")
            .values_list("id", "history_id")
        )
        rows = through._base_manager.using(using).filter(**{f"{source}__in": list(history_ids)})
        names = [f.attname for f in through._meta.concrete_fields]
        m2m_model._base_manager.using(using).bulk_create(
            [
                m2m_model(
                    history_id=history_ids[getattr(row, f"{source}_id")],
                    **{n: getattr(row, n) for n in names},
                )
                for row in rows
            ]
        )


def scrub_rows(
    model: type[models.Model],
    pks,
    *,
    blank: Iterable[str] = (),
    set_values: dict | None = None,
    history_values: dict | None = None,
    actor=None,
    reason: str = "",
) -> int:
    """Blank personal fields on live rows and on every history row of them, then write a "~" row each.

    `blank`: field names set to their blank value everywhere (files in them are deleted after commit).
    `set_values`: other live-row changes (a restriction mark, a tombstone token); `history_values`
    overrides what the old history rows get for those (e.g. the tombstone's customer number).
    """
    model = model._meta.concrete_model
    blank = list(blank)
    blanks = {model._meta.get_field(name).attname: blank_value(model._meta.get_field(name)) for name in blank}
    live = {**blanks, **(set_values or {})}
    in_history = {**blanks, **(history_values or {})}
    hmodel = history_model(model)
    when = timezone.now()

    def step(chunk: list, using: str) -> int:
        ids = id_list(chunk, model._meta.pk, using)
        _queue_files(model, chunk, _file_fields(model, blank), using)
        if hmodel is not None and in_history:
            hmodel._base_manager.using(using).filter(id__in=ids).update(**in_history)
        scrub_admin_log(model, chunk, using=using)
        if not live:
            return 0
        updated = model._base_manager.using(using).filter(pk__in=ids).update(**live)
        write_history_snapshot(model, chunk, actor=actor, reason=reason, when=when, using=using)
        return updated

    return _in_chunks(model, pks, step)
