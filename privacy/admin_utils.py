"""Admin building blocks shared by every app: history views, and pagination without COUNT(*) on
large tables."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from simple_history.admin import SimpleHistoryAdmin


class EstimatedCountPaginator(Paginator):
    """Paginator that, for an unfiltered queryset on PostgreSQL, uses the planner's row estimate.

    A changelist of a million customers otherwise runs a full-table COUNT(*) on every page view.
    Filtered or searched querysets are counted exactly (they go through indexes and are small).
    """

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        query = getattr(qs, "query", None)
        if query is not None and not query.where and connections[qs.db].vendor == "postgresql":
            with connections[qs.db].cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [qs.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] >= 10_000:
                return int(row[0])
        return super().count


class HistoryAdmin(SimpleHistoryAdmin):
    """Base for every ModelAdmin of ours: history view, no full-table counts."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = 50
