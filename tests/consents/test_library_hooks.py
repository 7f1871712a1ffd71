"""Libraries through their public doors (§32 history sweep, §38–39 export gate): where a library's
non-documented hook is still used, this fails loudly when the library changes it, and the shapes the
hooks produce (history indexes, a streamed and gated export) hold on the real database."""

import inspect

import pytest
from django.db import connection
from import_export.admin import ExportMixin, ImportMixin
from simple_history.models import HistoricalRecords

from consents.admin_import import ConsentImportMixin
from consents.models import Consent, ConsentEvent

pytestmark = pytest.mark.django_db


def test_simple_history_still_builds_history_models_through_get_extra_fields():
    """consents.models.BulkHistoricalRecords unsets two indexes in `get_extra_fields(model, fields)`."""
    assert list(inspect.signature(HistoricalRecords.get_extra_fields).parameters) == [
        "self",
        "model",
        "fields",
    ]
    assert "self.get_extra_fields(model, fields)" in inspect.getsource(HistoricalRecords.create_history_model)
    assert list(inspect.signature(HistoricalRecords.get_meta_options).parameters) == ["self", "model"]


@pytest.mark.parametrize("model", [ConsentEvent, Consent])
def test_bulk_history_tables_have_no_btree_on_date_or_user(model):
    """The §32 sweep finds history rows by date through a BRIN index; no B-tree costs the bulk import."""
    table = model.history.model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = {
        tuple(info["columns"]): info["type"]
        for info in constraints.values()
        if info["index"] and not info["primary_key"]
    }
    assert ("history_user_id",) not in indexed
    assert indexed[("history_date",)] == "brin"
    assert not any(info["foreign_key"] for info in constraints.values())


def test_import_export_still_exports_through_do_file_export():
    """The streamed export overrides `_do_file_export(file_format, request, queryset, export_form=None)`,
    the one private hook left (the public `get_export_data` builds the whole file in memory)."""
    parameters = list(inspect.signature(ExportMixin._do_file_export).parameters)
    assert parameters == ["self", "file_format", "request", "queryset", "export_form"]
    assert "self._do_file_export(" in inspect.getsource(ExportMixin.export_action)


def test_the_import_replaces_no_library_step_but_the_upload_post():
    """Confirm, result and context come from the library (process_import, process_dataset), with our
    Resource, forms, temporary storage and format plugged in."""
    for name in ("process_import", "process_dataset", "create_confirm_form", "create_import_form"):
        assert name not in ConsentImportMixin.__dict__, name
    source = inspect.getsource(ImportMixin.process_import)
    for call in ("self.create_confirm_form(request)", "self.process_dataset(", "self.process_result("):
        assert call in source
