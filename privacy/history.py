"""Audit history for every model (django-simple-history) with a 64-bit history id.

At millions of imported and deleted rows a night, the default 32-bit history id runs out within years.
"""

from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.db.models import Index
from simple_history.models import HistoricalRecords

#: The fields a history model adds to the tracked model's own.
HISTORY_OWN_FIELDS = frozenset(
    {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
)


def history(**kwargs) -> HistoricalRecords:
    """`HistoricalRecords()` as every model of ours declares it; kwargs pass through."""
    return HistoricalRecords(history_id_field=models.BigAutoField(primary_key=True), **kwargs)


def save_with_history(obj: models.Model, *, actor, reason: str | None = None, exclude=()) -> None:
    """A service's save: validate (`full_clean`, less `exclude`), then save with the history row
    attributed to `actor` (a signed-in user) and explained by `reason`."""
    obj.full_clean(exclude=list(exclude) or None)
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor
    obj._change_reason = reason
    try:
        obj.save()
    finally:
        del obj._change_reason


class AppendOrderIndex(BrinIndex):
    """A BRIN index on PostgreSQL, a plain B-tree elsewhere (SQLite, the embedded run).

    For columns that grow with the table, as a history table's date or an append-only table's id: a
    block-range summary finds their rows for almost nothing, and keeping it up to date costs a bulk
    insert almost nothing (a B-tree costs about half a second per million rows). Ranges are summarised
    as they fill (autosummarize).
    """

    def __init__(self, *expressions, **kwargs):
        kwargs.setdefault("autosummarize", True)
        super().__init__(*expressions, **kwargs)

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return Index.create_sql(self, model, schema_editor, using=using, **kwargs)
