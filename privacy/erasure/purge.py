"""Set-based deletion and anonymisation that leave nothing personal behind (issue 5 items 3, 4, 7).

`purge` deletes rows by primary key without simple-history's per-row signals (which would load every row
and write a "-" history row holding the deleted data), deletes the rows' history (and M2M history),
queues their files for deletion after the commit, and scrubs the admin's action log. `scrub_rows`
blanks fields on live rows and on every history row of them, then writes one "~" history row per row,
set-based. Both are chunk-friendly: the retention sweeps call them with a few thousand ids at a time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import bulk_update_with_history, get_history_model_for_model

from .files import queue_file_deletions

#: What an erased object's admin log entry shows instead of its name (stored text, so not translated).
ERASED_REPR = "[erased]"
#: Largest id list sent in one statement (PostgreSQL allows 65,535 parameters, SQLite 32,766).
CHUNK = 5000

_HISTORY_META = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}


class PurgeBlocked(Exception):
    """Rows cannot be purged: other rows still depend on them (on_delete=PROTECT/RESTRICT)."""


def chunked(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


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


def id_list(values: list, field: models.Field, using: str = "default"):
    """The right-hand side of an `__in` lookup for a long list: on PostgreSQL one array parameter
    (`IN (SELECT unnest(%s::bigint[]))`) instead of thousands of placeholders, which psycopg and the
    server would parse for every statement; elsewhere the list itself."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return list(values)
    # Only the column type comes from the model; the values go as one parameter.
    column_type = getattr(field, "target_field", field).db_type(connection)
    return RawSQL(f"SELECT unnest(%s::{column_type}[])", [list(values)])  # noqa: S611


def _unique_pks(pks) -> list:
    if isinstance(pks, models.QuerySet):
        pks = pks.values_list("pk", flat=True)
    return list(dict.fromkeys(pks))


def scrub_admin_log(model: type[models.Model], pks: list, *, using: str = "default") -> int:
    """Empty `object_repr` and `change_message` of the admin's log entries for these objects (item 7)."""
    content_type = ContentType.objects.db_manager(using).get_for_model(model, for_concrete_model=False)
    object_id = LogEntry._meta.get_field("object_id")
    scrubbed = 0
    for chunk in chunked([str(pk) for pk in pks]):
        scrubbed += (
            LogEntry.objects.using(using)
            .filter(content_type=content_type, object_id__in=id_list(chunk, object_id, using))
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
        users = model._base_manager.using(using).filter(**{f"{field.attname}__in": found})
        if exclude_pks:
            users = users.exclude(pk__in=id_list(exclude_pks, model._meta.pk, using))
        still_used = set(users.values_list(field.attname, flat=True))
        queue_file_deletions(field, sorted(found - still_used), using=using)


def _queue_files(model, pks: list, fields: list[models.FileField], using: str) -> None:
    """Queue the files of these rows, live and in history, that no other live row still uses."""
    _queue_names(model, _collect_file_names(model, pks, fields, using), exclude_pks=pks, using=using)


def _delete_where(model, field: models.Field, values: list, returning: list[models.Field], using: str):
    """DELETE rows whose `field` is in `values`; returns (count, {returned field: set of values}).

    On PostgreSQL one statement with an array parameter and RETURNING (as fast as hand-written SQL);
    elsewhere a SELECT of the returned columns, then the delete.
    """
    connection = connections[using]
    returned: dict = {f: set() for f in returning}
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        column_type = getattr(field, "target_field", field).db_type(connection)
        # Names and the column type come from the model; the values go as one array parameter.
        sql = f"DELETE FROM {qn(model._meta.db_table)} WHERE {qn(field.column)} = ANY(%s::{column_type}[])"  # noqa: S608
        if returning:
            # One row back: the count and, per column, the distinct non-empty values deleted.
            aggregates = ", ".join(
                f"array_agg(DISTINCT {qn(f.column)}) FILTER (WHERE {qn(f.column)} <> '')" for f in returning
            )
            sql = f"WITH gone AS ({sql} RETURNING {', '.join(qn(f.column) for f in returning)}) "
            sql += f"SELECT count(*), {aggregates} FROM gone"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(values)])
            if not returning:
                return cursor.rowcount, returned
            count, *arrays = cursor.fetchone()
        for f, array in zip(returning, arrays, strict=True):
            returned[f].update(array or ())
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
    ids = id_list(pks, model._meta.pk, using)
    for rel in model._meta.related_objects:
        if rel.many_to_many:
            continue
        field = rel.field
        on_delete = field.remote_field.on_delete
        if on_delete is models.DO_NOTHING:
            continue
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
    ids = id_list(pks, model._meta.pk, using)
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        if through._meta.auto_created:
            through._base_manager.using(using).filter(**{f"{field.m2m_field_name()}__in": ids})._raw_delete(
                using
            )
    for rel in model._meta.related_objects:
        if rel.many_to_many and rel.through._meta.auto_created:
            rel.through._base_manager.using(using).filter(
                **{f"{rel.field.m2m_reverse_field_name()}__in": ids}
            )._raw_delete(using)


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
    count, returned = _delete_where(hmodel, hmodel._meta.get_field("id"), pks, history_files, using)
    return count, {model._meta.get_field(f.name): names for f, names in returned.items()}


def delete_history(model, pks: list, *, using: str = "default") -> int:
    """Delete every history row (and M2M history row) of these objects: no "-" row holding the data.

    Files named only in history are not queued here; `purge` does that.
    """
    return _delete_history(model, pks, [], using)[0]


def _purge(model, pks: list, *, actor, reason: str, using: str) -> int:
    if model._meta.parents:
        raise PurgeBlocked(f"{model._meta.label}: multi-table inheritance is not supported by purge")
    purged = _handle_dependents(model, pks, actor=actor, reason=reason, using=using)
    _delete_m2m_rows(model, pks, using)
    files = _file_fields(model)
    _, names = _delete_history(model, pks, files, using)
    scrub_admin_log(model, pks, using=using)
    deleted, live_names = _delete_where(model, model._meta.pk, pks, files, using)
    for field, found in live_names.items():
        names.setdefault(field, set()).update(found)
    _queue_names(model, names, exclude_pks=[], using=using)
    return purged + deleted


def purge(model: type[models.Model], pks, *, actor=None, reason: str = "") -> int:
    """Delete rows of `model` by primary key, with their history, files and admin-log text (§31, §33).

    Set-based: no per-row signals, no "-" history rows. Dependent rows follow their on_delete (CASCADE
    purged the same way, SET_NULL nulled with a history row, PROTECT refuses with PurgeBlocked). Files
    are deleted after the commit (retried; see privacy/erasure/files.py). Returns the rows deleted,
    dependents included. `actor` and `reason` attribute the history rows of SET_NULL dependents.
    """
    model = model._meta.concrete_model
    pks = _unique_pks(pks)
    if not pks:
        return 0
    using = router.db_for_write(model)
    deleted = 0
    with transaction.atomic(using=using):
        for chunk in chunked(pks):
            deleted += _purge(model, chunk, actor=actor, reason=reason, using=using)
    return deleted


def _snapshot_sql(model, hmodel, connection) -> tuple[str, list[str]]:
    """INSERT INTO history SELECT ... FROM table WHERE pk IN (...): one "~" row per row, set-based."""
    qn = connection.ops.quote_name
    columns, selects, meta = [], [], []
    for hfield in hmodel._meta.concrete_fields:
        if hfield.name in _HISTORY_META:
            if hfield.name != "history_id" or not hfield.primary_key:
                columns.append(qn(hfield.column))
                selects.append("%s")
                meta.append(hfield.name)
            continue
        source = model._meta.get_field(hfield.name)
        columns.append(qn(hfield.column))
        selects.append(f"t.{qn(source.column)}")
    # Only quoted table and column names from the models are interpolated; values go as parameters.
    sql = (
        f"INSERT INTO {qn(hmodel._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(selects)} FROM {qn(model._meta.db_table)} t "
        f"WHERE t.{qn(model._meta.pk.column)} IN ({{placeholders}})"
    )
    return sql, meta


def write_history_snapshot(
    model, pks: list, *, actor=None, reason: str = "", when: datetime.datetime | None = None, using="default"
) -> int:
    """Write one "~" history row per row, copied from the live rows in SQL (no objects loaded)."""
    hmodel = history_model(model)
    if hmodel is None or not pks:
        return 0
    connection = connections[using]
    sql, meta = _snapshot_sql(model, hmodel, connection)
    when = when or timezone.now()
    values = {
        "history_date": connection.ops.adapt_datetimefield_value(when),
        "history_change_reason": reason,
        "history_type": "~",
        "history_user": getattr(actor, "pk", None),
    }
    written = 0
    with connection.cursor() as cursor:
        for chunk in chunked(pks):
            cursor.execute(
                sql.format(placeholders=", ".join(["%s"] * len(chunk))),
                [values[name] for name in meta] + list(chunk),
            )
            written += cursor.rowcount
    _snapshot_m2m(model, hmodel, pks, when, using)
    return written


def _snapshot_m2m(model, hmodel, pks: list, when, using: str) -> None:
    """Copy the current M2M rows into the M2M history of the snapshot rows just written."""
    for field in getattr(hmodel, "_history_m2m_fields", []):
        m2m_model = getattr(hmodel, field.name).model
        through = getattr(model, field.name).through
        source = field.m2m_field_name()
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
    pks = _unique_pks(pks)
    if not pks:
        return 0
    using = router.db_for_write(model)
    blank = list(blank)
    blanks = {model._meta.get_field(name).attname: blank_value(model._meta.get_field(name)) for name in blank}
    live = {**blanks, **(set_values or {})}
    in_history = {**blanks, **(history_values or {})}
    hmodel = history_model(model)
    when = timezone.now()
    updated = 0
    with transaction.atomic(using=using):
        for chunk in chunked(pks):
            ids = id_list(chunk, model._meta.pk, using)
            _queue_files(model, chunk, _file_fields(model, blank), using)
            if hmodel is not None and in_history:
                hmodel._base_manager.using(using).filter(id__in=ids).update(**in_history)
            if live:
                updated += model._base_manager.using(using).filter(pk__in=ids).update(**live)
            scrub_admin_log(model, chunk, using=using)
        if live:
            write_history_snapshot(model, pks, actor=actor, reason=reason, when=when, using=using)
    return updated
