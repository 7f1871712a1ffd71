"""Audit history for every model (django-simple-history) with a 64-bit history id.

At millions of imported and deleted rows a night, the default 32-bit history id runs out within years.
"""

from django.db import models
from simple_history.models import HistoricalRecords


def history(**kwargs) -> HistoricalRecords:
    """`HistoricalRecords()` as every model of ours declares it; kwargs pass through."""
    return HistoricalRecords(history_id_field=models.BigAutoField(primary_key=True), **kwargs)
